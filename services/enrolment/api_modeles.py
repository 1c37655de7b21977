"""Enrolment's HTTP contract: request bodies and public views (E1–E5).

The bodies of the demandes are checked whole by the domain (services/enrolment/domain/
formulaire.py, every problem at once with its field); the models here describe them for
the OpenAPI document with the same names, types and values, without the domain's heavy
imports (python-stdnum, phonenumbers, email-validator) at every cold start of the app.
tests/unit/enrolment/test_api_modeles.py checks that both describe the same fields.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.api import Instant, ModeleParametres, ModeleRequete, ModeleVue

TYPES_DOCUMENT = Literal[
    "certificatReferencement",
    "pieceIdentiteRepresentant",
    "pieceIdentiteDepositaire",
    "contratPrestation",
    "mandat",
    "rib",
    "kbis",
    "attestationNonAssujettissement",
]
MOTIF_NUMERO_DEMANDE = r"^ENR[0-9]{4,}M0$"
MOTIF_NUMERO_ANS = r"^[A-Za-z0-9]{10}$"

# --- requests ---------------------------------------------------------------------------


class TeleversementRequete(ModeleRequete):
    type_document: TYPES_DOCUMENT = Field(description="Le document à téléverser.")
    nom_fichier: str = Field(
        min_length=1, max_length=200, description="Nom du fichier: .png, .jpg, .jpeg ou .pdf."
    )


class Adresse(ModeleRequete):
    destinataire: str | None = Field(None, max_length=200)
    entree_batiment: str | None = Field(None, max_length=200)
    numero: str | None = Field(None, pattern=r"^[0-9]{1,5}$")
    extension: Literal["BIS", "TER", "QUATER", "A", "B", "C", "D"] | None = None
    type_voie: str = Field(max_length=40, description="RUE, AVENUE, BOULEVARD, …")
    nom_voie: str = Field(max_length=200)
    complement: str | None = Field(None, max_length=200)
    code_postal: str = Field(pattern=r"^[0-9]{5}$")
    commune: str = Field(max_length=100)


class Demandeur(ModeleRequete):
    siret: str = Field(max_length=20, description="SIRET (14 chiffres, espaces tolérés).")
    denomination_sociale: str = Field(max_length=200)
    nom_commercial: str = Field(max_length=200)
    adresse: Adresse


class Personne(ModeleRequete):
    nom: str = Field(max_length=100)
    prenom: str = Field(max_length=100)
    email: str = Field(max_length=254)
    confirmation_email: str = Field(max_length=254, description="La même adresse.")
    telephone: str = Field(max_length=30, description="Numéro français (DOM-TOM compris).")


class TiersDeclarant(ModeleRequete):
    qualite: Literal["CENTRE_DE_GESTION", "EXPERT_COMPTABLE", "EMPLOYE"]
    depositaire: Personne


class CoordonneesBancaires(ModeleRequete):
    iban: str = Field(max_length=50)
    bic: str = Field(max_length=11)
    titulaire: str = Field(max_length=200)
    domiciliation: str = Field(max_length=200)


class Documents(ModeleRequete):
    """The references returned by `POST /enrolements/documents`, by document."""

    certificat_referencement: str | None = Field(None, max_length=100)
    piece_identite_representant: str | None = Field(None, max_length=100)
    piece_identite_depositaire: str | None = Field(None, max_length=100)
    contrat_prestation: str | None = Field(None, max_length=100)
    mandat: str | None = Field(None, max_length=100)
    rib: str | None = Field(None, max_length=100)
    kbis: str | None = Field(None, max_length=100)
    attestation_non_assujettissement: str | None = Field(None, max_length=100)


TauxTva = Literal["20", "10", "5.5", "2.1", "HT"]


class EnrolementRequete(ModeleRequete):
    """E2: the demande d'enrôlement, with its solved anti-robot challenge."""

    numero_ans: str = Field(max_length=10, description="Numéro unique de référencement (ANS).")
    demandeur: Demandeur
    representant_legal: bool = Field(description="Je suis le représentant légal du fournisseur.")
    representant: Personne
    tiers_declarant: TiersDeclarant | None = Field(
        None, description="Obligatoire quand representantLegal est false."
    )
    coordonnees_bancaires: CoordonneesBancaires
    taux_tva: TauxTva
    cgu_acceptees: bool
    sincerite_attestee: bool
    documents: Documents = Documents.model_construct()  # no validator built at import
    jeton_anti_robot: str = Field(
        max_length=4000,
        description="La vérification anti-robot: la charge utile (base64) du défi de "
        "GET /enrolements/defi résolu, telle que le widget ALTCHA la donne; valable une fois.",
    )


