"""Every service's SQS sender: the queue's URL asked once, then one SendMessage each."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from moto import mock_aws

from shared.file_sqs import FileSqs

pytestmark = pytest.mark.integration


class _Compteur:
    def __init__(self, client: Any) -> None:
        self.client = client
        self.appels: list[str] = []

    def __getattr__(self, nom: str) -> Any:
        self.appels.append(nom)
        return getattr(self.client, nom)


def test_l_url_est_demandee_une_fois(monkeypatch: pytest.MonkeyPatch) -> None:
    for nom, valeur in {"AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t"}.items():
        monkeypatch.setenv(nom, valeur)
    with mock_aws():
        sqs = boto3.client("sqs", region_name="eu-west-3")
        url = sqs.create_queue(QueueName="segurnum-essai")["QueueUrl"]
        compteur = _Compteur(sqs)
        file = FileSqs("segurnum-essai", compteur)
        file.envoyer('{"a": 1}')
        file.envoyer('{"a": 2}')
        assert compteur.appels == ["get_queue_url", "send_message", "send_message"]
        recus = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        assert sorted(m["Body"] for m in recus) == ['{"a": 1}', '{"a": 2}']
