"""The dossier item `DOSSIER#{n}` / `DOSSIER`: one record, one writer, one reader.

Written by the dépôt service at import through `item_dossier` (its updates through
`champs_modifiables`, the attributes it owns), read by every service through
`dossier_depuis_item` (`CHAMPS_ENTETE`: the header a batched read may ask for alone).
Instruction keeps the statut mirrors (`statut` for the avance, `solde.statut`, see
`attribut_statut`) in step; instruction and paiement see the dossier per demande
(`resume_depuis_item`: the avance at the root and the solde under `solde`, read alike).
Kept as long as the campaign's records (docs/dynamodb.md).

The other records of a dossier have their own module: the instruction state
(shared/etat_instruction.py), the history (shared/historique.py); the statuses are
shared/statuts.py's, the messages between services shared/messages.py's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.campagnes import TypeDemande
from shared.contrats import cle_dossier
from shared.enregistrement import instant_lu, instant_ou_rien, iso, json_canonique, lire_json
from shared.statuts import STATUTS_MODIFIABLES, StatutDemande


@dataclass(frozen=True)
class Dossier:
    """The dossier record as the dépôt service writes it: an avance and its solde, if any.

    `demande` is the demande deposited (a JSON object, amounts in Decimal); `solde` the
    solde attached (same shape, with its amounts and pièces)."""

    numero_asp: str
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    type_demande: TypeDemande
    statut: StatutDemande
    numero_dossier: str
    demande: Mapping[str, Any]
    finess: tuple[str, ...]
    montants: Mapping[str, str]
    taux_tva: Decimal
    pieces: tuple[Mapping[str, str], ...]
    id_depot: str
    num_ligne: int
    depose_le: datetime  # receipt of the avance's JSON
    cree_le: datetime
    modifie_le: datetime
    solde: Mapping[str, Any] | None = None
    version: int = 1
    # The avance's pièces still expected (names NFC), kept up to date by the import and the
    # ZIPs (the solde's: `solde["piecesManquantes"]`). None: not recorded (older dossiers).
    pieces_manquantes: tuple[str, ...] | None = None

    @property
    def modifiable(self) -> bool:
        return self.statut in STATUTS_MODIFIABLES


def _solde_item(solde: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if solde is None:
        return None
    item = {k: v for k, v in solde.items() if v is not None}
    if "demande" in item:
        item["demande"] = json_canonique(item["demande"])
    return item


def _solde(item: Any) -> dict[str, Any] | None:
    if not item:
        return None
    solde: dict[str, Any] = {
        k: int(v) if isinstance(v, Decimal) else v for k, v in dict(item).items()
    }
    if isinstance(solde.get("demande"), str):
        solde["demande"] = lire_json(solde["demande"])
    return solde


def champs_modifiables(dossier: Dossier) -> dict[str, Any]:
    """The attributes the dépôt service owns on a dossier item (and may update)."""
    return {
        "numeroDossier": dossier.numero_dossier,
        "demande": json_canonique(dossier.demande),
        "finess": list(dossier.finess),
        "montants": dict(dossier.montants),
        "tauxTva": format(dossier.taux_tva, "f"),
        "pieces": [dict(p) for p in dossier.pieces],
        "modifieLe": iso(dossier.modifie_le),
        "solde": _solde_item(dossier.solde),
        "version": dossier.version,
        "piecesManquantes": None
        if dossier.pieces_manquantes is None
        else list(dossier.pieces_manquantes),
    }


def item_dossier(dossier: Dossier) -> dict[str, Any]:
    return {
        **cle_dossier(dossier.numero_asp),
        "GSI1PK": f"EDITEUR#{dossier.siret}",
        "GSI1SK": f"DOSSIER#{dossier.numero_asp}",
        "GSI2PK": index_statut_dossier(dossier.statut),
        "GSI2SK": dossier.numero_asp,
        "type": "DOSSIER",
        "numeroAsp": dossier.numero_asp,
        "siret": dossier.siret,
        "numeroAns": dossier.numero_ans,
        "couloir": dossier.couloir,
        "campagne": dossier.campagne,
        "typeDemande": str(dossier.type_demande),
        "statut": str(dossier.statut),
        "idDepot": dossier.id_depot,
        "numLigne": dossier.num_ligne,
        "deposeLe": iso(dossier.depose_le),
        "creeLe": iso(dossier.cree_le),
        **champs_modifiables(dossier),
    }


def dossier_depuis_item(item: Mapping[str, Any]) -> Dossier:
    demande = item.get("demande")
    return Dossier(
        numero_asp=str(item["numeroAsp"]),
        siret=str(item["siret"]),
        numero_ans=str(item.get("numeroAns", "")),
        # A projected read (the guichet's) may leave these out.
        couloir=str(item.get("couloir", "")),
        campagne=str(item.get("campagne", "")),
        type_demande=TypeDemande(item.get("typeDemande", TypeDemande.AVANCE)),
        statut=StatutDemande(item["statut"]),
        numero_dossier=str(item.get("numeroDossier", "")),
        demande=lire_json(demande) if isinstance(demande, str) else dict(demande or {}),
        finess=tuple(str(f) for f in item.get("finess") or ()),
        montants={str(k): str(v) for k, v in (item.get("montants") or {}).items()},
        taux_tva=Decimal(str(item.get("tauxTva", "0"))),
        pieces=tuple(
            {str(k): str(v) for k, v in dict(p).items()} for p in item.get("pieces") or ()
        ),
        id_depot=str(item.get("idDepot", "")),
        num_ligne=int(item.get("numLigne", 0)),
        depose_le=instant_lu(item["deposeLe"]),
        cree_le=instant_lu(item.get("creeLe", item["deposeLe"])),
        modifie_le=instant_lu(item.get("modifieLe", item["deposeLe"])),
        solde=_solde(item.get("solde")),
        version=int(item.get("version", 1)),
        pieces_manquantes=None
        if item.get("piecesManquantes") is None
        else tuple(str(n) for n in item["piecesManquantes"]),
    )


# A dossier's header: what the simulation's checks and the dépôt's view read (neither its
# demande, FINESS, amounts nor pièces: the bulk of the item).
CHAMPS_ENTETE = (
    "numeroAsp",
    "siret",
    "numeroAns",
    "couloir",
    "campagne",
    "typeDemande",
    "statut",
    "numeroDossier",
    "idDepot",
    "numLigne",
    "deposeLe",
    "modifieLe",
    "version",
    "piecesManquantes",
    "solde.statut",
    "solde.piecesManquantes",
)


# --- Per demande, as instruction and paiement read it ---------------------------------------


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


def _demande_json(demande: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The demande as JSON gives it (numbers as int and float): what the other services
    always read from the stored text."""
    lu = json.loads(json_canonique(demande)) if demande else {}
    return lu if isinstance(lu, dict) else {}


