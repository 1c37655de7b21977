"""The local API Gateway: `chalice local`'s server, answering like the deployed gateway
with our gateway responses (infra/resources.yaml): one error shape in French.

What `chalice local` does differently, and why it is replaced here:
- an unknown route answers 403 in English and echoes the Authorization header;
- the Cognito authorizer only decodes the token (no signature check), and a malformed
  value (`garbage`, `a.b.c`, a payload that is not JSON) raises out of the handler: the
  connection drops without an answer;
- a client that disconnects leaves a traceback in the log.
Here the token is verified (signature, issuer, expiry) and its claims put in the request
context, as API Gateway's Cognito authorizer does.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any
from urllib.parse import unquote

from chalice.app import Chalice, CognitoUserPoolAuthorizer
from chalice.config import Config
from chalice.local import (
    ChaliceRequestHandler,
    CustomLocalChalice,
    LocalChalice,
    LocalDevServer,
    LocalGateway,
    ThreadedHTTPServer,
)

from shared.api import erreur_cadre

journal = logging.getLogger(__name__)

Verificateur = Callable[[str], dict[str, Any]]
# A client that went away: nothing to answer, nothing to log.
_DECONNEXIONS = (ConnectionError, TimeoutError)
FILE_CONNEXIONS = 1024  # connections waiting to be accepted (listen backlog)


class _Refus(Exception):
    def __init__(self, statut: int, code: str, message: str) -> None:
        super().__init__(message)
        self.reponse = _reponse(statut, code, message)


def _reponse(statut: int, code: str, message: str) -> dict[str, Any]:
    return {
        "statusCode": statut,
        "headers": {"Content-Type": "application/json; charset=utf-8"},
        "multiValueHeaders": {},
        "body": json.dumps({"code": code, "message": message}, ensure_ascii=False),
    }


class PasserelleLocale(LocalGateway):
    def __init__(self, app: Chalice, config: Config, verificateur: Verificateur) -> None:
        super().__init__(app, config)
        self._verificateur = verificateur

    def handle_request(
        self, method: str, path: str, headers: dict[str, Any], body: bytes | None
    ) -> dict[str, Any]:
        from infra.local.appels_aws import API, au_nom_de

        # The request's AWS calls are the API handler's (its role), except the local-only
        # admin routes (infra/local/admin.py), which do not exist on AWS.
        appelant = nullcontext() if path.startswith("/_local/") else au_nom_de(API)
        try:
            with appelant:
                return self._traiter(method, path, headers, body)
        except _Refus as refus:
            return refus.reponse

    def _traiter(
        self, method: str, path: str, headers: dict[str, Any], body: bytes | None
    ) -> dict[str, Any]:
        contexte = self._generate_lambda_context()
        try:
            event = self._generate_lambda_event(method, path, headers, body)
        except ValueError:
            # API Gateway: MISSING_AUTHENTICATION_TOKEN, answered 404 by our gateway responses.
            raise _Refus(
                404,
                "ROUTE_INCONNUE",
                "Cette route n'existe pas: les routes sont décrites dans /openapi.json.",
            ) from None
        # API Gateway hands the view decoded path parameters.
        event["pathParameters"] = {k: unquote(v) for k, v in event["pathParameters"].items()}
        if method == "OPTIONS" and not self._has_user_defined_options_method(event):
            return {
                "statusCode": 200,
                "headers": self._autogen_options_headers(event),
                "multiValueHeaders": {},
                "body": None,
            }
        self._autoriser(event)
        reponse: dict[str, Any] = self._app_object(event, contexte)
        return reponse

    def _autoriser(self, event: dict[str, Any]) -> None:
        """The Cognito authorizer: 401 without a valid IdToken, else claims in the context."""
        contexte = event["requestContext"]
        entree = self._app_object.routes[contexte["resourcePath"]].get(contexte["httpMethod"])
        if entree is None or not isinstance(entree.authorizer, CognitoUserPoolAuthorizer):
            return
        jeton = str(event["headers"].get("authorization") or "").strip()
        if not jeton:
            raise _Refus(
                401,
                "NON_AUTHENTIFIE",
                "Authentification requise: jeton absent (en-tête Authorization).",
            )
        try:
            claims = self._verificateur(jeton.removeprefix("Bearer ").strip())
        except Exception:  # any malformed or unverifiable token is a 401, never a crash
            raise _Refus(401, "NON_AUTHENTIFIE", "Jeton invalide ou expiré.") from None
        contexte["authorizer"] = {
            "claims": claims,
            "principalId": str(claims.get("cognito:username") or claims.get("sub") or ""),
        }


class GestionnaireHttp(ChaliceRequestHandler):
    """One HTTP exchange: always an answer in our shape, silence when the client left."""

    def __init__(
        self,
        request: Any,
        client_address: Any,
        server: Any,
        app_object: Chalice,
        config: Config,
        verificateur: Verificateur,
    ) -> None:
        self.local_gateway = PasserelleLocale(app_object, config, verificateur)
        # ChaliceRequestHandler.__init__ would build chalice's own gateway: skip it.
        super(ChaliceRequestHandler, self).__init__(request, client_address, server)

    def _generic_handle(self) -> None:
        try:
            try:
                headers, body = self._parse_payload()
            except ValueError:  # Content-Length that is not a number
                self._envoyer(_reponse(400, "REQUETE_INVALIDE", "En-tête Content-Length invalide."))
                return
            try:
                reponse = self.local_gateway.handle_request(
                    method=self.command, path=self.path, headers=headers, body=body
                )
            except _DECONNEXIONS:
                raise
            except Exception:
                journal.exception("Erreur interne de la passerelle locale")
                reponse = _reponse(500, "ERREUR_INTERNE", erreur_cadre(500)[1])
            self._envoyer(reponse)
        except _DECONNEXIONS:
            self.close_connection = True

    def _envoyer(self, reponse: dict[str, Any]) -> None:
        entetes = dict(reponse["headers"])
        entetes.update(reponse.get("multiValueHeaders") or {})
        reponse = self._handle_binary(reponse)
        self._send_http_response(reponse["statusCode"], entetes, reponse["body"])

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = do_PATCH = do_OPTIONS = _generic_handle

    def __getattr__(self, nom: str) -> Any:
        # Any other method (TRACE, QUERY, FOO…) goes to the app too: a 405 listing `Allow`.
        if nom.startswith("do_"):
            return self._generic_handle
        raise AttributeError(nom)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (malformed request line, unknown method…) in our shape,
        not its HTML page; a method it does not know is a 405 like any other."""
        if code == 501:
            code = 405
        code_api, texte = erreur_cadre(code)
        if code == 414:
            code_api, texte = "REQUETE_INVALIDE", "L'adresse de la requête est trop longue."
        permises = self._methodes_permises() if code == 405 else None
        if permises:
            texte = f"{erreur_cadre(405)[1][:-1]}; méthodes permises: {permises}."
        self.close_connection = True
        reponse = _reponse(code, code_api, texte)
        reponse["headers"]["Connection"] = "close"
        if permises:
            reponse["headers"]["Allow"] = permises
        self._envoyer(reponse)

    def _methodes_permises(self) -> str | None:
        passerelle = self.local_gateway
        try:
            route = passerelle.event_converter._route_matcher.match_route(self.path)
        except (ValueError, AttributeError):
            return None
        return ", ".join(passerelle._app_object.routes[route.route])

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except _DECONNEXIONS:
            self.close_connection = True


class ServeurHttp(ThreadedHTTPServer):
    # HTTPServer listens with a backlog of 5: at a deadline rush (25 éditeurs calling
    # POST /depots at once) the kernel drops or resets the connections beyond it. Each
    # accepted connection has a thread of its own (daemon_threads): this is only the queue
    # of connections not accepted yet, as API Gateway would take them (the kernel caps it
    # at net.core.somaxconn).
    request_queue_size = FILE_CONNEXIONS

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        if isinstance(sys.exc_info()[1], _DECONNEXIONS):
            return  # the client left: not an error of the platform
        super().handle_error(request, client_address)


def serveur_local(
    app: Chalice, config: Config, hote: str, port: int, verificateur: Verificateur
) -> LocalDevServer:
    """`chalice local`'s server with the gateway above (like chalice.local.create_local_server,
    whose per-thread current_request the app needs)."""
    if not isinstance(app, LocalChalice):  # once per process: the class is changed in place
        CustomLocalChalice.__bases__ = (LocalChalice, app.__class__)
        app.__class__ = CustomLocalChalice
    gestionnaire = functools.partial(GestionnaireHttp, verificateur=verificateur)
    return LocalDevServer(app, config, hote, port, handler_cls=gestionnaire, server_cls=ServeurHttp)
