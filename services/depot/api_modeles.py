"""Dépôt's HTTP contract: the request models and the public views of its routes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from shared.api import Instant, ModeleParametres, ModeleRequete, ModeleVue, Nombre, Page

# ---------------------------------------------------------------- requests


class DemarrerDepotRequete(ModeleRequete):
    type_demande: Literal["AVANCE", "SOLDE"] = Field(description="Type des demandes du fichier.")
    numero_ans: str = Field(
        min_length=1, max_length=20, description="Numéro de référencement ANS de la solution."
    )
    taux_tva: Nombre = Field(description="Taux de TVA: 20, 10, 5.5, 2.1 ou 0.")
    nom_fichier: str | None = Field(
        None, max_length=100, description="Nom du JSON déposé (se termine par .json)."
    )
    modification: bool = Field(
        False, description="Dépôt d'avance après l'échéance, pour des lignes typeAction M."
    )


class Vide(ModeleRequete):
    """A route without a body: an empty body or `{}`."""


class ListeParametres(ModeleParametres):
    limite: int = Field(50, ge=1, le=1000, description="Nombre d'éléments par page.")
    curseur: str | None = Field(
        None, max_length=2048, description="« curseurSuivant » de la page précédente."
    )


# ---------------------------------------------------------------- views


class VueEnvoi(ModeleVue):
    """A presigned POST: send `champs` then the file (`file`) to `url`, before `expireLe`."""

    url: str
    champs: dict[str, str]
    cle: str
    expire_le: Instant
    taille_max: int


class VueDepotDemarre(ModeleVue):
    id_depot: str
    statut: str
    type_demande: str
    numero_ans: str
    couloir: str
    taux_tva: str
    envoi: VueEnvoi


class VueEnvoiPieces(ModeleVue):
    id_depot: str
    envoi: VueEnvoi


class VueEnvoiComplementaires(ModeleVue):
    """The presigned POST of a ZIP of pièces complémentaires (key bound to the dossier)."""

    numero_asp: str
    envoi: VueEnvoi


class VuePiecesDemandees(ModeleVue):
    type_demande: str
    pieces_demandees: list[str]
    motif: str = ""


class VueSimulation(ModeleVue):
    nombre_lignes: int
    lignes_importables: int
    lignes_rejetees: int
    # The record keeps their number; the errors themselves are in the compte rendu.
    erreurs_fichier: int = Field(description="Nombre d'erreurs du fichier lui-même.")
    simule_le: Instant


class VueDepot(ModeleVue):
    # The import's progress fields may be added by the service: shown as they come.
    model_config = ConfigDict(extra="allow")

    id_depot: str
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    type_demande: str
    taux_tva: str
    modification: bool
    statut: str
    cree_le: Instant
    json_recu_le: Instant | None = None
    fichier: str | None = None
    simulation: VueSimulation | None = None
    importe_le: Instant | None = None
    termine_le: Instant | None = None
    numeros_asp: dict[str, str] = Field(default_factory=dict)


# A page of dépôts (the same class as Page[VueDepot]: its schema keeps that name).
PageDepots = Page[VueDepot]


class VueZip(ModeleVue):
    nom: str | None = None
    cle: str
    statut: str
    autorise_le: Instant | None = None
    recu_le: Instant | None = None
    verifie_le: Instant | None = None
    taille: int | None = None
    erreurs_pieces: list[dict[str, Any]] = Field(default_factory=list)
    pieces: list[Any] = Field(default_factory=list)


class VueEtatDossier(ModeleVue):
    numero_asp: str
    num_ligne: int
    statut: str
    pieces_manquantes: list[str]


class VueDepotDetaille(VueDepot):
    compte_rendu: dict[str, Any] | None = Field(
        None, description="Compte rendu de la simulation (§6 du format, docs/format-json.md)."
    )
    zips: list[VueZip] = Field(default_factory=list)
    dossiers: list[VueEtatDossier] = Field(default_factory=list)


class VueDossierIncomplet(ModeleVue):
    numero_asp: str
    num_ligne: int
    pieces_manquantes: list[str]


class VueTerminer(ModeleVue):
    id_depot: str
    statut: str
    termine_le: Instant | None = None
    dossiers_incomplets: list[VueDossierIncomplet]


class VueDossier(ModeleVue):
    numero_asp: str
    numero_dossier: str | None = None
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    type_demande: str
    statut: str
    finess: list[str]
    montants: dict[str, Any]
    taux_tva: str
    depose_le: Instant
    modifie_le: Instant
    id_depot: str | None = None
    num_ligne: int | None = None
    solde: dict[str, Any] | None = None
    version: int


class VueListeDossiers(ModeleVue):
    dossiers: list[VueDossier]


class VueHistorique(ModeleVue):
    model_config = ConfigDict(extra="allow")  # each action's own details

    action: str
    auteur: str
    le: Instant


class VueDossierComplet(VueDossier):
    demande: dict[str, Any]
    pieces: list[dict[str, Any]]
    cree_le: Instant
    historique: list[VueHistorique]


class StatutImport(ModeleVue):
    model_config = ConfigDict(extra="allow")  # the compte rendu, or the import's progress


class VuePiecesComplementaires(ModeleVue):
    """The pièces asked (demandes in EN_ATTENTE_PIECES) and the ZIPs sent, with their
    statut (EN_ATTENTE, EN_COURS_DE_VERIFICATION, OK, REJETE) and `erreursPieces`."""

    numero_asp: str
    attendues: list[VuePiecesDemandees]
    zips: list[VueZip]
