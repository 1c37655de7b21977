"""The courriels' templates are read once per process: they ship with the code, and a
deadline rush renders 5,000 accusés de réception (each a stat() per template otherwise)."""

from __future__ import annotations

import os
from pathlib import Path

from shared.courriels.contrat import Avis
from shared.courriels.redaction import RedactionJinja


def test_un_modele_est_lu_une_fois_par_processus(tmp_path: Path) -> None:
    for extension in ("txt", "html"):
        (tmp_path / f"essai.{extension}.j2").write_text("Bonjour {{ nom }}.", encoding="utf-8")
    redaction = RedactionJinja(tmp_path)
    avis = Avis(modele="essai", objet="Essai", contexte={"nom": "Jeanne"})
    assert redaction.rediger(avis).texte == "Bonjour Jeanne."

    modele = tmp_path / "essai.txt.j2"
    modele.write_text("Changé {{ nom }}.", encoding="utf-8")
    plus_tard = modele.stat().st_mtime + 60
    os.utime(modele, (plus_tard, plus_tard))

    assert redaction.rediger(avis).texte == "Bonjour Jeanne."
