"""Local Cognito: users and tokens for development, and the token check `chalice local`
does not do (it decodes the JWT without verifying it)."""

from __future__ import annotations

import secrets
import time
from typing import Any

from shared.aws import client
from shared.settings import settings

MOT_DE_PASSE = "Local-Segurnum-2024!"


def _client_id() -> str:
    pool = settings().user_pool_id
    clients = client("cognito-idp").list_user_pool_clients(UserPoolId=pool, MaxResults=10)
    return str(clients["UserPoolClients"][0]["ClientId"])


def jeton(
    groupe: str, *, siret: str | None = None, nom: str | None = None, email: str | None = None
) -> str:
    """An IdToken for a user of `groupe` (created on first use); local runtime only."""
    idp = client("cognito-idp")
    pool = settings().user_pool_id
    identifiant = siret or nom or secrets.token_hex(4)
    email = email or f"{groupe}.{identifiant}@local.segurnum.example.fr".lower()
    attributs = [{"Name": "email", "Value": email}, {"Name": "name", "Value": nom or identifiant}]
    if siret:
        attributs.append({"Name": "custom:siret", "Value": siret})
    try:
        idp.admin_create_user(
            UserPoolId=pool, Username=email, UserAttributes=attributs, MessageAction="SUPPRESS"
        )
        idp.admin_set_user_password(
            UserPoolId=pool, Username=email, Password=MOT_DE_PASSE, Permanent=True
        )
        idp.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=groupe)
    except idp.exceptions.UsernameExistsException:
        pass
    reponse = idp.admin_initiate_auth(
        UserPoolId=pool,
        ClientId=_client_id(),
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": MOT_DE_PASSE},
    )
    return str(reponse["AuthenticationResult"]["IdToken"])


def verificateur() -> Any:
    """Checks signature (moto's published key), issuer, expiry and token use."""
    from joserfc import jwt
    from joserfc.jwk import KeySet
    from moto.utilities.utils import load_resource

    cles = KeySet.import_key_set(load_resource("cognitoidp/resources/jwks-public.json"))
    emetteur = f"https://cognito-idp.{settings().region}.amazonaws.com/{settings().user_pool_id}"

    def verifier(texte: str) -> dict[str, Any]:
        claims = dict(jwt.decode(texte, cles).claims)
        if claims.get("iss") != emetteur:
            raise ValueError("émetteur inattendu")
        if claims.get("token_use") != "id":
            raise ValueError("un IdToken est attendu")
        if int(claims.get("exp", 0)) < time.time():
            raise ValueError("jeton expiré")
        return claims

    return verifier
