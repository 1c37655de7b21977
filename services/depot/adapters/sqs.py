"""SQS adapter of the dépôt service: the import queue (`FileImport`)."""

from __future__ import annotations

import json
from typing import Any

from shared.file_sqs import FileSqs
from shared.settings import settings


class FileImportSqs:
    """Implements `FileImport`: one message per import asked ({idDepot, auteur})."""

    def __init__(self, queue: str | None = None, client: Any | None = None) -> None:
        self._file = FileSqs(queue or settings().queue_import, client)

    def demander(self, id_depot: str, auteur: str) -> None:
        self._file.envoyer(json.dumps({"idDepot": id_depot, "auteur": auteur}))


def import_demande(corps: str) -> tuple[str, str]:
    """(idDepot, auteur) from a message of the import queue."""
    brut = json.loads(corps)
    return str(brut["idDepot"]), str(brut["auteur"])
