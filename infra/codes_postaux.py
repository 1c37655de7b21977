"""Generates services/enrolment/donnees/communes.json from La Poste's base officielle des
codes postaux as the npm package `codes-postaux` ships it (web/node_modules, installed by
`npm ci` in web/): code postal → the official names of its communes, and La Poste's other
names for them (libellé d'acheminement: « VILLENEUVE D ASCQ », « PARIS 16 ») when they differ
once normalised. The enrolment Lambda reads the generated file: no network at run time.

    .venv/bin/python -m infra.codes_postaux          # after a version change of the package

tests/unit/enrolment/test_communes.py fails when the committed file is stale.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from services.enrolment.domain.communes import FICHIER, normaliser

RACINE = Path(__file__).resolve().parents[1]
PAQUET = RACINE / "web" / "node_modules" / "codes-postaux"

# « Paris 1er Arrondissement » is an arrondissement of the commune of Paris.
_ARRONDISSEMENT = re.compile(r"^(.+?) \d+(?:er|e) Arrondissement$")
# Collectivités d'outre-mer whose codes the base does not list (Saint-Barthélemy, Saint-Martin,
# Wallis-et-Futuna, Polynésie française, Nouvelle-Calédonie, TAAF): not checked.
HORS_BASE = ("97133", "97150", "984", "985", "986", "987", "988")


def generer(paquet: Path = PAQUET) -> dict[str, Any]:
    version = json.loads((paquet / "package.json").read_text(encoding="utf-8"))["version"]
    entrees = json.loads((paquet / "codes-postaux.json").read_text(encoding="utf-8"))
    communes: dict[str, list[str]] = {}
    autres: dict[str, list[str]] = {}
    for e in entrees:
        cp, nom, acheminement = e["codePostal"], e["nomCommune"], e["libelleAcheminement"]
        arrondissement = _ARRONDISSEMENT.match(nom)
        officiel = arrondissement.group(1) if arrondissement else nom
        noms = communes.setdefault(cp, [])
        if officiel not in noms:
            noms.append(officiel)
        for autre in (nom, acheminement):
            if normaliser(autre) != normaliser(officiel) and autre not in autres.get(cp, []):
                autres.setdefault(cp, []).append(autre)
    couverts = {cp for cp in communes if cp.startswith(HORS_BASE)}
    if couverts:  # the base now lists them: check them like the others
        raise ValueError(f"codes désormais dans la base: {sorted(couverts)[:5]}")
    return {
        "source": f"La Poste, base officielle des codes postaux (npm codes-postaux {version})",
        "horsBase": list(HORS_BASE),
        "communes": {cp: sorted(communes[cp], key=_cle) for cp in sorted(communes)},
        "acheminements": {cp: sorted(autres[cp], key=_cle) for cp in sorted(autres)},
    }


def _cle(nom: str) -> tuple[str, str]:
    return normaliser(nom), nom


def _compact(valeur: object) -> str:
    return json.dumps(valeur, ensure_ascii=False, separators=(",", ":"))


def en_texte(donnees: dict[str, Any]) -> str:
    """Compact, one code postal a line: a new version of the base diffs line by line."""

    def bloc(table: dict[str, list[str]]) -> str:
        lignes = [f"{json.dumps(k)}:{_compact(v)}" for k, v in table.items()]
        return "{\n" + ",\n".join(lignes) + "\n}"

    return (
        "{"
        f'"source":{json.dumps(donnees["source"], ensure_ascii=False)},\n'
        f'"horsBase":{_compact(donnees["horsBase"])},\n'
        f'"communes":{bloc(donnees["communes"])},\n'
        f'"acheminements":{bloc(donnees["acheminements"])}'
        "}\n"
    )


def main() -> int:
    if not (PAQUET / "codes-postaux.json").is_file():
        print(f"{PAQUET} absent: lancez « npm ci » dans web/", file=sys.stderr)
        return 1
    FICHIER.write_text(en_texte(generer()), encoding="utf-8")
    print(f"{FICHIER.relative_to(RACINE)}: {FICHIER.stat().st_size} octets")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
