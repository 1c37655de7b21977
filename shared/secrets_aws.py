"""Les secrets de la plateforme dans AWS Secrets Manager: le matériel de signature des
documents, et les clés texte (la clé HMAC des défis anti-robot, `segurnum-altcha`).

Le secret de signature contient {"cle": "<PEM PKCS#8>", "certificat": "<PEM X.509>"}. Sur AWS, le
modèle déclare le secret et l'étape de déploiement y dépose la paire (un certificat ne
se génère pas avec GenerateSecretString); le runtime local y dépose une paire autosignée
quand il provisionne (assurer_materiel_local). Une clé texte est générée par AWS
(GenerateSecretString); le runtime local en tire une au hasard (assurer_cle_locale).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from shared.aws import client
from shared.signature import (
    NOM_LOCAL,
    MaterielSignature,
    SignatureImpossible,
    generer_materiel,
    materiel_depuis_json,
    materiel_en_json,
)

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

NOM_SECRET_SIGNATURE = "segurnum-signature-documents"


def _secrets() -> SecretsManagerClient:
    resultat: SecretsManagerClient = client("secretsmanager")
    return resultat


def _code(exc: Exception) -> str:
    reponse: Any = getattr(exc, "response", {})
    return str(reponse.get("Error", {}).get("Code", ""))


class MaterielSecretsManager:
    """Adapter of SourceMaterielSignature: read once per process (a cold start), then kept."""

    def __init__(self, nom_secret: str = NOM_SECRET_SIGNATURE) -> None:
        self._nom = nom_secret
        self._verrou = threading.Lock()
        self._materiel: MaterielSignature | None = None

    def materiel(self) -> MaterielSignature:
        with self._verrou:
            if self._materiel is None:
                self._materiel = lire_materiel(self._nom)
            return self._materiel


def lire_materiel(nom_secret: str = NOM_SECRET_SIGNATURE) -> MaterielSignature:
    from botocore.exceptions import ClientError

    try:
        reponse = _secrets().get_secret_value(SecretId=nom_secret)
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            raise SignatureImpossible(
                f"le secret de signature {nom_secret} n'existe pas ou n'a pas de valeur"
            ) from exc
        raise
    texte = reponse.get("SecretString")
    if not texte:
        raise SignatureImpossible(f"le secret de signature {nom_secret} est vide")
    return materiel_depuis_json(texte)


def deposer_materiel(materiel: MaterielSignature, nom_secret: str = NOM_SECRET_SIGNATURE) -> None:
    """Crée le secret, ou lui donne une nouvelle version s'il existe déjà."""
    from botocore.exceptions import ClientError

    valeur = materiel_en_json(materiel)
    try:
        _secrets().put_secret_value(SecretId=nom_secret, SecretString=valeur)
    except ClientError as exc:
        if _code(exc) != "ResourceNotFoundException":
            raise
        _secrets().create_secret(
            Name=nom_secret,
            Description="Clé et certificat de signature des documents (PEM)",
            SecretString=valeur,
        )


def assurer_materiel_local(
    nom_secret: str = NOM_SECRET_SIGNATURE, nom: str = NOM_LOCAL
) -> MaterielSignature:
    """Runtime local: garde la paire déjà déposée, sinon en génère une autosignée."""
    try:
        return lire_materiel(nom_secret)
    except SignatureImpossible:
        materiel = generer_materiel(nom)
        deposer_materiel(materiel, nom_secret)
        return materiel


class SecretAbsent(RuntimeError):
    """A secret the platform cannot work without is missing or empty."""


def lire_texte(nom_secret: str) -> str:
    """The SecretString of a text secret (an HMAC key made by GenerateSecretString)."""
    from botocore.exceptions import ClientError

    try:
        reponse = _secrets().get_secret_value(SecretId=nom_secret)
    except ClientError as exc:
        if _code(exc) == "ResourceNotFoundException":
            raise SecretAbsent(f"le secret {nom_secret} n'existe pas ou n'a pas de valeur") from exc
        raise
    texte = reponse.get("SecretString")
    if not texte:
        raise SecretAbsent(f"le secret {nom_secret} est vide")
    return texte


class CleSecretsManager:
    """A text secret read once per process (a cold start), then kept: callable, it gives
    the key (the anti-robot challenges' HMAC key, segurnum-altcha)."""

    def __init__(self, nom_secret: str) -> None:
        self._nom = nom_secret
        self._verrou = threading.Lock()
        self._valeur: str | None = None

    def __call__(self) -> str:
        with self._verrou:
            if self._valeur is None:
                self._valeur = lire_texte(self._nom)
            return self._valeur


def assurer_cle_locale(nom_secret: str, description: str = "") -> None:
    """Runtime local: the secret AWS would generate (GenerateSecretString), with a random
    value of this runtime's own; an existing one is kept."""
    import secrets

    try:
        lire_texte(nom_secret)
    except SecretAbsent:
        _secrets().create_secret(
            Name=nom_secret, Description=description, SecretString=secrets.token_urlsafe(48)
        )
