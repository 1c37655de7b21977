"""The Chalice app `segurnum`: one Blueprint per service, observability on every function.

This module is the entry point of every Lambda of the platform: keep its imports light
(cold start); each Blueprint imports what a handler needs inside the handler.

Every route runs in one Lambda (Chalice's APIHandler), whose role is the union of what the
routes need (infra/.chalice/policy-api.json): the parsers of hostile input (deposited JSON
and ZIP files, bank returns) run in functions of their own, each with its narrow role;
splitting the API per service would take one Chalice app per service for little gain
(docs/deploiement.md, « Moindre privilège »).
"""

from __future__ import annotations

from shared.demarrage import reprendre, suspendre

suspendre()  # before the imports below (shared/demarrage.py)

from typing import Any  # noqa: E402

from chalice.app import Chalice  # noqa: E402

from infra.sante import bp as sante  # noqa: E402
from services.depot.api import bp as depot  # noqa: E402
from services.enrolment.api import bp as enrolment  # noqa: E402
from services.guichet.api import bp as guichet  # noqa: E402
from services.instruction.api import bp as instruction  # noqa: E402
from services.paiement.api import bp as paiement  # noqa: E402
from shared.api import contrat, intergiciel_erreurs, reponse  # noqa: E402
from shared.observabilite import logger, metrics, tracer_appel  # noqa: E402

app = Chalice(app_name="segurnum")
app.register_blueprint(sante)
app.register_blueprint(enrolment)
app.register_blueprint(depot)
app.register_blueprint(guichet)
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
    """Powertools on every function: structured logs with the request id, metrics flushed,
    the route traced (X-Ray, when active)."""
    contexte = getattr(event, "context", None)
    chemin = None
    if isinstance(contexte, dict):
        chemin = contexte.get("resourcePath")
        logger.append_keys(request_id=contexte.get("requestId"), chemin=chemin)
    try:
        return tracer_appel(f"{event.method} {chemin}", lambda: get_response(event))
    finally:
        logger.remove_keys(["request_id", "chemin"])
        metrics.flush_metrics(raise_on_empty_metrics=False)
        reprendre()  # after the first call: what it built frozen, the collector back on
