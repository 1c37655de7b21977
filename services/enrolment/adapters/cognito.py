"""The user pool (Cognito): accounts of éditeurs created or extended when a gestionnaire
validates an enrolment (E4).

The pool signs in by email (`UsernameAttributes: [email]`): the identifiant is the
address. The temporary password is ours (sent in its own courriel), the pool sends
nothing (`MessageAction: SUPPRESS`); the first sign-in asks for a new one
(NEW_PASSWORD_REQUIRED).
"""

from __future__ import annotations

from typing import Any

from services.enrolment.application.ports import Compte
from shared import aws
from shared.settings import settings
from shared.web import GROUPE_EDITEURS


class ComptesCognito:
    """Implements `Comptes`."""

    def __init__(self, user_pool_id: str | None = None, client: Any | None = None) -> None:
        self._pool = user_pool_id
        self._client = client

    @property
    def pool(self) -> str:
        return self._pool or settings().user_pool_id

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("cognito-idp")

    def par_email(self, email: str) -> Compte | None:
        if '"' in email or "\\" in email:  # cannot be quoted in a ListUsers filter
            return None
        reponse = self.client.list_users(UserPoolId=self.pool, Filter=f'email = "{email}"', Limit=2)
        utilisateurs = reponse.get("Users", [])
        if not utilisateurs:
            return None
        utilisateur = utilisateurs[0]
        attributs = {a["Name"]: a["Value"] for a in utilisateur.get("Attributes", [])}
        groupes = self.client.admin_list_groups_for_user(
            UserPoolId=self.pool, Username=utilisateur["Username"]
        ).get("Groups", [])
        return Compte(
            identifiant=str(utilisateur["Username"]),
            email=str(attributs.get("email", email)),
            siret=attributs.get("custom:siret") or None,
            groupes=frozenset(str(g["GroupName"]) for g in groupes),
        )

    def creer(self, email: str, siret: str, nom: str, mot_de_passe_provisoire: str) -> Compte:
        try:
            self.client.admin_create_user(
                UserPoolId=self.pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": "name", "Value": nom or email},
                    {"Name": "custom:siret", "Value": siret},
                ],
                TemporaryPassword=mot_de_passe_provisoire,
                MessageAction="SUPPRESS",
            )
        except self.client.exceptions.UsernameExistsException:
            existant = self.par_email(email)  # created in between: extend it instead
            if existant is None:
                raise
            return self.etendre(existant, siret)
        self.client.admin_add_user_to_group(
            UserPoolId=self.pool, Username=email, GroupName=GROUPE_EDITEURS
        )
        return Compte(email, email, siret, frozenset({GROUPE_EDITEURS}))

    def etendre(self, compte: Compte, siret: str) -> Compte:
        self.client.admin_add_user_to_group(
            UserPoolId=self.pool, Username=compte.identifiant, GroupName=GROUPE_EDITEURS
        )
        if compte.siret is None:
            self.client.admin_update_user_attributes(
                UserPoolId=self.pool,
                Username=compte.identifiant,
                UserAttributes=[{"Name": "custom:siret", "Value": siret}],
            )
        return Compte(
            compte.identifiant,
            compte.email,
            compte.siret or siret,
            compte.groupes | {GROUPE_EDITEURS},
        )
