"""The Lambda bundle carries every package of the repository that the deployed code imports.

`make package` builds the project's wheel from `[tool.setuptools.packages.find]` and
compiles the top-level names listed in the Makefile's COMPILES: a package left out of the
first is missing on Lambda (ImportError at cold start, never seen locally where the
sources are on the path), one left out of the second is compiled at every cold start.
benchmarks/bench_bundle.py checks the built bundle itself; this test needs no build.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from setuptools import find_packages

RACINE = Path(__file__).resolve().parents[2]
# What the Lambda runs: the services, shared and infra, less what `make package` drops.
HORS_BUNDLE = ("infra/local/", "infra/demo/", "infra/cli.py")


def _paquets_du_wheel() -> set[str]:
    config = tomllib.loads((RACINE / "pyproject.toml").read_text(encoding="utf-8"))
    trouve = config["tool"]["setuptools"]["packages"]["find"]
    return set(find_packages(str(RACINE), include=trouve["include"], exclude=trouve["exclude"]))


def _racines_importees() -> set[str]:
    """The top-level names of this repository that the deployed modules import."""
    locales = {p.name for p in RACINE.iterdir() if (p / "__init__.py").is_file()}
    racines: set[str] = set()
    for dossier in ("services", "shared", "infra"):
        for source in (RACINE / dossier).rglob("*.py"):
            relatif = source.relative_to(RACINE).as_posix()
            if relatif.startswith(HORS_BUNDLE) or relatif.endswith("/cli.py"):
                continue
            for noeud in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(noeud, ast.Import):
                    racines |= {alias.name.split(".")[0] for alias in noeud.names}
                elif isinstance(noeud, ast.ImportFrom) and noeud.module and not noeud.level:
                    racines.add(noeud.module.split(".")[0])
    return racines & locales


def test_chaque_paquet_importe_est_dans_le_wheel_et_compile() -> None:
    racines = _racines_importees()
    assert {"services", "shared", "lecteur_zip"} <= racines  # the scan sees the imports
    paquets = _paquets_du_wheel()
    manquants = sorted(r for r in racines if r not in paquets)
    assert not manquants, f"absents du wheel (pyproject.toml, packages.find): {manquants}"
    makefile = (RACINE / "Makefile").read_text(encoding="utf-8")
    compiles = re.search(r"^COMPILES := ((?:.*\\\n)*.*)$", makefile, re.MULTILINE)
    assert compiles is not None
    compiles_noms = set(compiles.group(1).replace("\\\n", " ").split())
    assert not sorted(racines - compiles_noms), "absents de COMPILES (Makefile)"


def test_le_lecteur_zip_est_entier_dans_le_wheel() -> None:
    sous_paquets = {
        p.parent.relative_to(RACINE).as_posix().replace("/", ".")
        for p in (RACINE / "lecteur_zip").rglob("__init__.py")
    }
    assert sous_paquets <= _paquets_du_wheel()
