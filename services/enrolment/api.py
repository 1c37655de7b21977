"""Enrôlement (E1–E5). For now: who am I, as the platform sees the caller's token."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from shared.api import ModeleVue, contrat
from shared.web import GROUPE_EDITEURS, cognito, exiger, reponse

bp = Blueprint(__name__)


class VueMoi(ModeleVue):
    siret: str | None
    utilisateur: str
    groupes: list[str]


@bp.route("/editeurs/moi", methods=["GET"], authorizer=cognito)
@contrat("L'identité de l'éditeur vue par la plateforme", reponses={200: VueMoi}, groupe="editeurs")
def moi() -> Any:
    """The éditeur's own identity (a route reserved to the group `editeurs`)."""
    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    return reponse(
        VueMoi(siret=qui.siret, utilisateur=qui.utilisateur, groupes=sorted(qui.groupes))
    )
