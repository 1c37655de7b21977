"""Un lot: un fichier de virements SEPA (pain.001) et les versements qu'il porte."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from shared.horloge import PARIS
from shared.montant import ZERO, Montant


class StatutLot(StrEnum):
    EN_PREPARATION = "EN_PREPARATION"  # versements réservés, fichier pas encore enregistré
    EMIS = "EMIS"  # fichier validé et enregistré: à transmettre à la banque


@dataclass(frozen=True)
class Lot:
    id: str  # aussi le MsgId du pain.001 (≤ 35 caractères)
    cree_le: datetime
    execution: date  # date d'exécution demandée (jour de Paris de la création)
    statut: StatutLot = StatutLot.EN_PREPARATION
    nombre: int = 0
    total: Montant = ZERO
    cle_fichier: str | None = None


def identifiant_lot(instant: datetime) -> str:
    """LOT + horodatage de Paris + 8 caractères aléatoires: unique, triable, 25 caractères."""
    return f"LOT{instant.astimezone(PARIS):%Y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def nouveau_lot(id_lot: str, instant: datetime) -> Lot:
    return Lot(id=id_lot, cree_le=instant, execution=instant.astimezone(PARIS).date())


def cle_fichier(lot: Lot) -> str:
    """Dans le bucket des documents."""
    return f"paiements/lots/{lot.execution:%Y/%m}/{lot.id}.pain001.xml"
