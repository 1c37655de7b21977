"""E2 — the fields of a demande d'enrôlement, as the portal's screens ask for them.

Exact JSON types (strict), camelCase names, unknown fields refused. Identifiers are
checked with the libraries: python-stdnum (SIRET, IBAN, BIC), email-validator (syntax
only, no DNS), phonenumbers (French numbers, overseas included). Rules that join several
fields (confirmation of an email, tiers déclarant or not, documents required by the
answers) are in `controles.py`, so that they are reported even when another field is
wrong.
"""

from __future__ import annotations

import re
from typing import Annotated, ClassVar, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.fr import siret as stdnum_siret

from services.enrolment.domain.referentiel import message_numero_ans, numero_ans_valide

# Types de voie (codes of the portal's drop-down list → label).
TYPES_VOIE: dict[str, str] = {
    "ALLEE": "Allée",
    "AVENUE": "Avenue",
    "BOULEVARD": "Boulevard",
    "CARREFOUR": "Carrefour",
    "CHEMIN": "Chemin",
    "CHAUSSEE": "Chaussée",
    "CITE": "Cité",
    "COURS": "Cours",
    "DOMAINE": "Domaine",
    "ESPLANADE": "Esplanade",
    "FAUBOURG": "Faubourg",
    "HAMEAU": "Hameau",
    "IMPASSE": "Impasse",
    "LIEU_DIT": "Lieu-dit",
    "LOTISSEMENT": "Lotissement",
    "MONTEE": "Montée",
    "PARC": "Parc",
    "PASSAGE": "Passage",
    "PLACE": "Place",
    "PROMENADE": "Promenade",
    "QUAI": "Quai",
    "QUARTIER": "Quartier",
    "RESIDENCE": "Résidence",
    "ROND_POINT": "Rond-point",
    "ROUTE": "Route",
    "RUE": "Rue",
    "RUELLE": "Ruelle",
    "SENTIER": "Sentier",
    "SQUARE": "Square",
    "VOIE": "Voie",
    "ZONE": "Zone (ZA, ZI, ZAC)",
}
EXTENSIONS_NUMERO = ("BIS", "TER", "QUATER", "A", "B", "C", "D")
QUALITES = ("CENTRE_DE_GESTION", "EXPERT_COMPTABLE", "EMPLOYE")
# HT: the structure is not liable to VAT (attestation de non-assujettissement).
TAUX_TVA = ("20", "10", "5.5", "2.1", "HT")
# Numbers of metropolitan France and of the overseas departments and collectivities.
REGIONS_FRANCAISES = frozenset(
    {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"}
)
_CODE_POSTAL = re.compile(r"(?:0[1-9]|[1-8][0-9]|9[0-5]|97[1-6]|98[4-8])[0-9]{2,3}")


def _erreur(code: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(code, message)


def _texte(valeur: str) -> str:
    if not valeur.strip():
        raise _erreur("TEXTE_VIDE", "un texte non vide est attendu.")
    return valeur.strip()


Texte = Annotated[str, Field(max_length=200), AfterValidator(_texte)]
TexteCourt = Annotated[str, Field(max_length=100), AfterValidator(_texte)]


class Modele(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, alias_generator=to_camel)


def siret_canonique(valeur: str) -> str:
    compact = stdnum_siret.compact(valeur)
    if not (compact.isdigit() and len(compact) == 14 and stdnum_siret.is_valid(compact)):
        raise _erreur(
            "SIRET_INVALIDE",
            f"Le SIRET « {valeur} » n'est pas valide : 14 chiffres dont la clé de Luhn sont "
            "attendus (par exemple 73282932000074).",
        )
    return compact


def email_canonique(valeur: str, qui: str) -> str:
    try:
        return validate_email(valeur, check_deliverability=False).normalized
    except EmailNotValidError:
        raise _erreur(
            "EMAIL_INVALIDE",
            f"L'email {qui} « {valeur} » n'est pas une adresse valide : une adresse de la "
            "forme nom@domaine.fr est attendue.",
        ) from None


def telephone_canonique(valeur: str, qui: str) -> str:
    message = (
        f"Le téléphone {qui} « {valeur} » n'est pas un numéro français valide : 10 chiffres "
        "(01 23 45 67 89) ou le format international (+33 1 23 45 67 89) sont attendus."
    )
    try:
        numero = phonenumbers.parse(valeur, "FR")
    except phonenumbers.NumberParseException:
        raise _erreur("TELEPHONE_INVALIDE", message) from None
    region = phonenumbers.region_code_for_number(numero)
    if not phonenumbers.is_valid_number(numero) or region not in REGIONS_FRANCAISES:
        raise _erreur("TELEPHONE_INVALIDE", message)
    return phonenumbers.format_number(numero, phonenumbers.PhoneNumberFormat.E164)


def iban_canonique(valeur: str) -> str:
    compact = stdnum_iban.compact(valeur)
    if not stdnum_iban.is_valid(compact):
        raise _erreur(
            "IBAN_INVALIDE",
            f"L'IBAN « {valeur} » n'est pas valide (longueur du pays et clé de contrôle) : "
            "par exemple FR76 3000 6000 0112 3456 7890 189.",
        )
    return compact


def bic_canonique(valeur: str) -> str:
    compact = stdnum_bic.compact(valeur)
    if not stdnum_bic.is_valid(compact):
        raise _erreur(
            "BIC_INVALIDE",
            f"Le BIC « {valeur} » n'est pas valide : 8 ou 11 caractères (banque, pays, "
            "localité, agence), par exemple AGRIFRPPXXX.",
        )
    return compact


class _Personne(Modele):
    QUI: ClassVar[str] = "de la personne"

    nom: TexteCourt
    prenom: TexteCourt
    email: str = Field(max_length=254)
    confirmation_email: str = Field(max_length=254)
    telephone: str = Field(max_length=30)

    @field_validator("email")
    @classmethod
    def _email(cls, valeur: str) -> str:
        return email_canonique(valeur, cls.QUI)

    @field_validator("telephone")
    @classmethod
    def _telephone(cls, valeur: str) -> str:
        return telephone_canonique(valeur, cls.QUI)


class Representant(_Personne):
    """The représentant légal of the fournisseur (case 1 and case 2)."""

    QUI: ClassVar[str] = "du représentant"


class Depositaire(_Personne):
    """Case 2: the person who deposits; every courriel goes to this address."""

    QUI: ClassVar[str] = "du dépositaire"


class TiersDeclarant(Modele):
    qualite: Literal["CENTRE_DE_GESTION", "EXPERT_COMPTABLE", "EMPLOYE"]
    depositaire: Depositaire


class Adresse(Modele):
    destinataire: Texte | None = None
    entree_batiment: Texte | None = None
    numero: str | None = Field(default=None, pattern=r"^[0-9]{1,5}$")
    extension: Literal["BIS", "TER", "QUATER", "A", "B", "C", "D"] | None = None
    type_voie: str
    nom_voie: Texte
    complement: Texte | None = None
    code_postal: str
    commune: TexteCourt

    @field_validator("type_voie")
    @classmethod
    def _type_voie(cls, valeur: str) -> str:
        if valeur not in TYPES_VOIE:
            raise _erreur(
                "TYPE_VOIE_INVALIDE",
                f"Le type de voie « {valeur} » n'est pas dans la liste : une valeur parmi "
                f"{', '.join(TYPES_VOIE)} est attendue.",
            )
        return valeur

    @field_validator("code_postal")
    @classmethod
    def _code_postal(cls, valeur: str) -> str:
        if not _CODE_POSTAL.fullmatch(valeur) or len(valeur) != 5:
            raise _erreur(
                "CODE_POSTAL_INVALIDE",
                f"Le code postal « {valeur} » n'est pas valide : 5 chiffres d'un département "
                "français sont attendus (par exemple 75012 ou 97400).",
            )
        return valeur


Siret = Annotated[str, Field(max_length=20), AfterValidator(siret_canonique)]
Iban = Annotated[str, Field(max_length=50), AfterValidator(iban_canonique)]
Bic = Annotated[str, Field(max_length=20), AfterValidator(bic_canonique)]


class Demandeur(Modele):
    siret: Siret
    denomination_sociale: Texte
    nom_commercial: Texte
    adresse: Adresse


class CoordonneesBancaires(Modele):
    iban: Iban
    bic: Bic
    titulaire: Texte
    domiciliation: Texte


_REFERENCE = re.compile(r"([A-Za-z]+)/[0-9a-f]{32}\.(?:pdf|png|jpg|jpeg)")


def _reference(valeur: str, info: ValidationInfo) -> str:
    attendu = to_camel(str(info.field_name))
    trouve = _REFERENCE.fullmatch(valeur)
    if trouve is None or trouve.group(1) != attendu:
        raise _erreur(
            "REFERENCE_DOCUMENT_INVALIDE",
            "la référence rendue par le téléversement de ce document est attendue, de la "
            f"forme {attendu}/<32 caractères hexadécimaux>.pdf (ou .png, .jpg, .jpeg).",
        )
    return valeur


Reference = Annotated[str, Field(max_length=100), AfterValidator(_reference)]


class Documents(Modele):
    """The uploads (references given by `POST …/documents`), by kind of document."""

    certificat_referencement: Reference | None = None
    piece_identite_representant: Reference | None = None
    piece_identite_depositaire: Reference | None = None
    contrat_prestation: Reference | None = None
    mandat: Reference | None = None
    rib: Reference | None = None
    kbis: Reference | None = None
    attestation_non_assujettissement: Reference | None = None


def _accepte(valeur: bool, quoi: str) -> bool:
    if valeur is not True:
        raise _erreur("ACCEPTATION_REQUISE", f"la case « {quoi} » doit être cochée (true).")
    return valeur


def _cgu(valeur: bool) -> bool:
    return _accepte(valeur, "J'ai lu et j'accepte les CGU")


def _sincerite(valeur: bool) -> bool:
    return _accepte(
        valeur, "L'ensemble des éléments saisis dans ce formulaire de demande sont sincères"
    )


def _numero_ans(valeur: str) -> str:
    if not numero_ans_valide(valeur):
        raise _erreur("NUMERO_ANS_INVALIDE", message_numero_ans(valeur))
    return valeur


NumeroAns = Annotated[str, Field(max_length=10), AfterValidator(_numero_ans)]
Cgu = Annotated[bool, AfterValidator(_cgu)]
Sincerite = Annotated[bool, AfterValidator(_sincerite)]
TauxTva = Literal["20", "10", "5.5", "2.1", "HT"]


class FormulaireEnrolement(Modele):
    """E2: the whole demande, as « Terminer » sends it."""

    numero_ans: NumeroAns
    demandeur: Demandeur
    representant_legal: bool  # « Je suis le représentant légal du fournisseur »
    representant: Representant
    tiers_declarant: TiersDeclarant | None = None  # required when representantLegal false
    coordonnees_bancaires: CoordonneesBancaires
    taux_tva: TauxTva
    cgu_acceptees: Cgu
    sincerite_attestee: Sincerite
    documents: Documents = Documents()


class FormulaireComplementaire(Modele):
    """E5: an enrolled éditeur adds a référencement. Identity and bank details are those
    of its enrolment unless given again (then with their documents)."""

    numero_ans: NumeroAns
    representant: Representant | None = None
    tiers_declarant: TiersDeclarant | None = None
    coordonnees_bancaires: CoordonneesBancaires | None = None
    taux_tva: TauxTva | None = None
    cgu_acceptees: Cgu
    sincerite_attestee: Sincerite
    documents: Documents = Documents()


class FormulaireCoordonneesBancaires(Modele):
    """New bank details of an enrolled éditeur, with their RIB."""

    coordonnees_bancaires: CoordonneesBancaires
    sincerite_attestee: Sincerite
    documents: Documents = Documents()
