"""La règle du guichet, telle que le dépôt l'applique et que le guichet l'affiche: une
fenêtre ouverte ou non à un instant, et la seule formulation de son refus
(« Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00. »).

Le dépôt refuse un fichier avec ce message (`verifier_guichet`); le guichet le montre
(`GET /guichet`) et l'écrit dans le courriel de fermeture: une règle, un message.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    """« 28/02/2024 à 14h00 », à l'heure de Paris."""
    local = exiger_fuseau(instant).astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H}h{local:%M}"


@dataclass(frozen=True)
class FenetreFermee:
    """Pourquoi un dépôt de ce type est refusé à cet instant: code stable, message."""

    code: str  # GUICHET_NON_OUVERT, GUICHET_FERME
    message: str


def refus_guichet(
    campagne: Campagne, type_demande: TypeDemande, instant: datetime
) -> FenetreFermee | None:
    """None quand le guichet de ce type est ouvert à cet instant."""
    exiger_fuseau(instant)
    if campagne.fenetre_ouverte(type_demande, instant):
        return None
    libelle = libelle_guichet(type_demande)
    if instant < campagne.ouverture:
        return FenetreFermee(
            "GUICHET_NON_OUVERT",
            f"{libelle} n'est pas encore ouvert: il ouvre le "
            f"{date_heure_paris(campagne.ouverture)}.",
        )
    return FenetreFermee(
        "GUICHET_FERME",
        f"{libelle} est fermé depuis le {date_heure_paris(campagne.echeance(type_demande))}.",
    )
