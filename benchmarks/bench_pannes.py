"""Faults injected and survived: the seed's story of tests/e2e/test_pannes.py, 3 éditeurs
× 15 demandes (dépôt, simulation, import, ZIP, terminer, instruction, A_MODIFIER and the M
file, DECIDEE, lots, pain.002; 3 % of the platform's AWS calls failing after the SDK's
retries, 1 % of its writes applied then answered with an error), for several seeds on every
service, then on one service at a time (TAUX_UN_SERVICE below). Each run is its own local
runtime (a pytest session); its invariants are the test's. Prints, per run, the faults
injected by kind and whether every invariant held; exits 1 when one did not.

    .venv/bin/python benchmarks/bench_pannes.py [--graines 1,2,20241219] [--services …]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
SERVICES = ("dynamodb", "s3", "sqs", "stepfunctions", "sesv2", "kms", "secretsmanager")


# One service alone: the rates (3 % failed, 1 % ambiguous) where the story makes
# many calls (DynamoDB, S3); where it makes few (one SendMessage per step, a few dozen
# StartExecution, SendEmail, Decrypt, GetSecretValue), 3 % would inject nothing, so 20 %
# and 5 % there.
TAUX_UN_SERVICE = {"dynamodb": "0.03,0.01", "s3": "0.03,0.01"}
TAUX_PEU_D_APPELS = "0.2,0.05"


def _une_execution(
    graine: int, services: str | None, taille: tuple[int, int]
) -> tuple[bool, Counter[str], float]:
    env = {
        **os.environ,
        "SEGURNUM_GRAINE_PANNES": str(graine),
        "SEGURNUM_EDITEURS_PANNES": str(taille[0]),
        "SEGURNUM_DEMANDES_PANNES": str(taille[1]),
    }
    env.pop("SEGURNUM_SERVICES_PANNES", None)
    env.pop("SEGURNUM_TAUX_PANNES", None)
    if services:
        env["SEGURNUM_SERVICES_PANNES"] = services
        env["SEGURNUM_TAUX_PANNES"] = TAUX_UN_SERVICE.get(services, TAUX_PEU_D_APPELS)
    debut = time.monotonic()
    fini = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/e2e/test_pannes.py", "-q", "-s", "-p",
         "no:cacheprovider"],
        cwd=RACINE, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    duree = time.monotonic() - debut
    injectees: Counter[str] = Counter()
    for ligne in fini.stdout.splitlines():
        if ligne.startswith("PANNES "):
            injectees.update(json.loads(ligne[len("PANNES ") :])["injectees"])
    if fini.returncode != 0:
        # The assertion that failed, not the runtime's log lines around it.
        lignes = [ligne for ligne in fini.stdout.splitlines() if ligne.startswith("E ")]
        print("\n".join(lignes[:40]) or fini.stdout[-3000:])
    return fini.returncode == 0, injectees, duree


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--graines", default="1,2,20241219")
    parser.add_argument("--services", default=",".join(SERVICES))
    # The story: 3 éditeurs × 15 demandes (make test plays 1 × 12).
    parser.add_argument("--editeurs", type=int, default=3)
    parser.add_argument("--demandes", type=int, default=15)
    args = parser.parse_args()
    graines = [int(g) for g in args.graines.split(",") if g]
    plans: list[tuple[int, str | None]] = [(g, None) for g in graines]
    plans += [(graines[0], s) for s in args.services.split(",") if s]
    echec = False
    total: Counter[str] = Counter()
    print(f"{args.editeurs} éditeurs × {args.demandes} demandes")
    print(f"{'graine':>9} {'services':<15} {'injectées':>9} {'ambiguës':>8} {'durée':>7}  tenu")
    for graine, services in plans:
        tenu, injectees, duree = _une_execution(graine, services, (args.editeurs, args.demandes))
        total.update(injectees)
        ambigues = sum(n for k, n in injectees.items() if k.startswith("ambigue:"))
        print(
            f"{graine:>9} {services or 'tous':<15} {sum(injectees.values()):>9} {ambigues:>8} "
            f"{duree:>6.0f}s  {'oui' if tenu else 'NON'}"
        )
        echec = echec or not tenu
    par_service = Counter({k.split(":")[1]: 0 for k in total})
    for cle, n in total.items():
        par_service[cle.split(":")[1]] += n
    print(f"pannes injectées et surmontées, par service: {dict(par_service)}")
    print("toutes les invariantes tenues" if not echec else "INVARIANTE NON TENUE")
    return 1 if echec else 0


if __name__ == "__main__":
    sys.exit(main())
