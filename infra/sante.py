"""GET /sante (no auth): the version, and whether each resource the app needs answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice.app import Blueprint

from shared.api import ModeleVue, contrat, reponse
from shared.settings import settings

bp = Blueprint(__name__)


def _verifications() -> dict[str, Callable[[], Any]]:
    from shared.aws import client

    s = settings()
    return {
        "table_donnees": lambda: client("dynamodb").describe_table(TableName=s.table_donnees),
        "table_idempotence": lambda: client("dynamodb").describe_table(
            TableName=s.table_idempotence
        ),
        "bucket_depots": lambda: client("s3").head_bucket(Bucket=s.bucket_depots),
        "bucket_documents": lambda: client("s3").head_bucket(Bucket=s.bucket_documents),
        "queue_json": lambda: client("sqs").get_queue_url(QueueName=s.queue_json),
        "queue_zip": lambda: client("sqs").get_queue_url(QueueName=s.queue_zip),
        "state_machine_instruction": lambda: client("stepfunctions").describe_state_machine(
            stateMachineArn=s.state_machine_instruction
        ),
        "user_pool": lambda: client("cognito-idp").describe_user_pool(UserPoolId=s.user_pool_id),
        "expediteur": lambda: client("sesv2").get_email_identity(EmailIdentity=s.expediteur),
    }


class VueSante(ModeleVue):
    version: str
    ressources: dict[str, str]


@bp.route("/sante", methods=["GET"])
@contrat(
    "Version et état de chaque ressource (503 si l'une ne répond pas)",
    reponses={200: VueSante, 503: VueSante},
)
def sante() -> Any:
    etats: dict[str, str] = {}
    for nom, verifier in _verifications().items():
        try:
            verifier()
            etats[nom] = "OK"
        except Exception as exc:  # report, never fail: this is the health page
            etats[nom] = f"KO: {type(exc).__name__}"
    statut = 200 if all(v == "OK" for v in etats.values()) else 503
    return reponse(VueSante(version=settings().version, ressources=etats), statut)
