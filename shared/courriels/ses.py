"""SES v2 adapter of `Expediteur` (client from `shared.aws`, sender from settings)."""

from __future__ import annotations

from typing import Any

from shared import aws
from shared.courriels.contrat import Courriel
from shared.settings import settings


class ExpediteurSes:
    """Implements `Expediteur` with SES v2 `SendEmail` (text and HTML, UTF-8)."""

    def __init__(self, expediteur: str | None = None, client: Any | None = None) -> None:
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
        return str(reponse["MessageId"])
