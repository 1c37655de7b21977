"""E2 — the documents of a demande d'enrôlement: which ones the answers require, and the
rules of each file (png, jpg, jpeg or pdf, at most 4 Mo, content of that type: signature
at the start and end marker, as for the pièces of a ZIP).

A document is uploaded first (presigned POST to `enrolements/televersements/{reference}`),
then named in the demande by its reference `{typeDocument}/{32 hex}.{extension}`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from lecteur_zip.contenu import verifier_contenu
from services.enrolment.domain.erreurs import Probleme, probleme

MO = 1024 * 1024
TAILLE_MAX = 4 * MO  # « Taille maximum : 4 Mo »
EXTENSIONS = ("png", "jpg", "jpeg", "pdf")
PREFIXE_TELEVERSEMENTS = "enrolements/televersements/"
_NOM = re.compile(r"[^/\\\x00-\x1f]{1,200}")


class TypeDocument(StrEnum):
    CERTIFICAT_REFERENCEMENT = "certificatReferencement"
    PIECE_IDENTITE_REPRESENTANT = "pieceIdentiteRepresentant"
    PIECE_IDENTITE_DEPOSITAIRE = "pieceIdentiteDepositaire"
    CONTRAT_PRESTATION = "contratPrestation"
    MANDAT = "mandat"
    RIB = "rib"
    KBIS = "kbis"
    ATTESTATION_NON_ASSUJETTISSEMENT = "attestationNonAssujettissement"


LIBELLES_DOCUMENT = {
    TypeDocument.CERTIFICAT_REFERENCEMENT: "le certificat de référencement délivré par l'ANS",
    TypeDocument.PIECE_IDENTITE_REPRESENTANT: (
        "la pièce d'identité du représentant légal (CNI, passeport ou titre de séjour)"
    ),
    TypeDocument.PIECE_IDENTITE_DEPOSITAIRE: (
        "la pièce d'identité du dépositaire (CNI, passeport ou titre de séjour)"
    ),
    TypeDocument.CONTRAT_PRESTATION: "le contrat de prestation du tiers déclarant",
    TypeDocument.MANDAT: "le mandat du représentant légal",
    TypeDocument.RIB: "le RIB mentionnant l'IBAN et le BIC",
    TypeDocument.KBIS: "le kbis justifiant la dénomination sociale",
    TypeDocument.ATTESTATION_NON_ASSUJETTISSEMENT: (
        "l'attestation de non-assujettissement à la TVA délivrée par la Direction des "
        "Finances Publiques"
    ),
}


@dataclass(frozen=True)
class Reponses:
    """The answers that decide which documents are required."""

    tiers_declarant: bool
    qualite: str | None  # CENTRE_DE_GESTION, EXPERT_COMPTABLE, EMPLOYE
    hors_taxes: bool
    denomination_modifiee: bool
    avec_identite: bool = True  # E5: False when the identity is that of the enrolment
    avec_banque: bool = True  # E5: False when the bank details are unchanged
    avec_certificat: bool = True  # False for a change of bank details alone


def documents_requis(reponses: Reponses) -> frozenset[TypeDocument]:
    requis: set[TypeDocument] = set()
    if reponses.avec_certificat:
        requis.add(TypeDocument.CERTIFICAT_REFERENCEMENT)
    if reponses.avec_identite:
        requis.add(TypeDocument.PIECE_IDENTITE_REPRESENTANT)
        if reponses.tiers_declarant:
            requis.add(TypeDocument.PIECE_IDENTITE_DEPOSITAIRE)
            if reponses.qualite == "EMPLOYE":
                requis.add(TypeDocument.MANDAT)
            elif reponses.qualite in ("CENTRE_DE_GESTION", "EXPERT_COMPTABLE"):
                requis.add(TypeDocument.CONTRAT_PRESTATION)
    if reponses.avec_banque:
        requis.add(TypeDocument.RIB)
    if reponses.denomination_modifiee:
        requis.add(TypeDocument.KBIS)
    if reponses.hors_taxes:
        requis.add(TypeDocument.ATTESTATION_NON_ASSUJETTISSEMENT)
    return frozenset(requis)


def _pourquoi(type_document: TypeDocument) -> str:
    return {
        TypeDocument.PIECE_IDENTITE_DEPOSITAIRE: "pour un tiers déclarant",
        TypeDocument.CONTRAT_PRESTATION: (
            "pour un tiers déclarant centre de gestion ou expert-comptable"
        ),
        TypeDocument.MANDAT: "pour un tiers déclarant employé de la personne morale",
        TypeDocument.KBIS: "quand la dénomination sociale diffère de celle connue pour ce SIRET",
        TypeDocument.ATTESTATION_NON_ASSUJETTISSEMENT: "pour un régime HT",
    }.get(type_document, "pour toute demande")


def indetermines(reponses: Reponses) -> frozenset[TypeDocument]:
    """Documents that cannot be judged while an answer is itself wrong (a qualité outside
    the list): neither required nor refused, the answer's error says it."""
    connue = reponses.qualite in ("CENTRE_DE_GESTION", "EXPERT_COMPTABLE", "EMPLOYE")
    if reponses.tiers_declarant and reponses.avec_identite and not connue:
        return frozenset({TypeDocument.CONTRAT_PRESTATION, TypeDocument.MANDAT})
    return frozenset()


