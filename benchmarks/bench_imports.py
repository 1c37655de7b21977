"""Cold-start import time of each Lambda entry module, as a ratio to `import boto3`.

Each measure is a fresh interpreter (`python -X importtime` would perturb it); the best of
N runs is kept for each module, all in the same run. Target: ratio ≤ 1.5 for every module.
"""

from __future__ import annotations

import subprocess
import sys
import time

MODULES = {
    "boto3 (référence)": "boto3",
    "app (API, toutes les routes)": "infra.app",
    "services.depot.api": "services.depot.api",
    "services.instruction.api": "services.instruction.api",
    "services.enrolment.api": "services.enrolment.api",
    "services.paiement.api": "services.paiement.api",
}
ESSAIS = 7
CIBLE = 1.5


def mesurer(module: str) -> float:
    meilleur = float("inf")
    for _ in range(ESSAIS):
        debut = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        meilleur = min(meilleur, time.perf_counter() - debut)
    return meilleur


def main() -> int:
    vide = mesurer("sys")  # interpreter start-up, subtracted from every measure
    reference = mesurer("boto3") - vide
    echec = False
    print(f"{'module':34} {'import (ms)':>12} {'ratio boto3':>12}")
    for libelle, module in MODULES.items():
        duree = mesurer(module) - vide
        ratio = duree / reference
        echec |= ratio > CIBLE
        print(f"{libelle:34} {duree * 1000:12.1f} {ratio:12.2f}")
    print(f"cible: ratio ≤ {CIBLE} pour chaque module d'entrée")
    return 1 if echec else 0


if __name__ == "__main__":
    sys.exit(main())