def resume_dossier(dossier: Dossier) -> ResumeDossier:
    """The dossier per demande, for instruction and paiement."""
    demandes = {
        TypeDemande.AVANCE: ResumeDemande(
            type_demande=TypeDemande.AVANCE,
            statut=dossier.statut,
            numero_dossier=dossier.numero_dossier,
            montants={str(k): str(v) for k, v in dossier.montants.items()},
            taux_tva=format(dossier.taux_tva, "f"),
            pieces=_noms_pieces(dossier.pieces),
            depose_le=dossier.depose_le,
            demande=_demande_json(dossier.demande),
        )
    }
    solde = dossier.solde
    if solde is not None:
        demandes[TypeDemande.SOLDE] = ResumeDemande(
            type_demande=TypeDemande.SOLDE,
            statut=StatutDemande(str(solde.get("statut", StatutDemande.INCOMPLET))),
            numero_dossier=str(solde.get("numeroDossier", "")),
            montants={str(k): str(v) for k, v in (solde.get("montants") or {}).items()},
            taux_tva=str(solde.get("tauxTva", "0")),
            pieces=_noms_pieces(solde.get("pieces")),
            depose_le=instant_ou_rien(solde.get("deposeLe")),
            demande=_demande_json(solde.get("demande")),
        )
    return ResumeDossier(
        numero_asp=dossier.numero_asp,
        siret=dossier.siret,
        numero_ans=dossier.numero_ans,
        couloir=dossier.couloir,
        campagne=dossier.campagne,
        finess=dossier.finess,
        depose_le=dossier.depose_le,
        demandes=demandes,
        version=dossier.version,
    )


def resume_depuis_item(item: Mapping[str, Any]) -> ResumeDossier:
    return resume_dossier(dossier_depuis_item(item))


def index_statut_dossier(statut: str) -> str:
    """GSI2PK of the dossier item: the dossiers whose avance has this statut (kept in step by
    whoever changes that statut)."""
    return f"STATUT#{statut}"


def attribut_statut(type_demande: TypeDemande | str) -> str:
    """Where the dossier item keeps the business statut of that demande (its mirror)."""
    return "statut" if str(type_demande) == TypeDemande.AVANCE else "solde.statut"
