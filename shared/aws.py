"""boto3 client factory: one client per service for the process, endpoint overridable
locally."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from shared.settings import settings

# botocore's clients are thread-safe, its sessions are not: the clients are shared by every
# thread of the process (as Lambda reuses them from one invocation to the next), and only
# their creation, from the one session, is under a lock. The local runtime runs each
# invocation in a thread of its own: clients per thread were created again at each one.
_verrou = threading.Lock()
_clients: dict[str, Any] = {}
_session: list[Any] = []  # the process's botocore session, once created
# Called with each new client: the local runtime's hook point (infra/local/appels_aws.py
# records which function makes which call, for the least-privilege test). Empty on AWS.
_observateurs: list[Callable[[Any], None]] = []


def client(service: str) -> Any:
    """An AWS client, created at its first use and kept for the process."""
    cle = f"{service}:{settings().endpoint_url}"
    trouve = _clients.get(cle)
    if trouve is not None:
        return trouve
    with _verrou:
        if cle not in _clients:
            # botocore's own session, imported lazily (cold start): boto3 adds nothing to a
            # client. Its first client loads the endpoints, retry and credential data
            # (~45 ms); each further client reuses them (~5 ms instead).
            from botocore.config import Config
            from botocore.session import get_session

            if not _session:
                _session.append(get_session())
            reglages = settings()
            nouveau = _session[0].create_client(
                service,
                region_name=reglages.region,
                endpoint_url=reglages.endpoint_url,
                # one pool for the process's threads (the local runtime's workers)
                config=Config(
                    retries={"max_attempts": 5, "mode": "standard"}, max_pool_connections=50
                ),
            )
            for observateur in _observateurs:
                observateur(nouveau)
            _clients[cle] = nouveau
        return _clients[cle]


def observer_clients(observateur: Callable[[Any], None]) -> None:
    """Have `observateur` see every client, those already made and those to come."""
    with _verrou:
        if observateur not in _observateurs:
            _observateurs.append(observateur)
            for existant in _clients.values():
                observateur(existant)


def oublier_clients() -> None:
    """Drop the clients (the local runtime and tests call it after changing endpoints)."""
    with _verrou:
        _clients.clear()
        _session.clear()  # its credentials too (tests change them)
