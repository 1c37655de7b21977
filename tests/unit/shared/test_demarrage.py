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


def test_chaque_lambda_d_evenement_reprend_le_collecteur() -> None:
    """Every event handler (its own Lambda) is wrapped by `observe`, which resumes the
    collector after its first call: one without it would run with the collector off for
    the container's whole life."""
    import ast
    from pathlib import Path

    racine = Path(__file__).resolve().parents[3]
    entrees = []
    for module in sorted((racine / "services").glob("*/api.py")):
        for noeud in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(noeud, ast.FunctionDef):
                continue
            noms = [ast.unparse(d) for d in noeud.decorator_list]
            if any(n.startswith(("bp.on_", "bp.lambda_function", "bp.schedule")) for n in noms):
                entrees.append(noeud.name)
                assert "observe" in noms, f"{module.name}: {noeud.name} sans @observe"
    assert len(entrees) >= 12  # dépôt 5, instruction 3, paiement 4
