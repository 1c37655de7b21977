"""shared.dynamo's typed form is boto3.dynamodb.types' (written without importing boto3,
for the cold start): same output, same refusals, same round trip."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from shared.dynamo import depuis_dynamo, valeur_dynamo, valeur_python, vers_dynamo

_NOMBRES = st.one_of(
    st.integers(min_value=-(10**37), max_value=10**37),
    st.decimals(allow_nan=False, allow_infinity=False, places=6, max_value=10**20),
)
_SCALAIRES = st.one_of(st.none(), st.booleans(), _NOMBRES, st.text(max_size=20))
_VALEURS = st.recursive(
    st.one_of(
        _SCALAIRES,
        st.frozensets(st.text(min_size=1, max_size=5), min_size=1, max_size=4),
        st.frozensets(st.integers(-1000, 1000), min_size=1, max_size=4),
    ),
    lambda enfants: st.one_of(
        st.lists(enfants, max_size=4), st.dictionaries(st.text(max_size=5), enfants, max_size=4)
    ),
    max_leaves=12,
)


def _trie(valeur: Any) -> Any:
    """Sets are serialised in iteration order: compare them as sorted lists."""
    if isinstance(valeur, dict):
        return {k: sorted(v) if k in ("SS", "NS") else _trie(v) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [_trie(v) for v in valeur]
    return valeur


@given(_VALEURS)
def test_comme_boto3(valeur: Any) -> None:
    attendu = TypeSerializer().serialize(valeur)
    assert _trie(valeur_dynamo(valeur)) == _trie(attendu)
    assert valeur_python(attendu) == TypeDeserializer().deserialize(attendu)


def test_article_sans_les_nuls_et_aller_retour() -> None:
    item = {"PK": "DOSSIER#A1", "montant": Decimal("12.50"), "n": 3, "vide": None, "ok": True}
    typee = vers_dynamo(item)
    assert typee == {
        "PK": {"S": "DOSSIER#A1"},
        "montant": {"N": "12.50"},
        "n": {"N": "3"},
        "ok": {"BOOL": True},
    }
    assert depuis_dynamo(typee) == {k: v for k, v in item.items() if v is not None}


@pytest.mark.parametrize(
    "valeur",
    [
        1.5,
        Decimal("NaN"),
        Decimal("1e200"),
        Decimal("1.000000000000000000000000000000000000001"),
        object(),
    ],
)
def test_memes_refus(valeur: Any) -> None:
    with pytest.raises(Exception) as attendu:
        TypeSerializer().serialize(valeur)
    with pytest.raises(type(attendu.value)):
        valeur_dynamo(valeur)


def test_type_inconnu_refuse() -> None:
    with pytest.raises(TypeError):
        valeur_python({"X": "?"})
    with pytest.raises(TypeError):
        valeur_python({})
