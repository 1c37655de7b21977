"""E2: one test per validation rule of the demande d'enrôlement, valid and invalid, through
the use case that checks it (model, rules across fields, documents)."""

from __future__ import annotations

from typing import Any

import pytest

from services.enrolment.domain.anti_robot import AntiRobotInvalide, VerdictAntiRobot
from services.enrolment.domain.erreurs import DemandeInvalide, Probleme
from tests.unit.enrolment.fakes import JETON_ROBOT, Plateforme, formulaire, personne


def problemes(
    plateforme: Plateforme, brut: dict[str, Any], jeton: str = JETON_ROBOT
) -> list[Probleme]:
    with pytest.raises(DemandeInvalide) as exc:
        plateforme.soumettre(brut, jeton)
    return list(exc.value.problemes)


def codes(plateforme: Plateforme, brut: dict[str, Any]) -> dict[str, str]:
    return {p.champ: p.code for p in problemes(plateforme, brut)}


def accepte(plateforme: Plateforme, brut: dict[str, Any]) -> None:
    confirmation = plateforme.soumettre(brut, JETON_ROBOT)
    assert confirmation.numero.startswith("ENR")


def avec(brut: dict[str, Any], chemin: str, valeur: Any) -> dict[str, Any]:
    """`brut` with the field at the dotted `chemin` set (or removed when valeur is ...)."""
    *parents, feuille = chemin.split(".")
    noeud = brut
    for nom in parents:
        noeud = noeud[nom]
    if valeur is ...:
        noeud.pop(feuille, None)
    else:
        noeud[feuille] = valeur
    return brut


@pytest.fixture
def p() -> Plateforme:
    return Plateforme()


def test_une_demande_complete_est_acceptee(p: Plateforme) -> None:
    accepte(p, formulaire(p))


# --- Each field: a valid and an invalid value -------------------------------------------

CAS_CHAMPS = [
    ("numeroAns", "zbuMSS0001", "zbuMSS01", "NUMERO_ANS_INVALIDE"),
    ("numeroAns", "zbuMSS0001", "zbuMSS000!", "NUMERO_ANS_INVALIDE"),
    ("numeroAns", "zbuMSS0001", "ABCDEFGHIJ", "NUMERO_ANS_INCONNU"),
    ("numeroAns", "zbuMSS0001", 1234567890, "TYPE_INVALIDE"),
    ("demandeur.siret", "412 345 670 00019", "41234567000018", "SIRET_INVALIDE"),
    ("demandeur.siret", "41234567000019", "4123456700001A", "SIRET_INVALIDE"),
    ("demandeur.denominationSociale", "Medisoft  Solutions", "   ", "TEXTE_VIDE"),
    ("demandeur.nomCommercial", "MédiSoft", ..., "CHAMP_ABSENT"),
    ("demandeur.nomCommercial", "MédiSoft", "x" * 201, "TROP_LONG"),
    ("demandeur.adresse.typeVoie", "AVENUE", "RU", "TYPE_VOIE_INVALIDE"),
    ("demandeur.adresse.typeVoie", "LIEU_DIT", ..., "CHAMP_ABSENT"),
    ("demandeur.adresse.nomVoie", "des Lilas", "", "TEXTE_VIDE"),
    # The valid codes are Lyon's, the commune of the base demande (test_communes.py).
    ("demandeur.adresse.codePostal", "69001", "00100", "CODE_POSTAL_INVALIDE"),
    ("demandeur.adresse.codePostal", "69005", "7500", "CODE_POSTAL_INVALIDE"),
    ("demandeur.adresse.codePostal", "69008", "96000", "CODE_POSTAL_INVALIDE"),
    ("demandeur.adresse.codePostal", "69008", 69008, "TYPE_INVALIDE"),
    ("demandeur.adresse.codePostal", "69008", "69999", "CODE_POSTAL_INCONNU"),
    ("demandeur.adresse.commune", "LYON", ..., "CHAMP_ABSENT"),
    ("demandeur.adresse.commune", "lyon", "Villeurbanne", "COMMUNE_CODE_POSTAL"),
    ("demandeur.adresse.numero", "2", "2b", "FORMAT_INVALIDE"),
    ("demandeur.adresse.extension", "TER", "BISS", "VALEUR_NON_PERMISE"),
    ("demandeur.adresse.complement", "Bâtiment C", "", "TEXTE_VIDE"),
    ("representantLegal", True, "oui", "TYPE_INVALIDE"),
    ("representant.nom", "Dupont", "", "TEXTE_VIDE"),
    ("representant.prenom", "Anne", ..., "CHAMP_ABSENT"),
    ("representant.telephone", "+33 6 12 34 56 78", "0612", "TELEPHONE_INVALIDE"),
    ("representant.telephone", "+262 692 12 34 56", "+44 20 7946 0958", "TELEPHONE_INVALIDE"),
    ("representant.telephone", "06.12.34.56.78", "01 23 45 67 8", "TELEPHONE_INVALIDE"),
    (
        "coordonneesBancaires.iban",
        "FR7630006000011234567890189",
        "FR7630006000011234567890188",
        "IBAN_INVALIDE",
    ),
    ("coordonneesBancaires.iban", "fr76 3000 6000 0112 3456 7890 189", "FR76", "IBAN_INVALIDE"),
    ("coordonneesBancaires.bic", "AGRIFRPP", "AGRI", "BIC_INVALIDE"),
    ("coordonneesBancaires.bic", "BNPAFRPPXXX", "BNPA12PPXXX", "BIC_INVALIDE"),
    ("coordonneesBancaires.titulaire", "MEDISOFT", ..., "CHAMP_ABSENT"),
    ("coordonneesBancaires.domiciliation", "BNP Paris", " ", "TEXTE_VIDE"),
    ("tauxTva", "5.5", "7", "VALEUR_NON_PERMISE"),
    ("tauxTva", "2.1", 20, "VALEUR_NON_PERMISE"),
    ("cguAcceptees", True, False, "ACCEPTATION_REQUISE"),
    ("cguAcceptees", True, "true", "TYPE_INVALIDE"),
    ("sinceriteAttestee", True, False, "ACCEPTATION_REQUISE"),
    ("sinceriteAttestee", True, ..., "CHAMP_ABSENT"),
    ("champInconnu", ..., "x", "CHAMP_INCONNU"),
    ("demandeur.adresse.pays", ..., "France", "CHAMP_INCONNU"),
]


