"""Amounts in euros: Decimal with two places, commercial rounding (half-up), never a float."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Union

CENTIME = Decimal("0.01")
_CENT = Decimal(100)

Valeur = Union["Montant", Decimal, int, str]


class MontantInvalide(ValueError):
    pass


def _en_decimal(valeur: object) -> Decimal:
    if isinstance(valeur, (bool, float)):
        # A float has already lost the exact value: refuse it rather than guess.
        raise MontantInvalide("un montant ne se construit jamais depuis un float")
    if isinstance(valeur, Montant):
        return valeur.valeur
    if isinstance(valeur, Decimal):
        resultat = valeur
    elif isinstance(valeur, (int, str)):
        try:
            resultat = Decimal(valeur)
        except InvalidOperation as exc:
            raise MontantInvalide(f"montant illisible: {valeur!r}") from exc
    else:
        raise MontantInvalide(f"type de montant non pris en charge: {type(valeur).__name__}")
    if not resultat.is_finite():
        raise MontantInvalide("un montant est un nombre fini")
    return resultat


def arrondir(valeur: Decimal) -> Decimal:
    return valeur.quantize(CENTIME, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, order=True)
class Montant:
    valeur: Decimal

    def __init__(self, valeur: Valeur) -> None:
        object.__setattr__(self, "valeur", arrondir(_en_decimal(valeur)))

    @classmethod
    def exact(cls, valeur: Valeur) -> Montant:
        """Refuses a value that is not already in cents (1500.505 is not an amount)."""
        brut = _en_decimal(valeur)
        if brut != arrondir(brut):
            raise MontantInvalide(f"{brut} a plus de deux décimales")
        return cls(brut)

    def __add__(self, autre: Montant) -> Montant:
        return Montant(self.valeur + autre.valeur)

    def __sub__(self, autre: Montant) -> Montant:
        return Montant(self.valeur - autre.valeur)

    def fois(self, facteur: Decimal | int) -> Montant:
        return Montant(self.valeur * _en_decimal(facteur))

    def pourcentage(self, taux: Decimal | int | str) -> Montant:
        """rate in percent: Montant('100').pourcentage(30) == Montant('30.00')."""
        return Montant(self.valeur * _en_decimal(taux) / _CENT)

    def toutes_taxes(self, taux_tva: Decimal | int | str) -> Montant:
        return Montant(self.valeur * (_CENT + _en_decimal(taux_tva)) / _CENT)

    def __str__(self) -> str:
        return format(self.valeur, "f")

    def en_francais(self) -> str:
        """« 18 750,00 € » (narrow no-break space for thousands)."""
        entier, _, decimales = format(abs(self.valeur), "f").partition(".")
        groupes: list[str] = []
        while entier:
            groupes.insert(0, entier[-3:])
            entier = entier[:-3]
        signe = "-" if self.valeur < 0 else ""
        milliers = "\u202f".join(groupes)
        return f"{signe}{milliers},{decimales} €"


ZERO = Montant(0)
