"""Every integration test starts and ends with fresh settings and AWS clients.

`shared.settings.settings()` is cached and `shared.aws.client()` keeps its clients per
thread. A fixture that sets SEGURNUM_* with monkeypatch and calls `recharger()` in its own
teardown reloads them while monkeypatch has not yet restored the environment (it is torn
down after the fixtures that use it): the next test file then wrote to the previous one's
table (test_enrolment_moto.py then test_paiement_moto.py: PutItem ResourceNotFound). This
autouse fixture is set up before, so torn down after, every fixture a test asks for: it
forgets both once the environment is back.

A whole module may also change the environment without monkeypatch: the local runtime
(`RuntimeLocal`, module-scoped in test_instruction_moto.py) sets SEGURNUM_ENDPOINT_URL,
table and queue names in os.environ and leaves them when it stops; the next file's moto
clients then called a server that no longer exists. The module's environment is restored
after its last fixture.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from shared import aws
from shared.settings import settings


def _oublier() -> None:
    settings.cache_clear()  # read again from the environment at the next use
    aws.oublier_clients()


@pytest.fixture(autouse=True)
def reglages_et_clients_neufs() -> Iterator[None]:
    _oublier()
    yield
    _oublier()


@pytest.fixture(autouse=True, scope="module")
def environnement_du_module() -> Iterator[None]:
    avant = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(avant)
    _oublier()


@pytest.fixture
def moto_en_processus(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's in-process mocks, with the platform's clients (shared.aws) pointed at them."""
    from moto import mock_aws

    for nom, valeur in {
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "AWS_REGION": "eu-west-3",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }.items():
        monkeypatch.setenv(nom, valeur)
    monkeypatch.delenv("SEGURNUM_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield
