"""E3–E4 — a demande as recorded: its number `ENR####M0`, its statut, the decision of the
service gestion, and the views (the IBAN masked except for gestionnaires).

Three natures share the number series and the instruction: a first enrolment (E2), an
enrôlement complémentaire (E5) and a change of bank details.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.horloge import PARIS, exiger_fuseau
from shared.identifiants import iban_masque

FORMAT_NUMERO = re.compile(r"ENR[0-9]{4,}M0")


class Nature(StrEnum):
    ENROLEMENT = "ENROLEMENT"
    COMPLEMENTAIRE = "COMPLEMENTAIRE"
    COORDONNEES_BANCAIRES = "COORDONNEES_BANCAIRES"


class StatutDemandeEnrolement(StrEnum):
    SOUMISE = "SOUMISE"  # received, accusé de réception sent, awaiting the service gestion
    VALIDEE = "VALIDEE"
    REJETEE = "REJETEE"


LIBELLES_STATUT = {
    StatutDemandeEnrolement.SOUMISE: "reçue, en attente d'instruction par le service gestion",
    StatutDemandeEnrolement.VALIDEE: "validée",
    StatutDemandeEnrolement.REJETEE: "rejetée",
}
LIBELLES_NATURE = {
    Nature.ENROLEMENT: "demande d'enrôlement",
    Nature.COMPLEMENTAIRE: "demande d'enrôlement complémentaire",
    Nature.COORDONNEES_BANCAIRES: "demande de changement de coordonnées bancaires",
}


def numero_demande(rang: int) -> str:
    """`ENR0011M0` for the 11th demande (four digits at least, more past 9999)."""
    if rang < 1:
        raise ValueError(rang)
    return f"ENR{rang:04d}M0"


def numero_valide(texte: object) -> bool:
    return isinstance(texte, str) and bool(FORMAT_NUMERO.fullmatch(texte))


def empreinte_suivi(jeton: str) -> str:
    """Only the digest of the demandeur's follow-up token is stored."""
    return hashlib.sha256(jeton.encode()).hexdigest()


def jeton_correct(jeton: str, empreinte: str) -> bool:
    return hmac.compare_digest(empreinte_suivi(jeton), empreinte)


def masquer_iban(iban: str | None) -> str | None:
    """FR76 **** … 1234 (the platform's one masking, shared/identifiants.py)."""
    return iban_masque(iban) if iban else iban


@dataclass(frozen=True)
class Coordonnees:
    iban: str
    bic: str
    titulaire: str
    domiciliation: str


@dataclass(frozen=True)
class Contact:
    """Who receives the courriels (the dépositaire, else the représentant légal)."""

    email: str
    nom: str
    prenom: str


@dataclass(frozen=True)
class DocumentJoint:
    type_document: str  # a TypeDocument value
    cle: str  # object key in the enrolment documents bucket
    taille: int


@dataclass(frozen=True)
class Decision:
    statut: StatutDemandeEnrolement  # VALIDEE or REJETEE
    motif: str
    par: str
    le: datetime
    compte: str | None = None  # CREE, ETENDU: what E4 did in the user pool


class TransitionInterdite(Exception):
    """The demande is no longer SOUMISE (already decided): nothing is changed."""


@dataclass(frozen=True)
class DemandeEnrolement:
    numero: str
    nature: Nature
    statut: StatutDemandeEnrolement
    siret: str
    numero_ans: str | None  # None for a change of bank details
    couloir: str | None
    raison_sociale: str
    nom_commercial: str
    contact: Contact
    coordonnees: Coordonnees | None  # None: unchanged (E5)
    taux_tva: str | None
    formulaire: dict[str, Any]  # what was sent, canonical (camelCase), for the gestionnaire
    documents: tuple[DocumentJoint, ...]
    soumise_le: datetime
    empreinte_suivi: str
    decision: Decision | None = None
    version: int = 1
    historique: tuple[dict[str, Any], ...] = field(default=())

    def decider(
        self,
        statut: StatutDemandeEnrolement,
        motif: str,
        par: str,
        le: datetime,
        compte: str | None,
    ) -> DemandeEnrolement:
        if self.statut is not StatutDemandeEnrolement.SOUMISE:
            raise TransitionInterdite(self.numero)
        if statut is StatutDemandeEnrolement.SOUMISE:
            raise ValueError(statut)
        exiger_fuseau(le)
        decision = Decision(statut, motif, par, le, compte)
        return replace(
            self,
            statut=statut,
            decision=decision,
            historique=(
                *self.historique,
                {"action": statut.value, "par": par, "le": le.isoformat(), "motif": motif},
            ),
        )


