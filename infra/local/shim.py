"""In-process Lambda: moto would run a function in Docker; here it runs the project's
handler in this process. This replaces a private moto method (pinned moto version);
`verifier_crochet()` fails loudly if moto renames or removes it."""

from __future__ import annotations

import importlib
import inspect
import json
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from shared.observabilite import logger

CROCHET = "_invoke_lambda"
_verrou = threading.Lock()
_original: Callable[..., Any] | None = None


class CrochetMotoIntrouvable(RuntimeError):
    pass


def verifier_crochet() -> Any:
    try:
        from moto.awslambda.models import LambdaFunction
    except ImportError as exc:  # pragma: no cover - moto's layout changed
        raise CrochetMotoIntrouvable(
            "moto.awslambda.models.LambdaFunction a disparu: le runtime local ne peut plus "
            "exécuter les Lambda en processus. Épinglez moto==5.2.5 ou adaptez infra/local/shim.py."
        ) from exc
    methode = getattr(LambdaFunction, CROCHET, None)
    if methode is None or not callable(methode):
        raise CrochetMotoIntrouvable(
            f"moto LambdaFunction.{CROCHET} a disparu ou a été renommé: le runtime local ne peut "
            "plus exécuter les Lambda en processus. "
            "Épinglez moto==5.2.5 ou adaptez infra/local/shim.py."
        )
    parametres = list(inspect.signature(methode).parameters)
    if parametres[:2] != ["self", "event"]:
        raise CrochetMotoIntrouvable(
            f"moto LambdaFunction.{CROCHET} a changé de signature ({parametres}): "
            "adaptez infra/local/shim.py."
        )
    return LambdaFunction


class ContexteLambda:
    """The parts of the Lambda context that handlers and Powertools read."""

    def __init__(self, fonction: Any) -> None:
        self.function_name = fonction.function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = fonction.function_arn
        self.memory_limit_in_mb = int(fonction.memory_size or 128)
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{fonction.function_name}"
        self.log_stream_name = "local"
        self._fin = time.monotonic() + float(fonction.timeout or 900)

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._fin - time.monotonic()) * 1000))


def _handler(chemin: str) -> Callable[[Any, Any], Any]:
    module, _, nom = chemin.rpartition(".")
    if module == "app":  # Chalice's bundle puts app.py at the root; here it is infra/app.py
        module = "infra.app"
    importlib.import_module("infra.app")  # registers every Blueprint's handlers
    return getattr(importlib.import_module(module), nom)  # type: ignore[no-any-return]


def _invoquer(self: Any, event: Any = None) -> tuple[str, bool, str]:
    if isinstance(event, (str, bytes)):
        event = json.loads(event or "{}")
    from chalice.utils import to_cfn_resource_name

    from infra.local.appels_aws import au_nom_de

    try:
        # The AWS calls the handler makes are this function's (its role in the template).
        with au_nom_de(to_cfn_resource_name(self.function_name)):
            resultat = _handler(self.handler)(
                event if event is not None else {}, ContexteLambda(self)
            )
    except Exception as exc:
        trace = traceback.format_exc()
        # The handler's own log carries the traceback; this line says which Lambda failed.
        logger.error(
            "échec de la Lambda locale",
            fonction=self.function_name,
            erreur=f"{type(exc).__name__}: {exc}",
        )
        corps = {
            "errorMessage": str(exc),
            "errorType": type(exc).__name__,
            "stackTrace": trace.splitlines(),
        }
        return json.dumps(corps), True, trace
    return json.dumps(resultat, default=str), False, ""


def installer() -> None:
    global _original
    with _verrou:
        classe = verifier_crochet()
        if _original is None:
            _original = getattr(classe, CROCHET)
            setattr(classe, CROCHET, _invoquer)


def desinstaller() -> None:
    global _original
    with _verrou:
        if _original is not None:
            from moto.awslambda.models import LambdaFunction

            setattr(LambdaFunction, CROCHET, _original)
            _original = None
