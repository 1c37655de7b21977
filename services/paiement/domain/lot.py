"""A lot: a SEPA credit transfer file (pain.001) and the versements it carries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from shared.horloge import PARIS
from shared.montant import ZERO, Montant


class StatutLot(StrEnum):
    EN_PREPARATION = "EN_PREPARATION"  # versements reserved, file not yet stored
    EMIS = "EMIS"  # file validated and stored: to be sent to the bank


@dataclass(frozen=True)
class Lot:
    id: str  # also the pain.001's MsgId (≤ 35 characters)
    cree_le: datetime
    execution: date  # requested execution date (Paris day of the creation)
    statut: StatutLot = StatutLot.EN_PREPARATION
    nombre: int = 0
    total: Montant = ZERO
    cle_fichier: str | None = None


def identifiant_lot(instant: datetime) -> str:
    """LOT + Paris timestamp + 8 random characters: unique, sortable, 25 characters."""
    return f"LOT{instant.astimezone(PARIS):%Y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def nouveau_lot(id_lot: str, instant: datetime) -> Lot:
    return Lot(id=id_lot, cree_le=instant, execution=instant.astimezone(PARIS).date())


def cle_fichier(lot: Lot) -> str:
    """In the documents bucket."""
    return f"paiements/lots/{lot.execution:%Y/%m}/{lot.id}.pain001.xml"
