"""KMS adapter of the `Chiffrement` port (shared/chiffrement.py): the enrolment key,
alias `alias/segurnum-enrolement` (resources.yaml), overridable by SEGURNUM_CLE_ENROLEMENT."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from shared import aws
from shared.chiffrement import CLE_ENROLEMENT, ErreurChiffrement
from shared.pannes_aws import reessayer
from shared.settings import settings

__all__ = ["CLE_ENROLEMENT", "ChiffrementKms"]


class ChiffrementKms:
    """Implements `Chiffrement` with KMS Encrypt/Decrypt (an IBAN is far below the 4 KB
    a direct Encrypt takes: no data key needed)."""

    def __init__(self, cle: str | None = None, client: Any | None = None) -> None:
        self._cle = cle
        self._client = client

    @property
    def cle(self) -> str:
        return self._cle or settings().cle_enrolement

    @property
    def client(self) -> Any:
        if self._client is not None:
            return self._client
        return aws.client("kms")

    def chiffrer(self, clair: str, contexte: Mapping[str, str]) -> str:
        reponse = self.client.encrypt(
            KeyId=self.cle, Plaintext=clair.encode(), EncryptionContext=dict(contexte)
        )
        return base64.b64encode(reponse["CiphertextBlob"]).decode()

    def dechiffrer(self, chiffre: str, contexte: Mapping[str, str]) -> str:
        try:
            blob = base64.b64decode(chiffre, validate=True)
        except (binascii.Error, ValueError):
            raise ErreurChiffrement("chiffré illisible (base64)") from None
        try:
            # A read: tried again in place after a passing failure (a lot decrypts one
            # IBAN per versement; one throttled Decrypt must not fail the whole file).
            reponse = reessayer(
                lambda: self.client.decrypt(
                    CiphertextBlob=blob, KeyId=self.cle, EncryptionContext=dict(contexte)
                )
            )
        except Exception as erreur:
            code = getattr(erreur, "response", {}).get("Error", {}).get("Code")
            if code in ("InvalidCiphertextException", "IncorrectKeyException"):
                raise ErreurChiffrement(f"déchiffrement refusé par KMS ({code})") from None
            raise
        return bytes(reponse["Plaintext"]).decode()
