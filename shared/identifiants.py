"""French identifiers: SIREN, SIRET, FINESS, IBAN, BIC.

python-stdnum carries the algorithms (Luhn, the SIRET's La Poste exception, IBAN check
digits); this module only adds what stdnum lacks: the FINESS format (départements
2A/2B). Each function takes a string as received and does not normalise it: a dépôt
must hold the canonical form, without spaces.
"""

from __future__ import annotations

import re
from functools import cache
from types import ModuleType

_CHIFFRES = re.compile(r"[0-9]+")
_FINESS = re.compile(r"(?:[0-9]{2}|2A|2B)[0-9]{7}")


@cache
def _stdnum(nom: str) -> ModuleType:
    """A stdnum module, loaded at its first use: stdnum's package imports pydoc (~10 ms of
    every cold start that would only import this module, e.g. a listing)."""
    from importlib import import_module

    return import_module(f"stdnum.{nom}")


def siren_valide(valeur: str) -> bool:
    if not (_CHIFFRES.fullmatch(valeur) and len(valeur) == 9):
        return False
    return bool(_stdnum("fr.siren").is_valid(valeur))


def siret_valide(valeur: str) -> bool:
    """14 digits, Luhn check; stdnum applies the La Poste exception (356000000…)."""
    if not (_CHIFFRES.fullmatch(valeur) and len(valeur) == 14):
        return False
    return bool(_stdnum("fr.siret").is_valid(valeur))


def finess_format_valide(valeur: str) -> bool:
    """9 characters: département (2 digits, 2A or 2B) then 7 digits."""
    return bool(_FINESS.fullmatch(valeur))


def finess_valide(valeur: str) -> bool:
    """FINESS format, and the Luhn check when the number is all digits.

    Corsican numbers (2A/2B) have no computable Luhn check: only their format is
    checked.
    """
    if not finess_format_valide(valeur):
        return False
    return not valeur.isdigit() or _stdnum("luhn").is_valid(valeur)


def iban_valide(valeur: str) -> bool:
    return valeur == valeur.strip() and _stdnum("iban").is_valid(valeur)


def bic_valide(valeur: str) -> bool:
    return valeur == valeur.strip() and _stdnum("bic").is_valid(valeur)


def iban_masque(valeur: str) -> str:
    """« FR76 **** **** **** **** **** 1234 »: country and check digits, then the last 4
    characters.

    The number of masked groups follows the IBAN's length (27 characters in France);
    any spaces typed in the input are ignored.
    """
    compact = "".join(valeur.split()).upper()
    if len(compact) < 8:
        return "*" * len(compact)
    milieu = len(compact) - 8
    groupes = [compact[:4], *(["****"] * -(-milieu // 4)), compact[-4:]]
    return " ".join(groupes)
