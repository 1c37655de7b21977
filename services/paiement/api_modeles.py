"""Paiement's HTTP contract: request models and public views (suivi financier, lots SEPA,
bank returns). Views are built from the domain, never from stored items (no keys, no
task token, no full IBAN)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.api import Instant, ModeleParametres, ModeleRequete, ModeleVue, Page


class Vide(ModeleRequete):
    """A route without a body: an empty body or `{}`."""


class ListeLotsParametres(ModeleParametres):
    limite: int = Field(20, ge=1, le=200, description="Nombre de fichiers par page.")
    curseur: str | None = Field(
        None, max_length=2048, description="« curseurSuivant » de la page précédente."
    )


class VueLien(ModeleVue):
    """A presigned GET, valid a few minutes."""

    nom: str
    url: str


class VueLot(ModeleVue):
    """A SEPA credit transfer file (pain.001.001.09)."""

    id_lot: str
    cree_le: Instant
    date_execution: date
    statut: str = Field(description="EN_PREPARATION ou EMIS.")
    nombre_transactions: int
    total: str = Field(description="Somme des virements en euros, deux décimales (« 6750.00 »).")
    fichier: VueLien | None = None


# A page of lots (the same class as Page[VueLot]: its schema keeps that name).
PageLots = Page[VueLot]


class VueAnomalie(ModeleVue):
    code: str
    message: str
    reference: str | None = None


class VueLancement(ModeleVue):
    """A batch run: the new lot (null: no file) and why."""

    lot: VueLot | None
    message: str
    repris: list[VueLot] = Field(default_factory=list)
    anomalies: list[VueAnomalie] = Field(default_factory=list)


class VueEnvoi(ModeleVue):
    """A presigned POST: send `champs` then the file (`file`) to `url`, before `expireLe`."""

    url: str
    champs: dict[str, str]
    cle: str
    expire_le: Instant
    taille_max: int


class VueRetourDemande(ModeleVue):
    id_retour: str
    envoi: VueEnvoi


class VueLigneRetour(ModeleVue):
    numero_asp: str
    numero_demande: str
    objet: str
    type_versement: str
    end_to_end: str
    montant: str | None
    code_rejet: str | None = None
    motif_rejet: str | None = None


class VueRetour(ModeleVue):
    """A bank return (pain.002): ATTENDU until the file arrives, then TRAITE or ILLISIBLE."""

    id_retour: str
    statut: str
    demande_le: Instant
    recu_le: Instant | None
    traite_le: Instant | None
    message_id: str | None
    payes: list[VueLigneRetour]
    rejetes: list[VueLigneRetour]
    soldes_liberes: list[VueLigneRetour]
    deja_traites: int
    en_cours: int
    anomalies: list[VueAnomalie]
    erreur: str | None


class VueLigneSuivi(ModeleVue):
    """One line of the suivi financier (the portal's columns)."""

    numero_demande: str
    objet: str = Field(description="Objet du versement: VERSE001 (avance), VERSE002 (solde).")
    type_versement: str
    etat: str
    libelle_etat: str = Field(description="État du paiement, « Paiement effectué »…")
    code_rejet: str | None
    motif_rejet: str | None
    montant_calcule: str | None
    date_validation: date
    date_mise_en_paiement: date | None
    montant_paye: str | None
    date_paiement: date | None = Field(description="Date de paiement effective.")
    avis_paiement: VueLien | None
    reemissions: int


class VueSuivi(ModeleVue):
    numero_asp: str
    versements: list[VueLigneSuivi]
