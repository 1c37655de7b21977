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

import json  # noqa: E402
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
# cas → (method, path, claims): one route of each family of the API's Lambda (infra.app).
ROUTES: dict[str, tuple[str, str, dict[str, str] | None]] = {
    "api-depot": ("GET", "/depots", _CLAIMS_EDITEUR),
    "api-guichet": ("GET", "/guichet", None),
    "api-instruction": ("GET", "/gestion/dossiers", _CLAIMS_GESTIONNAIRE),
    "api-dossiers": ("GET", "/dossiers", _CLAIMS_EDITEUR),
    "api-paiement": ("GET", "/gestion/paiements/lots", _CLAIMS_GESTIONNAIRE),
    "api-enrolment": ("GET", "/gestion/enrolements", _CLAIMS_GESTIONNAIRE),
    "api-referencement": ("GET", "/referencements/ANS0000001", None),
    "api-sante": ("GET", "/sante", None),
}
_DEPOT, _GUICHET, _INSTRUCTION, _PAIEMENT = (
    "services.depot.api",
    "services.guichet.api",
    "services.instruction.api",
    "services.paiement.api",
)
_DEMANDE = {"numeroAsp": "A1", "typeDemande": "AVANCE", "siret": "73282932000074"}
_REPONSE = {
    "numeroAsp": "A1",
    "typeDemande": "AVANCE",
    "action": "MODIFICATION_IMPORTEE",
    "qui": "editeur",
    "instant": "2024-02-20T10:00:00+01:00",
}
_DECIDEE = {
    "numeroAsp": "A1",
    "siret": "73282932000074",
    "numeroAns": "ANS0000001",
    "typeDemande": "AVANCE",
    "couloir": "MS1",
    "campagne": "MS-VAGUE1",
    "montantFinance": "1000.00",
    "montant": "300.00",
    "decideeLe": "2024-02-20T10:00:00+01:00",
    "jeton": "jeton-sonde",
    "demandeLe": "2024-02-20T10:00:01+01:00",
    "cleIdempotence": "A1-AVANCE",
}
# Every other Lambda: cas → (module, handler, kind, event). Chalice's packaged handler of a
# blueprint's function is `<module>.<function>`: that module is all the Lambda imports.
# SQS bodies: an upload the platform never issued (read, then ignored), or a message.
EVENEMENTS: dict[str, tuple[str, str, str, Any]] = {
    "depot_json": (_DEPOT, "depot_json", "s3", "depots/inconnu/json/demandes.json"),
    "depot_zip": (_DEPOT, "depot_zip", "s3", "depots/inconnu/zip/pieces.zip"),
    "depot_import": (_DEPOT, "depot_import", "sqs", {"idDepot": "D1", "auteur": "editeur"}),
    "depot_fermer_guichet": (
        _GUICHET,
        "depot_fermer_guichet",
        "direct",
        {"campagne": "MS-VAGUE1", "typeDemande": "AVANCE"},
    ),
    "depot_rappel_guichet": (
        _GUICHET,
        "depot_rappel_guichet",
        "direct",
        {"campagne": "MS-VAGUE1", "typeDemande": "AVANCE", "rappel": "J-7"},
    ),
    "instruction_attendre": (
        _INSTRUCTION,
        "instruction_attendre",
        "direct",
        {"demande": _DEMANDE, "statut": "EN_COURS", "attendu": "GESTIONNAIRE", "jeton": "j"},
    ),
    "instruction_etape": (
        _INSTRUCTION,
        "instruction_etape",
        "direct",
        {"demande": _DEMANDE, "statut": "DECIDEE", "etape": "COURRIEL"},
    ),
    "instruction_reponses": (_INSTRUCTION, "instruction_reponses", "sqs", _REPONSE),
    "paiement_versements": (_PAIEMENT, "paiement_versements", "sqs", _DECIDEE),
    "paiement_coordonnees": (
        _PAIEMENT,
        "paiement_coordonnees",
        "sqs",
        {
            "siret": "73282932000074",
            "valideesLe": "2024-02-20T10:00:00+01:00",
            "numeroDemande": "ENR0001M0",
        },
    ),
    "paiement_retour": (_PAIEMENT, "paiement_retour", "s3", "paiements/retours/r.xml"),
    "paiement_lancer_lot": (_PAIEMENT, "paiement_lancer_lot", "direct", {}),
    # Cognito's pre token generation: its 5 s budget includes this cold start.
    "enrolment_jeton_connexion": (
        "services.enrolment.api",
        "enrolment_jeton_connexion",
        "direct",
        {
            "version": "1",
            "triggerSource": "TokenGeneration_HostedAuth",
            "userPoolId": "eu-west-3_bench",
            "request": {
                "userAttributes": {
                    "email": "agent@numerique.gouv.fr",
                    "custom:siret": "11002001300097",
                    "identities": '[{"providerName": "ProConnect", "userId": "1"}]',
                },
                "groupConfiguration": {"groupsToOverride": []},
            },
            "response": {"claimsOverrideDetails": None},
        },
    ),
}


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


