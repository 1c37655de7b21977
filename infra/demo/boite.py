"""The local mailbox: `GET /_local/courriels`, what SES (moto) accepted, for the demo and
the tests. Local runtime only (never deployed, never documented in OpenAPI): on AWS the
courriels reach real mailboxes. A real user reads them in a mail client; the demo reads
them here, as it would there."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

bp = Blueprint(__name__)


def _messages() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from shared.settings import settings

    return list(ses_backends[DEFAULT_ACCOUNT_ID][settings().region].sent_messages)


@bp.route("/_local/courriels", methods=["GET"])
def courriels() -> Any:
    """Every courriel sent so far (oldest first), or those to `?destinataire=`."""
    parametres = bp.current_request.query_params or {}
    destinataire = (parametres.get("destinataire") or "").lower()
    elements = []
    for rang, message in enumerate(_messages()):
        a = [str(d) for d in getattr(message, "destinations", {}).get("ToAddresses", [])]
        if destinataire and destinataire not in [d.lower() for d in a]:
            continue
        elements.append(
            {
                "rang": rang,
                "id": getattr(message, "id", None),
                "destinataires": a,
                "objet": getattr(message, "subject", None),
                "corps": getattr(message, "body", None),
            }
        )
    return {"elements": elements}


def installer() -> None:
    """Registers the route on the app served by the local runtime (before it starts)."""
    from infra.app import app

    if "/_local/courriels" not in app.routes:
        app.register_blueprint(bp)
