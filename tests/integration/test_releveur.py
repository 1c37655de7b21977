"""The local runtime's SQS delivery (infra/local/releveur.py): a delivery is never handed
over twice at once, however long its handler runs past the queue's visibility timeout; a
failed message comes back; partial batch failures are honoured."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from infra.local import releveur as module_releveur
from infra.local import verrou_sqs
from infra.local.releveur import Releveur
from shared import aws
from shared.settings import recharger
from tests.fixtures.attente import attendre as _attendre

pytestmark = pytest.mark.integration

REGION = "eu-west-3"


@pytest.fixture
def file_sqs(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    for cle, valeur in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(cle, valeur)
    monkeypatch.delenv("SEGURNUM_ENDPOINT_URL", raising=False)
    recharger()
    aws.oublier_clients()
    verrou_sqs.installer()
    with mock_aws():
        url = aws.client("sqs").create_queue(
            QueueName="lente", Attributes={"VisibilityTimeout": "2"}
        )["QueueUrl"]
        yield url, f"arn:aws:sqs:{REGION}:123456789012:lente"
    verrou_sqs.desinstaller()
    aws.oublier_clients()
    recharger()


def test_une_livraison_plus_longue_que_la_visibilite_ne_court_jamais_deux_fois(
    file_sqs: tuple[str, str],
) -> None:
    url, arn = file_sqs
    en_cours, max_en_cours, appels = 0, 0, 0
    verrou = threading.Lock()

    def lente(fonction: str, evenement: dict[str, Any]) -> dict[str, Any]:
        nonlocal en_cours, max_en_cours, appels
        with verrou:
            en_cours += 1
            appels += 1
            max_en_cours = max(max_en_cours, en_cours)
        time.sleep(5)  # the queue's visibility timeout is 2 s
        with verrou:
            en_cours -= 1
        return {}

    releveur = Releveur(
        [{"EventSourceArn": arn, "FunctionArn": "f", "BatchSize": 1}], invoquer=lente
    )
    aws.client("sqs").send_message(QueueUrl=url, MessageBody="un")
    releveur.demarrer()
    try:
        _attendre(lambda: appels >= 1)
        time.sleep(6)  # well past the visibility timeout, and the handler's end
    finally:
        releveur.arreter()
    assert (appels, max_en_cours) == (1, 1)
    restants = aws.client("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=0)
    assert "Messages" not in restants  # deleted once handled


def test_un_echec_revient_et_un_echec_partiel_ne_rend_que_son_message(
    file_sqs: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module_releveur, "VISIBILITE", 1)
    url, arn = file_sqs
    vus: list[str] = []

    def une_fois_en_echec(fonction: str, evenement: dict[str, Any]) -> dict[str, Any] | None:
        corps = [r["body"] for r in evenement["Records"]]
        vus.extend(corps)
        if vus.count("panne") == 1 and "panne" in corps:
            return None  # the function failed: the whole batch comes back
        if vus.count("partiel") == 1 and "partiel" in corps:
            return {
                "batchItemFailures": [
                    {"itemIdentifier": r["messageId"]}
                    for r in evenement["Records"]
                    if r["body"] == "partiel"
                ]
            }
        return {}

    releveur = Releveur(
        [{"EventSourceArn": arn, "FunctionArn": "f", "BatchSize": 1}],
        invoquer=une_fois_en_echec,
    )
    for corps in ("panne", "partiel", "ok"):
        aws.client("sqs").send_message(QueueUrl=url, MessageBody=corps)
    releveur.demarrer()
    try:
        _attendre(lambda: vus.count("panne") == 2 and vus.count("partiel") == 2)
        time.sleep(1.5)
    finally:
        releveur.arreter()
    assert sorted(vus) == ["ok", "panne", "panne", "partiel", "partiel"]