def _corps_s3(cle: str) -> str:
    return json.dumps(
        {
            "Records": [
                {
                    "eventSource": "aws:s3",
                    "eventName": "ObjectCreated:Post",
                    "eventTime": "2024-02-20T10:00:00.000Z",
                    "s3": {
                        "bucket": {"name": "segurnum-depots"},
                        "object": {"key": cle, "size": 10, "versionId": "v1", "eTag": "e"},
                    },
                }
            ]
        }
    )


def _evenement_sqs(corps: str) -> dict[str, Any]:
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
                "eventSourceARN": f"arn:aws:sqs:{REGION}:123456789012:segurnum-bench",
                "awsRegion": REGION,
            }
        ]
    }


# What the stub's empty answers may stop a first call with: the application's own refusal
# of an item that does not exist (the cold start is then measured up to that answer).
_REFUS_ATTENDUS = ("Introuvable", "Incoherentes", "Impossible", "ErreurMetier")


def _appeler_evenement(cas: str) -> str | None:
    """The handler's first call; None when it answered, else what went wrong."""
    import importlib

    module, nom, genre, donnees = EVENEMENTS[cas]
    handler = getattr(importlib.import_module(module), nom)
    if genre == "direct":
        try:
            handler(donnees, _Contexte())
        except Exception as exc:  # a refusal of the stub's empty world is an answer
            if not any(m in type(exc).__name__ for m in _REFUS_ATTENDUS):
                raise
        return None
    corps = _corps_s3(donnees) if genre == "s3" else json.dumps(donnees)
    reponse = handler(_evenement_sqs(corps), _Contexte())
    echecs = reponse.get("batchItemFailures") if isinstance(reponse, dict) else None
    return f"échec du message: {reponse}" if echecs and genre == "s3" else None


def main() -> int:
    cas, endpoint = sys.argv[1], sys.argv[2]
    if cas == "vide":  # the interpreter and this probe alone: subtracted from instruction counts
        print(time.process_time() - DEBUT)
        return 0
    if cas == "plancher":
        import boto3

        boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint)
        boto3.client("s3", region_name=REGION, endpoint_url=endpoint)
        print(time.process_time() - DEBUT)
        return 0
    os.environ["SEGURNUM_ENDPOINT_URL"] = endpoint
    probleme: str | None = None
    if cas in ROUTES:
        from infra import app as entree  # the API's Lambda handler: app.app

        reponse = entree.app(_evenement_api(*ROUTES[cas]), _Contexte())
        # santé's 503 (resources « KO » on the stub) is an answer; a 500 is a crash
        if reponse["statusCode"] == 500:
            probleme = f"réponse 500: {reponse.get('body')}"
    else:
        probleme = _appeler_evenement(cas)
    duree = time.process_time() - DEBUT
    if probleme:
        print(f"{cas}: {probleme}", file=sys.stderr)
        return 1
    print(duree)
    return 0


if __name__ == "__main__":
    sys.exit(main())
