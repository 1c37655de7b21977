"""A read throttled after the SDK's retries is read again in place (a read is always safe
to replay): one GetItem, Query page or BatchGetItem must not fail a route or a handler."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from shared.dynamo import TableDynamo
from tests.fixtures.erreurs_aws import erreur_aws


class DynamoDB:
    def __init__(self, pannes: int) -> None:
        self.pannes = pannes
        self.appels = 0

    def _repondre(self, reponse: dict[str, Any]) -> dict[str, Any]:
        self.appels += 1
        if self.pannes:
            self.pannes -= 1
            raise erreur_aws("ProvisionedThroughputExceededException")
        return reponse

    def get_item(self, **_: Any) -> dict[str, Any]:
        return self._repondre({"Item": {"PK": {"S": "a"}}})

    def query(self, **_: Any) -> dict[str, Any]:
        return self._repondre({"Items": [{"PK": {"S": "a"}}]})

    def batch_get_item(self, **_: Any) -> dict[str, Any]:
        return self._repondre({"Responses": {"t": [{"PK": {"S": "a"}}]}})


@pytest.mark.parametrize(
    "lire",
    [
        lambda t: t._lire({"PK": "a"}),
        lambda t: list(t._requete(KeyConditionExpression="PK = :p")),
        lambda t: t._lire_lot([{"PK": "a"}]),
    ],
)
def test_une_lecture_limitee_est_relue(lire: Any) -> None:
    ddb = DynamoDB(pannes=2)
    assert lire(TableDynamo("t", ddb))
    assert ddb.appels == 3


def test_une_limitation_qui_dure_remonte() -> None:
    ddb = DynamoDB(pannes=99)
    with pytest.raises(ClientError):
        TableDynamo("t", ddb)._lire({"PK": "a"})
