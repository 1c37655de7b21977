"""SQS batches of the event handlers, answered as Lambda's partial batch response: a failed
message goes back to the queue, not the batch.

The same contract as Powertools' `process_partial_response` with `BatchProcessor(SQS)`
(each message handled, `batchItemFailures` listing the failed ones; every message failed:
an exception, so that the whole batch comes back), without importing Powertools' batch
utility: it imports every event data class (~40 ms of each SQS handler's cold start)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.observabilite import logger


@dataclass(frozen=True)
class Message:
    """One SQS record of the event (the part the handlers read)."""

    message_id: str
    body: str
    attributs: Mapping[str, Any] = field(default_factory=dict)


class LotEnEchec(Exception):
    """Every message of the batch failed: the invocation fails, the batch comes back."""

    def __init__(self, erreurs: list[BaseException]) -> None:
        super().__init__(
            f"Les {len(erreurs)} messages du lot ont échoué : "
            + " ; ".join(f"{type(e).__name__}: {e}" for e in erreurs)
        )
        self.erreurs = erreurs


def traiter_lot(evenement: Mapping[str, Any], traiter: Callable[[Message], None]) -> dict[str, Any]:
    """Calls `traiter` on each record of an SQS event; the partial batch response."""
    enregistrements = evenement.get("Records")
    if not enregistrements or not isinstance(enregistrements, list):
        raise ValueError("Événement SQS invalide : une liste « Records » non vide attendue.")
    echecs: list[dict[str, str]] = []
    erreurs: list[BaseException] = []
    for enregistrement in enregistrements:
        identifiant = str(enregistrement["messageId"])
        try:
            traiter(
                Message(identifiant, enregistrement["body"], enregistrement.get("attributes", {}))
            )
        except Exception as exc:  # this message comes back alone; the others go on
            logger.exception("échec d'un message", extra={"message_id": identifiant})
            echecs.append({"itemIdentifier": identifiant})
            erreurs.append(exc)
    if echecs and len(echecs) == len(enregistrements):
        raise LotEnEchec(erreurs) from erreurs[0]
    return {"batchItemFailures": echecs}
