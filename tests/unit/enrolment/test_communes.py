"""E2: the commune matches the code postal, from La Poste's base officielle des codes postaux
(services/enrolment/donnees/communes.json, generated from the npm package `codes-postaux`)."""

from __future__ import annotations

from typing import Any

import pytest

from infra.codes_postaux import PAQUET, en_texte, generer
from services.enrolment.domain.communes import FICHIER, codes_postaux, normaliser
from tests.unit.enrolment.fakes import Plateforme, formulaire
from tests.unit.enrolment.test_formulaire import accepte, avec, problemes


def test_le_fichier_des_communes_est_celui_du_paquet_npm() -> None:
    """Stale when the npm package changed version (web/package.json) without
    `python -m infra.codes_postaux` being run again; `npm ci` in web/ installs it."""
    assert (PAQUET / "codes-postaux.json").is_file(), f"{PAQUET} absent: npm ci dans web/"
    assert FICHIER.read_text(encoding="utf-8") == en_texte(generer()), (
        "services/enrolment/donnees/communes.json est périmé: .venv/bin/python -m "
        "infra.codes_postaux"
    )


@pytest.mark.parametrize(
    ("saisie", "normalise"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("ST ETIENNE CEDEX 2", "saint etienne"),
        ("  saint   étienne ", "saint etienne"),
        ("Villeneuve-d'Ascq", "villeneuve d ascq"),
        ("VILLENEUVE D’ASCQ", "villeneuve d ascq"),
        ("Ste-Foy-lès-Lyon", "sainte foy les lyon"),
        ("Œuilly", "oeuilly"),
        ("Cedex", "cedex"),  # a commune's name is never dropped whole
    ],
)
def test_normalisation(saisie: str, normalise: str) -> None:
    assert normaliser(saisie) == normalise


@pytest.mark.parametrize(
    ("code", "commune"),
    [
        ("69002", "Lyon"),
        ("42000", "Saint-Étienne"),
        ("42000", "st etienne"),  # case, accents, « St »
        ("59650", "VILLENEUVE D ASCQ"),  # the libellé d'acheminement of La Poste
        ("59650", "villeneuve-d’ascq"),
        ("01400", "Châtillon-sur-Chalaronne"),  # one of the ten communes of 01400
        ("01400", "SANDRANS"),
        ("75001", "Paris"),  # an arrondissement's code: its city
        ("75001", "PARIS"),
        ("75116", "Paris 16e Arrondissement"),
        ("75116", "PARIS 16"),
        ("13001", "Marseille"),
        ("97400", "Saint-Denis"),  # Réunion
        ("97200", "Fort-de-France"),  # Martinique
        ("97600", "Mamoudzou"),  # Mayotte
        ("97500", "Saint-Pierre"),  # Saint-Pierre-et-Miquelon
        ("20000", "Ajaccio"),
        ("87040", "LIMOGES CEDEX 1"),  # a CEDEX code: a commune of its département
        ("98800", "Nouméa"),  # outside La Poste's base: not checked
        ("97133", "Gustavia"),
    ],
)
def test_commune_du_code_postal(code: str, commune: str) -> None:
    assert codes_postaux().verifier(code, commune).correspond, (code, commune)


@pytest.mark.parametrize(
    ("code", "commune"),
    [
        ("69002", "Villeurbanne"),
        ("75001", "Lyon"),
        ("01400", "Bourg-en-Bresse"),  # 01000
        ("97400", "Saint-Pierre"),  # 97410
        ("87040", "LYON CEDEX"),  # not of the Haute-Vienne
        ("87040", "Limoges"),  # a CEDEX code without CEDEX: not in the base
    ],
)
def test_commune_d_un_autre_code_postal(code: str, commune: str) -> None:
    assert not codes_postaux().verifier(code, commune).correspond, (code, commune)


def test_les_communes_d_un_code_par_leur_nom_officiel() -> None:
    assert codes_postaux().communes("75001") == ("Paris",)
    assert codes_postaux().communes("97400") == ("Saint-Denis",)
    communes = codes_postaux().communes("01400")
    assert len(communes) == 10 and "L'Abergement-Clémenciat" in communes


@pytest.fixture
def p() -> Plateforme:
    return Plateforme()


def _problemes(p: Plateforme, brut: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {x.champ: (x.code, x.message) for x in problemes(p, brut)}


def _adresse(p: Plateforme, code: object, commune: object) -> dict[str, Any]:
    brut = avec(formulaire(p), "demandeur.adresse.codePostal", code)
    return avec(brut, "demandeur.adresse.commune", commune)


def test_la_commune_qui_ne_correspond_pas_est_refusee_avec_les_autres_problemes(
    p: Plateforme,
) -> None:
    brut = avec(_adresse(p, "75001", "Lyon"), "coordonneesBancaires.bic", "AGRI")
    trouves = _problemes(p, brut)
    assert trouves["demandeur.adresse.commune"] == (
        "COMMUNE_CODE_POSTAL",
        "La commune « Lyon » ne correspond pas au code postal 75001 (commune attendue : Paris).",
    )
    assert trouves["coordonneesBancaires.bic"][0] == "BIC_INVALIDE"  # listed at once
    _, message = _problemes(p, _adresse(p, "01400", "Lyon"))["demandeur.adresse.commune"]
    assert "(communes attendues : Chanoz-Châtenay, Châtillon-sur-Chalaronne," in message


def test_code_cedex_et_code_inconnu(p: Plateforme) -> None:
    assert _problemes(p, _adresse(p, "87040", "LYON CEDEX 3"))["demandeur.adresse.commune"] == (
        "COMMUNE_CODE_POSTAL",
        "La commune « LYON CEDEX 3 » n'est pas une commune du département 87 (code postal "
        "CEDEX 87040).",
    )
    code, message = _problemes(p, _adresse(p, "87040", "Limoges"))["demandeur.adresse.codePostal"]
    assert code == "CODE_POSTAL_INCONNU" and "LIMOGES CEDEX 1" in message
    accepte(p, _adresse(p, "87040", "Limoges Cedex 1"))


def test_la_commune_n_est_pas_jugee_sur_un_code_postal_faux(p: Plateforme) -> None:
    assert _problemes(p, _adresse(p, "7500", "Paris")) == {
        "demandeur.adresse.codePostal": (
            "CODE_POSTAL_INVALIDE",
            "Le code postal « 7500 » n'est pas valide : 5 chiffres d'un département français "
            "sont attendus (par exemple 75012 ou 97400).",
        )
    }
    assert set(_problemes(p, _adresse(p, "75001", "  "))) == {"demandeur.adresse.commune"}


@pytest.mark.parametrize(
    ("code", "commune"), [("42000", "ST-ETIENNE"), ("75008", "paris"), ("97400", "saint denis")]
)
def test_accents_casse_et_arrondissement_acceptes(p: Plateforme, code: str, commune: str) -> None:
    accepte(p, _adresse(p, code, commune))
