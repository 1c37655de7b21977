"""Routes of the local runtime only (never deployed): set the platform clock, fire schedules."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from shared.horloge import horloge
from shared.web import corps_json, erreur, reponse

bp = Blueprint(__name__)


@bp.route("/_local/horloge", methods=["GET"])
def lire_horloge() -> Any:
    return reponse({"maintenant": horloge().maintenant().isoformat()})


@bp.route("/_local/horloge", methods=["POST"])
def regler_horloge() -> Any:
    corps = corps_json(bp.current_request)
    if not isinstance(corps, dict):
        return corps
    try:
        bp.runtime.regler_horloge(str(corps["instant"]))  # type: ignore[attr-defined]
    except (KeyError, ValueError):
        return erreur(
            400,
            "INSTANT_INVALIDE",
            "« instant » attendu au format ISO 8601, par exemple 2024-02-28T13:59:59.",
        )
    tires = bp.runtime.planificateur.tick()  # type: ignore[attr-defined]
    return reponse(
        {"maintenant": horloge().maintenant().isoformat(), "echeancesDeclenchees": tires}
    )
