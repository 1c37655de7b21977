"""Instruction's HTTP contract: request models and public views of the gestionnaire's desk
(`/gestion/…`) and of the éditeur's dossiers (`/dossiers…`). Views are built from the
shared records (shared/dossier.py, shared/etat_instruction.py), never from stored items
(no keys, no task token)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from shared.api import Instant, ModeleParametres, ModeleRequete, ModeleVue
from shared.campagnes import TypeDemande
from shared.statuts import StatutDemande


class ListeDemandesParametres(ModeleParametres):
    statut: StatutDemande | None = Field(None, description="Statut de la demande (EN_COURS…).")
    type_demande: TypeDemande | None = Field(None, description="AVANCE ou SOLDE.")
    couloir: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,40}$")
    siret: str | None = Field(None, pattern=r"^[0-9]{14}$", description="SIRET de l'éditeur.")
    numero_ans: str | None = Field(None, pattern=r"^[A-Za-z0-9]{1,40}$")
    curseur: str | None = Field(None, max_length=2048, description="« curseurSuivant » reçu.")
    limite: int = Field(50, ge=1, le=200, description="Nombre de demandes par page.")


class ListeDossiersParametres(ModeleParametres):
    curseur: str | None = Field(None, max_length=2048, description="« curseurSuivant » reçu.")
    limite: int = Field(50, ge=1, le=200, description="Nombre de dossiers par page.")


class DecisionRequete(ModeleRequete):
    decision: str = Field(
        min_length=1,
        max_length=40,
        description="DECIDEE, REJETEE, A_MODIFIER ou EN_ATTENTE_PIECES.",
    )
    motif: str | None = Field(
        None, max_length=2000, description="Obligatoire sauf pour DECIDEE: montré à l'éditeur."
    )
    pieces_demandees: list[str] | None = Field(
        None,
        max_length=50,
        description="Pièces complémentaires demandées (EN_ATTENTE_PIECES seulement).",
    )


class VueDecisionGestionnaire(ModeleVue):
    decision: str
    motif: str
    pieces_demandees: list[str]
    auteur: str
    le: Instant


class VueErreurTechnique(ModeleVue):
    cause: str
    etape: str
    le: Instant


class VueVersement(ModeleVue):
    id_versement: str
    montant: str
    paye_le: Instant | None = None


class VueDemande(ModeleVue):
    """A demande of the dossier with its instruction state."""

    type_demande: str
    statut: str
    libelle_statut: str = Field(description="Le statut dans les mots du portail.")
    attendu: str | None = Field(None, description="Qui doit agir: GESTIONNAIRE, EDITEUR…")
    numero_dossier: str
    montants: dict[str, str]
    taux_tva: str
    depose_le: Instant | None = None
    motif: str | None = None
    pieces_demandees: list[str] = Field(default_factory=list)
    decision: VueDecisionGestionnaire | None = None
    erreur: VueErreurTechnique | None = None
    versement: VueVersement | None = None


class VueDocument(ModeleVue):
    nom: str
    genre: str = Field(description="PIECE ou DECISION_ATTRIBUTION.")
    depose_le: Instant
    url: str = Field(description="GET présigné, valable quelques minutes.")


class VueCourriel(ModeleVue):
    date_envoi: str = Field(description="« 09/11/2022 15:52:01 », heure de Paris.")
    envoye_le: Instant
    destinataire: str
    objet: str
    corps: str


class VueHistorique(ModeleVue):
    qui: str
    action: str
    motif: str
    instant: Instant
    type_demande: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class VueDossier(ModeleVue):
    numero_asp: str
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    finess: list[str]
    depose_le: Instant
    demandes: list[VueDemande]
    pieces: list[VueDocument]
    decision_attribution: VueDocument | None = None
    courriels: list[VueCourriel]
    historique: list[VueHistorique]


class VueResumeDemande(ModeleVue):
    """A line of the gestionnaire's desk."""

    numero_asp: str
    type_demande: str
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    statut: str
    libelle_statut: str
    attendu: str
    montant_finance: str
    modifie_le: Instant


class VueStatutDemande(ModeleVue):
    type_demande: str
    statut: str
    libelle_statut: str


class VueResumeDossier(ModeleVue):
    """A line of the éditeur's dossiers."""

    numero_asp: str
    numero_ans: str
    couloir: str
    campagne: str
    finess: list[str]
    depose_le: Instant
    demandes: list[VueStatutDemande]


class PageDemandes(ModeleVue):
    elements: list[VueResumeDemande]
    curseur_suivant: str | None = None


class PageDossiers(ModeleVue):
    elements: list[VueResumeDossier]
    curseur_suivant: str | None = None
