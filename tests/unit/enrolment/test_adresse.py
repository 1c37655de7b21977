"""The demandeur's address reaches the enrolment record (the décision d'attribution prints
it), and an enrôlement complémentaire keeps the one of the first enrolment."""

from __future__ import annotations

from services.enrolment.domain.demande import adresse_postale
from tests.unit.enrolment.fakes import NUMERO_ANS, SIRET, Plateforme
from tests.unit.enrolment.test_instruction import NUMERO_ANS_2, complementaire, enrole

ADRESSE = "12 BIS RUE de la République, 69002 Lyon"


def test_adresse_postale_sur_une_ligne() -> None:
    formulaire = {
        "demandeur": {
            "adresse": {
                "destinataire": "Service comptable",
                "numero": "87",
                "typeVoie": "CHEMIN",
                "nomVoie": "DE MONS",
                "complement": "BP 12",
                "codePostal": "59650",
                "commune": "VILLENEUVE-D'ASCQ",
            }
        }
    }
    assert adresse_postale(formulaire) == (
        "Service comptable, 87 CHEMIN DE MONS, BP 12, 59650 VILLENEUVE-D'ASCQ"
    )
    assert adresse_postale({}) == ""


def test_l_enrolement_valide_porte_l_adresse_du_demandeur() -> None:
    p = Plateforme()
    enrole(p)
    enrolement = p.enrolements.lire(SIRET, NUMERO_ANS)
    assert enrolement is not None and enrolement.adresse == ADRESSE


def test_l_enrolement_complementaire_reprend_l_adresse() -> None:
    p = Plateforme()
    enrole(p)
    confirmation = p.complementaire(complementaire(p), SIRET)
    p.decider(confirmation.numero, "VALIDEE", None, "gestionnaire-1")
    second = p.enrolements.lire(SIRET, NUMERO_ANS_2)
    assert second is not None and second.adresse == ADRESSE
