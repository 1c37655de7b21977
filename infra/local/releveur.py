"""Redelivery of SQS messages, as Lambda's poller does after a failure.

moto's event source mappings deliver a message only when it is sent; a message whose
handler failed would then wait for the next one. This polls every mapped queue and hands
what is left to the same function, honouring partial batch failures; the queue's redrive
policy moves a message that keeps failing to its DLQ (moto applies maxReceiveCount)."""

from __future__ import annotations

import json
from typing import Any

from infra.local.boucle import Boucle
from shared.aws import client

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


class Releveur(Boucle):
    nom = "releveur-sqs"

    def __init__(self, periode: float = 1.0) -> None:
        super().__init__(periode)

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
