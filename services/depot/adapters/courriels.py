"""Courriels: bodies rendered with Jinja2 from `modeles/*.j2` (French), sent with SES v2.

`RedactionJinja` implements `Redaction`: `{modele}.txt.j2` gives the text body,
`{modele}.html.j2` the HTML body (autoescaped). `CourrierSes` implements `Courrier`:
`send_email` from `settings().expediteur`, then the record of the courriel through a
`JournalCourriels`. jinja2 and boto3 are imported on first use (handlers' cold start).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from services.depot.application.guichet import (
    Corps,
    Courriel,
    CourrielNonConsigne,
    JournalCourriels,
)
from services.depot.domain.guichet import Avis
from shared import aws
from shared.settings import settings

logger = logging.getLogger(__name__)

DOSSIER_MODELES = Path(__file__).parent / "modeles"


@lru_cache(maxsize=4)
def _environnement(dossier: str) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(dossier),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class RedactionJinja:
    """Implements `Redaction`."""

    def __init__(self, dossier: Path | None = None) -> None:
        self._dossier = str(dossier or DOSSIER_MODELES)

    def rediger(self, avis: Avis) -> Corps:
        environnement = _environnement(self._dossier)
        contexte = {**dict(avis.contexte), "objet": avis.objet}
        return Corps(
            texte=environnement.get_template(f"{avis.modele}.txt.j2").render(contexte),
            html=environnement.get_template(f"{avis.modele}.html.j2").render(contexte),
        )


class CourrierSes:
    """Implements `Courrier` with SES v2; each courriel sent is recorded by `journal`."""

    def __init__(
        self,
        journal: JournalCourriels | None = None,
        expediteur: str | None = None,
        client: Any | None = None,
    ) -> None:
        self._journal = journal
        self._expediteur = expediteur
        self._client = client

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("sesv2")

    def envoyer(self, courriel: Courriel) -> str:
        if not courriel.destinataires:
            raise ValueError("un courriel a au moins un destinataire")
        reponse = self.client.send_email(
            FromEmailAddress=self._expediteur or settings().expediteur,
            Destination={"ToAddresses": list(courriel.destinataires)},
            Content={
                "Simple": {
                    "Subject": {"Data": courriel.objet, "Charset": "UTF-8"},
                    "Body": {
                        "Text": {"Data": courriel.texte, "Charset": "UTF-8"},
                        "Html": {"Data": courriel.html, "Charset": "UTF-8"},
                    },
                }
            },
        )
        message_id = str(reponse["MessageId"])
        if self._journal is not None:
            try:
                self._journal.consigner(courriel, message_id)
            except Exception as erreur:  # the message left: never let it be sent again
                logger.exception("Courriel %s envoyé mais non consigné", message_id)
                raise CourrielNonConsigne(message_id, str(erreur)) from erreur
        return message_id
