"""Is this AWS failure worth another try? botocore's own answer (the checkers of its
standard retry mode: throttling codes, 5xx, connection errors), asked of an error that
reached the code after the SDK's retries ran out: a task or a handler turns it into an
error its retry policy names (Step Functions' Retry, a redelivery) instead of failing for
good on what is only a busy service."""

from __future__ import annotations

from typing import Any


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
