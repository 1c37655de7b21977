"""The dépôt record as other services read it (the guichet's closing and reminders).

The dépôt item `DEPOT#{id}` / `DEPOT` is written by the dépôt service only
(services/depot/adapters/dynamodb.py), indexed on GSI2 by its statut
(`index_statut_depot`); the others read its header through `resume_depot_depuis_item`,
never its simulation details or its file keys. It is kept as the dépôt is (docs/donnees.md).
tests/unit/guichet/test_contrats.py runs the writer against this reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.campagnes import TypeDemande


class StatutDepot(StrEnum):
    CREE = "CREE"
    JSON_RECU = "JSON_RECU"
    SIMULE = "SIMULE"
    REJETE = "REJETE"  # file rejected as a whole at simulation
    IMPORT_EN_COURS = "IMPORT_EN_COURS"  # import asked: the lines are being written (SQS queue)
    IMPORTE = "IMPORTE"
    TERMINE = "TERMINE"


def index_statut_depot(statut: StatutDepot | str) -> str:
    """GSI2PK of a dépôt item: the dépôts of one statut, by creation time (GSI2SK)."""
    return f"DEPOT_STATUT#{statut}"


@dataclass(frozen=True)
class ResumeDepot:
    """A dépôt's header: who deposited what, for which campaign, where it stands."""

    id: str
    siret: str
    numero_ans: str
    campagne: str
    type_demande: TypeDemande
    statut: StatutDepot
    cree_le: datetime
    nom_fichier: str | None = None  # the JSON received, if any
    json_recu_le: datetime | None = None
    nombre_lignes: int | None = None  # from the simulation, once simulated
    lignes_importables: int | None = None


# What `resume_depot_depuis_item` reads: a query may project these attributes only.
ATTRIBUTS_RESUME_DEPOT = (
    "idDepot",
    "siret",
    "numeroAns",
    "campagne",
    "typeDemande",
    "statut",
    "creeLe",
    "jsonRecuLe",
    "fichier.nom",
    "fichier.recuLe",
    "simulation.nombreLignes",
    "simulation.lignesImportables",
)


def _instant(texte: Any) -> datetime:
    # not shared.dynamo's: it imports botocore, and domains read this contract
    return datetime.fromisoformat(str(texte))


def _entier(valeur: Any) -> int | None:
    return None if valeur is None else int(valeur)


def resume_depot_depuis_item(item: Mapping[str, Any]) -> ResumeDepot:
    """Reader of the dépôt item (or of its projection on `ATTRIBUTS_RESUME_DEPOT`)."""
    fichier = item.get("fichier") or {}
    simulation = item.get("simulation") or {}
    recu_le = item.get("jsonRecuLe") or fichier.get("recuLe")
    return ResumeDepot(
        id=str(item["idDepot"]),
        siret=str(item["siret"]),
        numero_ans=str(item.get("numeroAns", "")),
        campagne=str(item.get("campagne", "")),
        type_demande=TypeDemande(item["typeDemande"]),
        statut=StatutDepot(item["statut"]),
        cree_le=_instant(item["creeLe"]),
        nom_fichier=str(fichier["nom"]) if fichier.get("nom") else None,
        json_recu_le=_instant(recu_le) if recu_le else None,
        nombre_lignes=_entier(simulation.get("nombreLignes")),
        lignes_importables=_entier(simulation.get("lignesImportables")),
    )
