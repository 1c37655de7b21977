"""The Tracer: active on a Lambda with tracing, free everywhere else (no X-Ray SDK)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[3]

SONDE = """
import json, sys
from shared import observabilite as o
resultat = {"traceur": o.tracer is not None, "sdk": "aws_xray_sdk" in sys.modules}
if o.tracer is not None:
    resultat["patches"] = sorted(
        m for m in sys.modules if m.startswith("aws_xray_sdk.ext.") and m.endswith(".patch")
    )
if o.tracer is not None:
    from aws_xray_sdk.core import xray_recorder
    vu = {}
    def depot_json(event, contexte):
        sous = xray_recorder.current_subsegment()
        vu.update(nom=sous.name, annotations=sous.annotations)
        return {"ok": event}
    resultat["reponse"] = o.observe(depot_json)(1, None)
    resultat.update(vu)
print(json.dumps(resultat))
"""


def _sonde(**env: str) -> dict[str, object]:
    propre = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "LAMBDA_", "POWERTOOLS_", "_X_AMZN"))
    }
    # The trace Lambda gives each invocation; the subsegments go to the daemon's address
    # (UDP on 127.0.0.1, nobody listening).
    propre.update(
        env,
        _X_AMZN_TRACE_ID="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        AWS_XRAY_DAEMON_ADDRESS="127.0.0.1:2000",
    )
    sortie = subprocess.run(
        [sys.executable, "-c", SONDE],
        cwd=RACINE,
        env=propre,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    resultat: dict[str, object] = json.loads(sortie.stdout.strip().splitlines()[-1])
    return resultat


def test_hors_lambda_ni_traceur_ni_sdk() -> None:
    assert _sonde() == {"traceur": False, "sdk": False}


def test_lambda_sans_tracage_ni_traceur_ni_sdk() -> None:
    assert _sonde(LAMBDA_TASK_ROOT="/var/task", POWERTOOLS_TRACE_DISABLED="true") == {
        "traceur": False,
        "sdk": False,
    }


@pytest.mark.timeout(60)
def test_sur_lambda_chaque_handler_a_son_sous_segment() -> None:
    resultat = _sonde(LAMBDA_TASK_ROOT="/var/task", AWS_LAMBDA_FUNCTION_NAME="segurnum-essai")
    assert resultat["traceur"] is True and resultat["sdk"] is True
    assert resultat["reponse"] == {"ok": 1}
    # botocore only: patching everything X-Ray knows (requests, sqlite3, psycopg…) costs
    # the cold start and traces nothing the platform calls
    assert resultat["patches"] == ["aws_xray_sdk.ext.botocore.patch"]
    assert resultat["nom"] == "## depot_json"
    assert resultat["annotations"] == {"ColdStart": True, "Service": "segurnum"}
