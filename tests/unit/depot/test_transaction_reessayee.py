"""A dossier's TransactWriteItems throttled after the SDK's retries is tried again in
place, with the same ClientRequestToken (DynamoDB's idempotency key: an answer lost after
the commit is not applied twice), instead of failing the whole import for its redelivery;
a refusal that is not passing still fails at once."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from services.depot.adapters.dynamodb import DossierRepository, TypeIssue, _Transaction
from tests.fixtures.erreurs_aws import erreur_aws


class DynamoDB:
    def __init__(self, *erreurs: ClientError) -> None:
        self.erreurs = list(erreurs)
        self.appels: list[dict[str, Any]] = []

    def transact_write_items(self, **arguments: Any) -> dict[str, Any]:
        self.appels.append(arguments)
        if self.erreurs:
            raise self.erreurs.pop(0)
        return {}


def _transaction() -> _Transaction:
    transaction = _Transaction("t")
    transaction.put("dossier", {"PK": "DOSSIER#1", "SK": "DOSSIER"}, "attribute_not_exists(PK)")
    return transaction


def test_une_limitation_est_reessayee_avec_la_meme_cle_d_idempotence() -> None:
    ddb = DynamoDB(
        erreur_aws("ProvisionedThroughputExceededException"), erreur_aws("InternalServerError", 500)
    )
    issue = DossierRepository("t", ddb)._executer(_transaction(), "1", creation=True)
    assert issue.type is TypeIssue.ECRIT
    jetons = {a["ClientRequestToken"] for a in ddb.appels}
    assert len(ddb.appels) == 3 and len(jetons) == 1


def test_une_erreur_qui_n_est_pas_passagere_echoue_aussitot() -> None:
    ddb = DynamoDB(erreur_aws("ValidationException"))
    with pytest.raises(ClientError):
        DossierRepository("t", ddb)._executer(_transaction(), "1", creation=True)
    assert len(ddb.appels) == 1
