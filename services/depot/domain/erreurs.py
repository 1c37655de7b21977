"""The errors of format MS v1: a stable code, a JSON pointer (RFC 6901), a message.

The codes are a contract with the éditeurs (documented in docs/format-json.md): codes
are added, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CodeErreur(StrEnum):
    # The file itself (erreursFichier).
    FICHIER_VIDE = "FICHIER_VIDE"
    FICHIER_TROP_VOLUMINEUX = "FICHIER_TROP_VOLUMINEUX"
    ENCODAGE_INVALIDE = "ENCODAGE_INVALIDE"
    JSON_INVALIDE = "JSON_INVALIDE"
    JSON_TROP_PROFOND = "JSON_TROP_PROFOND"
    NOMBRE_NON_FINI = "NOMBRE_NON_FINI"
    CLE_DUPLIQUEE = "CLE_DUPLIQUEE"
    AUCUNE_DEMANDE = "AUCUNE_DEMANDE"
    TROP_DE_DEMANDES = "TROP_DE_DEMANDES"
    NUMLIGNE_DUPLIQUE = "NUMLIGNE_DUPLIQUE"
    NUMERO_ANS_INVALIDE = "NUMERO_ANS_INVALIDE"
    NUMERO_ANS_INATTENDU = "NUMERO_ANS_INATTENDU"
    SIRET_INVALIDE = "SIRET_INVALIDE"
    SIRET_INATTENDU = "SIRET_INATTENDU"
    EDITEUR_NON_ENROLE = "EDITEUR_NON_ENROLE"
    # Structure (file or line depending on where).
    CHAMP_OBLIGATOIRE = "CHAMP_OBLIGATOIRE"
    CHAMP_INCONNU = "CHAMP_INCONNU"
    CHAMP_RESERVE = "CHAMP_RESERVE"
    TYPE_INVALIDE = "TYPE_INVALIDE"
    VALEUR_NON_AUTORISEE = "VALEUR_NON_AUTORISEE"
    LISTE_VIDE = "LISTE_VIDE"
    # A demande.
    NUMLIGNE_INVALIDE = "NUMLIGNE_INVALIDE"
    NUMERO_ASP_INVALIDE = "NUMERO_ASP_INVALIDE"
    NUMERO_ASP_OBLIGATOIRE = "NUMERO_ASP_OBLIGATOIRE"
    NUMERO_ASP_INTERDIT = "NUMERO_ASP_INTERDIT"
    NUMERO_DOSSIER_INVALIDE = "NUMERO_DOSSIER_INVALIDE"
    NUMERO_DOSSIER_DUPLIQUE = "NUMERO_DOSSIER_DUPLIQUE"
    VERROUILLAGE_INVALIDE = "VERROUILLAGE_INVALIDE"
    DATE_COMMANDE_INVALIDE = "DATE_COMMANDE_INVALIDE"
    DATE_COMMANDE_FUTURE = "DATE_COMMANDE_FUTURE"
    DATE_COMMANDE_TROP_ANCIENNE = "DATE_COMMANDE_TROP_ANCIENNE"
    MONTANT_NON_POSITIF = "MONTANT_NON_POSITIF"
    MONTANT_DECIMALES = "MONTANT_DECIMALES"
    MONTANT_PLAFOND_DEPASSE = "MONTANT_PLAFOND_DEPASSE"
    TEXTE_VIDE = "TEXTE_VIDE"
    COURRIEL_INVALIDE = "COURRIEL_INVALIDE"
    TELEPHONE_INVALIDE = "TELEPHONE_INVALIDE"
    FINESS_INVALIDE = "FINESS_INVALIDE"
    FINESS_DUPLIQUE = "FINESS_DUPLIQUE"
    NOM_FICHIER_TROP_LONG = "NOM_FICHIER_TROP_LONG"
    NOMENCLATURE_INVALIDE = "NOMENCLATURE_INVALIDE"
    NOM_FICHIER_DUPLIQUE = "NOM_FICHIER_DUPLIQUE"
    FORMAT_FICHIER_INCOHERENT = "FORMAT_FICHIER_INCOHERENT"
    PIECE_OBLIGATOIRE_MANQUANTE = "PIECE_OBLIGATOIRE_MANQUANTE"
    SCENARIO_MANQUANT = "SCENARIO_MANQUANT"
    SCENARIO_FINESS_INCONNU = "SCENARIO_FINESS_INCONNU"
    SCENARIO_DUPLIQUE = "SCENARIO_DUPLIQUE"
    OPERATEUR_MESSAGERIE_INVALIDE = "OPERATEUR_MESSAGERIE_INVALIDE"
    GUICHET_FERME = "GUICHET_FERME"
    GUICHET_NON_OUVERT = "GUICHET_NON_OUVERT"
    # Rules that need the platform's registries.
    NUMERO_ASP_INCONNU = "NUMERO_ASP_INCONNU"
    NUMERO_ASP_AUTRE_EDITEUR = "NUMERO_ASP_AUTRE_EDITEUR"
    NUMERO_ASP_PAS_UNE_AVANCE = "NUMERO_ASP_PAS_UNE_AVANCE"
    DOSSIER_NON_MODIFIABLE = "DOSSIER_NON_MODIFIABLE"
    GUICHET_AVANCE_TARDIVE = "GUICHET_AVANCE_TARDIVE"
    FINESS_DEJA_FINANCE = "FINESS_DEJA_FINANCE"
    NUMERO_DOSSIER_DEJA_UTILISE = "NUMERO_DOSSIER_DEJA_UTILISE"
    # Warnings (they do not prevent the import).
    MANDATAIRE_IGNORE = "MANDATAIRE_IGNORE"


@dataclass(frozen=True)
class Erreur:
    code: str
    chemin: str  # JSON pointer (RFC 6901) into the deposited file; "" is the document
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": str(self.code), "chemin": self.chemin, "message": self.message}


@dataclass(frozen=True)
class ErreurPiece:
    """A problem of the pièces' ZIP: `fichier` names the member at fault, None the archive."""

    fichier: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, str | None]:
        return {"fichier": self.fichier, "code": str(self.code), "message": self.message}


def echapper(segment: str | int) -> str:
    """A JSON pointer segment: « ~ » becomes « ~0 », « / » becomes « ~1 » (RFC 6901)."""
    if isinstance(segment, int):
        return str(segment)
    return segment.replace("~", "~0").replace("/", "~1")


def pointeur(*segments: str | int) -> str:
    return "".join("/" + echapper(s) for s in segments)


def sous_pointeur(base: str, *segments: str | int) -> str:
    return base + pointeur(*segments)
