"""Composition root of the instruction service: the handlers' objects, built once per
cold start (the clock is the process's current one at each call).

Each use case is built at its first use, with the imports it needs: a route that only
reads (consultation) never imports the workflow's adapters, the PDF or the courriels."""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from shared.settings import requis

if TYPE_CHECKING:
    from services.instruction.adapters.aws import InstructionsDynamo
    from services.instruction.adapters.documents import DocumentsS3
    from services.instruction.application.consultation import Consultation
    from services.instruction.application.instruction import Instruction


class Composants:
    @cached_property
    def instructions(self) -> InstructionsDynamo:
        from services.instruction.adapters.aws import InstructionsDynamo

        return InstructionsDynamo()

    @cached_property
    def documents(self) -> DocumentsS3:
        from services.instruction.adapters.documents import DocumentsS3

        return DocumentsS3()

    @cached_property
    def instruction(self) -> Instruction:
        from services.instruction.adapters.aws import VersementsSqs, WorkflowStepFunctions
        from services.instruction.adapters.documents import (
            DecisionsPdf,
            MetriquesPowertools,
            NotificationsCourriels,
        )
        from services.instruction.application.instruction import Instruction
        from shared.enrolement_table import LecteurEnrolements
        from shared.horloge import HorlogeCourante

        enrolements = LecteurEnrolements()
        return Instruction(
            self.instructions,
            WorkflowStepFunctions(),
            HorlogeCourante(),
            VersementsSqs(),
            NotificationsCourriels(enrolements),
            DecisionsPdf(self.documents, enrolements),
            MetriquesPowertools(),
        )

    @cached_property
    def consultation(self) -> Consultation:
        from services.instruction.application.consultation import Consultation
        from shared.courriels.dynamodb import JournalCourrielsDynamo

        return Consultation(
            self.instructions, self.instructions, self.documents, JournalCourrielsDynamo()
        )


# What every function running this service's code requires at its cold start: checked by
# `composants()` below; tests/infra/test_reglages.py checks that the packaged template sets
# each variable for every such function.
REGLAGES = ("bucket_documents", "state_machine_instruction", "expediteur", "url_portail")


@lru_cache(maxsize=1)
def composants() -> Composants:
    # Fails loudly at cold start, naming the variable, rather than at the first decision.
    requis(*REGLAGES)
    return Composants()
