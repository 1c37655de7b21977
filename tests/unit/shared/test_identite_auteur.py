"""Who acted, as people read it in a dossier's history: never an opaque account id when
the token says more."""

from __future__ import annotations

from typing import Any

import pytest

from shared.web import identite


class _Requete:
    def __init__(self, claims: dict[str, Any]) -> None:
        self.context = {"authorizer": {"claims": claims}}


BASE = {"cognito:username": "55cb2b97-0d1c-4c77-9d7e-1f0c2a3b4c5d", "cognito:groups": ["editeurs"]}


@pytest.mark.parametrize(
    ("autres", "attendu"),
    [
        (
            {"name": "Claire Martin", "email": "c@e.fr", "custom:siret": "73282932000074"},
            "Claire Martin",
        ),
        ({"email": "c@e.fr", "custom:siret": "73282932000074"}, "c@e.fr"),
        ({"custom:siret": "73282932000074"}, "éditeur 73282932000074"),
        ({}, BASE["cognito:username"]),
    ],
)
def test_auteur(autres: dict[str, Any], attendu: str) -> None:
    assert identite(_Requete({**BASE, **autres})).auteur == attendu
