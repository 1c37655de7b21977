"""Dépôt: the éditeurs' routes and the handlers of uploaded files (D1–D7, G1–G3)."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from shared.observabilite import logger

bp = Blueprint(__name__)


def _traiter_lot(event: Any, traiter: Any) -> dict[str, Any]:
    """Powertools batch processing: a failed record goes back to the queue, not the batch."""
    from aws_lambda_powertools.utilities.batch import (
        BatchProcessor,
        EventType,
        process_partial_response,
    )

    from shared.evenements_s3 import objets_recus

    def record_handler(record: Any) -> None:
        for objet in objets_recus(record.body):
            traiter(objet)

    return process_partial_response(
        event=event.to_dict(), record_handler=record_handler,
        processor=BatchProcessor(event_type=EventType.SQS), context=event.context,
    )


def _json_recu(objet: Any) -> None:
    logger.info("JSON reçu", cle=objet.cle)


@bp.on_sqs_message(queue="segurnum-depot-json", batch_size=10, name="depot_json")
def depot_json(event: Any) -> dict[str, Any]:
    return _traiter_lot(event, _json_recu)


def _zip_recu(objet: Any) -> None:
    logger.info("ZIP reçu", cle=objet.cle)


@bp.on_sqs_message(queue="segurnum-depot-zip", batch_size=1, name="depot_zip")
def depot_zip(event: Any) -> dict[str, Any]:
    return _traiter_lot(event, _zip_recu)


@bp.lambda_function(name="depot_fermer_guichet")
def depot_fermer_guichet(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"campagne": event.get("campagne"), "typeDemande": event.get("typeDemande")}


@bp.lambda_function(name="depot_rappel_guichet")
def depot_rappel_guichet(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"campagne": event.get("campagne"), "rappel": event.get("rappel")}
