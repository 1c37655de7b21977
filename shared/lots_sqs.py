"""SQS batches of the event handlers, answered as Lambda's partial batch response: a failed
message goes back to the queue, not the batch.

The same contract as Powertools' `process_partial_response` with `BatchProcessor(SQS)`
(each message handled, `batchItemFailures` listing the failed ones; every message failed:
an exception, so that the whole batch comes back), without importing Powertools' batch
utility: it imports every event data class (~40 ms of each SQS handler's cold start)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shared.observabilite import logger

# A message whose handling met a passing failure is handled again in the same invocation
# (every handler is idempotent: it is what a redelivery would do), with full jitter, before
# it goes back to the queue: SQS's receive count (5, then the DLQ) is the last resort.
ESSAIS = 3
ATTENTE = 0.5  # seconds, doubled at each try


def passagere(exc: BaseException) -> bool:
    """A busy AWS service (botocore's classification), or a failure the code says is
    worth another try (`passager`, e.g. accusés de réception SES refused for now)."""
    from shared.pannes_aws import est_transitoire

    if getattr(exc, "passager", False):
        return True
    return isinstance(exc, Exception) and est_transitoire(exc)


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


def _avec_essais(
    traiter: Callable[[Message], None], message: Message, dormir: Callable[[float], None]
) -> None:
    for essai in range(ESSAIS):
        try:
            traiter(message)
            return
        except Exception as exc:
            if essai == ESSAIS - 1 or not passagere(exc):
                raise
            logger.warning(
                "panne passagère, message traité à nouveau",
                extra={"message_id": message.message_id, "erreur": type(exc).__name__},
            )
            dormir(random.uniform(0, ATTENTE * 2**essai))


def traiter_lot(
    evenement: Mapping[str, Any],
    traiter: Callable[[Message], None],
    dormir: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Calls `traiter` on each record of an SQS event; the partial batch response."""
    enregistrements = evenement.get("Records")
    if not enregistrements or not isinstance(enregistrements, list):
        raise ValueError("Événement SQS invalide : une liste « Records » non vide attendue.")
    echecs: list[dict[str, str]] = []
    erreurs: list[BaseException] = []
    for enregistrement in enregistrements:
        identifiant = str(enregistrement["messageId"])
        message = Message(identifiant, enregistrement["body"], enregistrement.get("attributes", {}))
        try:
            _avec_essais(traiter, message, dormir)
        except Exception as exc:  # this message comes back alone; the others go on
            logger.exception("échec d'un message", extra={"message_id": identifiant})
            echecs.append({"itemIdentifier": identifiant})
            erreurs.append(exc)
    if echecs and len(echecs) == len(enregistrements):
        raise LotEnEchec(erreurs) from erreurs[0]
    return {"batchItemFailures": echecs}
