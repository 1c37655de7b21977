"""E2: the commune of the demandeur's address matches its code postal, from La Poste's base
officielle des codes postaux (`donnees/communes.json`, generated from the npm package
`codes-postaux` by `python -m infra.codes_postaux`; docs/enrolement.md).

Compared normalised, the same way as the portal (web/src/lib/communes.ts): case, accents,
hyphens, apostrophes and other punctuation do not count; « St »/« Ste » are « Saint »/
« Sainte »; a trailing « CEDEX » (and its number) is left out. An arrondissement's code
(75001, 13001, 69002) gives its city (« Paris »), its arrondissement's name is accepted too.

A CEDEX code is not in the base: with « CEDEX » written after the commune, the commune must
be one of the code's département. The collectivités d'outre-mer the base leaves out
(`horsBase`: Saint-Barthélemy, Saint-Martin, 984 to 988) are not checked.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FICHIER = Path(__file__).parents[1] / "donnees" / "communes.json"

_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})


def normaliser(commune: str) -> str:
    """« Saint-Étienne », « ST ETIENNE CEDEX 2 », « saint étienne » → « saint etienne »."""
    sans_accents = unicodedata.normalize("NFKD", commune.translate(_LIGATURES))
    ascii_ = "".join(c for c in sans_accents if not unicodedata.combining(c)).casefold()
    mots = "".join(c if c.isascii() and c.isalnum() else " " for c in ascii_).split()
    if "cedex" in mots[1:]:
        mots = mots[: mots.index("cedex", 1)]
    return " ".join(_SAINTS.get(m, m) for m in mots)


def departement(code_postal: str) -> str:
    """The département a code postal (or a CEDEX code) belongs to: 2 digits, 3 overseas."""
    return code_postal[:3] if code_postal.startswith("97") else code_postal[:2]


@dataclass(frozen=True)
class Verdict:
    """`attendues`: the communes of the code postal, by their official names."""

    correspond: bool
    attendues: tuple[str, ...] = ()
    code_connu: bool = True


class CodesPostaux:
    """code postal → its communes (official names) and La Poste's other names for them."""

    def __init__(
        self,
        communes: Mapping[str, Sequence[str]],
        acheminements: Mapping[str, Sequence[str]],
        hors_base: Sequence[str],
    ) -> None:
        self._communes = {cp: tuple(noms) for cp, noms in communes.items()}
        self._acceptes = {
            cp: {normaliser(n) for n in (*noms, *acheminements.get(cp, ()))}
            for cp, noms in self._communes.items()
        }
        self._hors_base = tuple(hors_base)
        par_departement: dict[str, set[str]] = {}
        for cp, acceptes in self._acceptes.items():
            par_departement.setdefault(departement(cp), set()).update(acceptes)
        self._par_departement = par_departement

    def communes(self, code_postal: str) -> tuple[str, ...]:
        return self._communes.get(code_postal, ())

    def hors_base(self, code_postal: str) -> bool:
        return code_postal.startswith(self._hors_base)

    def verifier(self, code_postal: str, commune: str) -> Verdict:
        nom = normaliser(commune)
        if self.hors_base(code_postal):
            return Verdict(True)
        attendues = self.communes(code_postal)
        if attendues:
            return Verdict(nom in self._acceptes[code_postal], attendues)
        if _cedex(commune):
            return Verdict(nom in self._par_departement.get(departement(code_postal), set()))
        return Verdict(False, code_connu=False)


def _cedex(commune: str) -> bool:
    mots = "".join(c if c.isalnum() else " " for c in commune.casefold()).split()
    return "cedex" in mots[1:]


@lru_cache(maxsize=1)
def codes_postaux(fichier: Path = FICHIER) -> CodesPostaux:
    donnees = json.loads(fichier.read_text(encoding="utf-8"))
    return CodesPostaux(donnees["communes"], donnees["acheminements"], donnees["horsBase"])
