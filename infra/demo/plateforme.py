"""The demo's client of the running local platform.

Everything an éditeur or a gestionnaire does goes through the public API (`appel`) and the
presigned POSTs it hands out (`envoyer`). Three things are local-only, and said so:
- the clock (`POST /_local/horloge`): the demo moves time to the deadlines;
- the mailbox (`GET /_local/courriels`): what a user would read in a mail client;
- a gestionnaire's sign-in: gestionnaires are created by the operators in Cognito (the
  demo creates one in the local pool, like `segurnum jeton --gestionnaire`).
AWS clients are built here with the platform's endpoint, never through the process-wide
settings, so the e2e tests can drive a platform without touching their own process's."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import requests

T = TypeVar("T")
MOT_DE_PASSE_GESTION = "Gestion-Demo-2024!"


class EtapeEchouee(Exception):
    """The platform answered something the story did not expect: what, in French."""


@dataclass
class Plateforme:
    api: str
    moto: str
    environnement: dict[str, str]
    http: requests.Session = field(default_factory=requests.Session)
    appels: int = 0

    @classmethod
    def depuis_etat(cls, fichier: Path) -> Plateforme:
        """From the state file `make run` writes (`.segurnum-local.json`)."""
        etat = json.loads(fichier.read_text(encoding="utf-8"))
        return cls(api=etat["api"], moto=etat["moto"], environnement=etat["environnement"])

    # --- the public API --------------------------------------------------------------------

    def appel(
        self,
        methode: str,
        chemin: str,
        jeton: str | None = None,
        attendu: tuple[int, ...] = (200,),
        **options: Any,
    ) -> Any:
        """One API call; its JSON body. Another status than `attendu`: EtapeEchouee."""
        entetes = {"Authorization": jeton} if jeton else {}
        self.appels += 1
        r = self.http.request(methode, self.api + chemin, headers=entetes, timeout=120, **options)
        if r.status_code not in attendu:
            raise EtapeEchouee(
                f"{methode} {chemin}: réponse {r.status_code} (attendu {attendu}): {r.text[:800]}"
            )
        return r.json() if r.content else None

    def envoyer(self, envoi: dict[str, Any], nom: str, contenu: bytes) -> None:
        """A file sent on a presigned POST handed out by the API."""
        r = self.http.post(
            envoi["url"], data=envoi["champs"], files={"file": (nom, contenu)}, timeout=120
        )
        if r.status_code not in (200, 201, 204):
            raise EtapeEchouee(f"envoi de {nom} refusé ({r.status_code}): {r.text[:400]}")

    def telecharger(self, url: str) -> bytes:
        r = self.http.get(url, timeout=120)
        if r.status_code != 200:
            raise EtapeEchouee(f"téléchargement impossible ({r.status_code}): {url}")
        return r.content

    # --- local only --------------------------------------------------------------------------

    def regler_horloge(self, instant: str) -> dict[str, Any]:
        return dict(self.appel("POST", "/_local/horloge", json={"instant": instant}))

    def horloge(self) -> str:
        return str(self.appel("GET", "/_local/horloge")["maintenant"])

    def courriels(self, destinataire: str) -> list[dict[str, Any]]:
        r = self.http.get(
            f"{self.api}/_local/courriels", params={"destinataire": destinataire}, timeout=60
        )
        if r.status_code == 404:
            raise EtapeEchouee(
                "La boîte aux lettres locale (GET /_local/courriels) manque: démarrez la "
                "plateforme par « make run » (segurnum local)."
            )
        if r.status_code != 200:
            raise EtapeEchouee(f"boîte aux lettres locale: {r.status_code} {r.text[:300]}")
        return list(r.json()["elements"])

    def _aws(self, service: str) -> Any:
        import boto3

        return boto3.client(
            service,
            endpoint_url=self.moto,
            region_name="eu-west-3",
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )

    def _client_cognito(self) -> str:
        pool = self.environnement["SEGURNUM_USER_POOL_ID"]
        clients = self._aws("cognito-idp").list_user_pool_clients(UserPoolId=pool, MaxResults=10)
        return str(clients["UserPoolClients"][0]["ClientId"])

    def jeton_gestionnaire(self, nom: str, email: str) -> str:
        """A gestionnaire's sign-in (its account created by the operators: here, locally)."""
        idp, pool = self._aws("cognito-idp"), self.environnement["SEGURNUM_USER_POOL_ID"]
        try:
            idp.admin_create_user(
                UserPoolId=pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "name", "Value": nom},
                ],
                MessageAction="SUPPRESS",
            )
            idp.admin_set_user_password(
                UserPoolId=pool, Username=email, Password=MOT_DE_PASSE_GESTION, Permanent=True
            )
            idp.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName="gestionnaires")
        except idp.exceptions.UsernameExistsException:
            pass
        return self.connexion(email, MOT_DE_PASSE_GESTION)

    def connexion(self, email: str, mot_de_passe: str, nouveau: str | None = None) -> str:
        """Cognito's public sign-in (what the portal does): USER_PASSWORD_AUTH, and the new
        password asked at the first sign-in. The IdToken."""
        idp, client_id = self._aws("cognito-idp"), self._client_cognito()
        reponse = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": mot_de_passe},
        )
        if reponse.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            if nouveau is None:
                raise EtapeEchouee(f"{email}: un nouveau mot de passe est demandé")
            reponse = idp.respond_to_auth_challenge(
                ClientId=client_id,
                ChallengeName="NEW_PASSWORD_REQUIRED",
                Session=reponse["Session"],
                ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": nouveau},
            )
        return str(reponse["AuthenticationResult"]["IdToken"])

    def certificat(self) -> bytes:
        """The platform's document-signing certificate (to verify the PDFs' signatures)."""
        secret = self._aws("secretsmanager").get_secret_value(
            SecretId=self.environnement["SEGURNUM_SECRET_SIGNATURE"]
        )
        return str(json.loads(secret["SecretString"])["certificat"]).encode()


def attendre(
    condition: Callable[[], T | None], quoi: str, delai: float = 60.0, pause: float = 0.2
) -> T:
    """Polls `condition` until it gives something truthy; EtapeEchouee after `delai`."""
    fin = time.monotonic() + delai
    while True:
        valeur = condition()
        if valeur:
            return valeur
        if time.monotonic() > fin:
            raise EtapeEchouee(f"{quoi}: toujours pas au bout de {delai:.0f} s")
        time.sleep(pause)
