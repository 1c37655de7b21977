"""SQS adapter of `ReponsesInstruction`: the dépôt's answers to the instruction service
(`ReponseEditeur` on `segurnum-instruction-reponses`, env SEGURNUM_QUEUE_REPONSES)."""

from __future__ import annotations

import os
from typing import Any

from shared import aws
from shared.dossier import ReponseEditeur

QUEUE_REPONSES = "segurnum-instruction-reponses"


class ReponsesSqs:
    """Implements `ReponsesInstruction`: one message per answer, the contract's JSON."""

    def __init__(self, queue: str | None = None, client: Any | None = None) -> None:
        self._queue = queue
        self._client = client
        self._url: str | None = None

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("sqs")

    def envoyer(self, reponse: ReponseEditeur) -> None:
        if self._url is None:
            nom = self._queue or os.environ.get("SEGURNUM_QUEUE_REPONSES") or QUEUE_REPONSES
            self._url = str(self.client.get_queue_url(QueueName=nom)["QueueUrl"])
        self.client.send_message(QueueUrl=self._url, MessageBody=reponse.model_dump_json())
