"""Lifecycle of a dossier under instruction (I1): which decision is possible from where."""

from __future__ import annotations

from dataclasses import dataclass

from shared.contrats import StatutDossier

DECISIONS_GESTIONNAIRE = frozenset(
    {
        StatutDossier.DECIDEE,
        StatutDossier.REJETEE,
        StatutDossier.A_MODIFIER,
        StatutDossier.EN_ATTENTE_PIECES,
    }
)
ATTENDU_GESTIONNAIRE = "GESTIONNAIRE"
ATTENDU_EDITEUR = "EDITEUR"


class ActionImpossible(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Decision:
    statut: StatutDossier
    motif: str
    auteur: str


def decision(valeur: str, motif: str | None, auteur: str) -> Decision:
    """A gestionnaire's decision; a motif is required except to accept."""
    try:
        statut = StatutDossier(valeur)
    except ValueError:
        statut = None
    if statut not in DECISIONS_GESTIONNAIRE:
        attendues = ", ".join(sorted(DECISIONS_GESTIONNAIRE))
        raise ActionImpossible(
            "DECISION_INCONNUE", f"La décision « {valeur} » est inconnue: attendu {attendues}."
        )
    assert statut is not None
    motif_propre = (motif or "").strip()
    if statut is not StatutDossier.DECIDEE and not motif_propre:
        raise ActionImpossible(
            "MOTIF_OBLIGATOIRE", "Le motif est obligatoire pour rejeter ou demander un complément."
        )
    return Decision(statut=statut, motif=motif_propre, auteur=auteur)


def verifier_attente(attendu: str | None, qui: str) -> None:
    """Only the party the workflow waits for can act."""
    if attendu != qui:
        raise ActionImpossible(
            "ACTION_NON_ATTENDUE",
            "Le dossier n'attend pas d'action de votre part dans son état actuel.",
        )
