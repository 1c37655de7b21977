"""moto's SQS is not thread-safe: two DeleteMessage at once each rebuild the queue's list
from the same old one, and one deletion is lost (the message comes back). SQS itself has
no such race; running moto's queue operations under one lock gives the local runtime
that property. Receives are short (the releveur polls, never long-polls, so nothing
waits under the lock)."""

from __future__ import annotations

import threading
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
        setattr(SQSBackend, nom, sous_verrou)


def desinstaller() -> None:
    from moto.sqs.models import SQSBackend

    for nom, originale in _originales.items():
        setattr(SQSBackend, nom, originale)
    _originales.clear()
