from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from shared.contact import courriel_valide, telephone_francais_valide
from shared.identifiants import (
    bic_valide,
    finess_format_valide,
    finess_valide,
    iban_valide,
    siren_valide,
    siret_valide,
)

chiffres = st.text(alphabet="0123456789", min_size=1, max_size=20)


def avec_cle(base: str) -> str:
    return base + luhn.calc_check_digit(base)


sirens = st.text(alphabet="0123456789", min_size=8, max_size=8).map(avec_cle)
etablissements = st.text(alphabet="0123456789", min_size=4, max_size=4)


@given(sirens, etablissements)
def test_siret_avec_cles_de_luhn_est_valide(siren: str, nic: str) -> None:
    # stdnum checks both keys: the SIREN's and the SIRET's.
    assert siret_valide(avec_cle(siren + nic))


@given(sirens, etablissements, st.integers(1, 9))
def test_siret_cle_fausse_refuse_hors_la_poste(siren: str, nic: str, decalage: int) -> None:
    numero = avec_cle(siren + nic)
    faux = numero[:-1] + str((int(numero[-1]) + decalage) % 10)
    if not faux.startswith("356000000"):
        assert not siret_valide(faux)


def test_exception_la_poste() -> None:
    # 35600000049837 fails Luhn but its digit sum is a multiple of 5.
    assert not luhn.is_valid("35600000049837")
    assert siret_valide("35600000049837")
    assert not siret_valide("35600000049838")


@pytest.mark.parametrize("valeur", ["885885858745", "7328293200007A", " 73282932000074", ""])
def test_siret_mal_forme(valeur: str) -> None:
    assert not siret_valide(valeur)


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_siren_et_finess_numeriques_luhn(base: str) -> None:
    assert siren_valide(avec_cle(base))
    assert finess_valide(avec_cle(base))


@given(chiffres)
def test_finess_refuse_toute_longueur_autre_que_9(valeur: str) -> None:
    if len(valeur) != 9:
        assert not finess_valide(valeur)


@pytest.mark.parametrize("valeur", ["2A0000001", "2B1234567"])
def test_finess_corse(valeur: str) -> None:
    assert finess_format_valide(valeur) and finess_valide(valeur)


@pytest.mark.parametrize("valeur", ["?????????", "2C0000001", "75071218", "7507121840"])
def test_finess_invalides(valeur: str) -> None:
    assert not finess_valide(valeur)


def test_iban_bic() -> None:
    assert iban_valide("FR7630006000011234567890189")
    assert not iban_valide("FR7630006000011234567890188")
    assert bic_valide("BNPAFRPPXXX")
    assert not bic_valide("BNPA")


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("0641124112", True),
        ("+33641124112", True),
        ("06122116655", False),
        ("641124112", False),
        ("0012345678", False),
        ("+44641124112", False),
    ],
)
def test_telephone(valeur: str, attendu: bool) -> None:
    assert telephone_francais_valide(valeur) is attendu


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("durand@mail.com", True),
        ("durand@", False),
        ("@mail.com", False),
        ("a b@mail.com", False),
    ],
)
def test_courriel(valeur: str, attendu: bool) -> None:
    assert courriel_valide(valeur) is attendu
