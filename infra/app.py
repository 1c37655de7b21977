"""The Chalice app `segurnum`: one Blueprint per service, observability on every function.

This module is the entry point of every Lambda of the platform: keep its imports light
(cold start); each Blueprint imports what a handler needs inside the handler.
"""

from __future__ import annotations

from typing import Any

from chalice.app import Chalice

from infra.sante import bp as sante
from services.depot.api import bp as depot
from services.enrolment.api import bp as enrolment
from services.instruction.api import bp as instruction
from services.paiement.api import bp as paiement
from shared.api import contrat, intergiciel_erreurs, reponse
from shared.observabilite import logger, metrics

app = Chalice(app_name="segurnum")
app.register_blueprint(sante)
app.register_blueprint(enrolment)
app.register_blueprint(depot)
app.register_blueprint(instruction)
app.register_blueprint(paiement)


@app.route("/openapi.json", methods=["GET"])
@contrat("Le document OpenAPI 3.1 de l'API (public)")
def openapi() -> Any:
    """Generated from the routes' contracts, once per process (docs/openapi.json is a copy)."""
    from infra.openapi import document_de

    return reponse(document_de(app))


# First of the app's middlewares (outermost): every 4xx/5xx leaves as {"code", "message"} in French.
app.register_middleware(intergiciel_erreurs, "http")


@app.middleware("http")
def observabilite(event: Any, get_response: Any) -> Any:
    """Powertools on every function: structured logs with the request id, metrics flushed."""
    contexte = getattr(event, "context", None)
    if isinstance(contexte, dict):
        logger.append_keys(
            request_id=contexte.get("requestId"), chemin=contexte.get("resourcePath")
        )
    try:
        return get_response(event)
    finally:
        logger.remove_keys(["request_id", "chemin"])
        metrics.flush_metrics(raise_on_empty_metrics=False)
