"""E1: the référentiel shipped, « Rechercher », a gestionnaire loading a new version, and
the contracts of the référencement and enrolment items (shared/enrolement.py)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from services.enrolment.application.referentiel import (
    ChargerReferentiel,
    RechercherReferencement,
    ReferencementIntrouvable,
    donnees_initiales,
)
from services.enrolment.domain.erreurs import DemandeInvalide
from services.enrolment.domain.referentiel import vue_referencement
from shared.chiffrement import ChiffrementFactice
from shared.enrolement import (
    EnrolementEditeur,
    ReferencementAns,
    cle_enrolement,
    enrolement_depuis_item,
    item_enrolement,
    item_referencement,
    referencement_depuis_item,
)
from shared.horloge import HorlogeFixe
from shared.identifiants import siret_valide
from tests.unit.enrolment.fakes import INSTANT, ReferentielMemoire


@pytest.fixture
def referentiel() -> ReferentielMemoire:
    memoire = ReferentielMemoire()
    ChargerReferentiel(memoire, HorlogeFixe(INSTANT))(donnees_initiales(), "init")
    return memoire


def test_le_referentiel_livre_est_realiste(referentiel: ReferentielMemoire) -> None:
    tous = referentiel.tous()
    assert len(tous) >= 5
    assert {r.couloir for r in tous} == {"MS1", "MS2"}
    assert {r.type_logiciel for r in tous} == {"DUI", "DUI-PDE"}
    assert len({r.vague for r in tous}) >= 2
    assert all(siret_valide(r.siret) for r in tous)
    par_editeur: dict[str, int] = {}
    for r in tous:
        par_editeur[r.siret] = par_editeur.get(r.siret, 0) + 1
    assert len(par_editeur) >= 4 and max(par_editeur.values()) >= 2


def test_rechercher(referentiel: ReferentielMemoire) -> None:
    rechercher = RechercherReferencement(referentiel)
    trouve = rechercher("zbuMSS0001")
    vue = vue_referencement(trouve)
    assert vue["dsr"] == "MS1 / DUI / vague 1"
    assert vue["raisonSociale"] == "MEDISOFT SOLUTIONS"
    with pytest.raises(ReferencementIntrouvable):
        rechercher("zbuMSS9999")
    with pytest.raises(DemandeInvalide) as exc:
        rechercher("zbu-MSS-01")
    assert [x.code for x in exc.value.problemes] == ["NUMERO_ANS_INVALIDE"]


def test_nouvelle_version_upsert_et_historique(referentiel: ReferentielMemoire) -> None:
    donnees = donnees_initiales()
    donnees["version"] = "2024-03-01"
    donnees["referencements"][0]["versionSolution"] = "4.3"
    nouveau = dict(donnees["referencements"][1], numeroAns="zbuMSS0003", solution="Nouvelle")
    donnees["referencements"].append(nouveau)
    del donnees["referencements"][2]  # lgsMS10417: absent from this version, kept
    plus_tard = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
    bilan = ChargerReferentiel(referentiel, HorlogeFixe(plus_tard))(donnees, "g-42")
    assert bilan.ajoutes == ("zbuMSS0003",)
    assert bilan.modifies == ("zbuMSS0001",)
    assert bilan.absents == ("lgsMS10417",)
    assert (bilan.chargee_par, bilan.chargee_le, bilan.inchanges) == ("g-42", plus_tard, 4)
    assert referentiel.trouver("zbuMSS0001").version_solution == "4.3"  # type: ignore[union-attr]
    assert referentiel.trouver("lgsMS10417") is not None
    ((ancien, version),) = referentiel.historique
    assert (ancien.numero_ans, ancien.version_solution, version.version) == (
        "zbuMSS0001",
        "4.2",
        "2024-03-01",
    )
    assert [v.version for v in referentiel.versions()] == ["2024-03-01", "2024-01-15"]


def _fichier(**entree: Any) -> dict[str, Any]:
    donnees = donnees_initiales()
    donnees["referencements"][0].update(entree)
    return donnees


@pytest.mark.parametrize(
    ("donnees", "champ", "code"),
    [
        (_fichier(numeroAns="court"), "referencements.0.numeroAns", "NUMERO_ANS_INVALIDE"),
        (_fichier(siret="41234567000018"), "referencements.0.siret", "SIRET_INVALIDE"),
        (_fichier(couloir="MS3"), "referencements.0.couloir", "VALEUR_NON_PERMISE"),
        (_fichier(typeLogiciel="DPI"), "referencements.0.typeLogiciel", "VALEUR_NON_PERMISE"),
        (_fichier(vague="un"), "referencements.0.vague", "FORMAT_INVALIDE"),
        (_fichier(editeur="x"), "referencements.0.editeur", "CHAMP_INCONNU"),
        ({"version": "v", "referencements": []}, "referencements", "TROP_COURT"),
    ],
)
def test_fichier_invalide_rien_n_est_charge(
    referentiel: ReferentielMemoire, donnees: dict[str, Any], champ: str, code: str
) -> None:
    avant = copy.deepcopy(referentiel.entrees)
    with pytest.raises(DemandeInvalide) as exc:
        ChargerReferentiel(referentiel, HorlogeFixe(INSTANT))(donnees, "g")
    assert [(x.champ, x.code) for x in exc.value.problemes] == [(champ, code)]
    assert referentiel.entrees == avant


def test_numero_en_double(referentiel: ReferentielMemoire) -> None:
    donnees = donnees_initiales()
    donnees["referencements"].append(dict(donnees["referencements"][0]))
    with pytest.raises(DemandeInvalide) as exc:
        ChargerReferentiel(referentiel, HorlogeFixe(INSTANT))(donnees, "g")
    assert [x.code for x in exc.value.problemes] == ["NUMERO_ANS_DUPLIQUE"]


# --- Records in shared/enrolement.py --------------------------------------------------


def test_contrat_referencement_aller_retour() -> None:
    ref = ReferencementAns("zbuMSS0001", "MS1", "DUI", "1", "S", "41234567000019", "4.2", "M")
    assert referencement_depuis_item(item_referencement(ref)) == ref
    ancien = {"numeroAns": "A", "couloir": "MS2"}  # written before the new attributes
    assert referencement_depuis_item(ancien).version_solution == ""


def test_contrat_enrolement_aller_retour() -> None:
    complet = EnrolementEditeur(
        siret="41234567000019",
        numero_ans="zbuMSS0001",
        statut="VALIDE",
        email="depot@medisoft.example.fr",
        raison_sociale="MEDISOFT SOLUTIONS",
        couloir="MS1",
        nom_commercial="MédiSoft",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPPXXX",
        titulaire="MEDISOFT",
        domiciliation="CA Lyon",
        coordonnees_validees_le=datetime(2024, 1, 22, 9, 30, tzinfo=UTC),
        numero_demande="ENR0001M0",
        cree_le=datetime(2024, 1, 22, 9, 30, tzinfo=UTC),
        version=3,
    )
    chiffrement = ChiffrementFactice()
    item = item_enrolement(complet, chiffrement)
    assert {k: item[k] for k in ("PK", "SK")} == cle_enrolement("41234567000019", "zbuMSS0001")
    assert item["statut"] == "VALIDE" and item["raisonSociale"] == "MEDISOFT SOLUTIONS"
    lu = enrolement_depuis_item(item, chiffrement)
    assert lu.model_copy(update={"iban_chiffre": None, "iban_masque": None}) == complet
    minimal = EnrolementEditeur(
        siret="1", numero_ans="A", statut="VALIDE", email="e@x.fr", raison_sociale="R"
    )
    sans_none = {k: v for k, v in item_enrolement(minimal, chiffrement).items() if v is not None}
    assert enrolement_depuis_item(sans_none) == minimal  # DynamoDB leaves None out
    assert minimal.valide and not minimal.model_copy(update={"statut": "SUSPENDU"}).valide
