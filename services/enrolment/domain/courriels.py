"""The courriels of an enrolment (E3, E4), as plain French text.

The identifiant and the temporary password travel in two separate courriels; an account
that already exists for the address is extended, and one courriel says so instead.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from services.enrolment.domain.demande import (
    LIBELLES_NATURE,
    DemandeEnrolement,
    Nature,
    masquer_iban,
)
from shared.horloge import PARIS

SIGNATURE = (
    "\n\nLe service gestion du Ségur numérique — ASP\n"
    "(Ce courriel est envoyé automatiquement : merci de ne pas y répondre.)"
)


@dataclass(frozen=True)
class Message:
    """A courriel: its text here, and the typed data the shared templates
    (shared/courriels/enrolment.py) need, so an adapter can render it either way."""

    modele: str  # accuse_reception, identifiant, mot_de_passe, extension, rejet, ...
    destinataire: str
    objet: str
    texte: str
    numero: str = ""
    siret: str = ""
    numero_ans: str = ""
    raison_sociale: str = ""
    donnees: Mapping[str, str] = field(default_factory=dict)  # identifiant, motif…


def _message(
    modele: str, demande: DemandeEnrolement, objet: str, texte: str, **donnees: str
) -> Message:
    return Message(
        modele,
        demande.contact.email,
        objet,
        texte,
        demande.numero,
        demande.siret,
        demande.numero_ans or "",
        demande.raison_sociale,
        {"soumiseLe": demande.soumise_le.isoformat(), **donnees},
    )


def _date(demande: DemandeEnrolement) -> str:
    return demande.soumise_le.astimezone(PARIS).strftime("%d/%m/%Y à %H:%M")


def _objet_demande(demande: DemandeEnrolement) -> str:
    sujet = LIBELLES_NATURE[demande.nature]
    if demande.numero_ans:
        return f"{sujet} {demande.numero} (référencement {demande.numero_ans})"
    return f"{sujet} {demande.numero}"


def accuse_reception(demande: DemandeEnrolement, url_portail: str) -> Message:
    return _message(
        "accuse_reception",
        demande,
        f"Accusé de réception de votre {LIBELLES_NATURE[demande.nature]} {demande.numero}",
        f"Bonjour {demande.contact.prenom} {demande.contact.nom},\n\n"
        f"Nous avons bien reçu le {_date(demande)} votre {_objet_demande(demande)} pour le "
        f"SIRET {demande.siret} ({demande.raison_sociale}).\n\n"
        f"Le numéro de votre demande est le {demande.numero}. Merci de le conserver et de le "
        "communiquer en cas d'échange avec notre plateforme de support. Le service gestion "
        "va l'instruire ; vous serez informé(e) de sa décision par courriel.\n\n"
        f"Suivre votre demande : {url_portail}/enrolements/{demande.numero}" + SIGNATURE,
    )


def identifiant(demande: DemandeEnrolement, identifiant_compte: str, url_portail: str) -> Message:
    return _message(
        "identifiant",
        demande,
        f"Validation de votre demande d'enrôlement {demande.numero} : votre identifiant",
        f"Bonjour {demande.contact.prenom} {demande.contact.nom},\n\n"
        f"Votre demande d'enrôlement {demande.numero} (référencement {demande.numero_ans}, "
        f"SIRET {demande.siret}) est validée : votre compte sur le portail Ségur numérique "
        "est créé.\n\n"
        f"Votre identifiant de connexion : {identifiant_compte}\n\n"
        "Votre mot de passe provisoire vous parvient dans un courriel séparé ; il vous sera "
        f"demandé d'en choisir un nouveau à la première connexion sur {url_portail}." + SIGNATURE,
        identifiant=identifiant_compte,
    )


def mot_de_passe(demande: DemandeEnrolement, mot_de_passe_provisoire: str) -> Message:
    return _message(
        "mot_de_passe",
        demande,
        f"Validation de votre demande d'enrôlement {demande.numero} : votre mot de passe",
        f"Bonjour {demande.contact.prenom} {demande.contact.nom},\n\n"
        f"Votre mot de passe provisoire : {mot_de_passe_provisoire}\n\n"
        "Votre identifiant vous parvient dans un courriel séparé. Ce mot de passe ne sert "
        "qu'une fois : choisissez-en un nouveau à la première connexion." + SIGNATURE,
        motDePasse=mot_de_passe_provisoire,
    )


def extension(demande: DemandeEnrolement, url_portail: str) -> Message:
    if demande.nature is Nature.COORDONNEES_BANCAIRES:
        return _message(
            "coordonnees_validees",
            demande,
            f"Validation de vos nouvelles coordonnées bancaires ({demande.numero})",
            f"Bonjour {demande.contact.prenom} {demande.contact.nom},\n\n"
            f"Vos nouvelles coordonnées bancaires (demande {demande.numero}, SIRET "
            f"{demande.siret}) sont validées : les prochains paiements seront versés sur ce "
            "compte." + SIGNATURE,
            ibanMasque=masquer_iban(demande.coordonnees.iban) or "" if demande.coordonnees else "",
        )
    return _message(
        "extension",
        demande,
        f"Validation de votre {LIBELLES_NATURE[demande.nature]} {demande.numero} : extension "
        "de votre habilitation",
        f"Bonjour {demande.contact.prenom} {demande.contact.nom},\n\n"
        f"Votre {_objet_demande(demande)} pour le SIRET {demande.siret} est validée.\n\n"
        "Vous possédez déjà un compte lié à cette adresse : vous ne recevrez pas de nouvel "
        "identifiant ni de nouveau mot de passe. Votre habilitation au portail Ségur "
        f"numérique est étendue au référencement {demande.numero_ans} ; connectez-vous avec "
        f"vos identifiants habituels sur {url_portail}." + SIGNATURE,
    )


def rejet(demande: DemandeEnrolement, motif: str) -> Message:
    return _message(
        "rejet",
        demande,
        f"Rejet de votre {LIBELLES_NATURE[demande.nature]} {demande.numero}",
        f"Bonjour {demande.contact.prenom} {demande.contact.nom},\n\n"
        f"Votre {_objet_demande(demande)} pour le SIRET {demande.siret}, reçue le "
        f"{_date(demande)}, est rejetée par le service gestion pour le motif suivant :\n\n"
        f"{motif}\n\n"
        "Vous pouvez déposer une nouvelle demande corrigée sur le portail." + SIGNATURE,
        motif=motif,
    )


_SYMBOLES = "!#$%&*+-=?@^_"


def mot_de_passe_provisoire(longueur: int = 16) -> str:
    """Random, and within the pool's policy (12+ characters: lower and upper case, digits,
    symbols)."""
    alphabet = string.ascii_letters + string.digits + _SYMBOLES
    while True:
        candidat = "".join(secrets.choice(alphabet) for _ in range(longueur))
        if (
            any(c.islower() for c in candidat)
            and any(c.isupper() for c in candidat)
            and any(c.isdigit() for c in candidat)
            and any(c in _SYMBOLES for c in candidat)
        ):
            return candidat
