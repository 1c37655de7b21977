"""moto's SQS is not thread-safe: two DeleteMessage at once each rebuild the queue's list
from the same old one, and one deletion is lost (the message comes back). SQS itself has
no such race; running moto's queue operations under one lock gives the local runtime
that property. A long-polling receive waits for messages outside the lock (the queue's
own condition), then receives under it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

OPERATIONS = (
    "send_message",
    "send_message_batch",
    "receive_message",
    "delete_message",
    "delete_message_batch",
    "change_message_visibility",
    "change_message_visibility_batch",
    "purge_queue",
)

_verrou = threading.RLock()
_originales: dict[str, Callable[..., Any]] = {}


def installer() -> None:
    from moto.sqs.models import SQSBackend

    for nom in OPERATIONS:
        if nom in _originales or not hasattr(SQSBackend, nom):
            continue
        originale = getattr(SQSBackend, nom)

        def sous_verrou(*args: Any, _originale: Callable[..., Any] = originale, **kw: Any) -> Any:
            with _verrou:
                return _originale(*args, **kw)

        _originales[nom] = originale
        setattr(SQSBackend, nom, _recevoir if nom == "receive_message" else sous_verrou)


def _recevoir(
    self: Any,
    queue_name: str,
    count: int,
    wait_seconds_timeout: int,
    visibility_timeout: int,
    message_attribute_names: list[str] | None = None,
) -> Any:
    originale = _originales["receive_message"]
    fin = time.monotonic() + (wait_seconds_timeout or 0)
    while True:
        with _verrou:
            recus = originale(
                self, queue_name, count, 0, visibility_timeout, message_attribute_names
            )
        reste = fin - time.monotonic()
        if recus or reste <= 0:
            return recus
        self.get_queue(queue_name).wait_for_messages(min(1.0, reste))


def desinstaller() -> None:
    from moto.sqs.models import SQSBackend

    for nom, originale in _originales.items():
        setattr(SQSBackend, nom, originale)
    _originales.clear()
