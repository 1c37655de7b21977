"""A message on one of the platform's queues: the queue's URL asked once (GetQueueUrl),
then one SendMessage per message. Every service's SQS sender is built on it."""

from __future__ import annotations

from typing import Any

from shared import aws


class FileSqs:
    def __init__(self, nom: str, client: Any | None = None) -> None:
        self._nom = nom
        self._client = client
        self._url: str | None = None

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("sqs")

    def envoyer(self, corps: str) -> None:
        if self._url is None:
            self._url = str(self.client.get_queue_url(QueueName=self._nom)["QueueUrl"])
        self.client.send_message(QueueUrl=self._url, MessageBody=corps)
