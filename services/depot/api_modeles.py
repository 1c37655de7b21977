"""Dépôt's HTTP contract: the request models and the public views of its routes."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

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


class _ChampsDepot(ModeleVue):
    """The fields of every view of a dépôt (the list's and the detailed one's)."""

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


class VueImportEnCours(ModeleVue):
    """How far the import is (IMPORT_EN_COURS): lines written or rejected, of the file's."""

    lignes_a_traiter: int
    lignes_traitees: int


_IMPORT_EN_COURS = "Progression de l'import (statut IMPORT_EN_COURS), null sinon."


class VueDepot(_ChampsDepot):
    import_en_cours: VueImportEnCours | None = Field(None, description=_IMPORT_EN_COURS)


# A page of dépôts (the same class as Page[VueDepot]: its schema keeps that name).
PageDepots = Page[VueDepot]


# ---------------------------------------------------------------- the compte rendu (§6)
# As the stored report is read back (json_canonique: keys sorted), each model declares its
# fields in that order, so that the answer keeps the report's own order.


def _absent(valeur: object) -> bool:
    return valeur is None


class VueErreurLigne(ModeleVue):
    """A problem of the file or of a line; `chemin` is an RFC 6901 JSON Pointer into the
    deposited file ("" the document itself)."""

    chemin: str
    code: str = Field(description="Code stable (docs/codes-erreur.md).")
    message: str = Field(description="Ce qui ne va pas, où, et ce qui est attendu.")


class VueErreurPiece(ModeleVue):
    """A problem of the ZIP of pièces: `fichier` the member at fault, null the archive.
    (In the order of §6 and of a ZIP's `erreursPieces`, the compte rendu's too.)"""

    fichier: str | None
    code: str
    message: str


class VueMontants(ModeleVue):
    """Two decimals, as text: montant financé, avance (30 %), solde (the rest)."""

    avance: str
    montant_finance: str
    solde: str


class VueLigneCompteRendu(ModeleVue):
    avertissements: list[VueErreurLigne] = Field(
        default_factory=list, description="N'empêchent pas l'import."
    )
    erreurs: list[VueErreurLigne] = Field(default_factory=list)
    montants: VueMontants | None = None
    num_ligne: int = Field(description="numLigne de la demande, sinon sa position (1, 2…).")
    numero_asp: str | None = Field(
        None, exclude_if=_absent, description="Le dossier créé: présent une fois importée."
    )
    statut: Literal["IMPORTABLE", "REJETEE"]


class VueCompteRendu(ModeleVue):
    """The compte rendu of the simulation, then of the import (§6 of the format)."""

    erreurs_fichier: list[VueErreurLigne] = Field(
        description="Erreurs du fichier lui-même: chacune rejette toutes les lignes."
    )
    erreurs_pieces: list[VueErreurPiece] = Field(description="Problèmes du ZIP de pièces.")
    fichier: str = Field(description="Nom du JSON déposé.")
    id_fichier: str | None = Field(
        None, exclude_if=_absent, description="L'identifiant du dépôt (idFichier, fichier annoté)."
    )
    lignes: list[VueLigneCompteRendu]
    lignes_importables: int
    lignes_importees: int | None = Field(
        None, exclude_if=_absent, description="Présent une fois le dépôt importé."
    )
    lignes_rejetees: int
    nombre_lignes: int


class VueZip(ModeleVue):
    nom: str | None = None
    cle: str
    statut: str
    autorise_le: Instant | None = None
    recu_le: Instant | None = None
    verifie_le: Instant | None = None
    taille: int | None = None
    erreurs_pieces: list[VueErreurPiece] = Field(default_factory=list)
    pieces: list[str] = Field(default_factory=list, description="Les pièces gardées (OK).")


class VueEtatDossier(ModeleVue):
    numero_asp: str
    num_ligne: int
    statut: str
    pieces_manquantes: list[str]


class VueDepotDetaille(_ChampsDepot):
    # Its fields in the order the answer has always shown them (importEnCours last).
    compte_rendu: VueCompteRendu | None = Field(
        None, description="Compte rendu de la simulation (§6 du format, docs/format-json.md)."
    )
    zips: list[VueZip] = Field(default_factory=list)
    dossiers: list[VueEtatDossier] = Field(default_factory=list)
    import_en_cours: VueImportEnCours | None = Field(None, description=_IMPORT_EN_COURS)


class VueDossierIncomplet(ModeleVue):
    numero_asp: str
    num_ligne: int
    pieces_manquantes: list[str]


class VueTerminer(ModeleVue):
    id_depot: str
    statut: str
    termine_le: Instant | None = None
    dossiers_incomplets: list[VueDossierIncomplet]


class VuePiecesComplementaires(ModeleVue):
    """The pièces asked (demandes in EN_ATTENTE_PIECES) and the ZIPs sent, with their
    statut (EN_ATTENTE, EN_COURS_DE_VERIFICATION, OK, REJETE) and `erreursPieces`."""

    numero_asp: str
    attendues: list[VuePiecesDemandees]
    zips: list[VueZip]
