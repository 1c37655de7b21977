"""SQS adapter of `AnnoncesPaiement`: validated bank details announced to the paiement
service (`CoordonneesBancairesValidees` on `segurnum-paiement-coordonnees`, env
SEGURNUM_QUEUE_COORDONNEES). The message carries no IBAN."""

from __future__ import annotations

import os
from typing import Any

from shared import aws
from shared.contrats import QUEUE_COORDONNEES, CoordonneesBancairesValidees


class AnnoncesPaiementSqs:
    """Implements `AnnoncesPaiement`: one message per validated change, the contract's JSON."""

    def __init__(self, queue: str | None = None, client: Any | None = None) -> None:
        self._queue = queue
        self._client = client
        self._url: str | None = None

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("sqs")

    def coordonnees_validees(self, message: CoordonneesBancairesValidees) -> None:
        if self._url is None:
            nom = self._queue or os.environ.get("SEGURNUM_QUEUE_COORDONNEES") or QUEUE_COORDONNEES
            self._url = str(self.client.get_queue_url(QueueName=nom)["QueueUrl"])
        self.client.send_message(QueueUrl=self._url, MessageBody=message.model_dump_json())
