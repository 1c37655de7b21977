"""A route whose AWS call still fails after every retry answers 503 SERVICE_INDISPONIBLE
with Retry-After (the client retries; our writes recognise their replay), never Chalice's
500 nor the error's text; any other failure stays a failure."""

from __future__ import annotations

import json

import pytest

from shared.api import ATTENTE_INDISPONIBLE, contrat
from tests.fixtures.erreurs_aws import erreur_aws


def _route(exc: Exception) -> object:
    @contrat("Une route")
    def route(numero: str) -> object:
        raise exc

    return route


@pytest.mark.parametrize(
    "exc",
    [
        erreur_aws("ProvisionedThroughputExceededException", 400, "GetItem", "détail interne"),
        erreur_aws("InternalServerError", 500, "GetItem", "détail interne"),
    ],
)
def test_une_panne_passagere_repond_503_a_reessayer(exc: Exception) -> None:
    reponse = _route(exc)(numero="1")  # type: ignore[operator]
    assert reponse.status_code == 503
    assert reponse.headers["Retry-After"] == str(ATTENTE_INDISPONIBLE)
    corps = json.loads(reponse.body)
    assert corps["code"] == "SERVICE_INDISPONIBLE" and "réessayez" in corps["message"]
    assert "détail interne" not in reponse.body and "GetItem" not in reponse.body


@pytest.mark.parametrize(
    "exc", [erreur_aws("ValidationException", 400, "GetItem", "détail interne"), KeyError("x")]
)
def test_une_autre_erreur_n_est_pas_deguisee(exc: Exception) -> None:
    with pytest.raises(type(exc)):
        _route(exc)(numero="1")  # type: ignore[operator]


def test_le_contrat_reste_lisible() -> None:
    route = _route(KeyError("x"))
    assert route.__contrat__.resume == "Une route"  # type: ignore[attr-defined]
    assert route.__name__ == "route"  # type: ignore[attr-defined]