def controler_presence(fournis: Collection[str], reponses: Reponses) -> list[Probleme]:
    """A problem per required document missing and per document given but not expected."""
    requis = documents_requis(reponses)
    ignores = indetermines(reponses)
    problemes: list[Probleme] = []
    for type_document in TypeDocument:
        if type_document in ignores:
            continue
        champ = f"documents.{type_document.value}"
        if type_document in requis and type_document.value not in fournis:
            problemes.append(
                probleme(
                    champ,
                    "DOCUMENT_MANQUANT",
                    f"{LIBELLES_DOCUMENT[type_document]} est obligatoire "
                    f"{_pourquoi(type_document)}.",
                )
            )
        elif type_document not in requis and type_document.value in fournis:
            problemes.append(
                probleme(
                    champ,
                    "DOCUMENT_NON_ATTENDU",
                    "ce document n'est pas demandé avec ces réponses : retirez-le (il n'est "
                    f"attendu que {_pourquoi(type_document)}).",
                )
            )
    return problemes


def extension_permise(nom_fichier: str) -> str | None:
    """The extension (lower case) if the name ends with one of EXTENSIONS, else None."""
    if "." not in nom_fichier:
        return None
    extension = nom_fichier.rsplit(".", 1)[1].lower()
    return extension if extension in EXTENSIONS else None


def controler_nom(type_document: TypeDocument, nom_fichier: str) -> Probleme | None:
    champ = f"documents.{type_document.value}"
    if not _NOM.fullmatch(nom_fichier):
        return probleme(
            champ, "NOM_FICHIER_INVALIDE", "un nom de fichier de 1 à 200 caractères est attendu."
        )
    if extension_permise(nom_fichier) is None:
        return probleme(
            champ,
            "EXTENSION_INTERDITE",
            f"le fichier « {nom_fichier} » doit être de type .png, .jpg, .jpeg ou .pdf.",
        )
    return None


def nouvelle_reference(type_document: TypeDocument, nom_fichier: str) -> str:
    """`{type}/{32 hex}.{extension}`: what the demande names the upload by."""
    extension = extension_permise(nom_fichier)
    if extension is None:
        raise ValueError(nom_fichier)
    return f"{type_document.value}/{uuid.uuid4().hex}.{extension}"


def cle_televersement(reference: str) -> str:
    return f"{PREFIXE_TELEVERSEMENTS}{reference}"


def controler_contenu(
    type_document: TypeDocument, reference: str, contenu: bytes | None
) -> Probleme | None:
    """The file's rules: uploaded, not empty, ≤ 4 Mo, content of its extension's type.
    `contenu` is at most TAILLE_MAX + 1 bytes (enough to know it is too large)."""
    champ = f"documents.{type_document.value}"
    if contenu is None:
        return probleme(
            champ,
            "DOCUMENT_NON_TELEVERSE",
            f"aucun fichier n'a été reçu pour la référence « {reference} » : téléversez "
            f"{LIBELLES_DOCUMENT[type_document]} avant de valider la demande.",
        )
    if not contenu:
        return probleme(champ, "DOCUMENT_VIDE", "le fichier reçu est vide.")
    if len(contenu) > TAILLE_MAX:
        return probleme(
            champ,
            "DOCUMENT_TROP_VOLUMINEUX",
            "le fichier dépasse la taille maximum de 4 Mo (4 194 304 octets).",
        )
    extension = reference.rsplit(".", 1)[1].lower()
    defaut = verifier_contenu(extension, contenu)
    if defaut is not None:
        return probleme(champ, "CONTENU_NON_CONFORME", defaut)
    return None
