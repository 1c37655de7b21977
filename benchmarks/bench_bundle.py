"""The Lambda bundle built by `make package`: its unzipped size, and nothing of development.

    make package && python benchmarks/bench_bundle.py

Reads build/sam/deployment.zip (what every function of the template runs). Fails when the
unzipped size passes the target, when the bundle carries the local runtime, the demo, the
command line (typer, rich) or a test dependency, or when it lacks one of the project's own
packages (`PROJET`: the ZIP reader is a top-level package of its own).
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

ZIP = Path(__file__).resolve().parents[1] / "build" / "sam" / "deployment.zip"
# Lambda refuses more than 250 MB unzipped (function + layers). The bundle measures ~128 MB,
# half of it the document libraries: fpdf2's fontTools and Pillow (~44 MB), pyhanko's lxml
# and aiohttp (~18 MB). Pillow (images, none in our PDFs) and aiohttp (remote timestamps,
# our signing is offline) are optional imports of theirs, but pip cannot leave a
# dependency's dependency out, and excluding them at packaging needs a test generating and
# signing every PDF from the packaged bundle first. Until then: 150 MB, 100 MB below the
# limit, so that a new library cannot silently bring the bundle near it.
CIBLE_MO = 150
MO = 1024 * 1024
# Top-level names that must never be in the bundle (development, CLI, tests).
INTERDITS = (
    "typer",
    "rich",
    "pytest",
    "_pytest",
    "moto",
    "hypothesis",
    "mypy",
    "ruff",
    "importlinter",
    "cfnlint",
    "schemathesis",
    "jsonschema",
    "boto3_stubs",
    "mypy_boto3_dynamodb",
)


# The project's own top-level packages (pyproject.toml, packages.find): each must be there.
PROJET = ("services", "shared", "infra", "lecteur_zip")

_CLIENT = re.compile(rb"""client\(\s*["']([a-z0-9-]+)["']""")


def _modeles_manquants(archive: zipfile.ZipFile) -> list[str]:
    """The AWS services our code creates a client for whose botocore model was pruned."""
    noms = set(archive.namelist())
    services: set[str] = set()
    for nom in noms:
        if nom.startswith(tuple(f"{p}/" for p in PROJET)) and nom.endswith(".py"):
            services.update(s.decode() for s in _CLIENT.findall(archive.read(nom)))
    presents = {
        n.split("/")[2] for n in noms if n.startswith("botocore/data/") and n.count("/") > 2
    }
    return sorted(services - presents)


def _racine(nom: str) -> str:
    return nom.split("/", 1)[0].removesuffix(".py")


def main() -> int:
    if not ZIP.is_file():
        print(f"{ZIP} est absent : lancez d'abord `make package`.")
        return 2
    with zipfile.ZipFile(ZIP) as archive:
        membres = archive.infolist()
        sans_modele = _modeles_manquants(archive)
        absents = [p for p in PROJET if f"{p}/__init__.py" not in archive.namelist()]
    total = sum(m.file_size for m in membres)
    par_racine: Counter[str] = Counter()
    for m in membres:
        par_racine[_racine(m.filename)] += m.file_size
    interdits = sorted(
        {_racine(m.filename) for m in membres if _racine(m.filename) in INTERDITS}
        | {
            m.filename
            for m in membres
            if m.filename.startswith(("infra/local/", "infra/demo/"))
            or m.filename == "infra/cli.py"
            or (m.filename.startswith("services/") and m.filename.endswith("/cli.py"))
        }
    )
    compresse = ZIP.stat().st_size / MO
    print(f"Bundle Lambda : {compresse:.1f} Mo compressé, {total / MO:.1f} Mo décompressé")
    for racine, taille in par_racine.most_common(8):
        print(f"  {racine:30} {taille / MO:7.1f} Mo")
    ok_taille = total <= CIBLE_MO * MO
    print(f"cible : ≤ {CIBLE_MO} Mo décompressé  {'OK' if ok_taille else 'MANQUÉE'}")
    if interdits:
        print("interdit dans le bundle :", ", ".join(interdits[:20]))
    if sans_modele:
        print("modèle botocore absent pour :", ", ".join(sans_modele))
    if absents:
        print("paquet du projet absent du bundle :", ", ".join(absents))
    return 0 if ok_taille and not interdits and not sans_modele and not absents else 1


if __name__ == "__main__":
    sys.exit(main())
