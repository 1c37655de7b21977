"""The versement asked after a decision carries the demande's CURRENT montant financé (the
dossier as the dépôt service keeps it), not the one the execution started with: an M file
may have changed it while the demande was « À modifier »."""

from __future__ import annotations

from dataclasses import replace

from services.instruction.application.instruction import EntreeDemande, Tache
from shared.campagnes import TypeDemande
from shared.messages import ActionEditeur, ReponseEditeur
from shared.statuts import Attendu, StatutDemande
from tests.unit.instruction.faux import NUMERO, Monde, monde

AVANCE = TypeDemande.AVANCE


def _attendre(m: Monde, statut: str, attendu: str, jeton: str) -> None:
    m.instruction.attendre(
        Tache(
            demande=EntreeDemande(numeroAsp=NUMERO, typeDemande=AVANCE, montantFinance="18000.00"),
            statut=StatutDemande(statut),
            attendu=Attendu(attendu),
            jeton=jeton,
        )
    )


def _modifier_le_dossier(m: Monde, montant_finance: str, avance: str) -> None:
    """What the dépôt service does when it imports the M file."""
    d = m.instructions.dossiers[NUMERO]
    demande = replace(d.avance, montants={"montantFinance": montant_finance, "avance": avance})
    m.instructions.dossiers[NUMERO] = replace(d, demandes={AVANCE: demande})


def test_le_versement_suit_le_montant_finance_modifie_par_un_fichier_m() -> None:
    m = monde()
    _modifier_le_dossier(m, "18000.00", "5400.00")
    _attendre(m, "EN_COURS", "GESTIONNAIRE", "j1")
    m.instruction.decider(NUMERO, AVANCE, "A_MODIFIER", "Montant à corriger", None, "DUPONT")
    _attendre(m, "A_MODIFIER", "EDITEUR", "j2")
    _modifier_le_dossier(m, "17500.00", "5250.00")
    m.instruction.repondre(
        ReponseEditeur(
            numeroAsp=NUMERO,
            typeDemande=AVANCE,
            action=ActionEditeur.MODIFICATION_IMPORTEE,
            qui="editeur",
            instant=m.horloge.maintenant(),
        )
    )
    _attendre(m, "EN_COURS", "GESTIONNAIRE", "j3")
    assert m.instruction.etat(NUMERO, AVANCE).montant_finance == "17500.00"
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    _attendre(m, "DECIDEE", "PAIEMENT", "jp")
    (message,) = m.versements.messages
    assert (message.montantFinance, message.montant) == ("17500.00", "5250.00")


def test_sans_montant_au_dossier_le_montant_de_l_execution_reste() -> None:
    m = monde()
    _modifier_le_dossier(m, "", "")
    _attendre(m, "EN_COURS", "GESTIONNAIRE", "j1")
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    _attendre(m, "DECIDEE", "PAIEMENT", "jp")
    (message,) = m.versements.messages
    assert message.montantFinance == "18000.00"
