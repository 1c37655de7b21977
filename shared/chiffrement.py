"""Client-side encryption of sensitive attributes (the IBANs of the enrolment records and
demandes) with the enrolment KMS key, behind a port (the KMS adapter is
shared/chiffrement_kms.py: domain and application code never reach AWS).

The ciphertext is stored base64 beside a masked copy for the views; KMS binds it to its
encryption context ({"siret": …, "champ": "iban"}): a ciphertext copied onto another
éditeur's record does not decrypt. Nothing here logs a clear value.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Protocol

CLE_ENROLEMENT = "alias/segurnum-enrolement"  # resources.yaml, EnrolementCleAlias


class ErreurChiffrement(Exception):
    """A ciphertext that does not decrypt (wrong context, key or bytes). Never carries
    the clear value."""


class Chiffrement(Protocol):
    """Encrypts/decrypts a short text bound to its context (the same context decrypts)."""

    def chiffrer(self, clair: str, contexte: Mapping[str, str]) -> str: ...

    def dechiffrer(self, chiffre: str, contexte: Mapping[str, str]) -> str: ...


def contexte_iban(siret: str) -> dict[str, str]:
    """The IBAN of an éditeur: every record of the SIRET shares it (the structure's
    account), so the context names the SIRET, not the référencement."""
    return {"siret": siret, "champ": "iban"}


class ChiffrementFactice:
    """Implements `Chiffrement` for unit tests: reversible, checks the context like KMS,
    and counts calls (a view must not decrypt)."""

    PREFIXE = "FACTICE:"

    def __init__(self) -> None:
        self.chiffrements = 0
        self.dechiffrements = 0

    def chiffrer(self, clair: str, contexte: Mapping[str, str]) -> str:
        self.chiffrements += 1
        donnees = json.dumps({"c": dict(contexte), "v": clair[::-1]}, sort_keys=True)
        return self.PREFIXE + base64.b64encode(donnees.encode()).decode()

    def dechiffrer(self, chiffre: str, contexte: Mapping[str, str]) -> str:
        self.dechiffrements += 1
        if not chiffre.startswith(self.PREFIXE):
            raise ErreurChiffrement("chiffré inconnu")
        try:
            donnees = json.loads(base64.b64decode(chiffre[len(self.PREFIXE) :]))
        except (binascii.Error, ValueError):
            raise ErreurChiffrement("chiffré illisible") from None
        if donnees.get("c") != dict(contexte):
            raise ErreurChiffrement("contexte de chiffrement différent")
        return str(donnees["v"])[::-1]
