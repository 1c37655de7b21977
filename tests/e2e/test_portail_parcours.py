"""The seed's story in the portal, clicked through in Debian's Chromium against the local
platform (web/tests/e2e/parcours.histoire.ts), an éditeur and a gestionnaire each in its
own browser context, both signed in through the Connexion screen:

demande d'enrôlement with its documents (presigned POSTs) → the gestionnaire validates it
on its screen → the éditeur signs in with the courriel's identifiants and a new password →
dépôt (JSON, compte rendu, import, ZIP, terminer) → the gestionnaire asks for a pièce
complémentaire → the éditeur sends it from its dossier page (ZIP, presigned POST) → the
gestionnaire decides → runs a lot, downloads its SEPA file, uploads the bank's pain.002 →
the éditeur's dossier shows « Décidée et payée », the décision d'attribution and the avis
de paiement.

Prepared here, outside the browser: the référencement (the ANS's référentiel, loaded by the
API: no screen loads it), the gestionnaire's account (created by the operators in Cognito;
here `infra.local.jetons`), the files the éditeur chooses. The bank's pain.002 is built by
this module when the browser test calls it back (`python -m tests.e2e.test_portail_parcours
banque …`). Screenshots: build/captures/portail/parcours-NN-*.png."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import subprocess
import sys
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import requests

from infra.local.portail import DOSSIER_PORTAIL, portail_construit
from infra.local.runtime import RuntimeLocal

RACINE = Path(__file__).resolve().parents[2]
CAPTURES = RACINE / "build" / "captures" / "portail"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
GESTIONNAIRE = "sophie.martin@asp.example.fr"


def _zip(noms: list[str]) -> bytes:
    from tests.unit.lecteur_zip.zips import pdf

    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as z:
        for nom in noms:
            z.writestr(nom, pdf(nom))
    return tampon.getvalue()


def _referencement(api: str, jeton_gestion: str, siret: str, ans: str) -> None:
    r = requests.post(
        f"{api}/gestion/referentiel",
        headers={"Authorization": jeton_gestion},
        json={
            "version": f"portail-parcours-{ans}",
            "source": "tests/e2e/test_portail_parcours.py",
            "referencements": [
                {
                    "numeroAns": ans,
                    "couloir": "MS1",
                    "typeLogiciel": "DUI-PDE",
                    "vague": "1",
                    "solution": "Parcours Dossier Usager",
                    "versionSolution": "2.0",
                    "siret": siret,
                    "raisonSociale": "PARCOURS LOGICIELS",
                }
            ],
        },
        timeout=30,
    )
    assert r.status_code in (200, 201), r.text


# --- called back by the browser test (python -m), with the runtime's environment ----------


def reponse_banque(api: str, pain001: str, numero_asp: str, sortie: str) -> None:
    """The bank's pain.002 accepting (ACSC) the lot's transactions for this dossier, dated
    by the platform's clock."""
    from services.paiement.adapters.banque_locale import (
        Reponse,
        message_pain001,
        rapport_pain002,
        transactions_pain001,
    )

    instant = requests.get(f"{api}/_local/horloge", timeout=10).json()["maintenant"]
    maintenant = datetime.fromisoformat(instant)
    contenu = Path(pain001).read_bytes()
    reponses = [
        Reponse(bout, "ACSC", None, montant)
        for bout, montant in transactions_pain001(contenu)
        if bout.startswith(numero_asp)
    ]
    assert reponses, f"aucune transaction de {numero_asp} dans {pain001}"
    rapport = rapport_pain002(
        f"RET-{uuid.uuid4().hex[:20]}", message_pain001(contenu), maintenant, reponses
    )
    Path(sortie).write_bytes(rapport)


def test_histoire_du_portail_dans_chromium(runtime: RuntimeLocal, tmp_path: Path) -> None:
    from infra.local.jetons import MOT_DE_PASSE, jeton
    from tests.e2e.test_portail_gestion import _siret
    from tests.fixtures.depot.generateur import fichier_valide, octets

    assert portail_construit(), f"{DOSSIER_PORTAIL} absent: lancez « make web »"
    assert shutil.which("chromium") or Path("/usr/bin/chromium").exists(), (
        "Chromium absent: apt-get install chromium (.ci/run l'installe)"
    )
    alea = random.Random(uuid.uuid4().int)
    siret, ans = _siret(alea), f"prcMS1{alea.randint(0, 9999):04d}"
    jeton_gestion = jeton("gestionnaires", nom="MARTIN", email=GESTIONNAIRE)
    _referencement(runtime.url_api, jeton_gestion, siret, ans)

    document = fichier_valide(1, siret=siret, numero_ans=ans, seed=alea.randint(0, 10**6))
    (tmp_path / "demandes.json").write_bytes(octets(document))
    ligne = document["demandes"][0]
    pieces = [p["nomFichier"] for p in ligne["piecesJustificatives"]]
    (tmp_path / "pieces.zip").write_bytes(_zip(pieces))
    # Named as the format's nomenclature wants (the ZIP must hold exactly what is asked).
    demandee = f"MS1_bon de commande signé-BDC-{ligne['numeroDossier']}.pdf"
    (tmp_path / "complement.zip").write_bytes(_zip([demandee]))
    (tmp_path / "document.pdf").write_bytes(PDF)

    url = runtime.servir_portail()
    for ancienne in [*CAPTURES.glob("parcours-*.png"), *CAPTURES.glob("echec-parcours-*.png")]:
        ancienne.unlink(missing_ok=True)
    donnees = {
        "siret": siret,
        "numeroAns": ans,
        "gestionnaire": {"email": GESTIONNAIRE, "motDePasse": MOT_DE_PASSE},
        "fichiers": {
            n: str(tmp_path / n)
            for n in ("demandes.json", "pieces.zip", "complement.zip", "document.pdf")
        },
        "pieces": pieces,
        "pieceDemandee": demandee,
        "python": sys.executable,
        "racine": str(RACINE),
        "travail": str(tmp_path),
    }
    resultat = subprocess.run(
        [
            "npx",
            "--no-install",
            "vitest",
            "run",
            "--config",
            "tests/e2e/parcours.vitest.config.ts",
            "--bail",
            "1",
        ],
        cwd=RACINE / "web",
        env=os.environ
        | {
            "PORTAIL_URL": url,
            "API_URL": runtime.url_api,
            "CAPTURES": str(CAPTURES),
            "PARCOURS_DONNEES": json.dumps(donnees),
            "CI": "1",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert resultat.returncode == 0, resultat.stdout[-12000:] + resultat.stderr[-3000:]
    captures = sorted(p.name for p in CAPTURES.glob("parcours-*.png"))
    assert len(captures) == 20, captures
    assert captures[-2:] == [
        "parcours-19-editeur-dossier-decidee-et-payee.png",
        "parcours-20-editeur-dossier-avis-de-paiement.png",
    ], captures


if __name__ == "__main__":  # pragma: no cover - the browser test's callback
    quoi, *arguments = sys.argv[1:]
    {"banque": reponse_banque}[quoi](*arguments)
