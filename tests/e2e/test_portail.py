"""The portal's browser tests (web/tests/e2e, Vitest + playwright-core driving Debian's
Chromium, axe-core on every screen) against this session's local platform.

Screenshots: build/captures/portail/0N-*.png."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import requests

from infra.local.portail import DOSSIER_PORTAIL, portail_construit
from infra.local.runtime import RuntimeLocal

RACINE = Path(__file__).resolve().parents[2]
CAPTURES = RACINE / "build" / "captures" / "portail"
PROPRES = "0[0-9]-*.png"


def test_ecrans_publics_dans_chromium(runtime: RuntimeLocal) -> None:
    assert portail_construit(), f"{DOSSIER_PORTAIL} absent: lancez « make web »"
    assert shutil.which("chromium") or Path("/usr/bin/chromium").exists(), (
        "Chromium absent: apt-get install chromium (.ci/run l'installe)"
    )
    url = runtime.servir_portail()
    # Only this test's own screenshots (01-… to 09-…): the other browser tests write theirs
    # (2*-editeur-*, gestion-*, parcours-*) to the same folder, in any order.
    for ancienne in CAPTURES.glob(PROPRES):
        ancienne.unlink()
    resultat = subprocess.run(
        ["npx", "--no-install", "vitest", "run", "--project", "e2e", "tests/e2e/portail.test.ts"],
        cwd=RACINE / "web",
        env=os.environ
        | {"PORTAIL_URL": url, "API_URL": runtime.url_api, "CAPTURES": str(CAPTURES), "CI": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert resultat.returncode == 0, resultat.stdout[-6000:] + resultat.stderr[-3000:]
    assert sorted(p.name for p in CAPTURES.glob(PROPRES)) == [
        "01-accueil.png",
        "02-rechercher-numero-invalide.png",
        "03-rechercher-numero-inconnu.png",
        "04-rechercher-referencement.png",
        "05-page-introuvable.png",
    ]


def test_serveur_du_portail_et_cors(runtime: RuntimeLocal) -> None:
    """web/dist with /config.json and screens → index.html; the API's CORS: the portal's
    origin only."""
    assert portail_construit(), f"{DOSSIER_PORTAIL} absent: lancez « make web »"
    url = runtime.servir_portail()
    with requests.Session() as http:
        config = http.get(f"{url}/config.json").json()
        assert config["api"] == runtime.url_api
        assert config["cognito"]["url"] == runtime.url_moto and config["cognito"]["clientId"]
        index = http.get(f"{url}/dossiers/FINMS1000001")
        assert index.status_code == 200 and '<div id="racine">' in index.text
        assert http.get(f"{url}/assets/absent.js").status_code == 404

        origine = {"Origin": url}
        avant = http.options(
            f"{runtime.url_api}/depots",
            headers=origine
            | {
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert avant.status_code == 204
        assert avant.headers["Access-Control-Allow-Origin"] == url
        assert "Authorization" in avant.headers["Access-Control-Allow-Headers"]
        reponse = http.get(f"{runtime.url_api}/guichet", headers=origine)
        assert reponse.headers["Access-Control-Allow-Origin"] == url
        refus = http.get(f"{runtime.url_api}/guichet", headers={"Origin": "http://exemple.test"})
        assert refus.status_code == 200 and "Access-Control-Allow-Origin" not in refus.headers
        erreur = http.get(f"{runtime.url_api}/nulle-part", headers=origine)
        assert erreur.status_code == 404 and erreur.headers["Access-Control-Allow-Origin"] == url
