"""The éditeur's path in the portal, in Debian's Chromium against the local platform
(web/tests/e2e/editeur.test.ts): demande d'enrôlement with its documents (presigned POSTs
from the browser) → a gestionnaire validates it (API) → sign-in with the temporary password
from the courriel and the new-password challenge → « Déposer une demande » (JSON, compte
rendu with a faulty line, import, ZIP, terminer) → « Mes dossiers » → the dossier page.
axe-core on every screen; screenshots build/captures/portail/2*-editeur-*.png."""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

from infra.local.portail import DOSSIER_PORTAIL, portail_construit
from infra.local.runtime import RuntimeLocal
from tests.fixtures.depot.generateur import fichier_valide, octets
from tests.unit.lecteur_zip.zips import pdf

RACINE = Path(__file__).resolve().parents[2]
CAPTURES = RACINE / "build" / "captures" / "portail"
# SOINS CONNECTES (référentiel ANS shipped): used by no other e2e test.
SIRET, NUMERO_ANS = "33912345700014", "scoMS10089"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_parcours_editeur_dans_chromium(runtime: RuntimeLocal, tmp_path: Path) -> None:
    from infra.local.jetons import jeton

    assert portail_construit(), f"{DOSSIER_PORTAIL} absent: lancez « make web »"
    url = runtime.servir_portail()
    for ancienne in [*CAPTURES.glob("2*-editeur-*.png"), CAPTURES / "echec-editeur.png"]:
        ancienne.unlink(missing_ok=True)

    document = fichier_valide(2, siret=SIRET, numero_ans=NUMERO_ANS, seed=9191)
    # Line 2 faulty: an 8-character FINESS, reported at its field in the compte rendu.
    etablissement = document["demandes"][1]["beneficiaires"][0]["etablissementsClients"][0]
    etablissement["finessGeo"] = "75071218"
    (tmp_path / "demandes.json").write_bytes(octets(document))
    pieces = document["demandes"][0]["piecesJustificatives"]
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as z:
        for p in pieces:
            z.writestr(p["nomFichier"], pdf(p["nomFichier"]))
    (tmp_path / "pieces.zip").write_bytes(tampon.getvalue())
    (tmp_path / "document.pdf").write_bytes(PDF)

    resultat = subprocess.run(
        [
            "npx",
            "--no-install",
            "vitest",
            "run",
            "--project",
            "e2e",
            "tests/e2e/editeur.test.ts",
            "--bail",
            "1",
        ],
        cwd=RACINE / "web",
        env=os.environ
        | {
            "PORTAIL_URL": url,
            "API_URL": runtime.url_api,
            "CAPTURES": str(CAPTURES),
            "CI": "1",
            "FICHIER_JSON": str(tmp_path / "demandes.json"),
            "FICHIER_ZIP": str(tmp_path / "pieces.zip"),
            "FICHIER_PDF": str(tmp_path / "document.pdf"),
            "GESTIONNAIRE_JETON": jeton("gestionnaires", nom="PORTAIL"),
            "SIRET": SIRET,
            "NUMERO_ANS": NUMERO_ANS,
            "PIECES": json.dumps([p["nomFichier"] for p in pieces]),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert resultat.returncode == 0, resultat.stdout[-12000:] + resultat.stderr[-3000:]
    captures = sorted(p.name for p in CAPTURES.glob("2*-editeur-*.png"))
    assert len(captures) >= 9, captures
