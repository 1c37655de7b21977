"""Instruction: the state machine's tasks and the gestionnaires' routes (I1, I2)."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from shared.observabilite import observe
from shared.web import GROUPE_GESTIONNAIRES, cognito, corps_json, erreur, exiger, reponse

bp = Blueprint(__name__)


def _instruction() -> Any:
    from services.instruction.adapters.aws import DossiersDynamo, WorkflowStepFunctions
    from services.instruction.application.instruction import Instruction
    from shared.horloge import horloge

    return Instruction(DossiersDynamo(), WorkflowStepFunctions(), horloge())


@bp.lambda_function(name="instruction_attendre")
@observe
def instruction_attendre(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """waitForTaskToken task: record the token; the workflow resumes on an API call."""
    _instruction().attendre(event["numeroAsp"], event["statut"], event["attendu"], event["jeton"])
    return {"statut": event["statut"]}


@bp.lambda_function(name="instruction_appliquer")
@observe
def instruction_appliquer(event: dict[str, Any], context: Any) -> dict[str, Any]:
    decision = event.get("decision") or {}
    _instruction().appliquer(
        event["numeroAsp"],
        event["statut"],
        str(decision.get("auteur", "instruction")),
        str(decision.get("motif", "")),
    )
    return {"statut": event["statut"]}


@bp.route("/dossiers", methods=["GET"], authorizer=cognito)
def lister_dossiers() -> Any:
    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    params = dict(bp.current_request.query_params or {})
    dossiers = _instruction().dossiers.lister(
        params.get("statut"), int(params.get("limite", "100"))
    )
    return reponse({"dossiers": dossiers})


@bp.route("/dossiers/{numero_asp}/decision", methods=["POST"], authorizer=cognito)
def decider(numero_asp: str) -> Any:
    from services.instruction.domain.instruction import ActionImpossible

    qui = exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    corps = corps_json(bp.current_request)
    if not isinstance(corps, dict):
        return corps
    try:
        sortie = _instruction().decider(
            numero_asp, str(corps.get("decision", "")), corps.get("motif"), qui.nom
        )
    except ActionImpossible as exc:
        statut = {"DOSSIER_INCONNU": 404, "ACTION_CONCURRENTE": 409, "ACTION_NON_ATTENDUE": 409}
        return erreur(statut.get(exc.code, 422), exc.code, exc.message)
    return reponse(sortie)
