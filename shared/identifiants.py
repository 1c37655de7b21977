"""Identifiants français: SIREN, SIRET, FINESS, IBAN, BIC.

python-stdnum porte les algorithmes (Luhn, exception La Poste du SIRET, clés IBAN);
ce module n'ajoute que ce que stdnum n'a pas: le format FINESS (départements 2A/2B).
Chaque fonction prend une chaîne telle que reçue et ne la normalise pas: un dépôt
doit contenir la forme canonique, sans espace.
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
    """14 chiffres, clé de Luhn; stdnum applique l'exception La Poste (356000000…)."""
    if not (_CHIFFRES.fullmatch(valeur) and len(valeur) == 14):
        return False
    return bool(_stdnum("fr.siret").is_valid(valeur))


def finess_format_valide(valeur: str) -> bool:
    """9 caractères: département (2 chiffres, 2A ou 2B) puis 7 chiffres."""
    return bool(_FINESS.fullmatch(valeur))


def finess_valide(valeur: str) -> bool:
    """Format FINESS, et clé de Luhn quand le numéro n'a que des chiffres.

    Les numéros corses (2A/2B) n'ont pas de clé de Luhn calculable: seul leur format
    est vérifié.
    """
    if not finess_format_valide(valeur):
        return False
    return not valeur.isdigit() or _stdnum("luhn").is_valid(valeur)


def iban_valide(valeur: str) -> bool:
    return valeur == valeur.strip() and _stdnum("iban").is_valid(valeur)


def bic_valide(valeur: str) -> bool:
    return valeur == valeur.strip() and _stdnum("bic").is_valid(valeur)


def iban_masque(valeur: str) -> str:
    """« FR76 **** **** **** **** **** 1234 »: pays et clé, puis les 4 derniers caractères.

    Le nombre de groupes masqués suit la longueur de l'IBAN (27 caractères en France);
    les espaces éventuels de la saisie sont ignorés.
    """
    compact = "".join(valeur.split()).upper()
    if len(compact) < 8:
        return "*" * len(compact)
    milieu = len(compact) - 8
    groupes = [compact[:4], *(["****"] * -(-milieu // 4)), compact[-4:]]
    return " ".join(groupes)
