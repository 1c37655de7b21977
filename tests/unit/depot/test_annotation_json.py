"""The annotated file is written by orjson when it can: the same text, byte for byte, as
json.dumps(indent=2, ensure_ascii=False), with each Decimal written as it was read."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from services.depot.domain.annotation import json_exact


def _reference(valeur: Any) -> str:
    """The standard library's text, Decimals written with str() (as read)."""

    def remplacer(objet: Any) -> Any:
        if isinstance(objet, Decimal):
            return f"@@{objet}@@"
        raise TypeError

    texte = json.dumps(valeur, ensure_ascii=False, indent=2, default=remplacer)
    return texte.replace('"@@', "").replace('@@"', "")


DOCUMENTS = [
    {"a": 1, "b": [], "c": {}, "d": [{}], "e": None, "f": True, "g": False},
    {"montant": Decimal("18750.00"), "taux": Decimal("0.30"), "liste": [Decimal("1E+2")]},
    {"texte": "Éé àç ½ 漢字 😀", "controle": "a\tb\nc\rd\x01\x1f\x7f \u2028 \u2029", "q": '"\\/'},
    {"imbrique": [[[[{"x": [1, 2, {"y": "z"}]}]]]], "vide": ""},
    [1, -2, 0, 9_223_372_036_854_775_807, -9_223_372_036_854_775_808],
]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_orjson_ecrit_le_texte_de_la_bibliotheque_standard(document: Any) -> None:
    assert json_exact(document) == _reference(document)


@pytest.mark.parametrize(
    "document",
    [
        {"grand": 10**30, "montant": Decimal("1.10")},  # beyond 64 bits: orjson refuses
        {"seul": "\ud800", "montant": Decimal("2.50")},  # a lone surrogate, as JSON allows
        {"profond": json.loads("[" * 300 + "]" * 300)},  # beyond orjson's 254 levels
    ],
)
def test_ce_qu_orjson_refuse_la_bibliotheque_standard_l_ecrit(document: Any) -> None:
    assert json_exact(document) == _reference(document)
