"""The local runtime's own AWS calls reach the moto server's WSGI application in process.

Lambda's clients keep their HTTPS connections to AWS open from one call to the next.
moto's server (werkzeug's development server) closes every connection after its answer
(`Connection: close`, always) and starts a thread per connection: every AWS call of the
in-process handlers paid a TCP connection, a server thread and an HTTP exchange — at a
deadline rush, 5,000 dossiers × ~6 calls, more CPU than moto's own work on the calls.

Here botocore's HTTP send, for a request to the moto server's address, calls that same
server's WSGI application (moto's dispatcher: same routing, same backends, same
handlers) in the calling thread; everything above it (serialisation, signature, retries,
parsing of the answer) is botocore's own. Clients outside this process (the command
line, a browser, an éditeur's presigned POST) still use the server over HTTP.

moto's dispatcher also lists its own package's directories (`list_of_moto_modules`: 174
`stat` calls, ~4 ms) for every request, under the lock every request takes, and each
response class lists its methods (`inspect.getmembers`, 3 % of an import's time): neither
changes while the process runs (a method patched keeps its name), so each is listed once.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable
from io import BytesIO
from typing import Any
from urllib.parse import unquote, urlsplit

_verrou = threading.Lock()
_original: Callable[..., Any] | None = None
_cibles: dict[str, tuple[Any, int]] = {}  # "host:port" -> (WSGI application, port)
_modules_moto: Callable[[], Any] | None = None
_methodes_moto: Callable[[Any], list[str]] | None = None


def _latin1(texte: str) -> str:
    """PEP 3333: the environ's strings carry the request's bytes, decoded as latin-1."""
    return texte.encode("utf-8").decode("latin-1")


def _corps(requete: Any) -> bytes:
    corps = requete.body
    if corps is None:
        return b""
    if isinstance(corps, str):
        return corps.encode("utf-8")
    if isinstance(corps, (bytes, bytearray)):
        return bytes(corps)
    return bytes(corps.read())  # a file-like body (botocore resets it before a retry)


def _environ(requete: Any, port: int) -> dict[str, Any]:
    """What werkzeug's server builds for this request (`WSGIRequestHandler.make_environ`)."""
    url = urlsplit(requete.url)
    donnees = _corps(requete)
    chemin = url.path or "/"
    environ: dict[str, Any] = {
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(donnees),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "REQUEST_METHOD": requete.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": _latin1(unquote(chemin)),
        "QUERY_STRING": _latin1(url.query),
        "REQUEST_URI": _latin1(chemin + (f"?{url.query}" if url.query else "")),
        "RAW_URI": _latin1(chemin + (f"?{url.query}" if url.query else "")),
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_PORT": 0,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": str(port),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_LENGTH": str(len(donnees)),
        "HTTP_HOST": url.netloc,
    }
    from moto.core.request import (
        PRESERVED_HEADER_NAMES_ENVIRON_KEY,
        environ_key_for_header,
        should_preserve_original_header_name,
    )

    noms: dict[str, str] = {}
    for nom, valeur in requete.headers.items():
        if isinstance(valeur, bytes):
            valeur = valeur.decode("latin-1")
        cle = environ_key_for_header(nom)
        if cle in ("CONTENT_LENGTH", "HTTP_HOST", "HTTP_TRANSFER_ENCODING"):
            continue  # the whole body is given, its length with it; the URL's host
        if "_" in nom:
            # werkzeug drops them; moto's handler keeps S3's metadata (x-amz-meta-*)
            if not should_preserve_original_header_name(nom):
                continue
            noms.setdefault(cle, nom)
        environ[cle] = str(valeur).replace("\r\n", "")
    environ[PRESERVED_HEADER_NAMES_ENVIRON_KEY] = noms
    return environ


def _repondre(requete: Any, application: Any, port: int) -> Any:
    from botocore.awsrequest import AWSResponse
    from botocore.compat import HTTPHeaders
    from moto.core.botocore_stubber import MockRawResponse
    from werkzeug.test import run_wsgi_app

    iterable, statut, entetes = run_wsgi_app(application, _environ(requete, port))
    try:
        corps = b"".join(iterable)
    finally:
        fermer = getattr(iterable, "close", None)
        if fermer is not None:
            fermer()
    reponse_entetes = HTTPHeaders()
    for nom, valeur in entetes.items():
        reponse_entetes[nom] = valeur
    return AWSResponse(
        requete.url, int(statut.split(" ", 1)[0]), reponse_entetes, MockRawResponse(corps)
    )


def installer(application: Any, port: int) -> None:
    """From now on, botocore's requests to 127.0.0.1:`port` or localhost:`port` (moto's
    Step Functions tasks call the latter) are answered by `application` in process."""
    global _original, _modules_moto, _methodes_moto
    from botocore.httpsession import URLLib3Session
    from moto import backends
    from moto.core import responses

    with _verrou:
        if _modules_moto is None:
            _modules_moto = backends.list_of_moto_modules
            modules = tuple(_modules_moto())
            backends.list_of_moto_modules = lambda: modules  # type: ignore[assignment]
        if _methodes_moto is None:
            _methodes_moto = responses.method_names_from_class
            responses.method_names_from_class = functools.cache(_methodes_moto)
        _cibles.update(
            {f"127.0.0.1:{port}": (application, port), f"localhost:{port}": (application, port)}
        )
        if _original is not None:
            return
        original = URLLib3Session.send

        def send(session: Any, requete: Any) -> Any:
            cible = _cibles.get(urlsplit(requete.url).netloc)
            if cible is None:
                return original(session, requete)
            return _repondre(requete, *cible)

        _original = original
        URLLib3Session.send = send  # type: ignore[method-assign]


def desinstaller() -> None:
    global _original, _modules_moto, _methodes_moto
    from botocore.httpsession import URLLib3Session
    from moto import backends
    from moto.core import responses

    with _verrou:
        _cibles.clear()
        if _methodes_moto is not None:
            responses.method_names_from_class = _methodes_moto
            _methodes_moto = None
        if _modules_moto is not None:
            backends.list_of_moto_modules = _modules_moto  # type: ignore[assignment]
            _modules_moto = None
        if _original is not None:
            URLLib3Session.send = _original  # type: ignore[method-assign]
            _original = None
