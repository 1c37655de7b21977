"""Which AWS failures a task retries (botocore's standard-mode classification)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from shared.pannes_aws import est_transitoire, reessayer


def _client_error(code: str, statut: int) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": statut}},
        "PutItem",
    )


@pytest.mark.parametrize(
    "exc",
    [
        _client_error("ThrottlingException", 400),
        _client_error("ProvisionedThroughputExceededException", 400),
        _client_error("TooManyRequestsException", 429),
        _client_error("InternalServerError", 500),
        _client_error("ServiceUnavailable", 503),
        EndpointConnectionError(endpoint_url="https://dynamodb.eu-west-3.amazonaws.com"),
        ReadTimeoutError(endpoint_url="https://states.eu-west-3.amazonaws.com"),
    ],
)
def test_passageres(exc: Exception) -> None:
    assert est_transitoire(exc)


@pytest.mark.parametrize(
    "exc",
    [
        _client_error("ConditionalCheckFailedException", 400),
        _client_error("ValidationException", 400),
        _client_error("AccessDeniedException", 400),
        _client_error("TaskTimedOut", 400),
        ValueError("données"),
    ],
)
def test_definitives(exc: Exception) -> None:
    assert not est_transitoire(exc)


def test_reessayer_une_panne_passagere_puis_reussit() -> None:
    attentes: list[float] = []
    essais: list[int] = []

    def operation() -> str:
        essais.append(1)
        if len(essais) < 3:
            raise _client_error("ThrottlingException", 400)
        return "fait"

    assert reessayer(operation, dormir=attentes.append) == "fait"
    assert len(essais) == 3 and len(attentes) == 2
    # full jitter under a doubling ceiling
    assert 0 <= attentes[0] <= 0.2 and 0 <= attentes[1] <= 0.4


def test_reessayer_borne_et_ne_rejoue_pas_une_erreur_definitive() -> None:
    essais: list[int] = []

    def toujours_limite() -> None:
        essais.append(1)
        raise _client_error("ThrottlingException", 400)

    with pytest.raises(ClientError):
        reessayer(toujours_limite, essais=4, dormir=lambda _: None)
    assert len(essais) == 4

    definitive: list[int] = []

    def refusee() -> None:
        definitive.append(1)
        raise _client_error("ConditionalCheckFailedException", 400)

    with pytest.raises(ClientError):
        reessayer(refusee, dormir=lambda _: None)
    assert definitive == [1]
