"""The enrolment service's records that the other services read: one writer, one reader.

- the référentiel ANS `ANS#{numeroAns}` / `ANS` (E1): `item_referencement` /
  `referencement_depuis_item`;
- the enrolment `EDITEUR#{siret}` / `ENROLEMENT#{numeroAns}` (E4): `item_enrolement` /
  `enrolement_depuis_item`, read from the table by `LecteurEnrolements`
  (shared/enrolement_table.py) in every service.

Both are kept as long as the éditeur is enrolled (docs/dynamodb.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.chiffrement import Chiffrement, contexte_iban


def cle_ans(numero_ans: str) -> dict[str, str]:
    return {"PK": f"ANS#{numero_ans}", "SK": "ANS"}


@dataclass(frozen=True)
class ReferencementAns:
    """E1: a référencé solution and its DSR (couloir, type de logiciel, vague).

    Written by the enrolment service (référentiel ANS), read by the dépôt service: the
    item shape below is their contract."""

    numero_ans: str
    couloir: str
    type_logiciel: str
    vague: str
    solution: str
    siret: str
    version_solution: str = ""
    raison_sociale: str = ""  # the éditeur's dénomination sociale (kbis rule of E2)


def item_referencement(ref: ReferencementAns) -> dict[str, Any]:
    return {
        **cle_ans(ref.numero_ans),
        "type": "ANS",
        "numeroAns": ref.numero_ans,
        "couloir": ref.couloir,
        "typeLogiciel": ref.type_logiciel,
        "vague": ref.vague,
        "solution": ref.solution,
        "siret": ref.siret,
        "versionSolution": ref.version_solution,
        "raisonSociale": ref.raison_sociale,
    }


def referencement_depuis_item(item: dict[str, Any]) -> ReferencementAns:
    return ReferencementAns(
        numero_ans=str(item["numeroAns"]),
        couloir=str(item["couloir"]),
        type_logiciel=str(item.get("typeLogiciel", "")),
        vague=str(item.get("vague", "")),
        solution=str(item.get("solution", "")),
        siret=str(item.get("siret", "")),
        version_solution=str(item.get("versionSolution", "")),
        raison_sociale=str(item.get("raisonSociale", "")),
    )


def cle_enrolement(siret: str, numero_ans: str) -> dict[str, str]:
    return {"PK": f"EDITEUR#{siret}", "SK": f"ENROLEMENT#{numero_ans}"}


STATUT_ENROLEMENT_VALIDE = "VALIDE"


class EnrolementEditeur(BaseModel):
    """An éditeur enrolled for one référencement (E4 validated it).

    Written by the enrolment service, read by the dépôt (D1: statut VALIDE, couloir,
    email of the dépositaire) and paiement (P3: the IBAN/BIC a gestionnaire validated)
    services through `item_enrolement` / `enrolement_depuis_item`: the item is the
    contract, `cle_enrolement` its key.

    The IBAN is stored encrypted with the enrolment KMS key (`ibanChiffre`, context
    `contexte_iban(siret)`) beside its masked copy (`ibanMasque`). `iban` holds the clear
    value only when the writer sets it or a reader asked for it with a `Chiffrement`;
    `iban_chiffre` carries the stored ciphertext so a record read without decrypting is
    written back unchanged."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    siret: str
    numero_ans: str
    statut: str  # VALIDE: deposits are open; anything else closes them
    email: str  # the dépositaire's (or représentant légal's): every courriel goes there
    raison_sociale: str
    couloir: str = ""
    nom_commercial: str = ""
    adresse: str = ""  # the demandeur's postal address, one line (décisions, avis)
    iban: str | None = Field(None, repr=False)  # clear: written, or read with decryption
    iban_chiffre: str | None = Field(None, repr=False)  # base64 KMS ciphertext as stored
    iban_masque: str | None = None  # FR76 **** … 1234, for views
    bic: str | None = None
    titulaire: str | None = None
    domiciliation: str | None = None
    coordonnees_validees_le: datetime | None = None  # a gestionnaire validated IBAN/BIC
    numero_demande: str | None = None  # ENR####M0 of the demande that enrolled it
    cree_le: datetime | None = None
    version: int = 1

    @property
    def valide(self) -> bool:
        return self.statut == STATUT_ENROLEMENT_VALIDE


