"""Powertools Logger and Metrics shared by every function (Tracer off unless configured).

HTTP routes get them from the app's middleware (infra/app.py). Event handlers are their
own Lambda entry points (the packaged handler is `services.<x>.api.<fonction>`, which does
not import app.py), so they carry the `observe` decorator instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics

from shared.demarrage import reprendre

logger = Logger(service="segurnum")
metrics = Metrics(namespace="segurnum", service="segurnum")

F = TypeVar("F", bound=Callable[..., Any])


def observe(func: F) -> F:
    @functools.wraps(func)
    def enveloppe(event: Any, *args: Any) -> Any:
        contexte = args[0] if args else getattr(event, "context", None)
        logger.append_keys(
            fonction=getattr(contexte, "function_name", None),
            request_id=getattr(contexte, "aws_request_id", None),
        )
        try:
            return func(event, *args)
        except Exception:
            logger.exception("échec du handler")
            raise
        finally:
            logger.remove_keys(["fonction", "request_id"])
            metrics.flush_metrics(raise_on_empty_metrics=False)
            reprendre()  # after the first call: what it built frozen, the collector back on

    return enveloppe  # type: ignore[return-value]
