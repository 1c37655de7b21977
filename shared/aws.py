"""boto3 client factory: one client per service and thread, endpoint overridable locally."""

from __future__ import annotations

import threading
from typing import Any

from shared.settings import settings

_locaux = threading.local()


def client(service: str) -> Any:
    """An AWS client; clients are cached per thread (sessions are not thread-safe)."""
    cache: dict[str, Any] = _locaux.__dict__.setdefault("clients", {})
    cle = f"{service}:{settings().endpoint_url}"
    if cle not in cache:
        # botocore's own session, imported lazily (cold start): boto3 adds nothing to a
        # client. One session per thread: its first client loads the endpoints, retry and
        # credential data (~45 ms); each further client reuses them (~5 ms instead).
        from botocore.config import Config
        from botocore.session import get_session

        session = _locaux.__dict__.get("session")
        if session is None:
            session = _locaux.__dict__.setdefault("session", get_session())
        reglages = settings()
        cache[cle] = session.create_client(
            service,
            region_name=reglages.region,
            endpoint_url=reglages.endpoint_url,
            config=Config(retries={"max_attempts": 5, "mode": "standard"}),
        )
    return cache[cle]


def oublier_clients() -> None:
    """Drop this thread's clients (the local runtime calls it after changing endpoints)."""
    _locaux.__dict__.pop("clients", None)
    _locaux.__dict__.pop("session", None)  # its credentials too (tests change them)
