"""The local runtime, started once for the e2e session, driven over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from infra.local.runtime import RuntimeLocal
from shared.horloge import heure_paris


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
