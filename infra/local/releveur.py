"""Delivery of SQS messages to their functions, as Lambda's poller does on AWS.

moto's own event source mappings deliver inside SendMessage, synchronously: the sender
(an API request asking for an import, an upload to S3) would wait for the whole handler,
and a message redelivered meanwhile could run twice at once. The local runtime therefore
registers its mappings disabled in moto and delivers here instead, one thread per mapped
queue, each batch on a worker of its own (batches run concurrently, as Lambda scales):
- a batch is received with the queue's own visibility timeout, which is extended while
  its handler runs: one delivery is never handed over twice at once, however long;
- partial batch failures are honoured; a failed message comes back after `VISIBILITE`
  seconds (tests shorten it) and the queue's redrive policy moves one that keeps failing
  to its DLQ (moto applies maxReceiveCount).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from shared.aws import client
from shared.observabilite import logger

VISIBILITE = 30  # seconds before a failed message is delivered again
ATTENTE = 1  # long polling: a message is delivered as soon as it is sent (see verrou_sqs)
TRAVAILLEURS = 4  # batches of one queue handled at the same time

Invocation = Callable[[str, dict[str, Any]], dict[str, Any] | None]


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


def invoquer_lambda(fonction: str, evenement: dict[str, Any]) -> dict[str, Any] | None:
    """The function's answer (partial batch failures), or None when it failed."""
    reponse = client("lambda").invoke(FunctionName=fonction, Payload=json.dumps(evenement).encode())
    if "FunctionError" in reponse:
        return None
    resultat = json.loads(reponse["Payload"].read() or b"{}")
    return resultat if isinstance(resultat, dict) else {}


def _role_de(mapping: dict[str, Any]) -> Any:
    """Lambda's poller receives and deletes with the function's role (infra/local/appels_aws);
    the extended visibility and the failed messages' delay are this runtime's own."""
    from chalice.utils import to_cfn_resource_name

    from infra.local.appels_aws import au_nom_de

    return au_nom_de(to_cfn_resource_name(mapping["FunctionArn"].rsplit(":", 1)[-1]))


def mappings_sqs() -> list[dict[str, Any]]:
    """Every SQS event source mapping the runtime provisioned (disabled in moto: ours)."""
    return [
        m
        for m in client("lambda").list_event_source_mappings()["EventSourceMappings"]
        if ":sqs:" in m["EventSourceArn"]
    ]


class Releveur:
    nom = "releveur-sqs"

    def __init__(
        self,
        mappings: list[dict[str, Any]] | None = None,
        invoquer: Invocation = invoquer_lambda,
        travailleurs: int = TRAVAILLEURS,
    ) -> None:
        self._mappings = mappings
        self._invoquer = invoquer
        self._travailleurs = travailleurs
        self._arret = threading.Event()
        self._threads: list[threading.Thread] = []
        self._verrou = threading.Lock()
        # receipt handle -> (queue URL, visibility timeout, next extension, monotonic)
        self._en_vol: dict[str, tuple[str, int, float]] = {}

    def demarrer(self) -> None:
        veilleur = threading.Thread(target=self._prolonger, name=f"{self.nom}-vis", daemon=True)
        veilleur.start()
        self._threads.append(veilleur)
        for mapping in self._mappings if self._mappings is not None else mappings_sqs():
            fil = threading.Thread(
                target=self._relever, args=(mapping,), name=self.nom, daemon=True
            )
            fil.start()
            self._threads.append(fil)

    def arreter(self) -> None:
        self._arret.set()
        for fil in self._threads:
            fil.join(timeout=10)
        self._threads.clear()

    def _relever(self, mapping: dict[str, Any]) -> None:
        arn = mapping["EventSourceArn"]
        sqs = client("sqs")
        url = sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[1])["QueueUrl"]
        with _role_de(mapping):
            attributs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["VisibilityTimeout"])
        visibilite = int(attributs["Attributes"].get("VisibilityTimeout", 30))
        places = threading.Semaphore(self._travailleurs)
        with ThreadPoolExecutor(self._travailleurs, thread_name_prefix=self.nom) as pool:
            while not self._arret.is_set():
                if not places.acquire(timeout=1):
                    continue
                try:
                    with _role_de(mapping):
                        messages = sqs.receive_message(
                            QueueUrl=url,
                            MaxNumberOfMessages=min(10, int(mapping.get("BatchSize", 1))),
                            VisibilityTimeout=visibilite,
                            WaitTimeSeconds=ATTENTE,
                            AttributeNames=["All"],
                        ).get("Messages", [])
                except Exception:  # the server is stopping, or a passing failure
                    places.release()
                    if not self._arret.wait(1):
                        logger.exception(f"{self.nom}: réception impossible")
                    continue
                if not messages:
                    places.release()
                    continue
                self._en_vol_ajouter(url, visibilite, messages)  # covered from now on

                def livrer(lot: list[dict[str, Any]] = messages) -> None:
                    try:
                        self._livrer(mapping, url, visibilite, lot)
                    except Exception:
                        logger.exception(f"{self.nom}: livraison en échec")
                    finally:
                        places.release()

                pool.submit(livrer)

    def _prolonger(self) -> None:
        """One thread extends the visibility of every batch whose handler still runs."""
        sqs = client("sqs")
        while not self._arret.wait(0.1):
            with self._verrou:
                dus = [
                    (cle, url, visibilite)
                    for cle, (url, visibilite, prochain) in self._en_vol.items()
                    if prochain <= time.monotonic()
                ]
                for cle, url, visibilite in dus:
                    self._en_vol[cle] = (url, visibilite, time.monotonic() + visibilite / 3)
            for recu, url, visibilite in dus:
                try:
                    sqs.change_message_visibility(
                        QueueUrl=url, ReceiptHandle=recu, VisibilityTimeout=visibilite
                    )
                except Exception:  # handled and deleted meanwhile
                    logger.debug(f"{self.nom}: visibilité non prolongée")

    def _en_vol_ajouter(self, url: str, visibilite: int, messages: list[dict[str, Any]]) -> None:
        with self._verrou:
            for m in messages:
                prochain = time.monotonic() + visibilite / 3
                self._en_vol[m["ReceiptHandle"]] = (url, visibilite, prochain)

    def _livrer(
        self, mapping: dict[str, Any], url: str, visibilite: int, messages: list[dict[str, Any]]
    ) -> None:
        # The handler may outlive the visibility timeout: its messages stay invisible
        # (never delivered twice at once) until it ends (see `_prolonger`).
        try:
            resultat = self._invoquer(
                mapping["FunctionArn"], _evenement(messages, mapping["EventSourceArn"])
            )
        finally:
            with self._verrou:
                for m in messages:
                    self._en_vol.pop(m["ReceiptHandle"], None)
        echecs = (
            {m["MessageId"] for m in messages}
            if resultat is None
            else {e["itemIdentifier"] for e in resultat.get("batchItemFailures", [])}
        )
        sqs = client("sqs")
        for m in messages:
            if m["MessageId"] in echecs:
                sqs.change_message_visibility(
                    QueueUrl=url, ReceiptHandle=m["ReceiptHandle"], VisibilityTimeout=VISIBILITE
                )
            else:
                with _role_de(mapping):
                    sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
