"""What a gestionnaire's decision on new bank details sends: the shared template
`enrolment_coordonnees_validees`, the IBAN masked, sent once (its claim)."""

from __future__ import annotations

from services.enrolment.adapters.courriels import CourrielsPartages
from services.enrolment.domain.demande import StatutDemandeEnrolement
from shared.courriels.contrat import Avis, CleEnvoi
from shared.courriels.enrolment import EnrolementNotifie, avis_coordonnees_validees
from shared.courriels.redaction import rediger
from tests.unit.enrolment.fakes import (
    INSTANT,
    JETON_ROBOT,
    PDF,
    SIRET,
    URL,
    Plateforme,
    formulaire,
)


def test_modele_partage_iban_masque() -> None:
    notifie = EnrolementNotifie("ENR0012M0", SIRET, "", "MEDISOFT SOLUTIONS", URL)
    contenu = rediger(avis_coordonnees_validees(notifie, "FR76 **** … 0189"))
    assert contenu.objet.startswith("Validation de vos nouvelles coordonnées bancaires (ENR0012M0)")
    assert "FR76 **** … 0189" in contenu.texte and "FR76 **** … 0189" in contenu.html
    assert "versements qui n'avaient pas pu aboutir" in contenu.texte


class _Courrier:
    def __init__(self) -> None:
        self.envois: list[tuple[CleEnvoi, list[str], Avis]] = []

    def envoyer_une_fois(self, cle: CleEnvoi, a: list[str], avis: Avis) -> None:
        self.envois.append((cle, a, avis))


class _Expediteur:
    def envoyer(self, courriel: object) -> None:
        raise AssertionError("every enrolment courriel has its shared template")


def test_changement_valide_envoie_le_modele_partage() -> None:
    p = Plateforme()
    premiere = p.soumettre(formulaire(p), JETON_ROBOT)
    p.decider(premiere.numero, "VALIDEE", None, "g")
    changement = p.changement(
        {
            "coordonneesBancaires": {
                "iban": "FR1420041010050500013M02606",
                "bic": "PSSTFRPPPAR",
                "titulaire": "MEDISOFT SOLUTIONS",
                "domiciliation": "La Banque Postale",
            },
            "sinceriteAttestee": True,
            "documents": {"rib": p.televerser("rib", PDF)},
        },
        SIRET,
    )
    demande = p.decider(changement.numero, "VALIDEE", None, "g")
    assert demande.statut is StatutDemandeEnrolement.VALIDEE
    courrier = _Courrier()
    adaptateur = CourrielsPartages(courrier, _Expediteur(), p.horloge, URL)  # type: ignore[arg-type]
    adaptateur.envoyer(p.courriels.envoyes[-1])
    ((cle, a, avis),) = courrier.envois
    assert avis.modele == "enrolment_coordonnees_validees"
    assert cle.sk == f"ENVOI#ENROLEMENT#{changement.numero}#COORDONNEES_VALIDEES"
    assert a == ["rep@medisoft.example.fr"]
    assert avis.contexte["ibanMasque"].startswith("FR14") and "0M02606" not in str(avis.contexte)
    enrolement = p.enrolements.lire(SIRET, "zbuMSS0001")
    assert enrolement is not None and enrolement.iban == "FR1420041010050500013M02606"
    assert enrolement.coordonnees_validees_le == INSTANT
