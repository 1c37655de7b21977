"""Guichet: the campaigns' windows (G1, public route) and the scheduled closing and
reminders (G2). The functions keep the names they had in the dépôt service
(`depot_fermer_guichet`, `depot_rappel_guichet`): their roles, schedules and alarms name
them."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from shared.api import contrat
from shared.observabilite import observe
from shared.web import reponse

bp = Blueprint(__name__)

# The routes' models, named for their contracts and imported by each route (cold start).
MODELES = "services.guichet.api_modeles"


@bp.lambda_function(name="depot_fermer_guichet")
@observe
def depot_fermer_guichet(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Target of each deadline's schedule (idempotent: a retry sends nothing twice)."""
    from services.guichet.bootstrap import composants

    resultat: dict[str, Any] = (
        composants().service.fermer_guichet(event["campagne"], event["typeDemande"]).to_dict()
    )
    return resultat


@bp.lambda_function(name="depot_rappel_guichet")
@observe
def depot_rappel_guichet(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """J-7 and J-1 before each deadline: « N'attendez pas le dernier jour »."""
    from services.guichet.bootstrap import composants

    resultat: dict[str, Any] = (
        composants()
        .service.envoyer_rappels(event["campagne"], event["typeDemande"], event["rappel"])
        .to_dict()
    )
    return resultat


@bp.route("/guichet", methods=["GET"])
@contrat(
    "Chaque campagne: fenêtres avance et solde, ouvertes ou non, temps restant",
    reponses={200: f"{MODELES}:VueGuichet"},
)
def guichet() -> Any:
    """Public: each campaign's windows, open or not now, and the time left."""
    from services.guichet.api_modeles import VueGuichet
    from services.guichet.application.guichet import etat_guichet
    from shared.horloge import horloge

    return reponse(VueGuichet.model_validate(etat_guichet(horloge().maintenant())))
