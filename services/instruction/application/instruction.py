"""Use cases of instruction: the workflow waits, the gestionnaire decides, the state applies."""

from __future__ import annotations

from typing import Any

from services.instruction.application.ports import DossiersInstruction, Workflow
from services.instruction.domain.instruction import (
    ATTENDU_GESTIONNAIRE,
    ActionImpossible,
    decision,
    verifier_attente,
)
from shared.horloge import Horloge


class Instruction:
    def __init__(self, dossiers: DossiersInstruction, workflow: Workflow, horloge: Horloge) -> None:
        self.dossiers = dossiers
        self.workflow = workflow
        self.horloge = horloge

    def attendre(self, numero_asp: str, statut: str, attendu: str, jeton: str) -> None:
        """Called by the state machine's waitForTaskToken task: the dossier now waits."""
        self.dossiers.enregistrer_attente(
            numero_asp, statut, attendu, jeton, self.horloge.maintenant().isoformat()
        )

    def decider(
        self, numero_asp: str, valeur: str, motif: str | None, gestionnaire: str
    ) -> dict[str, Any]:
        dossier = self.dossiers.lire(numero_asp)
        if dossier is None:
            raise ActionImpossible("DOSSIER_INCONNU", f"Le dossier {numero_asp} n'existe pas.")
        verifier_attente(dossier.get("attendu"), ATTENDU_GESTIONNAIRE)
        choix = decision(valeur, motif, gestionnaire)
        jeton = str(dossier.get("jeton") or "")
        # Two gestionnaires acting at once: the conditional clear lets exactly one win.
        if not jeton or not self.dossiers.consommer_jeton(numero_asp, ATTENDU_GESTIONNAIRE, jeton):
            raise ActionImpossible(
                "ACTION_CONCURRENTE", "Une autre action vient d'être enregistrée sur ce dossier."
            )
        sortie = {"decision": choix.statut.value, "motif": choix.motif, "auteur": choix.auteur}
        self.workflow.reprendre(jeton, sortie)
        return sortie

    def appliquer(self, numero_asp: str, statut: str, qui: str, motif: str) -> None:
        self.dossiers.appliquer_statut(
            numero_asp, statut, qui, motif, self.horloge.maintenant().isoformat()
        )
