"""A bank return received: the pain.002 a gestionnaire uploads and what its processing
found (payés, rejetés, anomalies), kept for `GET /gestion/paiements/retours/{id}`."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from shared.envois import EnvoiAutorise as EnvoiAutorise  # one record, every service
from shared.horloge import PARIS

PREFIXE_RETOURS = "paiements/retours/"
_CLE = re.compile(r"paiements/retours/(?P<id>RET[0-9]{14}[0-9A-F]{8})\.xml")


class StatutRetour(StrEnum):
    ATTENDU = "ATTENDU"  # upload authorised, file not yet received
    TRAITE = "TRAITE"
    ILLISIBLE = "ILLISIBLE"  # malformed or hostile XML: nothing was changed


def identifiant_retour(instant: datetime) -> str:
    return f"RET{instant.astimezone(PARIS):%Y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def cle_retour(id_retour: str) -> str:
    """In the documents bucket; the presigned upload is bound to this exact key."""
    return f"{PREFIXE_RETOURS}{id_retour}.xml"


def id_depuis_cle(cle: str) -> str | None:
    trouve = _CLE.fullmatch(cle)
    return trouve["id"] if trouve else None


@dataclass(frozen=True)
class LigneRetour:
    """A versement the return changed (or an anomaly's reference)."""

    numero_asp: str
    numero_demande: str
    objet: str
    type: str
    end_to_end: str
    montant: str | None
    code_rejet: str | None = None
    motif_rejet: str | None = None


@dataclass(frozen=True)
class AnomalieRetour:
    code: str
    message: str
    reference: str | None = None


@dataclass(frozen=True)
class RetourBancaire:
    id: str
    statut: StatutRetour
    demande_le: datetime
    demande_par: str
    recu_le: datetime | None = None
    traite_le: datetime | None = None
    message_id: str | None = None
    payes: tuple[LigneRetour, ...] = ()
    rejetes: tuple[LigneRetour, ...] = ()
    soldes_liberes: tuple[LigneRetour, ...] = ()
    deja_traites: int = 0
    en_cours: int = 0
    anomalies: tuple[AnomalieRetour, ...] = field(default_factory=tuple)
    erreur: str | None = None

    @property
    def cle(self) -> str:
        return cle_retour(self.id)
