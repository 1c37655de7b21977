"""Cold start of every Lambda handler, as users feel it, against a floor: `import boto3`
plus creating a DynamoDB and an S3 client.

Each measure is a fresh interpreter (benchmarks/demarrage_sonde.py): the imports of the
Lambda's module, the composition root and the first call of the handler, its AWS calls
answered at once by a local stub (the network is not what is measured), in the environment
Lambda gives its functions (AWS_LAMBDA_FUNCTION_NAME: shared/demarrage.py pauses the
garbage collector for the cold start). Two measures of the same runs:
- CPU time, best of N runs, the cases alternating run after run (a cold start is CPU bound;
  the wall clock of a shared machine is not);
- instructions executed (valgrind's callgrind, the interpreter's own start subtracted):
  the same code gives the same count, where the CPU time of this 2-core VM moves by ±0.1
  of the floor between runs, as much as the margin being enforced. With valgrind on the
  machine, the targets are checked on instructions; without it, on CPU time.
Targets: cold start / floor ≤ 1.3 for every Lambda entry (each route family of the API's
Lambda, each SQS, scheduled and state-machine handler: the list is the probe's); GET
/sante, an operator's probe that asks every resource (one client per AWS service), ≤ 1.6;
the import of the API's module alone ≤ 1.5 × `import boto3` (CPU time). A case that fails
counts as missed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RACINE = Path(__file__).resolve().parents[1]
SONDE = RACINE / "benchmarks" / "demarrage_sonde.py"
sys.path.insert(0, str(SONDE.parent))
from demarrage_sonde import EVENEMENTS, ROUTES  # noqa: E402 - the probe's own list of cases

ESSAIS = 5
CIBLE_DEMARRAGE = 1.3
# GET /sante asks every resource the platform uses (6 AWS services, one client each, on
# one session): ~5 ms per further client beyond the floor's two. Its own target.
CIBLE_SANTE = 1.6
CIBLE_IMPORT = 1.5
# Every Lambda entry: one route of each family of the API's Lambda, every other handler.
CAS = {
    "plancher": "import boto3 + clients DynamoDB et S3",
    **{cas: f"API {methode} {chemin}" for cas, (methode, chemin, _) in ROUTES.items()},
    **{cas: f"{module.split('.')[1]}: {cas}" for cas, (module, *_) in EVENEMENTS.items()},
}
CIBLES = {"api-sante": CIBLE_SANTE}
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
            # what the template sets and each composition root requires (shared/settings.py):
            # the payer is validated at cold start (stdnum), as on Lambda
            "SEGURNUM_BUCKET_DEPOTS": "segurnum-depots-123456789012",
            "SEGURNUM_BUCKET_DOCUMENTS": "segurnum-documents-123456789012",
            "SEGURNUM_BUCKET_ENROLEMENT": "segurnum-enrolement-123456789012",
            "SEGURNUM_EXPEDITEUR": "ne-pas-repondre@segurnum.localhost",
            "SEGURNUM_URL_PORTAIL": "https://segurnum.localhost",
            "SEGURNUM_PAYEUR_NOM": "Agence de paiement de test",
            "SEGURNUM_PAYEUR_IBAN": "FR4499999000010000LOCAL0188",
            "SEGURNUM_PAYEUR_BIC": "TESTFRP0XXX",
            "SEGURNUM_SECRET_ALTCHA": "segurnum-altcha",
            "POWERTOOLS_METRICS_NAMESPACE": "segurnum",
            "POWERTOOLS_SERVICE_NAME": "segurnum",
            "PYTHONDONTWRITEBYTECODE": "",
            # set by Lambda's runtime in every function (shared/demarrage.py reads it)
            "AWS_LAMBDA_FUNCTION_NAME": "segurnum-dev",
            # as the template's Globals set it for every Lambda (infra/resources.yaml)
            "PYDANTIC_DISABLE_PLUGINS": "1",
        }
    )
    return env


def _une_fois(commande: list[str], env: dict[str, str]) -> float | str:
    """CPU seconds, or the failure's last lines."""
    resultat = subprocess.run(commande, capture_output=True, text=True, env=env, cwd=RACINE)
    if resultat.returncode != 0:
        return resultat.stderr.strip().splitlines()[-1][:300] if resultat.stderr else "échec"
    return float(resultat.stdout.strip().splitlines()[-1])


