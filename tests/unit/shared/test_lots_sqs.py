"""shared.lots_sqs answers an SQS batch as Powertools' process_partial_response with
BatchProcessor(SQS) does (what it replaces, for the cold start)."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from shared.lots_sqs import LotEnEchec, Message, traiter_lot


def _evenement(*corps: str) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"m-{i}",
                "receiptHandle": f"r-{i}",
                "body": c,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-3:123456789012:q",
                "awsRegion": "eu-west-3",
            }
            for i, c in enumerate(corps)
        ]
    }


def _traiter(record: Any) -> None:
    if record.body.startswith("panne"):
        raise RuntimeError(record.body)


def _powertools(evenement: dict[str, Any]) -> Any:
    return process_partial_response(
        event=evenement, record_handler=_traiter, processor=BatchProcessor(EventType.SQS)
    )


@pytest.mark.parametrize("corps", [("ok",), ("ok", "panne-1", "ok"), ("panne-1", "ok", "panne-2")])
def test_reponse_partielle_comme_powertools(corps: tuple[str, ...]) -> None:
    evenement = _evenement(*corps)
    assert traiter_lot(evenement, _traiter) == _powertools(evenement)


def test_tout_le_lot_en_echec_leve_comme_powertools() -> None:
    evenement = _evenement("panne-1", "panne-2")
    with pytest.raises(BatchProcessingError):
        _powertools(evenement)
    with pytest.raises(LotEnEchec) as erreur:
        traiter_lot(evenement, _traiter)
    assert [str(e) for e in erreur.value.erreurs] == ["panne-1", "panne-2"]


def test_chaque_message_recu_avec_son_corps_et_son_identifiant() -> None:
    vus: list[tuple[str, str]] = []
    traiter_lot(_evenement("a", "b"), lambda m: vus.append((m.message_id, m.body)))
    assert vus == [("m-0", "a"), ("m-1", "b")]


@pytest.mark.parametrize("evenement", [{}, {"Records": []}, {"Records": "?"}])
def test_evenement_sans_records_refuse_comme_powertools(evenement: dict[str, Any]) -> None:
    with pytest.raises(BatchProcessingError):  # UnexpectedBatchTypeError
        _powertools(evenement)
    with pytest.raises(ValueError):
        traiter_lot(evenement, _traiter)


def test_une_panne_passagere_est_traitee_a_nouveau_dans_l_invocation() -> None:
    """A throttled service: the message is handled again at once (idempotent handlers), not
    sent back to the queue, whose receive count leads to the DLQ."""
    from botocore.exceptions import ClientError

    essais: list[str] = []
    attentes: list[float] = []

    def limite_une_fois(message: Message) -> None:
        essais.append(message.message_id)
        if len(essais) == 1:
            raise ClientError(
                {"Error": {"Code": "ThrottlingException"}, "ResponseMetadata": {}}, "PutItem"
            )

    evenement = {"Records": [{"messageId": "m1", "body": "{}"}]}
    assert traiter_lot(evenement, limite_une_fois, dormir=attentes.append) == {
        "batchItemFailures": []
    }
    assert essais == ["m1", "m1"] and len(attentes) == 1


def test_une_erreur_definitive_revient_a_la_file_sans_nouvel_essai() -> None:
    essais: list[str] = []

    def invalide(message: Message) -> None:
        essais.append(message.message_id)
        raise ValueError("corps illisible")

    evenement = {"Records": [{"messageId": "m1", "body": "{}"}, {"messageId": "m2", "body": "{}"}]}

    def m2_seul(message: Message) -> None:
        if message.message_id == "m2":
            invalide(message)

    assert traiter_lot(evenement, m2_seul, dormir=lambda _: None) == {
        "batchItemFailures": [{"itemIdentifier": "m2"}]
    }
    assert essais == ["m2"]
