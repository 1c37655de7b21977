"""Redelivery of SQS messages, as Lambda's poller does after a failure.

moto's event source mappings deliver a message only when it is sent; a message whose
handler failed would then wait for the next one. This polls every mapped queue and hands
what is left to the same function, honouring partial batch failures; the queue's redrive
policy moves a message that keeps failing to its DLQ (moto applies maxReceiveCount)."""

from __future__ import annotations

import json
import threading
from typing import Any

from shared.aws import client
from shared.observabilite import logger

VISIBILITE = 30


def _evenement(messages: list[dict[str, Any]], arn_queue: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": {},
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn_queue,
                "awsRegion": arn_queue.split(":")[3],
            }
            for m in messages
        ]
    }


class Releveur:
    def __init__(self, periode: float = 1.0) -> None:
        self.periode = periode
        self._arret = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> int:
        """One pass over every mapped queue; returns the number of messages handed over."""
        sqs, lam = client("sqs"), client("lambda")
        remis = 0
        for mapping in lam.list_event_source_mappings()["EventSourceMappings"]:
            if mapping.get("State") != "Enabled" or ":sqs:" not in mapping["EventSourceArn"]:
                continue
            arn = mapping["EventSourceArn"]
            url = sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
            messages = sqs.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=min(10, mapping.get("BatchSize", 1)),
                VisibilityTimeout=VISIBILITE,
                AttributeNames=["All"],
            ).get("Messages", [])
            if not messages:
                continue
            remis += len(messages)
            reponse = lam.invoke(
                FunctionName=mapping["FunctionArn"],
                Payload=json.dumps(_evenement(messages, arn)).encode(),
            )
            if "FunctionError" in reponse:
                continue  # all come back after the visibility timeout, as on AWS
            resultat = json.loads(reponse["Payload"].read() or b"{}") or {}
            echecs = {e["itemIdentifier"] for e in resultat.get("batchItemFailures", [])}
            for m in messages:
                if m["MessageId"] not in echecs:
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return remis

    def demarrer(self) -> None:
        def boucle() -> None:
            while not self._arret.wait(self.periode):
                try:
                    self.tick()
                except Exception:
                    logger.exception("relève SQS locale")

        self._thread = threading.Thread(target=boucle, name="releveur-sqs", daemon=True)
        self._thread.start()

    def arreter(self) -> None:
        self._arret.set()
        if self._thread:
            self._thread.join(timeout=5)
