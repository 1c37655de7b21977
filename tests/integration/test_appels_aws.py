"""The local runtime's record of who calls what (infra/local/appels_aws.py), which the
least-privilege check (tests/privileges) reads: the calls made on a function's behalf are
noted with the identifiers IAM authorizes on, the others are not."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from infra.local import appels_aws
from shared.aws import client

pytestmark = pytest.mark.integration


@pytest.fixture
def aws(moto_en_processus: None) -> Any:
    appels_aws.installer()
    appels_aws.oublier_appels()
    s3 = client("s3")
    s3.create_bucket(
        Bucket="segurnum-b", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    client("dynamodb").create_table(
        TableName="t",
        AttributeDefinitions=[{"AttributeName": "PK", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield
    appels_aws.oublier_appels()


def _notes() -> list[tuple[str, str, str, bool, dict[str, str]]]:
    return [
        (a["fonction"], a["service"], a["operation"], a["presigne"], a["identifiants"])
        for a in appels_aws.appels()
    ]


def test_les_appels_d_une_fonction_sont_notes_avec_leurs_ressources(aws: Any) -> None:
    s3 = client("s3")
    with appels_aws.au_nom_de("DepotJson"):
        s3.put_object(Bucket="segurnum-b", Key="json/a.json", Body=b"{}")
        s3.copy_object(
            Bucket="segurnum-b",
            Key="copie",
            CopySource={"Bucket": "segurnum-b", "Key": "json/a.json"},
        )
        client("dynamodb").transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "t", "Item": {"PK": {"S": "1"}}}},
                {
                    "ConditionCheck": {
                        "TableName": "t",
                        "Key": {"PK": {"S": "2"}},
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )
        # an item's key is data, not a resource: not noted
        client("dynamodb").get_item(TableName="t", Key={"PK": {"S": "1"}})
    s3.get_object(Bucket="segurnum-b", Key="json/a.json")  # nobody's: the runtime's or a test's
    assert _notes() == [
        ("DepotJson", "dynamodb", "GetItem", False, {"TableName": "t"}),
        (
            "DepotJson",
            "dynamodb",
            "TransactWriteItems",
            False,
            {"TransactItems": "ConditionCheck/t,Put/t"},
        ),
        (
            "DepotJson",
            "s3",
            "CopyObject",
            False,
            {"Bucket": "segurnum-b", "Key": "copie", "CopySource": "segurnum-b/json/a.json"},
        ),
        ("DepotJson", "s3", "PutObject", False, {"Bucket": "segurnum-b", "Key": "json/a.json"}),
    ]


def test_les_urls_presignees_sont_notees_comme_l_action_qu_elles_permettent(aws: Any) -> None:
    s3 = client("s3")
    with appels_aws.au_nom_de("APIHandler"):
        s3.generate_presigned_post(Bucket="segurnum-b", Key="pieces/x.zip")
        s3.generate_presigned_url(
            "get_object", Params={"Bucket": "segurnum-b", "Key": "dossiers/d.pdf"}
        )
    assert _notes() == [
        ("APIHandler", "s3", "GetObject", True, {"Bucket": "segurnum-b", "Key": "dossiers/d.pdf"}),
        ("APIHandler", "s3", "PutObject", True, {"Bucket": "segurnum-b", "Key": "pieces/x.zip"}),
    ]


def test_chaque_fil_a_sa_fonction(aws: Any) -> None:
    s3 = client("s3")

    def ailleurs() -> None:
        s3.head_bucket(Bucket="segurnum-b")  # a thread of its own starts on nobody's behalf

    with appels_aws.au_nom_de("PaiementRetour"):
        fil = threading.Thread(target=ailleurs)
        fil.start()
        fil.join()
        s3.list_objects_v2(Bucket="segurnum-b", Prefix="paiements/")
    assert _notes() == [
        (
            "PaiementRetour",
            "s3",
            "ListObjectsV2",
            False,
            {"Bucket": "segurnum-b", "Prefix": "paiements/"},
        )
    ]


def test_ecrit_ses_appels_dans_le_dossier_demande(
    aws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert appels_aws.ecrire_si_demande({}) is None  # nothing asked, nothing written
    monkeypatch.setenv(appels_aws.VARIABLE, str(tmp_path))
    with appels_aws.au_nom_de("DepotZip"):
        client("s3").put_object(Bucket="segurnum-b", Key="pieces/z.zip", Body=b"")
    chemin = appels_aws.ecrire_si_demande({"SEGURNUM_USER_POOL_ID": "p"})
    assert chemin is not None and chemin.parent == tmp_path
    contenu = json.loads(chemin.read_text(encoding="utf-8"))
    assert contenu["environnement"] == {"SEGURNUM_USER_POOL_ID": "p"}
    assert [a["operation"] for a in contenu["appels"]] == ["PutObject"]
    assert appels_aws.appels() == []  # written once: another runtime writes only its own
