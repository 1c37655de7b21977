"""SQS adapter of `AnnoncesPaiement`: validated bank details announced to the paiement
service (`CoordonneesBancairesValidees` on `segurnum-paiement-coordonnees`, env
SEGURNUM_QUEUE_COORDONNEES). The message carries no IBAN."""

from __future__ import annotations

from typing import Any

from shared.file_sqs import FileSqs
from shared.messages import CoordonneesBancairesValidees
from shared.settings import settings


class AnnoncesPaiementSqs:
    """Implements `AnnoncesPaiement`: one message per validated change, the contract's JSON."""

    def __init__(self, queue: str | None = None, client: Any | None = None) -> None:
        nom = queue or settings().queue_coordonnees
        self._file = FileSqs(nom, client)

    def coordonnees_validees(self, message: CoordonneesBancairesValidees) -> None:
        self._file.envoyer(message.model_dump_json())