def _iban_vu(iban: str, gestionnaire: bool) -> str | None:
    return iban if gestionnaire else masquer_iban(iban)


def vue_suivi(demande: DemandeEnrolement) -> dict[str, Any]:
    """What the demandeur follows with its number and token (no personal data)."""
    vue: dict[str, Any] = {
        "numero": demande.numero,
        "nature": demande.nature.value,
        "statut": demande.statut.value,
        "libelleStatut": LIBELLES_STATUT[demande.statut],
        "numeroAns": demande.numero_ans,
        "soumiseLe": demande.soumise_le.astimezone(PARIS).isoformat(),
    }
    if demande.decision is not None:
        vue["decideeLe"] = demande.decision.le.astimezone(PARIS).isoformat()
        if demande.decision.statut is StatutDemandeEnrolement.REJETEE:
            vue["motif"] = demande.decision.motif
    return vue


def vue_demande(demande: DemandeEnrolement, gestionnaire: bool) -> dict[str, Any]:
    """The whole demande; the IBAN in clear for gestionnaires only."""
    vue = vue_suivi(demande)
    vue.update(
        {
            "siret": demande.siret,
            "couloir": demande.couloir,
            "raisonSociale": demande.raison_sociale,
            "nomCommercial": demande.nom_commercial,
            "contact": {
                "email": demande.contact.email,
                "nom": demande.contact.nom,
                "prenom": demande.contact.prenom,
            },
            "tauxTva": demande.taux_tva,
            "documents": [
                {"typeDocument": d.type_document, "taille": d.taille} for d in demande.documents
            ],
        }
    )
    if demande.coordonnees is not None:
        vue["coordonneesBancaires"] = {
            "iban": _iban_vu(demande.coordonnees.iban, gestionnaire),
            "bic": demande.coordonnees.bic,
            "titulaire": demande.coordonnees.titulaire,
            "domiciliation": demande.coordonnees.domiciliation,
        }
    if gestionnaire:
        vue["formulaire"] = demande.formulaire
        vue["historique"] = list(demande.historique)
        if demande.decision is not None:
            vue["decision"] = {
                "statut": demande.decision.statut.value,
                "motif": demande.decision.motif,
                "par": demande.decision.par,
                "le": demande.decision.le.astimezone(PARIS).isoformat(),
                "compte": demande.decision.compte,
            }
    else:
        formulaire = dict(demande.formulaire)
        banque = formulaire.get("coordonneesBancaires")
        if isinstance(banque, dict) and isinstance(banque.get("iban"), str):
            formulaire["coordonneesBancaires"] = {**banque, "iban": masquer_iban(banque["iban"])}
        vue["formulaire"] = formulaire
    return vue


def adresse_postale(formulaire: dict[str, Any]) -> str:
    """The demandeur's address on one line, as documents print it (« 87 BIS CHEMIN DE MONS,
    BÂTIMENT B, 59650 VILLENEUVE-D'ASCQ »); "" when the form has none (E5)."""
    demandeur = formulaire.get("demandeur")
    adresse = demandeur.get("adresse") if isinstance(demandeur, dict) else None
    if not isinstance(adresse, dict):
        return ""

    def champ(nom: str) -> str:
        valeur = adresse.get(nom)
        return str(valeur).strip() if valeur else ""

    voie = " ".join(
        p for p in (champ("numero"), champ("extension"), champ("typeVoie"), champ("nomVoie")) if p
    )
    commune = " ".join(p for p in (champ("codePostal"), champ("commune")) if p)
    parties = (champ("destinataire"), champ("entreeBatiment"), voie, champ("complement"), commune)
    return ", ".join(p for p in parties if p)
