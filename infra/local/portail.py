"""The built portal (web/dist) served on 127.0.0.1 beside the local API, and the CORS the
local API answers to the portal's origin, and to no other.

Deployed, CloudFront serves the portal and forwards /api/* to API Gateway: one origin, so
the API sends no CORS header at all (infra/resources.yaml). Locally the portal and the API
listen on two ports, i.e. two origins: the API allows exactly the portal's.

`/config.json` tells the built portal where the API is (web/src/config.ts): one build for
every environment.
"""

from __future__ import annotations

import functools
import json
import sys
import threading
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from infra.local.passerelle import FILE_CONNEXIONS

DOSSIER_PORTAIL = Path(__file__).resolve().parents[2] / "web" / "dist"

_ENTETES_CORS = {
    "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "600",
}


def portail_construit(dossier: Path = DOSSIER_PORTAIL) -> bool:
    return (dossier / "index.html").is_file()


class _Fichiers(SimpleHTTPRequestHandler):
    """Static files of web/dist; any path without a file extension is a screen of the
    single-page application: index.html (the router in the browser shows it)."""

    configuration: bytes = b"{}"

    def do_GET(self) -> None:
        chemin = self.path.split("?", 1)[0].split("#", 1)[0]
        if chemin == "/config.json":
            self._envoyer(HTTPStatus.OK, "application/json; charset=utf-8", self.configuration)
            return
        cible = Path(self.translate_path(chemin))
        if not cible.exists() and "." not in chemin.rsplit("/", 1)[-1]:
            self.path = "/index.html"
        super().do_GET()

    def _envoyer(self, statut: HTTPStatus, type_contenu: str, corps: bytes) -> None:
        self.send_response(statut)
        self.send_header("Content-Type", type_contenu)
        self.send_header("Content-Length", str(len(corps)))
        self.end_headers()
        self.wfile.write(corps)

    def end_headers(self) -> None:
        # index.html and config.json change with each build / run; hashed assets never do.
        if not self.path.startswith("/assets/"):
            self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per file would drown the platform's logs


class _ServeurHttp(ThreadingHTTPServer):
    daemon_threads = True
    # A browser opens several connections per page: the backlog of 5 HTTPServer listens
    # with drops them when many users arrive at once (the same as the API's front door).
    request_queue_size = FILE_CONNEXIONS

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser left (page changed, tab closed): nothing to report
        super().handle_error(request, client_address)


def configuration(url_api: str) -> dict[str, Any]:
    """/config.json: the API, and Cognito for the sign-in (`USER_PASSWORD_AUTH` called from
    the browser): locally moto's server and the pool's client; deployed, the template's
    outputs PortailCognitoUrl and PortailCognitoClientId (docs/portail.md)."""
    import os

    config: dict[str, Any] = {"api": url_api}
    moto = os.environ.get("SEGURNUM_ENDPOINT_URL")
    if moto:
        from infra.local.jetons import _client_id

        config["cognito"] = {"url": moto, "clientId": _client_id()}
    return config


class ServeurPortail:
    def __init__(self, dossier: Path, port: int, url_api: str) -> None:
        gestionnaire = type(
            "FichiersPortail",
            (_Fichiers,),
            {"configuration": json.dumps(configuration(url_api)).encode()},
        )
        self._serveur = _ServeurHttp(
            ("127.0.0.1", port), functools.partial(gestionnaire, directory=str(dossier))
        )
        self._thread = threading.Thread(
            target=self._serveur.serve_forever, name="portail", daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._serveur.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def origines(self) -> tuple[str, ...]:
        return (self.url, f"http://localhost:{self.port}")

    def demarrer(self) -> ServeurPortail:
        self._thread.start()
        return self

    def arreter(self) -> None:
        self._serveur.shutdown()
        self._serveur.server_close()
        self._thread.join(timeout=5)


def autoriser_origines(serveur_api: Any, origines: tuple[str, ...]) -> None:
    """Makes the local API (passerelle.serveur_local's server) answer CORS to these origins
    only: preflights answered 204 here, the other answers carry Allow-Origin."""
    http = serveur_api.server
    if hasattr(http, "origines_portail"):  # already answering CORS: the new portal's only
        http.origines_portail = frozenset(origines)
        return
    http.origines_portail = frozenset(origines)
    fabrique = http.RequestHandlerClass  # functools.partial(GestionnaireHttp, verificateur=…)
    base = fabrique.func if isinstance(fabrique, functools.partial) else fabrique

    class AvecCors(base):  # type: ignore[valid-type,misc]
        def _origine(self) -> str | None:
            origine = self.headers.get("Origin")
            return origine if origine in self.server.origines_portail else None

        def end_headers(self) -> None:
            origine = self._origine()
            if origine is not None:
                self.send_header("Access-Control-Allow-Origin", origine)
                self.send_header("Access-Control-Expose-Headers", "Content-Disposition")
            self.send_header("Vary", "Origin")
            super().end_headers()

        def do_OPTIONS(self) -> None:
            origine = self._origine()
            if origine is None or not self.headers.get("Access-Control-Request-Method"):
                super().do_OPTIONS()
                return
            self.send_response(HTTPStatus.NO_CONTENT)
            for nom, valeur in _ENTETES_CORS.items():
                self.send_header(nom, valeur)
            self.send_header("Content-Length", "0")
            self.end_headers()

    if isinstance(fabrique, functools.partial):
        http.RequestHandlerClass = functools.partial(AvecCors, *fabrique.args, **fabrique.keywords)
    else:
        http.RequestHandlerClass = AvecCors
