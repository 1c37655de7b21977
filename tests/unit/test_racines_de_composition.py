"""Every composition root (`services/*/bootstrap.py`) is typed: no function, method or
property of it returns `Any` (nor a type made of `Any`), nor does a handler module's
accessor of it (`_composants` in `services/*/api.py`), so mypy checks what handlers and
tests do with what it builds."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parents[2]
RACINES_DE_COMPOSITION = sorted(RACINE.glob("services/*/bootstrap.py"))
_ANY = re.compile(r"\bAny\b")


def non_typees(source: str, noms: re.Pattern[str] | None = None) -> list[str]:
    """Each function of `source` (module level, or method or property of a class), or
    those whose name matches `noms`, whose return annotation is absent or names `Any`."""
    fautes = []
    for noeud in ast.walk(ast.parse(source)):
        if not isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if noms is not None and not noms.fullmatch(noeud.name):
            continue
        retour = noeud.returns
        if retour is None:
            fautes.append(f"{noeud.name}: pas de type de retour")
        elif _ANY.search(ast.unparse(retour)):
            fautes.append(f"{noeud.name} -> {ast.unparse(retour)}")
    return fautes


def test_chaque_service_a_sa_racine_de_composition() -> None:
    services = {p.name for p in (RACINE / "services").iterdir() if (p / "api.py").exists()}
    assert {p.parent.name for p in RACINES_DE_COMPOSITION} == services


@pytest.mark.parametrize("racine", RACINES_DE_COMPOSITION, ids=lambda p: p.parent.name)
def test_aucune_racine_de_composition_ne_rend_any(racine: Path) -> None:
    assert non_typees(racine.read_text(encoding="utf-8")) == []


ACCESSEUR = re.compile(r"_?composants")


@pytest.mark.parametrize(
    "module", sorted(RACINE.glob("services/*/api.py")), ids=lambda p: p.parent.name
)
def test_les_handlers_recoivent_des_composants_types(module: Path) -> None:
    assert non_typees(module.read_text(encoding="utf-8"), ACCESSEUR) == []


def test_le_controle_trouve_any_et_l_absence_de_type() -> None:
    source = """
from functools import cached_property
from typing import Any

class Composants:
    @cached_property
    def depots(self) -> Any: ...
    def commun(self) -> dict[str, Any]: ...
    def horloge(self): ...
    def typee(self) -> Horloge: ...

def composants() -> "typing.Any": ...
"""
    assert sorted(non_typees(source)) == [
        "commun -> dict[str, Any]",
        "composants -> 'typing.Any'",
        "depots -> Any",
        "horloge: pas de type de retour",
    ]
    assert non_typees(source, ACCESSEUR) == ["composants -> 'typing.Any'"]
