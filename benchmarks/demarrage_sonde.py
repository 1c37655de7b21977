"""One cold start, as a user feels it, in THIS fresh interpreter (run by bench_imports.py).

    python benchmarks/demarrage_sonde.py <cas> <endpoint>

Measures the CPU time (not the wall clock: the machine is shared, and a cold start is CPU
bound) from before the first import to the answer of the first call: imports of the Lambda
entry module, composition root, first invocation (its AWS calls go to `endpoint`, a stub
that answers at once: what is measured is our code and the SDK's, not the network).
Prints the seconds on the last line of stdout.
"""

from __future__ import annotations

import time

DEBUT = time.process_time()  # CPU time: stable when other processes share the cores

import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

REGION = "eu-west-3"
_CLAIMS_EDITEUR = {
    "sub": "u-1",
    "cognito:username": "editeur",
    "cognito:groups": "editeurs",
    "custom:siret": "73282932000074",
    "email": "editeur@example.fr",
}
_CLAIMS_GESTIONNAIRE = {
    "sub": "u-2",
    "cognito:username": "gestionnaire",
    "cognito:groups": "gestionnaires",
    "email": "gestion@example.fr",
}
# cas → (method, path, claims) for API routes, or an event handler's name.
ROUTES: dict[str, tuple[str, str, dict[str, str] | None]] = {
    "api-depot": ("GET", "/depots", _CLAIMS_EDITEUR),
    "api-instruction": ("GET", "/gestion/dossiers", _CLAIMS_GESTIONNAIRE),
    "api-enrolment": ("GET", "/editeurs/moi", _CLAIMS_EDITEUR),
    "api-sante": ("GET", "/sante", None),
}
# Event handlers: Chalice's Lambda handler is the blueprint's module and function.
EVENEMENTS = {"depot_json": "services.depot.api", "depot_zip": "services.depot.api"}


class _Contexte:
    aws_request_id = "bench"
    function_name = "segurnum-dev"
    memory_limit_in_mb = 1024
    invoked_function_arn = f"arn:aws:lambda:{REGION}:123456789012:function:segurnum-dev"
    log_group_name = "bench"
    log_stream_name = "bench"

    def get_remaining_time_in_millis(self) -> int:
        return 60_000


def _evenement_api(methode: str, chemin: str, claims: dict[str, str] | None) -> dict[str, Any]:
    contexte: dict[str, Any] = {
        "resourcePath": chemin,
        "httpMethod": methode,
        "requestId": "bench",
        "path": "/api" + chemin,
        "stage": "api",
    }
    if claims is not None:
        contexte["authorizer"] = {"claims": claims}
    return {
        "resource": chemin,
        "path": chemin,
        "httpMethod": methode,
        "headers": {"Accept": "application/json", "Host": "bench"},
        "multiValueHeaders": {},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": contexte,
        "body": None,
        "isBase64Encoded": False,
    }


def _evenement_sqs() -> dict[str, Any]:
    """An upload notification of an object the platform never issued: read, then ignored."""
    corps = (
        '{"Records": [{"eventSource": "aws:s3", "eventName": "ObjectCreated:Post", '
        '"eventTime": "2024-02-20T10:00:00.000Z", '
        '"s3": {"bucket": {"name": "segurnum-depots"}, "object": {"key": '
        '"depots/inconnu/json/demandes.json", "size": 10, "versionId": "v1"}}}]}'
    )
    return {
        "Records": [
            {
                "messageId": "m-1",
                "receiptHandle": "r-1",
                "body": corps,
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "md5OfBody": "",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:segurnum-depot-json",
                "awsRegion": REGION,
            }
        ]
    }


def main() -> int:
    cas, endpoint = sys.argv[1], sys.argv[2]
    if cas == "plancher":
        import boto3

        boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint)
        boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
        print(time.process_time() - DEBUT)
        return 0
    os.environ["SEGURNUM_ENDPOINT_URL"] = endpoint
    reponse: dict[str, Any] = {}
    if cas in ROUTES:
        from infra import app as entree  # the API's Lambda handler: app.app

        reponse = entree.app(_evenement_api(*ROUTES[cas]), _Contexte())
        statut = reponse["statusCode"]
    else:
        import importlib

        handler = getattr(importlib.import_module(EVENEMENTS[cas]), cas)
        reponse = handler(_evenement_sqs(), _Contexte())
        statut = 500 if reponse.get("batchItemFailures") else 200
    duree = time.process_time() - DEBUT
    if statut == 500:  # a crash; santé's 503 (resources « KO » on the stub) is an answer
        print(f"{cas}: réponse {statut}: {reponse.get('body')}", file=sys.stderr)
        return 1
    print(duree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
