"""The decision's hand-over (SendTaskSuccess) throttled once is retried in the same
request: the demande does not wait for the reconciliation (15 minutes). A replay after a
lost answer finds the token used: the hand-over happened (JetonPerime)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.instruction.adapters.aws import WorkflowStepFunctions
from services.instruction.application.ports import JetonPerime
from tests.fixtures.erreurs_aws import erreur_aws


class StepFunctions:
    def __init__(self, *erreurs: ClientError) -> None:
        self.erreurs = list(erreurs)
        self.appels: list[dict[str, Any]] = []

    def send_task_success(self, **arguments: Any) -> dict[str, Any]:
        self.appels.append(arguments)
        if self.erreurs:
            raise self.erreurs.pop(0)
        return {}


def test_une_limitation_est_reessayee_dans_la_requete() -> None:
    sfn = StepFunctions(erreur_aws("ThrottlingException"))
    WorkflowStepFunctions(sfn).reprendre("jeton", {"decision": "DECIDEE"})
    assert [a["taskToken"] for a in sfn.appels] == ["jeton", "jeton"]


def test_un_jeton_deja_rendu_est_un_jeton_perime() -> None:
    sfn = StepFunctions(erreur_aws("ThrottlingException"), erreur_aws("TaskTimedOut"))
    with pytest.raises(JetonPerime):
        WorkflowStepFunctions(sfn).reprendre("jeton", {})