class ComplementaireRequete(ModeleRequete):
    """E5: another référencement for an enrolled éditeur; identity and bank details only
    when they change (with their documents)."""

    numero_ans: str = Field(max_length=10)
    representant: Personne | None = None
    tiers_declarant: TiersDeclarant | None = None
    coordonnees_bancaires: CoordonneesBancaires | None = None
    taux_tva: TauxTva | None = None
    cgu_acceptees: bool
    sincerite_attestee: bool
    documents: Documents = Documents.model_construct()  # no validator built at import


class CoordonneesRequete(ModeleRequete):
    """New bank details, with the RIB; used once a gestionnaire validates them."""

    coordonnees_bancaires: CoordonneesBancaires
    sincerite_attestee: bool
    documents: Documents = Documents.model_construct()  # no validator built at import


class SuiviParametres(ModeleParametres):
    jeton: str = Field(min_length=1, max_length=200, description="Jeton de suivi reçu (E3).")


class ListeParametres(ModeleParametres):
    statut: Literal["SOUMISE", "VALIDEE", "REJETEE"] | None = None
    curseur: str | None = Field(None, max_length=2048, description="« curseurSuivant » reçu.")
    limite: int = Field(50, ge=1, le=100, description="Nombre de demandes par page.")


class DecisionRequete(ModeleRequete):
    decision: Literal["VALIDEE", "REJETEE"]
    motif: str | None = Field(
        None, max_length=2000, description="Obligatoire pour REJETEE: envoyé au demandeur."
    )


class EntreeReferentiel(ModeleRequete):
    numero_ans: str = Field(max_length=10)
    couloir: Literal["MS1", "MS2"]
    type_logiciel: Literal["DUI", "DUI-PDE"]
    vague: str = Field(pattern=r"^[1-9][0-9]?$")
    solution: str = Field(min_length=1, max_length=200)
    version_solution: str = Field(min_length=1, max_length=50)
    siret: str = Field(max_length=14)
    raison_sociale: str = Field(min_length=1, max_length=200)


# Through the API a body is at most 64 Ko (shared.api.TAILLE_MAX_CORPS): 200 entries of
# ~250 octets fit; a bigger référentiel is loaded by `segurnum referentiel` (no HTTP).
REFERENCEMENTS_MAX_API = 200


class ReferentielRequete(ModeleRequete):
    """A version of the référentiel ANS (the format of services/enrolment/donnees)."""

    version: str = Field(min_length=1, max_length=50)
    source: str = Field("", max_length=300)
    referencements: list[EntreeReferentiel] = Field(
        min_length=1,
        max_length=REFERENCEMENTS_MAX_API,
        description=f"Au plus {REFERENCEMENTS_MAX_API} référencements (corps ≤ 64 Ko); au-delà, "
        "la commande `segurnum referentiel`.",
    )


# --- views ------------------------------------------------------------------------------


class VueReferencement(ModeleVue):
    numero_ans: str
    couloir: str
    type_logiciel: str
    vague: str
    dsr: str = Field(description="« MS1 / DUI / vague 1 »")
    solution: str
    version_solution: str
    siret: str
    raison_sociale: str


