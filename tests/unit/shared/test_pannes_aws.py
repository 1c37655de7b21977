"""Which AWS failures a task retries (botocore's standard-mode classification)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from shared.pannes_aws import est_transitoire


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
