"""What every Blueprint needs for its HTTP routes: identity, groups, JSON errors in French.

On AWS, API Gateway's Cognito authorizer has verified the token before the function
runs and the claims are in the request context. `chalice local` decodes the token
without checking it, so the local runtime installs a verifier (`installer_verificateur`)
that checks the signature against the local Cognito first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chalice.app import CognitoUserPoolAuthorizer, ForbiddenError, Response, UnauthorizedError

GROUPE_EDITEURS = "editeurs"
GROUPE_GESTIONNAIRES = "gestionnaires"

# API Gateway verifies the token against the pool; the real pool ARN replaces this one in
# the packaged template (infra/resources.yaml merges providerARNs from the UserPool).
cognito = CognitoUserPoolAuthorizer(
    "segurnum", provider_arns=["arn:aws:cognito-idp:eu-west-3:000000000000:userpool/remplace"]
)

Verificateur = Callable[[str], dict[str, Any]]
_verificateur: Verificateur | None = None


def installer_verificateur(verificateur: Verificateur | None) -> None:
    global _verificateur
    _verificateur = verificateur


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


def _groupes(brut: Any) -> frozenset[str]:
    if isinstance(brut, list):
        return frozenset(str(g) for g in brut)
    if isinstance(brut, str):
        # API Gateway flattens the list as "[a, b]" or "a,b" depending on the path.
        return frozenset(g.strip() for g in brut.strip("[]").replace(",", " ").split() if g)
    return frozenset()


def identite(request: Any) -> Identite:
    """The caller, or 401 when the request carries no valid token."""
    claims: dict[str, Any] | None = None
    entetes = {k.lower(): v for k, v in (request.headers or {}).items()}
    jeton = entetes.get("authorization")
    if _verificateur is not None:
        if not jeton:
            raise UnauthorizedError("Authentification requise: jeton absent.")
        jeton = jeton.removeprefix("Bearer ").strip()
        try:
            claims = _verificateur(jeton)
        except Exception as exc:  # any verification failure is a 401, never a 500
            raise UnauthorizedError("Jeton invalide ou expiré.") from exc
    else:
        contexte = (request.context or {}).get("authorizer") or {}
        claims = contexte.get("claims")
    if not claims:
        raise UnauthorizedError("Authentification requise: jeton absent.")
    return Identite(
        utilisateur=str(claims.get("cognito:username") or claims.get("sub") or ""),
        groupes=_groupes(claims.get("cognito:groups")),
        siret=claims.get("custom:siret") or None,
        nom=str(claims.get("name") or claims.get("cognito:username") or ""),
        email=claims.get("email"),
    )


def exiger(request: Any, groupe: str) -> Identite:
    """The caller if they belong to `groupe`; 401 without a token, 403 otherwise."""
    qui = identite(request)
    if groupe not in qui.groupes:
        raise ForbiddenError(f"Accès réservé au groupe « {groupe} ».")
    if groupe == GROUPE_EDITEURS and not qui.siret:
        raise ForbiddenError("Le jeton de l'éditeur ne porte pas de SIRET.")
    return qui


def reponse(corps: Any, statut: int = 200, entetes: dict[str, str] | None = None) -> Response:
    return Response(
        body=json.dumps(corps, ensure_ascii=False, default=str),
        status_code=statut,
        headers={"Content-Type": "application/json; charset=utf-8", **(entetes or {})},
    )


def erreur(statut: int, code: str, message: str, **details: Any) -> Response:
    return reponse({"code": code, "message": message, **details}, statut)


def corps_json(request: Any) -> dict[str, Any] | Response:
    """The JSON object of the request, or a 400 in French."""
    brut = request.raw_body
    if not brut:
        return erreur(400, "CORPS_ABSENT", "Le corps de la requête doit être un objet JSON.")
    try:
        valeur = json.loads(brut)
    except (ValueError, UnicodeDecodeError):
        return erreur(400, "JSON_ILLISIBLE", "Le corps de la requête n'est pas un JSON valide.")
    if not isinstance(valeur, dict):
        return erreur(400, "JSON_ILLISIBLE", "Le corps de la requête doit être un objet JSON.")
    return valeur
