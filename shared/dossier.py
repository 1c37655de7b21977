"""The dossier as the services share it: one contract per record, one writer and one reader.

Records (single table, docs/dynamodb.md):
- the dossier item `DOSSIER#{n}` / `DOSSIER`, written by the dépôt service at import; the
  others read it through `resume_depuis_item` (what they may rely on), and instruction
  keeps its statut mirrors (`statut` for the avance, `solde.statut`) in step;
- one instruction state per demande `DOSSIER#{n}` / `DEMANDE#{AVANCE|SOLDE}`, written by
  instruction only (`item_etat` / `etat_depuis_item`), indexed for the gestionnaire's desk;
- history entries `DOSSIER#{n}` / `HISTO#{instant}#{id}`, written by every service through
  `item_historique`, read through `historique_depuis_item` (one shape: qui, action, motif,
  instant);
- messages between services: `ReponseEditeur` (dépôt → instruction), `VersementDemande`
  (instruction → paiement) and `VersementEffectue` (paiement → instruction, the output of
  SendTaskSuccess on the token the request carried).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.campagnes import TypeDemande
from shared.contrats import cle_dossier


class StatutDemande(StrEnum):
    """Where a demande (avance or solde) stands; INCOMPLET only before its instruction."""

    INCOMPLET = "INCOMPLET"
    EN_COURS = "EN_COURS"
    A_MODIFIER = "A_MODIFIER"
    EN_ATTENTE_PIECES = "EN_ATTENTE_PIECES"
    DECIDEE = "DECIDEE"
    REJETEE = "REJETEE"
    PAYEE = "PAYEE"
    EN_ERREUR_TECHNIQUE = "EN_ERREUR_TECHNIQUE"


# The seed's words, as the portal shows them.
LIBELLES_DEMANDE: dict[StatutDemande, str] = {
    StatutDemande.INCOMPLET: "Incomplète (pièces manquantes)",
    StatutDemande.EN_COURS: "En cours",
    StatutDemande.A_MODIFIER: "À modifier",
    StatutDemande.EN_ATTENTE_PIECES: "En attente de pièces complémentaires",
    StatutDemande.DECIDEE: "Décidée",
    StatutDemande.REJETEE: "Rejetée",
    StatutDemande.PAYEE: "Décidée et payée",
    StatutDemande.EN_ERREUR_TECHNIQUE: "En erreur technique",
}


class Attendu(StrEnum):
    """Who must act for the demande to move on."""

    GESTIONNAIRE = "GESTIONNAIRE"
    EDITEUR = "EDITEUR"
    PAIEMENT = "PAIEMENT"
    PLATEFORME = "PLATEFORME"  # the workflow is running a step: nobody has to act
    PERSONNE = "PERSONNE"  # instruction finished


LIBELLES_ATTENDU: dict[Attendu, str] = {
    Attendu.GESTIONNAIRE: "un gestionnaire",
    Attendu.EDITEUR: "l'éditeur",
    Attendu.PAIEMENT: "le service de paiement",
    Attendu.PLATEFORME: "la plateforme (traitement en cours, réessayez dans un instant)",
    Attendu.PERSONNE: "personne (instruction terminée)",
}


def iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def _instant(texte: Any) -> datetime:
    return datetime.fromisoformat(str(texte))


def _instant_ou_rien(texte: Any) -> datetime | None:
    return _instant(texte) if texte else None


def _texte_ou_rien(valeur: Any) -> str | None:
    return str(valeur) if valeur not in (None, "") else None


# --- Instruction state, one per demande ---------------------------------------------------


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
        le=_instant(brut["le"]),
    )


def _simple(valeur: Any) -> Any:
    """DynamoDB numbers come back as Decimal: integers back to int for JSON outputs."""
    if isinstance(valeur, Decimal):
        return int(valeur) if valeur == valeur.to_integral_value() else str(valeur)
    if isinstance(valeur, Mapping):
        return {str(k): _simple(v) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [_simple(v) for v in valeur]
    return valeur


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
        demarre_le=_instant(item["demarreLe"]),
        modifie_le=_instant(item.get("modifieLe", item["demarreLe"])),
        execution=str(item.get("execution", "")),
        jeton=_texte_ou_rien(item.get("jeton")),
        decision=_decision(item.get("decision")),
        reprise=None
        if not isinstance(reprise, Mapping)
        else Reprise(str(reprise["jeton"]), _simple(reprise.get("sortie") or {})),
        erreur=None
        if not isinstance(erreur, Mapping)
        else ErreurTechnique(
            str(erreur.get("cause", "")), str(erreur.get("etape", "")), _instant(erreur["le"])
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
            paye_le=_instant_ou_rien(versement.get("payeLe")),
            reference=str(versement.get("reference", "")),
        ),
        decision_document=_texte_ou_rien(item.get("decisionDocument")),
        version=int(item.get("version", 1)),
    )


# --- History --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntreeHistorique:
    """Who did what, when, and why: every service writes this one shape."""

    qui: str
    action: str
    instant: datetime
    motif: str = ""
    type_demande: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def item_historique(numero_asp: str, entree: EntreeHistorique) -> dict[str, Any]:
    instant = iso(entree.instant)
    item: dict[str, Any] = {
        "PK": cle_dossier(numero_asp)["PK"],
        "SK": f"HISTO#{instant}#{uuid.uuid4().hex}",
        "type": "HISTORIQUE",
        "qui": entree.qui,
        "action": entree.action,
        "motif": entree.motif,
        "instant": instant,
        "details": dict(entree.details),
    }
    if entree.type_demande:
        item["typeDemande"] = entree.type_demande
    return item


def historique_depuis_item(item: Mapping[str, Any]) -> EntreeHistorique:
    # Entries written before this contract used auteur/le: still read, never written.
    instant = item.get("instant") or item.get("le")
    return EntreeHistorique(
        qui=str(item.get("qui") or item.get("auteur") or ""),
        action=str(item.get("action", "")),
        instant=_instant(instant),
        motif=str(item.get("motif") or ""),
        type_demande=_texte_ou_rien(item.get("typeDemande")),
        details=_simple(dict(item.get("details") or {})),
    )


# --- The dossier item, as the other services read it -----------------------------------------


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
        import json

        try:
            lu = json.loads(valeur)
        except ValueError:
            return {}
        return lu if isinstance(lu, dict) else {}
    return _simple(dict(valeur)) if isinstance(valeur, Mapping) else {}


def resume_depuis_item(item: Mapping[str, Any]) -> ResumeDossier:
    """Reader of the dossier item the dépôt service writes (services/depot/adapters)."""
    depose_le = _instant(item["deposeLe"])
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
            depose_le=_instant_ou_rien(solde.get("deposeLe")),
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


# --- Messages between services -----------------------------------------------------------


class ActionEditeur(StrEnum):
    MODIFICATION_IMPORTEE = "MODIFICATION_IMPORTEE"  # typeAction M of that demande imported
    PIECES_COMPLEMENTAIRES_RECUES = "PIECES_COMPLEMENTAIRES_RECUES"  # ZIP checked OK


class ReponseEditeur(BaseModel):
    """Dépôt → instruction (queue `segurnum-instruction-reponses`): the éditeur answered
    an A_MODIFIER or EN_ATTENTE_PIECES; instruction resumes that demande's execution."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    numeroAsp: str
    typeDemande: TypeDemande
    action: ActionEditeur
    qui: str
    instant: datetime
    details: dict[str, Any] = Field(default_factory=dict)


class VersementDemande(BaseModel):
    """Instruction → paiement (queue `segurnum-paiement-versements`): pay this demande.

    `jeton` is the instruction's task token: paiement answers with SendTaskSuccess(jeton,
    VersementEffectue JSON) once paid (SendTaskFailure only if it can never pay).
    `cleIdempotence` is stable for a demande: a redelivered message pays nothing twice.
    `montant` is what to pay now: the avance (30 %) or the solde."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    numeroAsp: str
    typeDemande: TypeDemande
    siret: str
    numeroAns: str
    couloir: str
    campagne: str
    montantFinance: str  # Decimal, two places: the montant financé TTC of the demande
    montant: str
    decideeLe: datetime
    jeton: str
    demandeLe: datetime
    cleIdempotence: str


class VersementEffectue(BaseModel):
    """Paiement → instruction: the output of SendTaskSuccess on `VersementDemande.jeton`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    idVersement: str
    montant: str
    payeLe: datetime
    reference: str = ""
