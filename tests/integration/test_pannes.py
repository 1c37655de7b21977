"""The fault injector of the local runtime (infra/local/pannes.py): a platform function's call
fails before reaching AWS, or a write is applied then answered with an error; nothing else
is touched; the seed makes a run repeatable."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra.local import appels_aws
from infra.local.pannes import Pannes, injecter
from shared.aws import client
from shared.pannes_aws import est_transitoire

pytestmark = pytest.mark.integration


@pytest.fixture
def aws(moto_en_processus: None) -> Any:
    client("dynamodb").create_table(
        TableName="t",
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield
    injecter(None)


def _item(pk: str) -> dict[str, Any]:
    return {"PK": {"S": pk}}


def test_un_appel_echoue_avant_aws_et_passe_pour_passager(aws: Any) -> None:
    pannes = Pannes(graine=1, echecs=1.0, ambigues=0.0)
    injecter(pannes)
    ddb = client("dynamodb")
    with appels_aws.au_nom_de("DepotImport"), pytest.raises(ClientError) as exc:
        ddb.put_item(TableName="t", Item=_item("a"))
    assert est_transitoire(exc.value)
    assert "Item" not in ddb.get_item(TableName="t", Key=_item("a"))  # nothing was done
    assert pannes.injectees == {"echec:dynamodb:PutItem": 1}


def test_une_ecriture_appliquee_puis_perdue(aws: Any) -> None:
    pannes = Pannes(graine=1, echecs=0.0, ambigues=1.0)
    injecter(pannes)
    ddb = client("dynamodb")
    with appels_aws.au_nom_de("DepotImport"):
        with pytest.raises(ClientError) as exc:
            ddb.put_item(TableName="t", Item=_item("b"))
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
        ddb.get_item(TableName="t", Key=_item("b"))  # a read is never ambiguous
    pannes.actif = False
    assert "Item" in ddb.get_item(TableName="t", Key=_item("b"))  # it was applied
    assert pannes.injectees == {"ambigue:dynamodb:PutItem": 1}


def test_rien_hors_des_fonctions_ni_hors_des_services_choisis(aws: Any) -> None:
    injecter(Pannes(graine=1, echecs=1.0, ambigues=1.0))
    ddb = client("dynamodb")
    ddb.put_item(TableName="t", Item=_item("c"))  # the runtime's or a test's own call
    injecter(Pannes(graine=1, echecs=1.0, ambigues=1.0, services=frozenset({"s3"})))
    with appels_aws.au_nom_de("DepotImport"):
        ddb.put_item(TableName="t", Item=_item("d"))


def test_la_graine_rejoue_les_memes_pannes(aws: Any) -> None:
    def tirage(graine: int) -> list[bool]:
        pannes = Pannes(graine=graine, echecs=0.3, ambigues=0.0)
        injecter(pannes)
        issues = []
        with appels_aws.au_nom_de("DepotImport"):
            for n in range(40):
                try:
                    client("dynamodb").get_item(TableName="t", Key=_item(f"x{n}"))
                    issues.append(True)
                except ClientError:
                    issues.append(False)
        return issues

    premier = tirage(7)
    assert premier == tirage(7)
    assert 0 < premier.count(False) < 40
    assert premier != tirage(8)