@pytest.mark.parametrize(("chemin", "valide", "invalide", "code"), CAS_CHAMPS)
def test_chaque_champ(p: Plateforme, chemin: str, valide: Any, invalide: Any, code: str) -> None:
    assert codes(p, avec(formulaire(p), chemin, invalide)) == {chemin: code}
    accepte(p, avec(formulaire(p), chemin, valide))


def test_les_messages_nomment_le_champ_et_ce_qui_est_attendu(p: Plateforme) -> None:
    brut = avec(formulaire(p), "demandeur.adresse.codePostal", ...)
    brut = avec(brut, "coordonneesBancaires.bic", "AGRI")
    brut = avec(brut, "tauxTva", "7")
    messages = {x.champ: x.message for x in problemes(p, brut)}
    assert messages["demandeur.adresse.codePostal"] == (
        "Champ « code postal » (demandeur.adresse.codePostal) : champ obligatoire absent."
    )
    assert "Le BIC « AGRI » n'est pas valide" in messages["coordonneesBancaires.bic"]
    assert "'20', '10', '5.5', '2.1', 'HT'" in messages["tauxTva"]


def test_email_du_representant(p: Plateforme) -> None:
    mauvais = personne() | {"email": "claire.martin@", "confirmationEmail": "claire.martin@"}
    assert codes(p, formulaire(p, representant=mauvais)) == {"representant.email": "EMAIL_INVALIDE"}
    differente = personne() | {"confirmationEmail": "autre@medisoft.example.fr"}
    trouves = problemes(p, formulaire(p, representant=differente))
    assert [(x.champ, x.code) for x in trouves] == [
        ("representant.confirmationEmail", "CONFIRMATION_EMAIL_DIFFERENTE")
    ]
    assert "rep@medisoft.example.fr" in trouves[0].message
    casse = personne() | {"confirmationEmail": "REP@Medisoft.example.fr"}
    accepte(p, formulaire(p, representant=casse))


def test_tous_les_problemes_sont_listes_ensemble(p: Plateforme) -> None:
    brut = formulaire(p, tauxTva="HT", cguAcceptees=False)
    brut = avec(brut, "demandeur.siret", "123")
    brut = avec(brut, "representant.confirmationEmail", "x@y.fr")
    brut = avec(brut, "coordonneesBancaires.iban", "FR00")
    with pytest.raises(DemandeInvalide) as exc:
        p.soumettre(brut, JETON_ROBOT)
    assert {x.champ: x.code for x in exc.value.problemes} == {
        "demandeur.siret": "SIRET_INVALIDE",
        "representant.confirmationEmail": "CONFIRMATION_EMAIL_DIFFERENTE",
        "coordonneesBancaires.iban": "IBAN_INVALIDE",
        "cguAcceptees": "ACCEPTATION_REQUISE",
        "documents.attestationNonAssujettissement": "DOCUMENT_MANQUANT",
    }
    assert p.demandes.stockees == {}
    assert p.courriels.envoyes == []


@pytest.mark.parametrize(
    ("solution", "verdict", "extrait"),
    [
        ("", VerdictAntiRobot.ABSENT, "manque"),
        ("faux", VerdictAntiRobot.INCORRECT, "a échoué"),
        ("solution-expiree", VerdictAntiRobot.EXPIRE, "a expiré : un défi est valable 10 minutes"),
        ("solution-deja-utilisee", VerdictAntiRobot.DEJA_UTILISE, "a déjà servi"),
    ],
)
def test_anti_robot_refuse_avant_tout_le_reste(
    p: Plateforme, solution: str, verdict: VerdictAntiRobot, extrait: str
) -> None:
    """Refused whole, before the form is read: an invalid form says nothing more to a
    robot, and a valid one is not recorded."""
    for brut in (formulaire(p), avec(formulaire(p), "demandeur.siret", "123")):
        with pytest.raises(AntiRobotInvalide) as exc:
            p.soumettre(brut, solution)
        assert exc.value.verdict is verdict
        assert extrait in exc.value.message and "jetonAntiRobot" in exc.value.message
    assert p.anti_robot.verifiees == [solution, solution]
    assert p.demandes.stockees == {} and p.courriels.envoyes == []


def test_un_verdict_valide_n_est_pas_un_refus() -> None:
    with pytest.raises(ValueError):
        AntiRobotInvalide(VerdictAntiRobot.VALIDE)


def test_le_corps_doit_etre_un_objet_de_champs(p: Plateforme) -> None:
    trouves = codes(p, {"numeroAns": "zbuMSS0001", "demandeur": "MEDISOFT"})
    assert trouves["demandeur"] == "TYPE_INVALIDE"
    assert trouves["representant"] == "CHAMP_ABSENT"
    assert trouves["documents.certificatReferencement"] == "DOCUMENT_MANQUANT"
