"""What every Blueprint needs for its HTTP routes: identity, groups, JSON errors in French.

API Gateway's Cognito authorizer verifies the token before the function runs and puts
its claims in the request context; the local runtime's gateway does the same
(infra/local/passerelle.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalice.app import CognitoUserPoolAuthorizer, Response

from shared.api import ErreurApi, reponse_erreur
from shared.api import reponse as reponse  # re-exported: one JSON answer for every route

GROUPE_EDITEURS = "editeurs"
GROUPE_GESTIONNAIRES = "gestionnaires"

# API Gateway verifies the token against the pool; the real pool ARN replaces this one in
# the packaged template (infra/resources.yaml merges providerARNs from the UserPool).
cognito = CognitoUserPoolAuthorizer(
    "segurnum", provider_arns=["arn:aws:cognito-idp:eu-west-3:000000000000:userpool/remplace"]
)


@dataclass(frozen=True)
class Identite:
    utilisateur: str
    groupes: frozenset[str]
    siret: str | None
    nom: str
    email: str | None

    @property
    def est_gestionnaire(self) -> bool:
        return GROUPE_GESTIONNAIRES in self.groupes

    @property
    def auteur(self) -> str:
        """Who acted, as the history shows it to people: the account's name, else its
        email, else « éditeur {siret} »; never the account's opaque id when avoidable."""
        if self.nom:
            return self.nom
        if self.email:
            return self.email
        return f"éditeur {self.siret}" if self.siret else self.utilisateur


def _groupes(brut: Any) -> frozenset[str]:
    if isinstance(brut, list):
        return frozenset(str(g) for g in brut)
    if isinstance(brut, str):
        # API Gateway flattens the list as "[a, b]" or "a,b" depending on the path.
        return frozenset(g.strip() for g in brut.strip("[]").replace(",", " ").split() if g)
    return frozenset()


def identite(request: Any) -> Identite:
    """The caller, or 401 when the request carries no valid token."""
    contexte = (request.context or {}).get("authorizer") or {}
    claims = contexte.get("claims")
    if not isinstance(claims, dict) or not claims:
        raise ErreurApi(401, "NON_AUTHENTIFIE", "Authentification requise: jeton absent.")
    return Identite(
        utilisateur=str(claims.get("cognito:username") or claims.get("sub") or ""),
        groupes=_groupes(claims.get("cognito:groups")),
        siret=claims.get("custom:siret") or None,
        nom=str(claims.get("name") or ""),
        email=claims.get("email"),
    )


def exiger(request: Any, groupe: str) -> Identite:
    """The caller if they belong to `groupe`; 401 without a token, 403 otherwise."""
    qui = identite(request)
    if groupe not in qui.groupes:
        raise ErreurApi(403, "ACCES_INTERDIT", f"Accès réservé au groupe « {groupe} ».")
    if groupe == GROUPE_EDITEURS and not qui.siret:
        raise ErreurApi(403, "ACCES_INTERDIT", "Le jeton de l'éditeur ne porte pas de SIRET.")
    return qui


def erreur(statut: int, code: str, message: str, **details: Any) -> Response:
    return reponse_erreur(statut, code, message, **details)


def corps_json(request: Any) -> dict[str, Any] | Response:
    """The JSON object of the request, or a 400 in French (prefer `shared.api.corps`)."""
    import json

    brut = request.raw_body
    if not brut:
        return erreur(400, "CORPS_ABSENT", "Le corps de la requête doit être un objet JSON.")
    try:
        valeur = json.loads(brut)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return erreur(400, "JSON_ILLISIBLE", "Le corps de la requête n'est pas un JSON valide.")
    if not isinstance(valeur, dict):
        return erreur(400, "JSON_ILLISIBLE", "Le corps de la requête doit être un objet JSON.")
    return valeur
