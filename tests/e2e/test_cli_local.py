"""`segurnum enroler` and `segurnum jeton` against the running local platform."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
from typer.testing import CliRunner

from infra.cli import app
from infra.local.runtime import RuntimeLocal


def test_enroler_puis_jeton_puis_depot(
    runtime: RuntimeLocal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    etat = tmp_path / "etat.json"
    etat.write_text(json.dumps(runtime.etat()), encoding="utf-8")
    monkeypatch.setattr("infra.local.runtime.FICHIER_ETAT", etat)
    runner = CliRunner()

    refus = runner.invoke(app, ["enroler", "--siret", "123", "--numero-ans", "CLI0000001"])
    assert refus.exit_code == 2 and "SIRET 123" in refus.output

    ok = runner.invoke(
        app,
        ["enroler", "--siret", "55210055400013", "--numero-ans", "CLI0000001", "--couloir", "MS2"],
    )
    assert ok.exit_code == 0, ok.output
    jeton = runner.invoke(app, ["jeton", "--editeur", "55210055400013"])
    assert jeton.exit_code == 0
    cree = requests.post(
        f"{runtime.url_api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": "CLI0000001", "tauxTva": 20},
        headers={"Authorization": jeton.output.strip()},
        timeout=10,
    )
    assert cree.status_code == 201, cree.text
    assert cree.json()["couloir"] == "MS2"


def test_sans_plateforme_locale(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("infra.local.runtime.FICHIER_ETAT", tmp_path / "absent.json")
    resultat = CliRunner().invoke(app, ["jeton", "--gestionnaire", "DUPONT"])
    assert resultat.exit_code == 2 and "make run" in resultat.output