class VueEnvoi(ModeleVue):
    """A presigned POST: send `champs` then the file (field `file`) to `url`."""

    url: str
    champs: dict[str, str]
    expire_le: Instant
    taille_max: int


class VueTeleversement(ModeleVue):
    reference: str = Field(description="À donner dans « documents » de la demande.")
    envoi: VueEnvoi


class VueDonneesDefi(ModeleVue):
    expire: int = Field(description="Fin de validité (secondes epoch, horloge de la plateforme).")


class VueParametresDefi(ModeleVue):
    algorithm: str = Field(description="PBKDF2/SHA-256")
    nonce: str
    salt: str
    cost: int = Field(description="Itérations PBKDF2 par essai.")
    key_length: int
    key_prefix: str = Field(description="Le début de la clé dérivée à trouver (hexadécimal).")
    data: VueDonneesDefi


class VueDefi(ModeleVue):
    """An ALTCHA challenge (proof of work v2): find the counter whose derived key starts
    with keyPrefix, then send {challenge, solution} in base64 as jetonAntiRobot."""

    parameters: VueParametresDefi
    signature: str = Field(description="HMAC des paramètres par la plateforme.")


class VueConfirmation(ModeleVue):
    numero: str = Field(description="ENR####M0")
    statut: str
    libelle_statut: str
    jeton_suivi: str = Field(description="Pour suivre la demande: GET /enrolements/{numero}.")


class VueSuivi(ModeleVue):
    numero: str
    nature: str
    statut: str
    libelle_statut: str
    numero_ans: str | None = None
    soumise_le: str
    decidee_le: str | None = None
    motif: str | None = None


class VueContact(ModeleVue):
    email: str
    nom: str
    prenom: str


class VueDocument(ModeleVue):
    type_document: str
    taille: int
    url: str | None = Field(None, description="GET présigné (5 min), gestionnaires seulement.")


class VueCoordonnees(ModeleVue):
    iban: str | None = Field(description="Masqué (FR76 **** … 1234) sauf aux gestionnaires.")
    bic: str
    titulaire: str
    domiciliation: str


class VueDecision(ModeleVue):
    statut: str
    motif: str
    par: str
    le: str
    compte: str | None = None


class VueResumeDemande(ModeleVue):
    numero: str
    nature: str
    statut: str
    libelle_statut: str
    numero_ans: str | None = None
    siret: str
    raison_sociale: str
    couloir: str | None = None
    soumise_le: str


class VueDemande(VueSuivi):
    siret: str
    couloir: str | None = None
    raison_sociale: str
    nom_commercial: str
    contact: VueContact
    taux_tva: str | None = None
    documents: list[VueDocument]
    coordonnees_bancaires: VueCoordonnees | None = None
    formulaire: dict[str, Any]
    historique: list[dict[str, Any]] | None = None
    decision: VueDecision | None = None


class PageDemandes(ModeleVue):
    elements: list[VueResumeDemande]
    curseur_suivant: str | None = None


class VueVersionReferentiel(ModeleVue):
    version: str
    source: str
    chargee_le: Instant
    chargee_par: str
    ajoutes: list[str]
    modifies: list[str]
    inchanges: int
    absents: list[str] = Field(description="Absents du fichier: conservés, jamais supprimés.")


class VueMoi(ModeleVue):
    siret: str | None
    utilisateur: str
    groupes: list[str]


class ObjetJson(BaseModel):
    """Any JSON object, held whole in `contenu` (the use case checks its fields, listing
    every problem). Not a model of free fields: no model here allows unknown ones."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    contenu: dict[str, Any]

    @model_validator(mode="before")
    @classmethod
    def _envelopper(cls, brut: Any) -> Any:
        # Anything but an object is left as is: refused as « not a JSON object » (400).
        return {"contenu": brut} if isinstance(brut, dict) else brut
