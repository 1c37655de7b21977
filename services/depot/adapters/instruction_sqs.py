"""SQS adapter of `ReponsesInstruction`: the dépôt's answers to the instruction service
(`ReponseEditeur` on `segurnum-instruction-reponses`, env SEGURNUM_QUEUE_REPONSES)."""

from __future__ import annotations

from typing import Any

from shared.file_sqs import FileSqs
from shared.messages import ReponseEditeur
from shared.settings import settings


class ReponsesSqs:
    """Implements `ReponsesInstruction`: one message per answer, the contract's JSON."""

    def __init__(self, queue: str | None = None, client: Any | None = None) -> None:
        nom = queue or settings().queue_reponses
        self._file = FileSqs(nom, client)

    def envoyer(self, reponse: ReponseEditeur) -> None:
        self._file.envoyer(reponse.model_dump_json())
