"""The instruction state record: one per demande, `DOSSIER#{n}` / `DEMANDE#{AVANCE|SOLDE}`.

Written by the instruction service only (`item_etat`), read through `etat_depuis_item`;
indexed for the gestionnaire's desk (`cles_index_demande`). Its statut is mirrored on the
dossier item (shared/dossier.py, `attribut_statut`). Kept as long as its dossier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.campagnes import TypeDemande
from shared.contrats import cle_dossier
from shared.enregistrement import instant_lu, instant_ou_rien, iso, simple, texte_ou_rien
from shared.statuts import LIBELLES_DEMANDE, Attendu, StatutDemande


def cle_demande(numero_asp: str, type_demande: TypeDemande | str) -> dict[str, str]:
    return {"PK": cle_dossier(numero_asp)["PK"], "SK": f"DEMANDE#{type_demande}"}


@dataclass(frozen=True)
class DecisionGestionnaire:
    decision: StatutDemande
    motif: str
    pieces_demandees: tuple[str, ...]
    auteur: str
    le: datetime


@dataclass(frozen=True)
class ErreurTechnique:
    cause: str
    etape: str
    le: datetime


@dataclass(frozen=True)
class Reprise:
    """A token consumed by a decision whose SendTaskSuccess is still to be (re)played."""

    jeton: str
    sortie: Mapping[str, Any]


@dataclass(frozen=True)
class ResumeVersement:
    id_versement: str
    montant: str  # Decimal, two places
    paye_le: datetime | None
    reference: str = ""


@dataclass(frozen=True)
class EtatInstruction:
    numero_asp: str
    type_demande: TypeDemande
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    montant_finance: str
    statut: StatutDemande
    attendu: Attendu
    demarre_le: datetime
    modifie_le: datetime
    execution: str = ""
    jeton: str | None = None
    decision: DecisionGestionnaire | None = None
    reprise: Reprise | None = None
    erreur: ErreurTechnique | None = None
    statut_avant_erreur: StatutDemande | None = None
    pieces_demandees: tuple[str, ...] = ()
    versement: ResumeVersement | None = None
    decision_document: str | None = None  # S3 key of the décision d'attribution
    version: int = 1

    @property
    def libelle(self) -> str:
        return LIBELLES_DEMANDE[self.statut]


def cles_index_demande(etat: EtatInstruction) -> dict[str, str]:
    """GSI1: an éditeur's demandes; GSI2: by statut; GSI3: all of them (desk without filter).
    GSI2 and GSI3 sort by `{typeDemande}#{numeroAsp}` so a type is a key prefix."""
    tri = f"{etat.type_demande}#{etat.numero_asp}"
    return {
        "GSI1PK": f"EDITEUR#{etat.siret}",
        "GSI1SK": f"DEMANDE#{tri}",
        "GSI2PK": f"DEMANDE_STATUT#{etat.statut}",
        "GSI2SK": tri,
        "GSI3PK": "DEMANDE",
        "GSI3SK": tri,
    }


def item_etat(etat: EtatInstruction) -> dict[str, Any]:
    decision = etat.decision
    item: dict[str, Any] = {
        **cle_demande(etat.numero_asp, etat.type_demande),
        **cles_index_demande(etat),
        "type": "DEMANDE",
        "numeroAsp": etat.numero_asp,
        "typeDemande": str(etat.type_demande),
        "siret": etat.siret,
        "numeroAns": etat.numero_ans,
        "couloir": etat.couloir,
        "campagne": etat.campagne,
        "montantFinance": etat.montant_finance,
        "statut": str(etat.statut),
        "attendu": str(etat.attendu),
        "demarreLe": iso(etat.demarre_le),
        "modifieLe": iso(etat.modifie_le),
        "execution": etat.execution,
        "jeton": etat.jeton,
        "piecesDemandees": list(etat.pieces_demandees),
        "decisionDocument": etat.decision_document,
        "version": etat.version,
    }
    if decision is not None:
        item["decision"] = item_decision(decision)
    if etat.reprise is not None:
        item["reprise"] = {"jeton": etat.reprise.jeton, "sortie": dict(etat.reprise.sortie)}
    if etat.erreur is not None:
        item["erreur"] = {
            "cause": etat.erreur.cause,
            "etape": etat.erreur.etape,
            "le": iso(etat.erreur.le),
        }
        item["statutAvantErreur"] = str(etat.statut_avant_erreur or StatutDemande.EN_COURS)
    if etat.versement is not None:
        item["versement"] = {
            "idVersement": etat.versement.id_versement,
            "montant": etat.versement.montant,
            "payeLe": iso(etat.versement.paye_le) if etat.versement.paye_le else None,
            "reference": etat.versement.reference,
        }
    return {k: v for k, v in item.items() if v is not None}


def item_decision(decision: DecisionGestionnaire) -> dict[str, Any]:
    return {
        "decision": str(decision.decision),
        "motif": decision.motif,
        "piecesDemandees": list(decision.pieces_demandees),
        "auteur": decision.auteur,
        "le": iso(decision.le),
    }


def _decision(brut: Any) -> DecisionGestionnaire | None:
    if not isinstance(brut, Mapping):
        return None
    return DecisionGestionnaire(
        decision=StatutDemande(str(brut["decision"])),
        motif=str(brut.get("motif", "")),
        pieces_demandees=tuple(str(p) for p in brut.get("piecesDemandees") or ()),
        auteur=str(brut.get("auteur", "")),
        le=instant_lu(brut["le"]),
    )


def etat_depuis_item(item: Mapping[str, Any]) -> EtatInstruction:
    erreur = item.get("erreur")
    versement = item.get("versement")
    reprise = item.get("reprise")
    return EtatInstruction(
        numero_asp=str(item["numeroAsp"]),
        type_demande=TypeDemande(str(item["typeDemande"])),
        siret=str(item.get("siret", "")),
        numero_ans=str(item.get("numeroAns", "")),
        couloir=str(item.get("couloir", "")),
        campagne=str(item.get("campagne", "")),
        montant_finance=str(item.get("montantFinance", "0.00")),
        statut=StatutDemande(str(item["statut"])),
        attendu=Attendu(str(item.get("attendu", Attendu.PLATEFORME))),
        demarre_le=instant_lu(item["demarreLe"]),
        modifie_le=instant_lu(item.get("modifieLe", item["demarreLe"])),
        execution=str(item.get("execution", "")),
        jeton=texte_ou_rien(item.get("jeton")),
        decision=_decision(item.get("decision")),
        reprise=None
        if not isinstance(reprise, Mapping)
        else Reprise(str(reprise["jeton"]), simple(reprise.get("sortie") or {})),
        erreur=None
        if not isinstance(erreur, Mapping)
        else ErreurTechnique(
            str(erreur.get("cause", "")), str(erreur.get("etape", "")), instant_lu(erreur["le"])
        ),
        statut_avant_erreur=StatutDemande(str(item["statutAvantErreur"]))
        if item.get("statutAvantErreur")
        else None,
        pieces_demandees=tuple(str(p) for p in item.get("piecesDemandees") or ()),
        versement=None
        if not isinstance(versement, Mapping)
        else ResumeVersement(
            id_versement=str(versement.get("idVersement", "")),
            montant=str(versement.get("montant", "")),
            paye_le=instant_ou_rien(versement.get("payeLe")),
            reference=str(versement.get("reference", "")),
        ),
        decision_document=texte_ou_rien(item.get("decisionDocument")),
        version=int(item.get("version", 1)),
    )
