"""The guichet's rule as the dépôt applies it and the guichet shows it: the only wording of
a window's refusal (« Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à
14h00. »). Whether a window is open at an instant is the campaign's own data
(`Campagne.fenetre_ouverte`, shared/campagnes.py).

The dépôt refuses a file with these messages (`verifier_guichet`); the guichet shows them
(`GET /guichet`) and writes them in the closing courriel: one rule, one message.
"""

from __future__ import annotations

from datetime import datetime

from shared.campagnes import Campagne, TypeDemande
from shared.horloge import PARIS, exiger_fuseau

LIBELLE_DEMANDES = {
    TypeDemande.AVANCE: "demandes d'avance",
    TypeDemande.SOLDE: "demandes de solde",
}


def libelle_guichet(type_demande: TypeDemande) -> str:
    """« Le guichet des demandes d'avance »."""
    return f"Le guichet des {LIBELLE_DEMANDES[type_demande]}"


def date_heure_paris(instant: datetime) -> str:
    """« 28/02/2024 à 14h00 », at Paris time."""
    local = exiger_fuseau(instant).astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H}h{local:%M}"


def message_non_ouvert(campagne: Campagne, type_demande: TypeDemande) -> str:
    """Before the campaign opens (the dépôt's GUICHET_NON_OUVERT)."""
    return (
        f"{libelle_guichet(type_demande)} n'est pas encore ouvert: il ouvre le "
        f"{date_heure_paris(campagne.ouverture)}."
    )


def message_fermeture(campagne: Campagne, type_demande: TypeDemande) -> str:
    """From the deadline on (the dépôt's GUICHET_FERME)."""
    echeance = date_heure_paris(campagne.echeance(type_demande))
    return f"{libelle_guichet(type_demande)} est fermé depuis le {echeance}."


def message_refus(campagne: Campagne, type_demande: TypeDemande, instant: datetime) -> str | None:
    """What a dépôt of this type is told at this instant; None while the window is open."""
    if campagne.fenetre_ouverte(type_demande, instant):
        return None
    if instant < campagne.ouverture:
        return message_non_ouvert(campagne, type_demande)
    return message_fermeture(campagne, type_demande)
