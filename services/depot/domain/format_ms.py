"""Format MS v1 (docs/format-json.md): its allowed values, its patterns, its nomenclature.

This module is the single source of these constants: the fast validation (the
`validation` package) and the pydantic models that publish the schema (`modeles.py`)
both read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

VERSION_FORMAT = "ms-v1"
MAX_DEMANDES = 200
LONGUEUR_MAX_NOM_FICHIER = 100
TAUX_TVA_AUTORISES = (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"), Decimal("0"))
TAUX_AVANCE = Decimal(30)  # percent of the montant financé


class TypeAction(StrEnum):
    C = "C"  # creation
    M = "M"  # modification of a demande already deposited


class RegimeTva(StrEnum):
    HT = "HT"
    TTC = "TTC"


class FormatFichier(StrEnum):
    PDF = "PDF"
    JPG = "JPG"
    PNG = "PNG"


class TypeFichier(StrEnum):
    BON_COMMANDE = "BON_COMMANDE"
    ATTESTATION_HT = "ATTESTATION_HT"
    FACTURE = "FACTURE"
    PV_VA = "PV_VA"
    MOM = "MOM"
    AVENANT = "AVENANT"
    AUTRE = "AUTRE"


class ProfilMotif(StrEnum):
    PA = "PA"
    PM = "PM"
    MOT = "MOT"


CODE_NOMENCLATURE = {
    TypeFichier.BON_COMMANDE: "BDC",
    TypeFichier.ATTESTATION_HT: "HT",
    TypeFichier.FACTURE: "FAC",
    TypeFichier.PV_VA: "VA",
    TypeFichier.MOM: "MOM",
    TypeFichier.AVENANT: "AVT",
    TypeFichier.AUTRE: "AUT",
}
EXTENSIONS = {
    "pdf": FormatFichier.PDF,
    "jpg": FormatFichier.JPG,
    "jpeg": FormatFichier.JPG,
    "png": FormatFichier.PNG,
}
LIBELLES_TYPE_FICHIER = {
    TypeFichier.BON_COMMANDE: "un bon de commande (BON_COMMANDE)",
    TypeFichier.ATTESTATION_HT: "une attestation de non-assujettissement (ATTESTATION_HT)",
    TypeFichier.FACTURE: "une facture (FACTURE)",
    TypeFichier.PV_VA: "un procès-verbal de vérification d'aptitude (PV_VA)",
    TypeFichier.MOM: "une attestation de mise en ordre de marche (MOM)",
    TypeFichier.AVENANT: "un avenant (AVENANT)",
    TypeFichier.AUTRE: "une autre pièce (AUTRE)",
}

# Patterns written for re (Python), pydantic (Rust) and JSON Schema (ECMA 262) at once:
# no \d (which accepts non-ASCII digits in Python), anchors ^ and $.
MOTIF_NUMERO_ANS = r"^[A-Za-z0-9]{10}$"
MOTIF_SIRET = r"^[0-9]{14}$"
MOTIF_NUMERO_DOSSIER = r"^[A-Za-z0-9_-]{1,20}$"
MOTIF_VERROUILLAGE = r"^[0-9]+(\.[0-9]+){0,3}$"
MOTIF_OPERATEUR = r"^[A-Z0-9_]{1,20}$"
MOTIF_FINESS = r"^([0-9]{2}|2A|2B)[0-9]{7}$"
MOTIF_DATE = r"^[0-9]{2}/[0-9]{2}/[0-9]{4}$"
MOTIF_TELEPHONE = r"^(0[1-9][0-9]{8}|\+33[1-9][0-9]{8})$"
MOTIF_NUMERO_ASP = r"^FINMS[12][0-9]{6}$"
# Free text of the nomenclature: letters (accents included, and the combining diacritics
# of macOS file names), digits, space, « _ », « . » and « - ».
CARACTERES_TEXTE_LIBRE = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f _.\\-"
MOTIF_NOM_FICHIER = (
    r"^MS[12]_[" + CARACTERES_TEXTE_LIBRE + r"]+-(BDC|HT|FAC|VA|MOM|AVT|AUT)-"
    r"[A-Za-z0-9_-]{1,20}\.([pP][dD][fF]|[jJ][pP][eE]?[gG]|[pP][nN][gG])$"
)

_TEXTE_LIBRE = re.compile("[" + CARACTERES_TEXTE_LIBRE + "]+")
_CONTROLE = re.compile(r"[\x00-\x1f\x7f]")


def motif_numero_asp(couloir: str) -> re.Pattern[str]:
    return re.compile("FIN" + re.escape(couloir) + "[0-9]{6}")


def lire_taux_tva(texte: str) -> Decimal | None:
    """« 20 », « 5.5 » or « 5,5 » → Decimal; None for any other value."""
    try:
        taux = Decimal(texte.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not taux.is_finite():
        return None
    for autorise in TAUX_TVA_AUTORISES:
        if taux == autorise:
            return autorise
    return None


@dataclass(frozen=True)
class AnalyseNomFichier:
    """What is read from a nomFichier; `problemes` empty when it follows the nomenclature."""

    problemes: tuple[str, ...]
    code: str | None
    format: FormatFichier | None  # deduced from the extension, when it is allowed


def analyser_nom_fichier(
    nom: str, couloir: str, numero_dossier: str | None, type_fichier: TypeFichier | None
) -> AnalyseNomFichier:
    """`<couloir>_<texte libre>-<CODE>-<numeroDossier>.<extension>`.

    `numero_dossier` None: the demande's number is itself invalid (error already
    reported); only what does not depend on it is checked.
    """
    if numero_dossier is not None and type_fichier is not None:
        # Fast path: the expected name, free text aside.
        tronc, _, extension = nom.rpartition(".")
        format_rapide = EXTENSIONS.get(extension.lower())
        debut = couloir + "_"
        fin = "-" + CODE_NOMENCLATURE[type_fichier] + "-" + numero_dossier
        if (
            format_rapide is not None
            and len(tronc) > len(debut) + len(fin)
            and tronc.startswith(debut)
            and tronc.endswith(fin)
            and _TEXTE_LIBRE.fullmatch(tronc, len(debut), len(tronc) - len(fin))
        ):
            return AnalyseNomFichier((), CODE_NOMENCLATURE[type_fichier], format_rapide)
    problemes: list[str] = []
    if "/" in nom or "\\" in nom:
        problemes.append("il ne doit contenir ni « / » ni « \\ » (pas de dossier)")
    if _CONTROLE.search(nom):
        problemes.append("il ne doit pas contenir de caractère de contrôle")
    tronc, point, extension = nom.rpartition(".")
    format_fichier = EXTENSIONS.get(extension.lower()) if point else None
    if not point:
        problemes.append("il doit se terminer par une extension (.pdf, .jpg, .jpeg ou .png)")
        tronc = nom
    elif format_fichier is None:
        problemes.append(
            f"l'extension « .{extension} » n'est pas permise (attendu .pdf, .jpg, .jpeg ou .png)"
        )
    prefixe = couloir + "_"
    reste: str | None
    if tronc.startswith(prefixe):
        reste = tronc[len(prefixe) :]
    else:
        problemes.append(f"il doit commencer par « {prefixe} » (le couloir du dépôt)")
        _avant, souligne, reste = tronc.partition("_")
        if not souligne:
            reste = None
    code: str | None = None
    attendu = CODE_NOMENCLATURE[type_fichier] if type_fichier is not None else None
    if numero_dossier is not None and reste is not None:
        suffixe = "-" + numero_dossier
        if not reste.endswith(suffixe):
            problemes.append(
                f"il doit se terminer par « -{numero_dossier} » (le numeroDossier de la "
                "demande) suivi de l'extension"
            )
        else:
            libre, tiret, code = reste[: -len(suffixe)].rpartition("-")
            if not tiret:
                problemes.append(
                    "il doit contenir un texte libre puis le code de la pièce "
                    "(BDC, HT, FAC, VA, MOM, AVT ou AUT) avant le numeroDossier"
                )
                code = None
            else:
                if attendu is not None and code != attendu:
                    problemes.append(
                        f"le code de pièce est « {code} » alors que le typeFichier "
                        f"{type_fichier} demande « {attendu} »"
                    )
                elif attendu is None and code not in CODE_NOMENCLATURE.values():
                    problemes.append(
                        f"le code de pièce « {code} » n'existe pas "
                        "(attendu BDC, HT, FAC, VA, MOM, AVT ou AUT)"
                    )
                if not libre:
                    problemes.append("le texte libre après « _ » ne doit pas être vide")
                elif not _TEXTE_LIBRE.fullmatch(libre):
                    problemes.append(
                        "le texte libre ne peut contenir que des lettres, des chiffres, des "
                        "espaces et les signes « _ », « . » et « - »"
                    )
    return AnalyseNomFichier(tuple(problemes), code, format_fichier)
