from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.montant import Montant, MontantInvalide

centimes = st.integers(min_value=0, max_value=10**12)


def test_exemple_de_la_spec() -> None:
    finance = Montant("19.00").toutes_taxes("5.5")
    avance = finance.pourcentage(30)
    assert (str(finance), str(avance), str(finance - avance)) == ("20.05", "6.02", "14.03")


def test_arrondi_commercial() -> None:
    assert str(Montant("0.005")) == "0.01"
    assert str(Montant("0.004")) == "0.00"
    assert str(Montant("2.675")) == "2.68"  # a float would give 2.67


def test_jamais_de_float() -> None:
    with pytest.raises(MontantInvalide):
        Montant(0.1)  # type: ignore[arg-type]
    with pytest.raises(MontantInvalide):
        Montant(Decimal("NaN"))


def test_exact_refuse_plus_de_deux_decimales_significatives() -> None:
    assert Montant.exact(Decimal("1500.500")) == Montant("1500.50")
    with pytest.raises(MontantInvalide):
        Montant.exact(Decimal("1500.505"))


@given(centimes)
def test_avance_plus_solde_egale_le_finance(c: int) -> None:
    finance = Montant(Decimal(c) / 100)
    avance = finance.pourcentage(30)
    assert avance + (finance - avance) == finance
    assert avance.valeur == avance.valeur.quantize(Decimal("0.01"))


@given(centimes, st.sampled_from(["20", "10", "5.5", "2.1", "0"]))
def test_ttc_au_centime_pres(c: int, taux: str) -> None:
    ht = Decimal(c) / 100
    ttc = Montant(ht).toutes_taxes(taux)
    exact = ht * (100 + Decimal(taux)) / 100
    assert abs(ttc.valeur - exact) <= Decimal("0.005")


def test_affichage_francais() -> None:
    assert Montant("18750").en_francais() == "18\u202f750,00 €"
