"""Cold start of every Lambda handler, as users feel it, against a floor: `import boto3`
plus creating a DynamoDB and an S3 client.

Each measure is the CPU time of a fresh interpreter (benchmarks/demarrage_sonde.py): the
imports of the Lambda's module, the composition root and the first call of the handler,
its AWS calls answered at once by a local stub (the network is not what is measured).
CPU time, not the wall clock: the machine is shared, and a cold start is CPU bound. The
best of N runs is kept for each case, the cases alternating run after run. Targets: cold
start / floor ≤ 1.3 for every handler; the import of the module alone ≤ 1.5 × `import
boto3` (the previous measure, kept). GET /sante is shown, not gated: an operator's probe
that describes every resource (one client per service), not a user's request.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
SONDE = RACINE / "benchmarks" / "demarrage_sonde.py"
ESSAIS = 7
CIBLE_DEMARRAGE = 1.3
CIBLE_IMPORT = 1.5
CAS = {
    "plancher": "import boto3 + clients DynamoDB et S3",
    "api-depot": "API dépôt (GET /depots)",
    "api-instruction": "API instruction (GET /gestion/dossiers)",
    "api-enrolment": "API enrôlement (GET /editeurs/moi)",
    "api-sante": "API santé (GET /sante), non bornée",
    "depot_json": "dépôt, JSON reçu (SQS)",
    "depot_zip": "dépôt, ZIP reçu (SQS)",
}
NON_BORNES = {"plancher", "api-sante"}  # the reference, and the operators' probe (see above)
IMPORTS = {"boto3": "import boto3", "infra.app": "import de infra.app (module des Lambda)"}


class _Bouchon(BaseHTTPRequestHandler):
    """Answers every AWS call at once: DynamoDB and the JSON protocols an empty result,
    S3 « no such key »."""

    def _repondre(self) -> None:
        longueur = int(self.headers.get("Content-Length") or 0)
        if longueur:
            self.rfile.read(longueur)
        if self.headers.get("X-Amz-Target"):
            corps = json.dumps({"Items": [], "Count": 0, "ScannedCount": 0}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
        elif self.command in ("GET", "HEAD"):
            corps = b"<Error><Code>NoSuchKey</Code><Message>absent</Message></Error>"
            self.send_response(404)
            self.send_header("Content-Type", "application/xml")
        else:
            corps = b""
            self.send_response(200)
        self.send_header("Content-Length", str(len(corps)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(corps)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _repondre

    def log_message(self, *args: object) -> None:
        pass


def _environnement(endpoint: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEGURNUM_", "AWS_"))}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_REGION": "eu-west-3",
            "AWS_DEFAULT_REGION": "eu-west-3",
            "SEGURNUM_SM_INSTRUCTION": "arn:aws:states:eu-west-3:123456789012:stateMachine:i",
            "SEGURNUM_USER_POOL_ID": "eu-west-3_bench",
            "POWERTOOLS_METRICS_NAMESPACE": "segurnum",
            "POWERTOOLS_SERVICE_NAME": "segurnum",
            "PYTHONDONTWRITEBYTECODE": "",
        }
    )
    return env


def _une_fois(commande: list[str], env: dict[str, str]) -> float:
    resultat = subprocess.run(commande, capture_output=True, text=True, env=env, cwd=RACINE)
    if resultat.returncode != 0:
        raise SystemExit(f"{' '.join(commande[-2:])} a échoué :\n{resultat.stderr[-3000:]}")
    return float(resultat.stdout.strip().splitlines()[-1])


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--essais", type=int, default=ESSAIS)
    options.add_argument("--cas", nargs="*", default=list(CAS), help="plancher toujours inclus")
    arguments = options.parse_args()
    cas_choisis = {c: CAS[c] for c in CAS if c == "plancher" or c in arguments.cas}
    serveur = ThreadingHTTPServer(("127.0.0.1", 0), _Bouchon)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{serveur.server_address[1]}"
    env = _environnement(endpoint)
    import_code = "import time; t = time.process_time(); import {}; print(time.process_time() - t)"
    demarrages: dict[str, float] = {cas: float("inf") for cas in cas_choisis}
    imports: dict[str, float] = {m: float("inf") for m in IMPORTS}
    for _ in range(arguments.essais):
        for cas in cas_choisis:
            duree = _une_fois([sys.executable, str(SONDE), cas, endpoint], env)
            demarrages[cas] = min(demarrages[cas], duree)
        for module in IMPORTS:
            duree = _une_fois([sys.executable, "-c", import_code.format(module)], env)
            imports[module] = min(imports[module], duree)
    serveur.shutdown()

    echec = False
    plancher = demarrages["plancher"]
    print(f"{'démarrage à froid (imports + composition + 1er appel)':58} {'ms':>7} {'ratio':>6}")
    for cas, libelle in cas_choisis.items():
        ratio = demarrages[cas] / plancher
        manque = cas not in NON_BORNES and ratio > CIBLE_DEMARRAGE
        echec |= manque
        marque = "  MANQUÉE" if manque else ""
        print(f"{libelle:58} {demarrages[cas] * 1000:7.1f} {ratio:6.2f}{marque}")
    print(f"cible : ≤ {CIBLE_DEMARRAGE} × le plancher pour chaque handler")
    ratio_import = imports["infra.app"] / imports["boto3"]
    echec |= ratio_import > CIBLE_IMPORT
    for module, libelle in IMPORTS.items():
        print(
            f"{libelle:58} {imports[module] * 1000:7.1f} {imports[module] / imports['boto3']:6.2f}"
        )
    print(f"cible : import de infra.app ≤ {CIBLE_IMPORT} × import boto3")
    return 1 if echec else 0


if __name__ == "__main__":
    sys.exit(main())
