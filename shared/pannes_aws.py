"""Is this AWS failure worth another try? botocore's own answer (the checkers of its
standard retry mode: throttling codes, 5xx, connection errors), asked of an error that
reached the code after the SDK's retries ran out: a task or a handler turns it into an
error its retry policy names (Step Functions' Retry, a redelivery) instead of failing for
good on what is only a busy service."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def est_transitoire(exc: Exception) -> bool:
    # botocore is imported here, at the first failure: never on a cold start's path.
    from botocore.exceptions import ClientError
    from botocore.retries.standard import (
        RetryContext,
        ThrottledRetryableChecker,
        TransientRetryableChecker,
    )

    reponse: Any = exc.response if isinstance(exc, ClientError) else None
    statut = ((reponse or {}).get("ResponseMetadata") or {}).get("HTTPStatusCode")
    contexte = RetryContext(
        attempt_number=1,
        parsed_response=reponse,
        http_response=_Statut(statut) if isinstance(statut, int) else None,
        caught_exception=None if reponse is not None else exc,
    )
    return bool(
        ThrottledRetryableChecker().is_retryable(contexte)
        or TransientRetryableChecker().is_retryable(contexte)
    )


class _Statut:
    """The one attribute of an HTTP response the checkers read."""

    def __init__(self, status_code: int) -> None:
        self.status_code = status_code


ESSAIS = 4
ATTENTE = 0.2  # seconds, doubled at each try, with full jitter


def reessayer(
    operation: Callable[[], T],
    *,
    essais: int = ESSAIS,
    attente: float = ATTENTE,
    dormir: Callable[[float], None] = time.sleep,
) -> T:
    """Runs an idempotent operation again after a passing AWS failure (bounded, full
    jitter: AWS's own advice for backoff), so that one throttled call does not fail a whole
    handler and redo its finished work at the redelivery. Only for what can be replayed as
    is (a read, an upsert, a copy to the same key, a named StartExecution): a conditional
    write replayed after an ambiguous failure must recognise itself instead."""
    for essai in range(essais):
        try:
            return operation()
        except Exception as exc:
            if essai == essais - 1 or not est_transitoire(exc):
                raise
            dormir(random.uniform(0, attente * 2**essai))
    raise AssertionError("unreachable")  # pragma: no cover
