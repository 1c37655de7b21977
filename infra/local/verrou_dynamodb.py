"""moto's DynamoDB is not thread-safe: a failed `transact_write_items` restores a deep copy
of the whole table, which can erase another thread's writes. DynamoDB itself serialises
transactions on the items they touch; running moto's item operations under one lock gives
the local runtime (and the tests) that property, so concurrency tests check our code."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

OPERATIONS = (
    "get_item",
    "put_item",
    "update_item",
    "delete_item",
    "query",
    "scan",
    "batch_get_item",
    "batch_write_item",
    "transact_get_items",
    "transact_write_items",
)

_verrou = threading.RLock()
_originales: dict[str, Callable[..., Any]] = {}


def installer() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for nom in OPERATIONS:
        if nom in _originales or not hasattr(DynamoDBBackend, nom):
            continue
        originale = getattr(DynamoDBBackend, nom)

        def sous_verrou(*args: Any, _originale: Callable[..., Any] = originale, **kw: Any) -> Any:
            with _verrou:
                return _originale(*args, **kw)

        _originales[nom] = originale
        setattr(DynamoDBBackend, nom, sous_verrou)


def desinstaller() -> None:
    from moto.dynamodb.models import DynamoDBBackend

    for nom, originale in _originales.items():
        setattr(DynamoDBBackend, nom, originale)
    _originales.clear()
