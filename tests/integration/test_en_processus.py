"""The local runtime's own AWS calls reach moto's application in process
(infra/local/en_processus.py): no TCP connection per call, the same answers — errors,
streamed bodies, keys that need quoting — and the server still answers over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
import urllib3.util.connection

from infra.local.runtime import RuntimeLocal
from shared.aws import client
from shared.settings import settings

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def runtime() -> Iterator[RuntimeLocal]:
    with RuntimeLocal() as r:
        yield r


@pytest.fixture
def connexions(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every TCP connection urllib3 (botocore's HTTP) opens meanwhile."""
    ouvertes: list[Any] = []
    originale = urllib3.util.connection.create_connection

    def compter(adresse: Any, *args: Any, **kwargs: Any) -> Any:
        ouvertes.append(adresse)
        return originale(adresse, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", compter)
    return ouvertes


def test_les_appels_du_processus_n_ouvrent_aucune_connexion(
    runtime: RuntimeLocal, connexions: list[Any]
) -> None:
    dynamodb, table = client("dynamodb"), settings().table_donnees
    cle = {"PK": {"S": "ESSAI#processus"}, "SK": {"S": "ESSAI"}}
    for n in range(20):
        dynamodb.put_item(TableName=table, Item={**cle, "n": {"N": str(n)}})
    assert dynamodb.get_item(TableName=table, Key=cle)["Item"]["n"] == {"N": "19"}
    # moto's error answers are botocore's exceptions, as over HTTP
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(TableName=table, Item=cle, ConditionExpression="attribute_not_exists(PK)")
    assert connexions == []


def test_corps_et_cles_s3_comme_par_http(runtime: RuntimeLocal, connexions: list[Any]) -> None:
    s3, bucket = client("s3"), settings().bucket_depots
    cle = "essais/dépôt n°1/données+été.json"
    corps = bytes(range(256)) * 4096  # 1 MiB, every byte value
    s3.put_object(
        Bucket=bucket, Key=cle, Body=corps, Metadata={"nom_fichier": "x", "membre-crc": "1234"}
    )
    lu = s3.get_object(Bucket=bucket, Key=cle)
    assert lu["ContentLength"] == len(corps)
    assert lu["Metadata"] == {"nom_fichier": "x", "membre-crc": "1234"}
    assert b"".join(lu["Body"].iter_chunks(65536)) == corps
    listes = s3.list_objects_v2(Bucket=bucket, Prefix="essais/dépôt n°1/")["Contents"]
    assert [o["Key"] for o in listes] == [cle]
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket=bucket, Key="essais/absent.json")
    assert connexions == []
    # a client outside the process still has the server
    presigne = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": cle})
    assert requests.get(presigne, timeout=30).content == corps


def test_le_dispatcher_de_moto_ne_relit_pas_son_paquet_a_chaque_appel(
    runtime: RuntimeLocal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither its directories nor its response classes' methods, once listed."""
    import inspect
    import os

    import moto

    client("dynamodb").list_tables()  # the classes of this service listed once
    membres: list[Any] = []
    getmembers = inspect.getmembers
    monkeypatch.setattr(
        inspect, "getmembers", lambda *a, **k: membres.append(a[0]) or getmembers(*a, **k)
    )

    paquet = os.path.dirname(moto.__file__)
    lus: list[str] = []
    listdir = os.listdir

    def compter(chemin: Any = ".") -> list[str]:
        if str(chemin) == paquet:
            lus.append(str(chemin))
        return listdir(chemin)

    monkeypatch.setattr(os, "listdir", compter)
    for _ in range(5):
        client("dynamodb").list_tables()
    assert lus == []
    assert membres == []
