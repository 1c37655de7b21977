"""The garbage collector is paused for a Lambda's cold start only, and comes back frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from shared import demarrage


@pytest.fixture(autouse=True)
def collecteur_intact() -> Iterator[None]:
    yield
    demarrage._suspendu = False
    gc.unfreeze()
    gc.enable()


def test_hors_lambda_le_collecteur_reste_tel_quel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    demarrage.suspendre()
    assert gc.isenabled()
    demarrage.reprendre()
    assert gc.get_freeze_count() == 0


def test_sur_lambda_il_est_suspendu_puis_repris_fige(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "segurnum-dev")
    demarrage.suspendre()
    assert not gc.isenabled()
    demarrage.reprendre()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # what the cold start built is never traversed again
    gc.unfreeze()
    demarrage.reprendre()  # later invocations: nothing to do
    assert gc.get_freeze_count() == 0


def test_la_premiere_invocation_reprend_le_collecteur(monkeypatch: pytest.MonkeyPatch) -> None:
    """The event handlers' wrapper (observe) takes the collector back, even on failure."""
    from shared.observabilite import observe

    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "segurnum-dev")
    demarrage.suspendre()

    @observe
    def handler(event: object, contexte: object) -> None:
        raise RuntimeError("échec")

    with pytest.raises(RuntimeError):
        handler({}, None)
    assert gc.isenabled()
