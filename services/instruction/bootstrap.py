"""Composition root of the instruction service: the handlers' objects, built once per
cold start (the clock is the process's current one at each call)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from services.instruction.adapters.aws import (
    InstructionsDynamo,
    VersementsSqs,
    WorkflowStepFunctions,
)
from services.instruction.adapters.documents import (
    DecisionsPdf,
    DocumentsS3,
    Enrolements,
    MetriquesPowertools,
    NotificationsCourriels,
)
from services.instruction.application.consultation import Consultation
from services.instruction.application.instruction import Instruction
from shared.courriels.dynamodb import JournalCourrielsDynamo
from shared.horloge import HorlogeCourante
from shared.settings import requis


@dataclass(frozen=True)
class Composants:
    instruction: Instruction
    consultation: Consultation
    instructions: InstructionsDynamo


@lru_cache(maxsize=1)
def composants() -> Composants:
    # Fails loudly at cold start, naming the variable, rather than at the first decision.
    requis("state_machine_instruction")
    instructions = InstructionsDynamo()
    documents = DocumentsS3()
    enrolements = Enrolements()
    instruction = Instruction(
        instructions,
        WorkflowStepFunctions(),
        HorlogeCourante(),
        VersementsSqs(),
        NotificationsCourriels(enrolements),
        DecisionsPdf(documents, enrolements),
        MetriquesPowertools(),
    )
    consultation = Consultation(instructions, instructions, documents, JournalCourrielsDynamo())
    return Composants(instruction, consultation, instructions)
