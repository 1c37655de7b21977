"""What a gestionnaire reads of a technical failure (EN_ERREUR_TECHNIQUE): which step, what
kind of failure, and a reference to find the details in the logs. Never the exception's text
nor its stack trace: Step Functions' Cause carries the Lambda's error message, its trace and
the bundle's file paths, which are internals (and may quote data)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

# The states of infra/statemachines/instruction.asl.json that can fail (their `…Echec`
# Pass states name them in $.etapeEchouee).
ETAPES = {
    "EnCours": "l'attente de la décision du gestionnaire",
    "NotifierRejet": "l'envoi du courriel de rejet",
    "NotifierEditeur": "l'envoi du courriel à l'éditeur",
    "AttenteEditeur": "l'attente de la réponse de l'éditeur",
    "DecisionPdf": "la production de la décision d'attribution",
    "NotifierDecision": "l'envoi du courriel de décision",
    "DemanderVersement": "la demande de versement au service de paiement",
    "Payee": "l'enregistrement du paiement",
}

# Step Functions' and Lambda's error names, and the platform's own (application layer).
_DELAI = {"States.Timeout", "States.HeartbeatTimeout", "Sandbox.Timedout"}
_TRANSITOIRES = re.compile(
    r"^(Lambda\.|ErreurTransitoire$|.*Throttl|.*TooManyRequests|.*ServiceUnavailable"
    r"|.*InternalServerError|.*RequestLimitExceeded|ProvisionedThroughputExceeded)"
)
_DONNEES = {"DonneesIncoherentes", "ActionImpossible"}


def nature(erreur: Mapping[str, Any] | None) -> str:
    """The kind of failure, in French, from the error's name alone (never its text)."""
    nom = str((erreur or {}).get("Error") or "")
    if nom in _DELAI:
        return "délai dépassé"
    if _TRANSITOIRES.match(nom):
        return "service momentanément indisponible"
    if nom in _DONNEES:
        return "données incohérentes"
    return "erreur interne de la plateforme"


def reference(execution: str, etape: str, instant: str) -> str:
    """A short correlation id, the same in the view and in the log line with the details:
    derived from what identifies this failure, so a replayed task gives the same one."""
    empreinte = hashlib.sha256(f"{execution}|{etape}|{instant}".encode()).hexdigest()
    return f"ERR-{empreinte[:10].upper()}"


def cause_lisible(erreur: Mapping[str, Any] | None, etape: str, ref: str) -> str:
    """« Échec de la production de la décision d'attribution (erreur interne de la
    plateforme). Référence ERR-… à communiquer à l'exploitation. »"""
    libelle = ETAPES.get(etape, "une étape de l'instruction")
    return f"Échec de {libelle} ({nature(erreur)}). Référence {ref} à communiquer à l'exploitation."
