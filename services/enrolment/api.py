"""Enrôlement (E1–E5). For now: who am I, as the platform sees the caller's token."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from shared.web import GROUPE_EDITEURS, cognito, exiger, reponse

bp = Blueprint(__name__)


@bp.route("/editeurs/moi", methods=["GET"], authorizer=cognito)
def moi() -> Any:
    """The éditeur's own identity (a route reserved to the group `editeurs`)."""
    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    return reponse(
        {"siret": qui.siret, "utilisateur": qui.utilisateur, "groupes": sorted(qui.groupes)}
    )
