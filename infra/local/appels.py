"""Counts the DynamoDB calls the local runtime's moto server answers, per operation (one
count per API call, whatever moto does inside): the e2e tests and the benchmark bound
them. Wraps moto's response handlers (pinned moto: see dynamodb_moto)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

OPERATIONS = {
    "get_item": "GetItem",
    "batch_get_item": "BatchGetItem",
    "query": "Query",
    "scan": "Scan",
    "put_item": "PutItem",
    "update_item": "UpdateItem",
    "delete_item": "DeleteItem",
    "transact_write_items": "TransactWriteItems",
    "transact_get_items": "TransactGetItems",
    "batch_write_item": "BatchWriteItem",
}
LECTURES = {"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"}
ECRITURES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}

_verrou = threading.Lock()
_compteurs: list[Counter[str]] = []


def _installer() -> dict[str, Callable[..., Any]]:
    from moto.dynamodb.responses import DynamoHandler

    originales: dict[str, Callable[..., Any]] = {}
    for methode, operation in OPERATIONS.items():
        originale = getattr(DynamoHandler, methode)

        def compter(
            self: Any, _originale: Callable[..., Any] = originale, _op: str = operation
        ) -> Any:
            with _verrou:
                for compteur in _compteurs:
                    compteur[_op] += 1
            return _originale(self)

        originales[methode] = originale
        setattr(DynamoHandler, methode, compter)
    return originales


@contextmanager
def compter_appels() -> Iterator[Counter[str]]:
    """Within the block, the counter of the DynamoDB calls answered (all clients)."""
    from moto.dynamodb.responses import DynamoHandler

    compteur: Counter[str] = Counter()
    with _verrou:
        premier = not _compteurs
        _compteurs.append(compteur)
    originales = _installer() if premier else {}
    try:
        yield compteur
    finally:
        with _verrou:
            _compteurs.remove(compteur)
        for methode, originale in originales.items():
            setattr(DynamoHandler, methode, originale)


def somme(compteur: Counter[str], operations: set[str]) -> int:
    return sum(n for op, n in compteur.items() if op in operations)
