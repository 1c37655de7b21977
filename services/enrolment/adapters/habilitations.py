"""The allow-list of ProConnect gestionnaires shipped with the code (read once per process)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from services.enrolment.domain.habilitations import Habilitations

FICHIER = Path(__file__).parents[1] / "donnees" / "gestionnaires.json"


@cache
def habilitations_livrees(chemin: Path = FICHIER) -> Habilitations:
    """The shipped list; a malformed file fails the trigger's cold start (no token issued)."""
    return Habilitations.depuis(json.loads(chemin.read_text(encoding="utf-8")))
