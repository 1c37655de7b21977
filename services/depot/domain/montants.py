"""A demande's amounts (§6): montant financé, avance of 30 %, solde."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.depot.domain.format_ms import TAUX_AVANCE, RegimeTva
from shared.montant import Montant


@dataclass(frozen=True)
class Montants:
    montant_finance: Montant
    avance: Montant
    solde: Montant

    def to_dict(self) -> dict[str, str]:
        return {
            "montantFinance": str(self.montant_finance),
            "avance": str(self.avance),
            "solde": str(self.solde),
        }


def calculer_montants(montant_segur: Decimal, regime: RegimeTva, taux_tva: Decimal) -> Montants:
    """HT and non-zero rate: montantSegur × (1 + taux/100), rounded to the cent (half-up);
    avance = 30 % rounded to the cent; solde = the rest (the sum comes out exact)."""
    declare = Montant(montant_segur)
    finance = declare.toutes_taxes(taux_tva) if regime is RegimeTva.HT and taux_tva else declare
    avance = finance.pourcentage(TAUX_AVANCE)
    return Montants(montant_finance=finance, avance=avance, solde=finance - avance)
