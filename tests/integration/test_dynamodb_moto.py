"""The local runtime's patch of moto's DynamoDB (infra/local/dynamodb_moto.py): same
semantics as moto's own code, a cost per call independent of what is stored, and a loud
failure when moto changes the code it replaces."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from infra.local import dynamodb_moto

pytestmark = pytest.mark.integration

TABLE = "t"


@pytest.fixture
def ddb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for cle, valeur in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }.items():
        monkeypatch.setenv(cle, valeur)
    dynamodb_moto.installer()
    try:
        with mock_aws():
            client = boto3.client("dynamodb", region_name="eu-west-3")
            client.create_table(
                TableName=TABLE,
                BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[
                    {"AttributeName": "PK", "AttributeType": "S"},
                    {"AttributeName": "SK", "AttributeType": "S"},
                ],
                KeySchema=[
                    {"AttributeName": "PK", "KeyType": "HASH"},
                    {"AttributeName": "SK", "KeyType": "RANGE"},
                ],
            )
            yield client
    finally:
        dynamodb_moto.desinstaller()


def _tout(client: Any) -> list[dict[str, Any]]:
    items = client.scan(TableName=TABLE)["Items"]
    return sorted(items, key=lambda i: (i["PK"]["S"], i["SK"]["S"]))


def _put(client: Any, pk: str, sk: str, **attributs: str) -> None:
    item = {"PK": {"S": pk}, "SK": {"S": sk}, **{k: {"S": v} for k, v in attributs.items()}}
    client.put_item(TableName=TABLE, Item=item)


def test_les_fonctions_corrigees_sont_celles_de_moto_epingle() -> None:
    dynamodb_moto.verifier()


def test_echec_bruyant_si_moto_change_la_fonction(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.dynamodb.models import DynamoDBBackend

    def autre(self: Any, transact_items: Any) -> None:
        return None

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", autre)
    with pytest.raises(dynamodb_moto.MotoModifie, match="transact_write_items a changé"):
        dynamodb_moto.installer()


def test_echec_bruyant_si_la_version_de_moto_change(monkeypatch: pytest.MonkeyPatch) -> None:
    import moto

    monkeypatch.setattr(moto, "__version__", "6.0.0")
    with pytest.raises(dynamodb_moto.MotoModifie, match="épinglez moto"):
        dynamodb_moto.verifier()


def test_une_transaction_en_echec_ne_laisse_rien(ddb: Any) -> None:
    _put(ddb, "A", "1", v="avant")
    _put(ddb, "B", "1", v="a-supprimer")
    _put(ddb, "C", "1", v="garde-fou")
    avant = _tout(ddb)
    with pytest.raises(ClientError) as erreur:
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {"PK": {"S": "N"}, "SK": {"S": "1"}}}},
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": "A"}, "SK": {"S": "1"}},
                        "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"S": "apres"}},
                    }
                },
                {"Delete": {"TableName": TABLE, "Key": {"PK": {"S": "B"}, "SK": {"S": "1"}}}},
                {
                    "Put": {
                        "TableName": TABLE,
                        "Item": {"PK": {"S": "C"}, "SK": {"S": "1"}},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
    assert erreur.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _tout(ddb) == avant


def test_une_transaction_reussie_ecrit_tout(ddb: Any) -> None:
    _put(ddb, "A", "1", v="avant")
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": {"PK": {"S": "N"}, "SK": {"S": "1"}}}},
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": {"PK": {"S": "A"}, "SK": {"S": "1"}},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"S": "apres"}},
                }
            },
        ]
    )
    assert [(i["PK"]["S"], i.get("v", {}).get("S")) for i in _tout(ddb)] == [
        ("A", "apres"),
        ("N", None),
    ]


def test_la_requete_lit_sa_partition_dans_l_ordre_et_par_pages(ddb: Any) -> None:
    for sk in ("3", "1", "2", "4"):
        _put(ddb, "P", f"X#{sk}")
    _put(ddb, "P", "Y#1")
    _put(ddb, "Q", "X#0")
    page = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :p AND begins_with(SK, :x)",
        ExpressionAttributeValues={":p": {"S": "P"}, ":x": {"S": "X#"}},
        Limit=3,
    )
    assert [i["SK"]["S"] for i in page["Items"]] == ["X#1", "X#2", "X#3"]
    suite = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :p AND begins_with(SK, :x)",
        ExpressionAttributeValues={":p": {"S": "P"}, ":x": {"S": "X#"}},
        ExclusiveStartKey=page["LastEvaluatedKey"],
    )
    assert [i["SK"]["S"] for i in suite["Items"]] == ["X#4"]
    vide = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :p",
        ExpressionAttributeValues={":p": {"S": "absent"}},
    )
    assert vide["Items"] == []


def test_le_cout_d_un_appel_ne_depend_pas_de_ce_qui_est_stocke(ddb: Any) -> None:
    from moto.dynamodb.models import dynamodb_backends

    table = dynamodb_backends["123456789012"]["eu-west-3"].get_table(TABLE)
    for n in range(30_000):  # straight into moto's table: 30,000 stored items
        table.put_item({"PK": {"S": f"R#{n % 3000}"}, "SK": {"S": f"{n}"}, "v": {"S": "x" * 50}})

    debut = time.perf_counter()
    for n in range(30):
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": TABLE, "Item": {"PK": {"S": f"T{n}"}, "SK": {"S": "1"}}}}
            ]
        )
        ddb.query(
            TableName=TABLE,
            KeyConditionExpression="PK = :p",
            ExpressionAttributeValues={":p": {"S": f"R#{n}"}},
        )
    # moto's own code deep-copies / sorts the 30,000 items on each call: seconds each.
    assert time.perf_counter() - debut < 3.0


def test_mise_a_jour_conditionnelle_dans_une_transaction(ddb: Any) -> None:
    """The condition's values need not appear in the update expression; a stale version
    cancels the transaction, a current one applies it."""
    _put(ddb, "A", "1", v="avant")
    ddb.update_item(
        TableName=TABLE,
        Key={"PK": {"S": "A"}, "SK": {"S": "1"}},
        UpdateExpression="SET version = :un",
        ExpressionAttributeValues={":un": {"N": "1"}},
    )

    def maj(version: str) -> None:
        ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": {"PK": {"S": "A"}, "SK": {"S": "1"}},
                        "UpdateExpression": "SET v = :v, version = :suivante",
                        "ConditionExpression": "version = :attendue",
                        "ExpressionAttributeValues": {
                            ":v": {"S": f"apres {version}"},
                            ":attendue": {"N": version},
                            ":suivante": {"N": str(int(version) + 1)},
                        },
                    }
                },
                *[
                    {
                        "Put": {
                            "TableName": TABLE,
                            "Item": {"PK": {"S": f"C{n}"}, "SK": {"S": version}},
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    }
                    for n in range(50)
                ],
            ]
        )

    with pytest.raises(ClientError):
        maj("7")
    assert [i["PK"]["S"] for i in _tout(ddb)] == ["A"]
    maj("1")
    (a,) = [i for i in _tout(ddb) if i["PK"]["S"] == "A"]
    assert (a["v"]["S"], a["version"]["N"]) == ("apres 1", "2")
    assert len(_tout(ddb)) == 51


def test_projection_attributs_entiers_et_chemins(ddb: Any) -> None:
    ddb.put_item(
        TableName=TABLE,
        Item={
            "PK": {"S": "P"},
            "SK": {"S": "1"},
            "a": {"S": "x"},
            "gros": {"L": [{"S": str(n)} for n in range(500)]},
            "m": {"M": {"s": {"S": "EN_COURS"}, "l": {"L": [{"S": "p.pdf"}]}, "z": {"N": "1"}}},
        },
    )
    reponse = ddb.batch_get_item(
        RequestItems={
            TABLE: {
                "Keys": [
                    {"PK": {"S": "P"}, "SK": {"S": "1"}},
                    {"PK": {"S": "?"}, "SK": {"S": "1"}},
                ],
                "ProjectionExpression": "#a, #m.#s, #m.#l, absent",
                "ExpressionAttributeNames": {"#a": "a", "#m": "m", "#s": "s", "#l": "l"},
            }
        }
    )
    (item,) = reponse["Responses"][TABLE]
    assert item == {
        "a": {"S": "x"},
        "m": {"M": {"s": {"S": "EN_COURS"}, "l": {"L": [{"S": "p.pdf"}]}}},
    }
