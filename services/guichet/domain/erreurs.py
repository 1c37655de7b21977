"""Les refus du guichet: un code stable et un message en français, sans statut HTTP (ils
n'atteignent aucun client HTTP: ils font échouer l'invocation planifiée, que le planificateur
rejoue et que les alarmes signalent)."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from shared.campagnes import TypeDemande

C = TypeVar("C", bound=StrEnum)


class ErreurGuichet(Exception):
    """Une règle du guichet refuse l'action: code stable, message en français."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


class DonneeInvalide(ErreurGuichet):
    """Une valeur reçue est inconnue (type de demande, rappel)."""


class Introuvable(ErreurGuichet):
    """La campagne nommée n'existe pas."""


class Conflit(ErreurGuichet):
    """L'état du guichet ne permet pas l'action (le fermer avant son échéance)."""


def choisir(code: str, message: str, choix: type[C], valeur: object) -> C:
    """`valeur` as one of `choix` (spaces and case ignored), else DonneeInvalide(code,
    message): the events of the schedules name their type and reminder as text."""
    texte = valeur.strip().upper() if isinstance(valeur, str) else ""
    try:
        return choix(texte)
    except ValueError as exc:
        raise DonneeInvalide(code, message) from exc


def lire_type_demande(valeur: object) -> TypeDemande:
    return choisir(
        "TYPE_DEMANDE_INVALIDE",
        f"Le type de demande {valeur!s} est inconnu: choisissez AVANCE ou SOLDE.",
        TypeDemande,
        valeur,
    )
