"""Which function makes which AWS call: the record the least-privilege test checks
against each function's IAM policy in the packaged template (tests/privileges).

The shim (a Lambda's invocation), the gateway (an API request) and the SQS poller (the
receive and delete Lambda's event source mapping does with the function's role) say on
whose behalf their thread works; a botocore hook on every client shared/aws.py creates
notes each call made meanwhile, with the identifiers IAM authorizes on (table, bucket and
key, queue, state machine, secret, key, user pool, identity). A call made on nobody's
behalf (provisioning, the runtime's own polling, the tests' clients) is not noted.
Presigned URLs are noted too: the signer's role is what AWS checks when they are used.
"""

from __future__ import annotations

import json
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

# The function on whose behalf the current thread works: Chalice's logical id
# ("APIHandler", "DepotJson"…), the name its role has in the template (…Role).
_fonction: ContextVar[str | None] = ContextVar("segurnum_fonction", default=None)
API = "APIHandler"
# A folder where each runtime stopping writes what it noted (the e2e session sets it, and
# its child platforms inherit it): not SEGURNUM_, which tests drop for their children.
VARIABLE = "RUNTIME_LOCAL_APPELS_AWS"

# Request parameters that name what IAM authorizes (the rest is data, never recorded);
# S3's own (a DynamoDB item's `Key` is data).
PARAMETRES = (
    "TableName",
    "IndexName",
    "QueueUrl",
    "QueueName",
    "stateMachineArn",
    "executionArn",
    "SecretId",
    "KeyId",
    "UserPoolId",
    "EmailIdentity",
    "FromEmailAddress",
)
PARAMETRES_S3 = ("Bucket", "Key", "VersionId", "Prefix", "CopySource")

_verrou = threading.Lock()
_appels: dict[tuple[Any, ...], int] = {}
_installe: list[bool] = []


@contextmanager
def au_nom_de(fonction: str) -> Iterator[None]:
    """The calls made by this thread within the block are `fonction`'s."""
    jeton = _fonction.set(fonction)
    try:
        yield
    finally:
        _fonction.reset(jeton)


def fonction_courante() -> str | None:
    """The function on whose behalf this thread works (None: the runtime's or a test's)."""
    return _fonction.get()


def _identifiants(service: str, params: dict[str, Any]) -> dict[str, str]:
    noms = PARAMETRES_S3 if service == "s3" else PARAMETRES
    trouves = {k: str(params[k]) for k in noms if params.get(k) is not None}
    source = params.get("CopySource")
    if service == "s3" and isinstance(
        source, dict
    ):  # boto3's form of CopyObject's source: as S3 writes it
        version = f"?versionId={source['VersionId']}" if source.get("VersionId") else ""
        trouves["CopySource"] = f"{source['Bucket']}/{source['Key']}{version}"
    if "taskToken" in params:
        # The token is opaque: the check maps it to the state machine that issues tokens.
        trouves["taskToken"] = "present"
    tables = sorted(params.get("RequestItems") or {})  # BatchGetItem / BatchWriteItem
    if tables:
        trouves["TableNames"] = ",".join(tables)
    # A transaction is authorized item by item (Put, Update, ConditionCheck…, per table).
    elements = {
        f"{genre}/{operation['TableName']}"
        for element in params.get("TransactItems") or []
        for genre, operation in element.items()
    }
    if elements:
        trouves["TransactItems"] = ",".join(sorted(elements))
    return trouves


def _noter(params: dict[str, Any], model: Any, context: Any = None, **_: Any) -> None:
    fonction = _fonction.get()
    if fonction is None:
        return  # the runtime's or a test's own call
    presigne = bool(isinstance(context, dict) and context.get("is_presign_request"))
    if presigne and model.name == "CreateBucket":
        return  # botocore's model for a presigned POST: `poster` below notes its PutObject
    service = model.service_model.service_name
    identifiants = tuple(sorted(_identifiants(service, params).items()))
    cle = (fonction, service, model.name, presigne, identifiants)
    with _verrou:
        _appels[cle] = _appels.get(cle, 0) + 1


def _observer(client: Any) -> None:
    # provide-client-params fires for each API call and for each presigned URL (botocore
    # emits it in both); returning None leaves the parameters as they are.
    client.meta.events.register("provide-client-params", _noter, unique_id="segurnum-iam")
    presigner = getattr(client, "generate_presigned_post", None)
    if presigner is not None:
        # A presigned POST's event names no key (botocore builds it from CreateBucket's
        # model): the upload it allows is a PutObject of that key, checked on its signer.
        def poster(Bucket: str, Key: str, *args: Any, **kwargs: Any) -> Any:
            fonction = _fonction.get()
            if fonction is not None:
                cle = (fonction, "s3", "PutObject", True, (("Bucket", Bucket), ("Key", Key)))
                with _verrou:
                    _appels[cle] = _appels.get(cle, 0) + 1
            return presigner(Bucket, Key, *args, **kwargs)

        client.generate_presigned_post = poster


def installer() -> None:
    """Once per process: every client of shared/aws.py records its calls from now on."""
    from shared.aws import observer_clients

    with _verrou:
        if _installe:
            return
        _installe.append(True)
    observer_clients(_observer)


def appels() -> list[dict[str, Any]]:
    """The calls noted so far, one entry per distinct (function, call, identifiers)."""
    with _verrou:
        copie = dict(_appels)
    return [
        {
            "fonction": fonction,
            "service": service,
            "operation": operation,
            "presigne": presigne,
            "identifiants": dict(identifiants),
            "nombre": nombre,
        }
        for (fonction, service, operation, presigne, identifiants), nombre in sorted(copie.items())
    ]


def oublier_appels() -> None:
    with _verrou:
        _appels.clear()


def ecrire_si_demande(environnement: dict[str, str]) -> Path | None:
    """At the runtime's stop: what it noted, with the functions' environment (the ids AWS
    would choose, a user pool's), in a file of its own in $RUNTIME_LOCAL_APPELS_AWS."""
    dossier = os.environ.get(VARIABLE)
    if not dossier:
        return None
    notes = appels()
    oublier_appels()  # another runtime of this process then writes only its own
    chemin = Path(dossier) / f"appels-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
    chemin.parent.mkdir(parents=True, exist_ok=True)
    contenu = {"environnement": environnement, "appels": notes}
    chemin.write_text(json.dumps(contenu, indent=1), encoding="utf-8")
    return chemin
