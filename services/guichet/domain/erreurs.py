"""The guichet's refusals (`shared.refus.Refus`: code, French message, nature; no HTTP
status). None reaches an HTTP client today: they fail the scheduled invocation, which the
scheduler retries and the alarms report. Names unique across the services, codes written in
full where raised."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from shared.campagnes import TypeDemande
from shared.refus import NatureRefus, Refus

C = TypeVar("C", bound=StrEnum)


class ErreurGuichet(Refus):
    """A rule of the guichet refuses the action: stable code, French message, nature."""

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class ValeurInconnue(ErreurGuichet):
    """A value the scheduled event names is unknown (type de demande, rappel)."""

    nature = NatureRefus.INVALIDE


class CampagneInconnue(ErreurGuichet):
    """The campaign the event names does not exist."""

    nature = NatureRefus.INTROUVABLE


class FermetureAnticipee(ErreurGuichet):
    """The window cannot be closed before its deadline (the scheduler retries)."""

    nature = NatureRefus.CONFLIT


def choix(valeurs: type[C], valeur: object) -> C | None:
    """`valeur` as one of `valeurs` (spaces and case ignored), None when it is none of them:
    the scheduled events name their type and reminder as text."""
    texte = valeur.strip().upper() if isinstance(valeur, str) else ""
    try:
        return valeurs(texte)
    except ValueError:
        return None


def lire_type_demande(valeur: object) -> TypeDemande:
    type_demande = choix(TypeDemande, valeur)
    if type_demande is None:
        raise ValeurInconnue(
            "TYPE_DEMANDE_INVALIDE",
            f"Le type de demande {valeur!s} est inconnu: choisissez AVANCE ou SOLDE.",
        )
    return type_demande
