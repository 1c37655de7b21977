"""The dossier item `DOSSIER#{n}` / `DOSSIER`, as the services share it.

Written by the dépôt service at import (services/depot/adapters/dynamodb.py); the other
services read it through `resume_depuis_item` (what they may rely on), and instruction
keeps its statut mirrors (`statut` for the avance, `solde.statut`, see `attribut_statut`)
in step. Kept as long as the campaign's records (docs/dynamodb.md).

The other records of a dossier have their own module: the instruction state
(shared/etat_instruction.py), the history (shared/historique.py); the statuses are
shared/statuts.py's, the messages between services shared/messages.py's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.campagnes import TypeDemande
from shared.enregistrement import instant_lu, instant_ou_rien, simple
from shared.statuts import StatutDemande


@dataclass(frozen=True)
class ResumeDemande:
    """One demande of the dossier item (the avance at its root, the solde under `solde`)."""

    type_demande: TypeDemande
    statut: StatutDemande
    numero_dossier: str
    montants: Mapping[str, str]
    taux_tva: str
    pieces: tuple[str, ...]  # nomFichier of the pièces the demande lists
    depose_le: datetime | None
    demande: Mapping[str, Any]


@dataclass(frozen=True)
class ResumeDossier:
    numero_asp: str
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    finess: tuple[str, ...]
    depose_le: datetime
    demandes: Mapping[TypeDemande, ResumeDemande]
    version: int

    @property
    def avance(self) -> ResumeDemande:
        return self.demandes[TypeDemande.AVANCE]


def _noms_pieces(pieces: Any) -> tuple[str, ...]:
    return tuple(
        str(p["nomFichier"]) for p in pieces or () if isinstance(p, Mapping) and p.get("nomFichier")
    )


def _json(valeur: Any) -> Mapping[str, Any]:
    if isinstance(valeur, str):
        try:
            lu = json.loads(valeur)
        except ValueError:
            return {}
        return lu if isinstance(lu, dict) else {}
    return simple(dict(valeur)) if isinstance(valeur, Mapping) else {}


def resume_depuis_item(item: Mapping[str, Any]) -> ResumeDossier:
    """Reader of the dossier item the dépôt service writes (services/depot/adapters)."""
    depose_le = instant_lu(item["deposeLe"])
    demandes = {
        TypeDemande.AVANCE: ResumeDemande(
            type_demande=TypeDemande.AVANCE,
            statut=StatutDemande(str(item["statut"])),
            numero_dossier=str(item.get("numeroDossier", "")),
            montants={str(k): str(v) for k, v in (item.get("montants") or {}).items()},
            taux_tva=str(item.get("tauxTva", "0")),
            pieces=_noms_pieces(item.get("pieces")),
            depose_le=depose_le,
            demande=_json(item.get("demande")),
        )
    }
    solde = item.get("solde")
    if isinstance(solde, Mapping):
        demandes[TypeDemande.SOLDE] = ResumeDemande(
            type_demande=TypeDemande.SOLDE,
            statut=StatutDemande(str(solde.get("statut", StatutDemande.INCOMPLET))),
            numero_dossier=str(solde.get("numeroDossier", "")),
            montants={str(k): str(v) for k, v in (solde.get("montants") or {}).items()},
            taux_tva=str(solde.get("tauxTva", "0")),
            pieces=_noms_pieces(solde.get("pieces")),
            depose_le=instant_ou_rien(solde.get("deposeLe")),
            demande=_json(solde.get("demande")),
        )
    return ResumeDossier(
        numero_asp=str(item["numeroAsp"]),
        siret=str(item["siret"]),
        numero_ans=str(item.get("numeroAns", "")),
        couloir=str(item.get("couloir", "")),
        campagne=str(item.get("campagne", "")),
        finess=tuple(str(f) for f in item.get("finess") or ()),
        depose_le=depose_le,
        demandes=demandes,
        version=int(item.get("version", 1)),
    )


def index_statut_dossier(statut: str) -> str:
    """GSI2PK of the dossier item: the dossiers whose avance has this statut (kept in step by
    whoever changes that statut)."""
    return f"STATUT#{statut}"


def attribut_statut(type_demande: TypeDemande | str) -> str:
    """Where the dossier item keeps the business statut of that demande (its mirror)."""
    return "statut" if str(type_demande) == TypeDemande.AVANCE else "solde.statut"
