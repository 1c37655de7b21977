"""boto3 client factory: one client per service and thread, endpoint overridable locally."""

from __future__ import annotations

import threading
from typing import Any

from shared.settings import settings

_locaux = threading.local()


def client(service: str) -> Any:
    """A boto3 client; clients are cached per thread (boto3 sessions are not thread-safe)."""
    cache: dict[str, Any] = _locaux.__dict__.setdefault("clients", {})
    cle = f"{service}:{settings().endpoint_url}"
    if cle not in cache:
        import boto3  # lazy: keeps handler cold starts short
        from botocore.config import Config

        reglages = settings()
        cache[cle] = boto3.session.Session().client(
            service,  # type: ignore[call-overload]
            region_name=reglages.region,
            endpoint_url=reglages.endpoint_url,
            config=Config(retries={"max_attempts": 5, "mode": "standard"}),
        )
    return cache[cle]


def oublier_clients() -> None:
    """Drop this thread's clients (the local runtime calls it after changing endpoints)."""
    _locaux.__dict__.pop("clients", None)
