"""A task's AWS failure that is only a busy service reaches Step Functions under the name its
Retry lists (ErreurTransitoire); any other failure is left as it is."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from services.instruction.api import _pannes_passageres
from services.instruction.application.instruction import DonneesIncoherentes, ErreurTransitoire


def _erreur(code: str, statut: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": statut}},
        "TransactWriteItems",
    )


def test_une_limitation_devient_une_erreur_transitoire() -> None:
    with pytest.raises(ErreurTransitoire), _pannes_passageres():
        raise _erreur("ThrottlingException", 400)


def test_une_erreur_definitive_reste_telle_quelle() -> None:
    with pytest.raises(ClientError), _pannes_passageres():
        raise _erreur("ValidationException", 400)
    with pytest.raises(DonneesIncoherentes), _pannes_passageres():
        raise DonneesIncoherentes("dossier absent")