def _instant_texte(instant: datetime | None) -> str | None:
    return None if instant is None else instant.astimezone(UTC).isoformat()


def _instant_lu(texte: Any) -> datetime | None:
    return datetime.fromisoformat(str(texte)) if texte else None


def item_enrolement(enrolement: EnrolementEditeur, chiffrement: Chiffrement) -> dict[str, Any]:
    """The item (None attributes are left out by the writer). A clear `iban` is encrypted
    here; without one the ciphertext read is kept. No clear IBAN is ever stored."""
    if enrolement.iban:
        from shared.identifiants import iban_masque  # stdnum: the writer's cold start only

        contexte = contexte_iban(enrolement.siret)
        chiffre: str | None = chiffrement.chiffrer(enrolement.iban, contexte)
        masque: str | None = iban_masque(enrolement.iban)
    else:
        chiffre, masque = enrolement.iban_chiffre, enrolement.iban_masque
    return {
        **cle_enrolement(enrolement.siret, enrolement.numero_ans),
        "GSI1PK": "ENROLEMENT",
        "GSI1SK": f"{enrolement.numero_ans}#{enrolement.siret}",
        "type": "ENROLEMENT",
        "siret": enrolement.siret,
        "numeroAns": enrolement.numero_ans,
        "statut": enrolement.statut,
        "email": enrolement.email,
        "raisonSociale": enrolement.raison_sociale,
        "couloir": enrolement.couloir,
        "nomCommercial": enrolement.nom_commercial,
        "adresse": enrolement.adresse,
        "ibanChiffre": chiffre,
        "ibanMasque": masque if chiffre else None,
        "bic": enrolement.bic,
        "titulaire": enrolement.titulaire,
        "domiciliation": enrolement.domiciliation,
        "coordonneesValideesLe": _instant_texte(enrolement.coordonnees_validees_le),
        "numeroDemande": enrolement.numero_demande,
        "creeLe": _instant_texte(enrolement.cree_le),
        "version": enrolement.version,
    }


def enrolement_depuis_item(
    item: dict[str, Any], dechiffrement: Chiffrement | None = None
) -> EnrolementEditeur:
    """The record; the IBAN masked only, unless `dechiffrement` is given (paiement's SEPA
    files, gestionnaires' views): then `iban` is the clear value (ErreurChiffrement if the
    ciphertext does not decrypt for this SIRET)."""

    def texte(nom: str) -> str | None:
        valeur = item.get(nom)
        return None if valeur is None else str(valeur)

    chiffre = texte("ibanChiffre")
    clair = None
    if dechiffrement is not None and chiffre is not None:
        clair = dechiffrement.dechiffrer(chiffre, contexte_iban(str(item["siret"])))
    return EnrolementEditeur(
        siret=str(item["siret"]),
        numero_ans=str(item["numeroAns"]),
        statut=str(item.get("statut", "")),
        email=str(item.get("email", "")),
        raison_sociale=str(item.get("raisonSociale", "")),
        couloir=str(item.get("couloir", "")),
        nom_commercial=str(item.get("nomCommercial", "")),
        adresse=str(item.get("adresse", "")),
        iban=clair,
        iban_chiffre=chiffre,
        iban_masque=texte("ibanMasque") if chiffre else None,
        bic=texte("bic"),
        titulaire=texte("titulaire"),
        domiciliation=texte("domiciliation"),
        coordonnees_validees_le=_instant_lu(item.get("coordonneesValideesLe")),
        numero_demande=texte("numeroDemande"),
        cree_le=_instant_lu(item.get("creeLe")),
        version=int(item.get("version", 1)),
    )
