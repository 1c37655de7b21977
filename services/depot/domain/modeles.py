"""The pydantic models of format MS v1: the published description (JSON Schema, B6).

They carry each field's own rules (strict types, unknown fields refused, patterns,
allowed values, Luhn checks, emails, phone numbers, decimal amounts) and the
mandataire's. The rules across fields and with the dépôt's context (scénarios,
mandatory pièces, nomenclature, ceiling, dates, guichet, uniqueness within the file)
are in the `validation` package, which also judges each field, faster and with French
messages: see the reason at the top of that module. A test checks that both agree.

To be validated in Python mode on the value read by `lecture.lire_json` (numbers as
Decimal): in JSON mode, pydantic reads numbers as float before making Decimals of them,
and accepts a string for a Decimal even in strict mode.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

from services.depot.domain.controles import courriel_ok, finess_ok, telephone_ok
from services.depot.domain.format_ms import (
    LONGUEUR_MAX_NOM_FICHIER,
    MAX_DEMANDES,
    MOTIF_DATE,
    MOTIF_FINESS,
    MOTIF_NOM_FICHIER,
    MOTIF_NUMERO_ANS,
    MOTIF_NUMERO_ASP,
    MOTIF_NUMERO_DOSSIER,
    MOTIF_OPERATEUR,
    MOTIF_SIRET,
    MOTIF_TELEPHONE,
    MOTIF_VERROUILLAGE,
    VERSION_FORMAT,
)
from shared.identifiants import siret_valide

ID_SCHEMA = "urn:segurnum:format-ms:v1"
DIALECTE = "https://json-schema.org/draft/2020-12/schema"


def _exiger(predicat: Any, message: str) -> AfterValidator:
    def verifier(valeur: str) -> str:
        if not predicat(valeur):
            raise ValueError(message)
        return valeur

    return AfterValidator(verifier)


def _date_reelle(valeur: str) -> bool:
    try:
        date(int(valeur[6:]), int(valeur[3:5]), int(valeur[:2]))
    except ValueError:
        return False
    return True


def _montant_json(valeur: Any) -> Any:
    """A JSON number read as Decimal (or an integer); never a float, a string, a boolean."""
    if type(valeur) is int:
        return Decimal(valeur)
    if type(valeur) is not Decimal:
        raise ValueError("montantSegur doit être un nombre JSON (par exemple 18750.00)")
    return valeur


Finess = Annotated[
    str,
    Field(pattern=MOTIF_FINESS, description="Numéro FINESS géographique (9 caractères)."),
    _exiger(finess_ok, "clé de Luhn du FINESS invalide"),
]
Courriel = Annotated[
    str,
    Field(json_schema_extra={"format": "email"}),
    _exiger(courriel_ok, "adresse de courriel invalide"),
]
Telephone = Annotated[
    str,
    Field(
        pattern=MOTIF_TELEPHONE, description="10 chiffres commençant par 0, ou +33 et 9 chiffres."
    ),
    _exiger(telephone_ok, "numéro de téléphone français invalide"),
]
Texte = Annotated[str, Field(pattern=r"\S", description="Texte non vide.")]
MontantSegur = Annotated[
    Decimal,
    BeforeValidator(_montant_json),
    Field(gt=0, decimal_places=2),
    WithJsonSchema(
        {
            "type": "number",
            "exclusiveMinimum": 0,
            "multipleOf": 0.01,
            "description": "Montant en euros, au centime (au plus deux décimales par valeur).",
        }
    ),
]


class _Objet(BaseModel):
    model_config = ConfigDict(
        strict=True,
        extra="forbid",
        frozen=True,
        field_title_generator=lambda nom, champ: champ.alias or nom,
    )


class Commande(_Objet):
    """Informations sur la commande."""

    date_commande: Annotated[
        str,
        Field(
            alias="dateCommande",
            pattern=MOTIF_DATE,
            description="Date de signature de la commande, jj/mm/aaaa; ni postérieure au "
            "dépôt, ni antérieure à la première date de la campagne (01/07/2021).",
        ),
        _exiger(_date_reelle, "date inexistante"),
    ]
    regime_tva: Literal["HT", "TTC"] = Field(
        alias="regimeTVA", description="HT exige une pièce ATTESTATION_HT."
    )
    montant_segur: MontantSegur = Field(
        alias="montantSegur",
        description="Montant Ségur déclaré, en euros; au plus le plafond par établissement "
        "de la campagne (20 000,00 €) × le nombre d'établissements distincts.",
    )


class EtablissementClient(_Objet):
    finess_geo: Finess = Field(alias="finessGeo")
    nom_responsable: Texte = Field(alias="nomResponsable")
    email_responsable: Courriel = Field(alias="emailResponsable")
    telephone_responsable: Telephone = Field(alias="telephoneResponsable")


class Beneficiaire(_Objet):
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"mandataire": {"const": True}}},
            "then": {
                "required": ["nomMandataire", "emailMandataire", "telephoneMandataire"],
                "properties": {
                    "nomMandataire": {"type": "string"},
                    "emailMandataire": {"type": "string"},
                    "telephoneMandataire": {"type": "string"},
                },
            },
        }
    )

    mandataire: bool = Field(
        description="true: nomMandataire, emailMandataire et telephoneMandataire sont obligatoires."
    )
    nom_mandataire: Texte | None = Field(default=None, alias="nomMandataire")
    email_mandataire: Courriel | None = Field(default=None, alias="emailMandataire")
    telephone_mandataire: Telephone | None = Field(default=None, alias="telephoneMandataire")
    etablissements_clients: list[EtablissementClient] = Field(
        alias="etablissementsClients", min_length=1
    )

    @model_validator(mode="after")
    def _mandataire_complet(self) -> Beneficiaire:
        if self.mandataire and None in (
            self.nom_mandataire,
            self.email_mandataire,
            self.telephone_mandataire,
        ):
            raise ValueError("nom, courriel et téléphone du mandataire sont obligatoires")
        return self


class PieceJustificative(_Objet):
    nom_fichier: Annotated[
        str,
        Field(
            alias="nomFichier",
            max_length=LONGUEUR_MAX_NOM_FICHIER,
            pattern=MOTIF_NOM_FICHIER,
            description="<couloir>_<texte libre>-<CODE>-<numeroDossier>.<extension>, CODE "
            "selon le typeFichier (BDC, HT, FAC, VA, MOM, AVT, AUT); unique dans le fichier.",
        ),
    ]
    format_fichier: Literal["PDF", "JPG", "PNG"] = Field(
        alias="formatFichier", description="Cohérent avec l'extension (.pdf, .jpg/.jpeg, .png)."
    )
    type_fichier: Literal[
        "BON_COMMANDE", "ATTESTATION_HT", "FACTURE", "PV_VA", "MOM", "AVENANT", "AUTRE"
    ] = Field(
        alias="typeFichier",
        description="Une avance exige un BON_COMMANDE; un solde une FACTURE et un PV_VA ou "
        "un MOM; le régime HT une ATTESTATION_HT.",
    )


class ScenarioInstallation(_Objet):
    finess_geo: Finess = Field(alias="finessGeo")
    ancienne_version: str = Field(alias="ancienneVersion")
    is_multireid: bool = Field(alias="isMultireid")
    is_stockage_id: bool = Field(alias="isStockageId")
    operateur_messagerie: Annotated[str, Field(pattern=MOTIF_OPERATEUR)] = Field(
        alias="operateurMessagerie"
    )
    profil_motif: Literal["PA", "PM", "MOT"] = Field(alias="profilMotif")
    is_ref_soins: bool | None = Field(default=None, alias="isRefSoins")


class Demande(_Objet):
    num_ligne: Annotated[int, Field(alias="numLigne", ge=1)] = Field(
        description="Identifie la demande dans le compte rendu; unique dans le fichier."
    )
    type_action: Literal["C", "M"] = Field(
        alias="typeAction", description="C: création; M: modification d'une demande déposée."
    )
    numero_asp: Annotated[str, Field(pattern=MOTIF_NUMERO_ASP)] | None = Field(
        default=None,
        alias="numeroASP",
        description="null pour une création d'avance; pour une modification, le dossier à "
        "modifier; pour un solde, le dossier d'avance qu'il conclut.",
    )
    numero_dossier: Annotated[str, Field(pattern=MOTIF_NUMERO_DOSSIER)] = Field(
        alias="numeroDossier",
        description="Référence de l'éditeur; unique dans le fichier et pour l'éditeur.",
    )
    verrouillage: Annotated[str, Field(pattern=MOTIF_VERROUILLAGE)] = Field(
        description="Version installée de la solution référencée, par exemple 1.4.2."
    )
    commande: Commande
    beneficiaires: list[Beneficiaire] = Field(min_length=1)
    pieces_justificatives: list[PieceJustificative] = Field(
        alias="piecesJustificatives", min_length=1
    )
    scenario_installation: list[ScenarioInstallation] = Field(
        alias="scenarioInstallation",
        min_length=1,
        description="Exactement un scénario par établissement client de la demande.",
    )
    code_traitement: None = Field(
        default=None, alias="codeTraitement", description="null; rempli par la plateforme."
    )
    libelle_traitement: None = Field(
        default=None, alias="libelleTraitement", description="null; rempli par la plateforme."
    )


class FichierDemandes(_Objet):
    """Un fichier de demandes de financement Ségur numérique, couloir médico-social."""

    id_fichier: None = Field(
        default=None, alias="idFichier", description="null; rempli par la plateforme."
    )
    numero_ans: Annotated[str, Field(pattern=MOTIF_NUMERO_ANS)] = Field(
        alias="numeroAns", description="Numéro de référencement ANS choisi au dépôt."
    )
    siret: Annotated[
        str,
        Field(pattern=MOTIF_SIRET, description="SIRET de l'éditeur enrôlé (clé de Luhn)."),
        _exiger(siret_valide, "clé de contrôle du SIRET invalide"),
    ]
    demandes: list[Demande] = Field(min_length=1, max_length=MAX_DEMANDES)


def schema_json() -> dict[str, Any]:
    """The published JSON Schema (Draft 2020-12), versioned « ms-v1 »."""
    schema = FichierDemandes.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": DIALECTE,
        "$id": ID_SCHEMA,
        "version": VERSION_FORMAT,
        **schema,
    }
