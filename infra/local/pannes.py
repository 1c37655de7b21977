"""Faults injected into the platform's own AWS calls, on the local runtime (issue « Nothing
lost when AWS fails »): what AWS does at a deadline rush, on a seed.

Two kinds, as production meets them:
- **a call failing after the SDK's retries** (`echecs`): the call raises a throttling
  error of its service before reaching moto: nothing was done;
- **a write applied, then failed** (`ambigues`): the call reached moto and was applied, then
  its caller sees a 500 (a timeout after the commit, an answer lost).

Only the calls made on behalf of a platform function are touched (the shim's and the
gateway's marker, infra/local/appels_aws.py): provisioning, the local runtime's own
plumbing and the tests' clients never fail. A botocore hook on the clients shared/aws.py
creates (`observer_clients`), the same hook point as the least-privilege recorder.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# The error each service answers when it throttles (what the SDK gives up on).
LIMITATIONS = {
    "dynamodb": ("ProvisionedThroughputExceededException", 400),
    "s3": ("SlowDown", 503),
    "sqs": ("RequestThrottled", 403),
    "stepfunctions": ("ThrottlingException", 400),
    "sesv2": ("TooManyRequestsException", 429),
    "kms": ("ThrottlingException", 400),
    "secretsmanager": ("ThrottlingException", 400),
    "cognito-idp": ("TooManyRequestsException", 400),
    "scheduler": ("ThrottlingException", 400),
}
# The calls that change something: those an ambiguous failure can follow.
ECRITURES = {
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "TransactWriteItems",
    "BatchWriteItem",
    "PutObject",
    "CopyObject",
    "DeleteObject",
    "SendMessage",
    "SendMessageBatch",
    "DeleteMessage",
    "StartExecution",
    "SendTaskSuccess",
    "SendTaskFailure",
    "SendEmail",
    "AdminCreateUser",
    "AdminAddUserToGroup",
    "AdminUpdateUserAttributes",
    "Encrypt",
}


# What Lambda's event source mapping does with the function's role on AWS (receive, delete,
# extend the visibility) and the invocation itself: AWS's machinery, not the platform's code.
MACHINERIE = {
    ("sqs", "ReceiveMessage"),
    ("sqs", "DeleteMessage"),
    ("sqs", "DeleteMessageBatch"),
    ("sqs", "ChangeMessageVisibility"),
    ("sqs", "ChangeMessageVisibilityBatch"),
    ("sqs", "GetQueueAttributes"),
    ("lambda", "Invoke"),
}


@dataclass
class Pannes:
    """The fault plan: rates, seed, and the services it touches (None: all)."""

    graine: int
    echecs: float = 0.03
    ambigues: float = 0.01
    services: frozenset[str] | None = None
    actif: bool = True
    injectees: Counter[str] = field(default_factory=Counter)
    _hasard: random.Random = field(init=False, repr=False)
    _verrou: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._hasard = random.Random(self.graine)

    def _tirer(self, taux: float) -> bool:
        with self._verrou:
            return self._hasard.random() < taux

    def _concerne(self, service: str, operation: str) -> bool:
        from infra.local.appels_aws import fonction_courante

        if not self.actif or fonction_courante() is None or (service, operation) in MACHINERIE:
            return False
        return self.services is None or service in self.services

    def avant(self, model: Any, **_: Any) -> None:
        service = model.service_model.service_name
        if self._concerne(service, model.name) and self._tirer(self.echecs):
            code, statut = LIMITATIONS.get(service, ("ThrottlingException", 400))
            self._noter(f"echec:{service}:{model.name}")
            raise _erreur(code, statut, model.name, "injectée: limitation après les essais")

    def apres(self, model: Any, http_response: Any = None, **_: Any) -> None:
        service = model.service_model.service_name
        reussi = http_response is None or getattr(http_response, "status_code", 200) < 300
        if (
            reussi
            and model.name in ECRITURES
            and self._concerne(service, model.name)
            and self._tirer(self.ambigues)
        ):
            self._noter(f"ambigue:{service}:{model.name}")
            raise _erreur("InternalServerError", 500, model.name, "injectée: écrite puis perdue")

    def _noter(self, cle: str) -> None:
        with self._verrou:
            self.injectees[cle] += 1

    def total(self) -> int:
        with self._verrou:
            return sum(self.injectees.values())


def _erreur(code: str, statut: int, operation: str, message: str) -> Exception:
    from botocore.exceptions import ClientError

    return ClientError(
        {
            "Error": {"Code": code, "Message": message},
            "ResponseMetadata": {"HTTPStatusCode": statut},
        },
        operation,
    )


_plan: list[Pannes] = []
_installe: list[bool] = []


def _observer(client: Any) -> None:
    # Registered once per client; each event asks the plan in force (or none).
    client.meta.events.register("before-call", _avant, unique_id="segurnum-pannes-avant")
    client.meta.events.register("after-call", _apres, unique_id="segurnum-pannes-apres")


def _avant(**kwargs: Any) -> None:
    if _plan:
        _plan[0].avant(**kwargs)


def _apres(**kwargs: Any) -> None:
    if _plan:
        _plan[0].apres(**kwargs)


def injecter(pannes: Pannes | None) -> None:
    """From now on the platform's AWS calls fail by this plan (None: no fault)."""
    from shared.aws import observer_clients

    if not _installe:
        _installe.append(True)
        observer_clients(_observer)
    _plan.clear()
    if pannes is not None:
        _plan.append(pannes)
