"""SQS adapter of the dépôt service: the import queue (`FileImport`)."""

from __future__ import annotations

import json
from typing import Any

from shared import aws
from shared.settings import settings


class FileImportSqs:
    """Implements `FileImport`: one message per import asked ({idDepot, auteur})."""

    def __init__(self, queue: str | None = None, client: Any | None = None) -> None:
        self._queue = queue
        self._client = client
        self._url: str | None = None

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("sqs")

    def demander(self, id_depot: str, auteur: str) -> None:
        if self._url is None:
            nom = self._queue or settings().queue_import
            self._url = str(self.client.get_queue_url(QueueName=nom)["QueueUrl"])
        self.client.send_message(
            QueueUrl=self._url, MessageBody=json.dumps({"idDepot": id_depot, "auteur": auteur})
        )


def import_demande(corps: str) -> tuple[str, str]:
    """(idDepot, auteur) from a message of the import queue."""
    brut = json.loads(corps)
    return str(brut["idDepot"]), str(brut["auteur"])
