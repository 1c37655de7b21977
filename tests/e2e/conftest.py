"""The local runtime, started once for the e2e session, driven over HTTP."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from infra.local import appels_aws
from infra.local.runtime import RuntimeLocal
from shared.horloge import heure_paris

# Which function made which AWS call, noted by each local runtime of the session (this
# process's and the platforms tests start): tests/privileges checks it against each
# function's role in the packaged template (`make test` runs it after this suite).
APPELS_AWS = Path(__file__).resolve().parents[2] / "build" / "appels-aws"


@pytest.fixture(scope="session", autouse=True)
def appels_aws_notes(request: pytest.FixtureRequest) -> Iterator[None]:
    shutil.rmtree(APPELS_AWS, ignore_errors=True)
    APPELS_AWS.mkdir(parents=True)
    os.environ[appels_aws.VARIABLE] = str(APPELS_AWS)
    yield
    # After the session runtime's own file (a session fixture set up later ends first).
    fichiers = sorted({Path(str(item.fspath)).name for item in request.session.items})
    session = {"fichiers": fichiers, "echecs": request.session.testsfailed}
    (APPELS_AWS / "session.json").write_text(json.dumps(session), encoding="utf-8")


@pytest.fixture(scope="session")
def runtime() -> Iterator[RuntimeLocal]:
    # A date inside the MS vague 1 avance window: no deadline is due at start.
    with RuntimeLocal(horloge_depart=heure_paris("2024-02-20T10:00")) as r:
        yield r


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


@pytest.fixture(scope="session")
def jeton_editeur(runtime: RuntimeLocal) -> str:
    from infra.local.jetons import jeton

    return jeton("editeurs", siret="73282932000074")


@pytest.fixture(scope="session")
def jeton_gestionnaire(runtime: RuntimeLocal) -> str:
    from infra.local.jetons import jeton

    return jeton("gestionnaires", nom="DUPONT")