def _instructions(commande: list[str], env: dict[str, str]) -> int | str:
    """Instructions executed by the command (callgrind), or the failure's last lines."""
    resultat = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *commande],
        capture_output=True,
        text=True,
        env=env,
        cwd=RACINE,
    )
    compte = re.search(r"Collected : (\d+)", resultat.stderr)
    if resultat.returncode != 0 or compte is None:
        return resultat.stderr.strip().splitlines()[-1][:300] if resultat.stderr else "échec"
    return int(compte.group(1))


def _comptes(cas: list[str], endpoint: str, env: dict[str, str]) -> dict[str, int | str]:
    """Instructions of each case and of the empty probe ("vide"), two at a time."""
    tous = ["vide", *cas]
    with ThreadPoolExecutor(max_workers=2) as executeur:
        comptes = executeur.map(
            lambda c: _instructions([sys.executable, str(SONDE), c, endpoint], env), tous
        )
        return dict(zip(tous, comptes, strict=True))


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--essais", type=int, default=ESSAIS)
    options.add_argument("--cas", nargs="*", default=list(CAS), help="plancher toujours inclus")
    options.add_argument(
        "--sans-valgrind", action="store_true", help="cibles jugées sur le temps CPU"
    )
    arguments = options.parse_args()
    cas_choisis = {c: CAS[c] for c in CAS if c == "plancher" or c in arguments.cas}
    serveur = ThreadingHTTPServer(("127.0.0.1", 0), _Bouchon)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{serveur.server_address[1]}"
    env = _environnement(endpoint)
    import_code = "import time; t = time.process_time(); import {}; print(time.process_time() - t)"
    demarrages: dict[str, float] = {cas: float("inf") for cas in cas_choisis}
    echecs: dict[str, str] = {}
    imports: dict[str, float] = {m: float("inf") for m in IMPORTS}
    for _ in range(arguments.essais):
        for cas in cas_choisis:
            if cas in echecs:
                continue
            duree = _une_fois([sys.executable, str(SONDE), cas, endpoint], env)
            if isinstance(duree, str):
                echecs[cas] = duree
            else:
                demarrages[cas] = min(demarrages[cas], duree)
        for module in IMPORTS:
            duree = _une_fois([sys.executable, "-c", import_code.format(module)], env)
            if isinstance(duree, str):
                raise SystemExit(f"import {module} a échoué : {duree}")
            imports[module] = min(imports[module], duree)
    valgrind = shutil.which("valgrind") is not None and not arguments.sans_valgrind
    comptes: dict[str, int | str] = {}
    if valgrind:
        comptes = _comptes([c for c in cas_choisis if c not in echecs], endpoint, env)
    serveur.shutdown()

    echec = bool(echecs)
    plancher = demarrages["plancher"]
    vide = comptes.get("vide")
    net: dict[str, float] = {}
    if isinstance(vide, int):
        net = {c: n - vide for c, n in comptes.items() if isinstance(n, int) and c != "vide"}
    juge = "instructions" if net else "temps CPU"
    print(
        f"{'démarrage à froid (imports + composition + 1er appel)':58} {'ms CPU':>7} {'ratio':>6}"
        f" {'M instr.':>9} {'ratio':>6}   (cibles jugées sur : {juge})"
    )
    for cas, libelle in cas_choisis.items():
        if cas in echecs or (valgrind and cas not in net):
            print(f"{libelle:58} ÉCHEC : {echecs.get(cas) or comptes.get(cas)}")
            echec = True
            continue
        ratio = demarrages[cas] / plancher
        ratio_instr = net[cas] / net["plancher"] if net else None
        cible = CIBLES.get(cas, CIBLE_DEMARRAGE)
        manque = cas != "plancher" and (ratio_instr if ratio_instr is not None else ratio) > cible
        echec |= manque
        marque = f"  MANQUÉE (≤ {cible})" if manque else ""
        instr = f"{net[cas] / 1e6:9.0f} {ratio_instr:6.2f}" if ratio_instr is not None else ""
        print(f"{libelle:58} {demarrages[cas] * 1000:7.1f} {ratio:6.2f} {instr}{marque}")
    print(
        f"cible : ≤ {CIBLE_DEMARRAGE} × le plancher pour chaque handler ; GET /sante "
        f"≤ {CIBLE_SANTE} (il interroge chaque ressource : un client par service AWS)"
    )
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
