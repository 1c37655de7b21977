"""Schemathesis against the local runtime: every documented route, with an éditeur's and a
gestionnaire's token, a bounded number of examples per route. No 5xx; every answer (status,
content type, body) conforms to the OpenAPI document; invalid input is refused with a 4xx;
a method a route does not have is a 405 with `Allow`.

Left out: `positive_data_acceptance` (a body valid for the schema may still break a business
rule, e.g. an unknown numéro ANS) and the stateful checks (no links in the document)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from infra.local.runtime import RuntimeLocal

EXEMPLES_PAR_ROUTE = 10
ST = Path(sys.executable).with_name("schemathesis")


@pytest.mark.parametrize("qui", ["editeur", "gestionnaire"])
def test_contrat_respecte(
    runtime: RuntimeLocal, jeton_editeur: str, jeton_gestionnaire: str, qui: str, tmp_path: Path
) -> None:
    jeton = jeton_editeur if qui == "editeur" else jeton_gestionnaire
    commande = [
        str(ST),
        "run",
        f"{runtime.url_api}/openapi.json",
        "--header",
        f"Authorization: {jeton}",
        "--max-examples",
        str(EXEMPLES_PAR_ROUTE),
        "--workers",
        "2",
        "--seed",
        "20240228",
        "--phases",
        "examples,coverage,fuzzing",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance,use_after_free,ensure_resource_availability",
        "--request-timeout",
        "30",
        "--no-color",
        "--generation-database",
        ":memory:",
    ]
    fini = subprocess.run(
        commande, capture_output=True, text=True, timeout=300, cwd=tmp_path, check=False
    )
    sortie = fini.stdout + fini.stderr
    assert fini.returncode == 0, sortie[-8000:]
    assert "Server error" not in sortie
