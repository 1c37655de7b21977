"""Powertools Logger, Metrics and Tracer shared by every function.

HTTP routes get them from the app's middleware (infra/app.py). Event handlers are their
own Lambda entry points (the packaged handler is `services.<x>.api.<fonction>`, which does
not import app.py), so they carry the `observe` decorator instead.

The Tracer exists only where X-Ray listens (a Lambda with active tracing, per Powertools'
own rule): it imports the X-Ray SDK and patches botocore, which the local runtime, the tests
and the command line never pay for.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from aws_lambda_powertools import Logger, Metrics, Tracer

from shared.demarrage import reprendre

logger = Logger(service="segurnum")
metrics = Metrics(namespace="segurnum", service="segurnum")
# Powertools' test (POWERTOOLS_TRACE_DISABLED, outside Lambda, SAM or Chalice local) reads
# the environment only; Tracer() itself would import the SDK even to stay disabled.
tracer: Tracer | None = (
    None if Tracer._is_tracer_disabled() else Tracer(service="segurnum", patch_modules=["botocore"])
)
_premier_appel = True

F = TypeVar("F", bound=Callable[..., Any])
R = TypeVar("R")


def tracer_appel(nom: str, appel: Callable[[], R]) -> R:
    """`appel` in an X-Ray subsegment « ## nom » annotated ColdStart (as Powertools'
    capture_lambda_handler does); the response is not recorded (it may name people)."""
    global _premier_appel
    if tracer is None:
        return appel()
    froid, _premier_appel = _premier_appel, False
    with tracer.provider.in_subsegment(f"## {nom}") as sous_segment:
        sous_segment.put_annotation("ColdStart", froid)
        sous_segment.put_annotation("Service", "segurnum")
        return appel()


def observe(func: F) -> F:
    @functools.wraps(func)
    def enveloppe(event: Any, *args: Any) -> Any:
        contexte = args[0] if args else getattr(event, "context", None)
        logger.append_keys(
            fonction=getattr(contexte, "function_name", None),
            request_id=getattr(contexte, "aws_request_id", None),
        )
        try:
            return tracer_appel(func.__name__, lambda: func(event, *args))
        except Exception:
            logger.exception("échec du handler")
            raise
        finally:
            logger.remove_keys(["fonction", "request_id"])
            metrics.flush_metrics(raise_on_empty_metrics=False)
            reprendre()  # after the first call: what it built frozen, the collector back on

    return enveloppe  # type: ignore[return-value]
