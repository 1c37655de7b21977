"""The courrier of the Lambda handlers: SES v2, Jinja2 templates, claims and journal in
the single table (clients from `shared.aws`, names from settings)."""

from __future__ import annotations

from shared.courriels.dynamodb import JournalCourrielsDynamo, ReservationsDynamo
from shared.courriels.envoi import Courrier
from shared.courriels.redaction import RedactionJinja
from shared.courriels.ses import ExpediteurSes
from shared.horloge import Horloge


def courrier(horloge: Horloge | None = None) -> Courrier:
    from shared.horloge import horloge as horloge_du_processus

    journal = JournalCourrielsDynamo()
    return Courrier(
        expediteur=ExpediteurSes(),
        redaction=RedactionJinja(),
        reservations=ReservationsDynamo(),
        journal=journal,
        horloge=horloge or horloge_du_processus(),
        confirmation=journal,  # claim confirmed and records written in one request
    )
