"""Contracts between services: record keys, statuses and events they exchange.

Services never import each other; what one writes and another reads is defined here.
The table design is documented in docs/dynamodb.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict


class StatutDossier(StrEnum):
    INCOMPLET = "INCOMPLET"  # importé, pièces manquantes: visible, complétable
    EN_COURS = "EN_COURS"
    A_MODIFIER = "A_MODIFIER"
    EN_ATTENTE_PIECES = "EN_ATTENTE_PIECES"
    DECIDEE = "DECIDEE"
    REJETEE = "REJETEE"
    PAYEE = "PAYEE"


# typeAction M is allowed while the dossier has not been decided.
STATUTS_MODIFIABLES = frozenset(
    {
        StatutDossier.INCOMPLET,
        StatutDossier.EN_COURS,
        StatutDossier.A_MODIFIER,
        StatutDossier.EN_ATTENTE_PIECES,
    }
)

LIBELLES_STATUT = {
    StatutDossier.INCOMPLET: "incomplet (pièces manquantes)",
    StatutDossier.EN_COURS: "en cours",
    StatutDossier.A_MODIFIER: "à modifier",
    StatutDossier.EN_ATTENTE_PIECES: "en attente de pièces complémentaires",
    StatutDossier.DECIDEE: "décidée",
    StatutDossier.REJETEE: "rejetée",
    StatutDossier.PAYEE: "payée",
}


def cle_ans(numero_ans: str) -> dict[str, str]:
    return {"PK": f"ANS#{numero_ans}", "SK": "ANS"}


@dataclass(frozen=True)
class ReferencementAns:
    """E1: a référencé solution and its DSR (couloir, type de logiciel, vague).

    Written by the enrolment service (référentiel ANS), read by the dépôt service: the
    item shape below is their contract."""

    numero_ans: str
    couloir: str
    type_logiciel: str
    vague: str
    solution: str
    siret: str


def item_referencement(ref: ReferencementAns) -> dict[str, Any]:
    return {
        **cle_ans(ref.numero_ans),
        "type": "ANS",
        "numeroAns": ref.numero_ans,
        "couloir": ref.couloir,
        "typeLogiciel": ref.type_logiciel,
        "vague": ref.vague,
        "solution": ref.solution,
        "siret": ref.siret,
    }


def referencement_depuis_item(item: dict[str, Any]) -> ReferencementAns:
    return ReferencementAns(
        numero_ans=str(item["numeroAns"]),
        couloir=str(item["couloir"]),
        type_logiciel=str(item.get("typeLogiciel", "")),
        vague=str(item.get("vague", "")),
        solution=str(item.get("solution", "")),
        siret=str(item.get("siret", "")),
    )


def cle_enrolement(siret: str, numero_ans: str) -> dict[str, str]:
    return {"PK": f"EDITEUR#{siret}", "SK": f"ENROLEMENT#{numero_ans}"}


def cle_depot(id_depot: str) -> dict[str, str]:
    return {"PK": f"DEPOT#{id_depot}", "SK": "DEPOT"}


def cle_dossier(numero_asp: str) -> dict[str, str]:
    return {"PK": f"DOSSIER#{numero_asp}", "SK": "DOSSIER"}


def cle_finess(campagne: str, couloir: str, finess: str) -> dict[str, str]:
    return {"PK": f"FINESS#{campagne}#{couloir}#{finess}", "SK": "FINESS"}


def cle_numero_dossier(siret: str, numero_dossier: str) -> dict[str, str]:
    return {"PK": f"EDITEUR#{siret}", "SK": f"NUMDOSSIER#{numero_dossier}"}


class InstructionDemandee(BaseModel):
    """Input of the instruction state machine: a dossier is complete, instruct it.

    Emitted by the dépôt service when a dossier has all its pièces (StartExecution,
    name `{numeroAsp}-{typeDemande}-{version}` so a duplicate event starts nothing twice).
    """

    model_config = ConfigDict(frozen=True)

    numeroAsp: str
    siret: str
    typeDemande: str  # AVANCE / SOLDE
    montantFinance: str  # Decimal as a string, two places
    version: int = 1
