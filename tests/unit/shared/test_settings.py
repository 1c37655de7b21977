"""Settings a handler cannot work without fail at its cold start, naming the variable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from services.depot.adapters.pieces_aws import InstructionStepFunctions
from shared.settings import ReglageManquant, recharger, requis


@pytest.fixture
def sans_reglages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SEGURNUM_SM_INSTRUCTION", raising=False)
    monkeypatch.delenv("SEGURNUM_USER_POOL_ID", raising=False)
    recharger()
    yield
    monkeypatch.undo()
    recharger()


def test_un_reglage_requis_absent_echoue_en_le_nommant(sans_reglages: None) -> None:
    with pytest.raises(ReglageManquant) as erreur:
        requis("state_machine_instruction", "user_pool_id", "table_donnees")
    assert "SEGURNUM_SM_INSTRUCTION" in str(erreur.value)
    assert "SEGURNUM_USER_POOL_ID" in str(erreur.value)
    assert "TABLE" not in str(erreur.value)  # it has a default


def test_le_depot_refuse_de_demarrer_sans_machine_d_instruction(sans_reglages: None) -> None:
    """It used to log a warning and let a complete dossier wait for ever."""
    with pytest.raises(ReglageManquant, match="SEGURNUM_SM_INSTRUCTION"):
        InstructionStepFunctions()


def test_un_reglage_present_suffit(monkeypatch: pytest.MonkeyPatch, sans_reglages: None) -> None:
    arn = "arn:aws:states:eu-west-3:123456789012:stateMachine:instruction"
    monkeypatch.setenv("SEGURNUM_SM_INSTRUCTION", arn)
    recharger()
    assert requis("state_machine_instruction").state_machine_instruction == arn
    assert InstructionStepFunctions(client=object())._state_machine == arn
    assert InstructionStepFunctions("autre", client=object())._state_machine == "autre"


def test_chaque_reglage_se_lit_de_sa_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every field but the code's version has its variable, read as a string (or bool)."""
    from dataclasses import fields

    from shared.settings import VARIABLES, Settings, depuis_environnement

    assert {c.name for c in fields(Settings)} - set(VARIABLES) == {"version"}
    environnement = {variable: f"v-{champ}" for champ, variable in VARIABLES.items()}
    environnement["SEGURNUM_LOCAL"] = "true"
    reglages = depuis_environnement(environnement)
    assert reglages.queue_import == "v-queue_import"
    assert reglages.endpoint_url == "v-endpoint_url"
    assert reglages.local is True
    assert depuis_environnement({}).local is False
    assert depuis_environnement({"SEGURNUM_LOCAL": "0"}).local is False
    assert depuis_environnement({}) == Settings()


def test_un_booleen_illisible_est_refuse_en_nommant_la_variable() -> None:
    from shared.settings import depuis_environnement

    with pytest.raises(ValueError, match="SEGURNUM_LOCAL"):
        depuis_environnement({"SEGURNUM_LOCAL": "peut-être"})
