"""The returned file (§6, B2): the deposited JSON, with idFichier and, per demande,
codeTraitement and libelleTraitement filled in. A file rejected as a whole is returned as
received (see `annoter`).

Numbers keep their exact decimal writing (18750.00 stays 18750.00): the JSON is read
again as Decimal and each Decimal is written back as is.
"""

from __future__ import annotations

import json
import re
import uuid
from decimal import Decimal
from enum import IntEnum
from typing import Any

import orjson

from services.depot.domain.compte_rendu import CompteRendu
from services.depot.domain.lecture import relire


class CodeTraitement(IntEnum):
    IMPORTEE = 0
    LIGNE_REJETEE = 1
    FICHIER_REJETE = 2


_ERREURS_AFFICHEES = 10


def libelle_ligne(compte_rendu: CompteRendu, index: int, simulation: bool) -> tuple[int, str]:
    """The treatment code and label of the demande at this position."""
    if compte_rendu.erreurs_fichier:
        premiere = compte_rendu.erreurs_fichier[0]
        autres = len(compte_rendu.erreurs_fichier) - 1
        suite = (
            f" (et {autres} autre{'s' if autres > 1 else ''} erreur du fichier)" if autres else ""
        )
        return (
            CodeTraitement.FICHIER_REJETE,
            f"Fichier rejeté en entier : {premiere.message}{suite}",
        )
    ligne = compte_rendu.ligne(index)
    if not ligne.erreurs:
        return CodeTraitement.IMPORTEE, "Demande importable." if simulation else "Demande importée."
    nombre = len(ligne.erreurs)
    details = " ; ".join(
        f"{e.code} ({e.chemin}) : {e.message}" for e in ligne.erreurs[:_ERREURS_AFFICHEES]
    )
    if nombre > _ERREURS_AFFICHEES:
        details += f" ; … et {nombre - _ERREURS_AFFICHEES} autres erreurs"
    pluriel = "s" if nombre > 1 else ""
    return CodeTraitement.LIGNE_REJETEE, f"Demande rejetée ({nombre} erreur{pluriel}) : {details}"


def json_exact(valeur: Any) -> str:
    """json.dumps(indent=2, ensure_ascii=False), with each Decimal written as it was read.
    orjson writes the same text ~6× faster (a maximal file: 0.28 s → 0.05 s); what it
    refuses (integer wider than 64 bits, lone surrogate, more than 254 levels), the
    standard library writes."""
    jeton = "decimal-" + uuid.uuid4().hex + "-"
    decimaux: list[str] = []

    def remplacer(objet: Any) -> Any:
        if isinstance(objet, Decimal):
            decimaux.append(str(objet))
            return f"{jeton}{len(decimaux) - 1}"
        raise TypeError(f"valeur non JSON : {type(objet).__name__}")

    try:
        texte = orjson.dumps(valeur, default=remplacer, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        decimaux.clear()
        texte = json.dumps(valeur, ensure_ascii=False, indent=2, default=remplacer)
    if not decimaux:
        return texte
    return re.sub('"' + re.escape(jeton) + r'([0-9]+)"', lambda m: decimaux[int(m.group(1))], texte)


def annoter(
    contenu: bytes, compte_rendu: CompteRendu, id_fichier: str, simulation: bool = False
) -> bytes:
    """The deposited file, annotated; rejected as a whole, it is returned as received, byte
    for byte, its compte rendu beside it: rewriting it would restructure it (a duplicated
    key would lose one of its values, an unreadable JSON cannot be rewritten). ValueError
    if a file without a file error cannot be annotated."""
    if compte_rendu.erreurs_fichier:
        return contenu
    donnees = relire(contenu)
    if not isinstance(donnees, dict):
        raise ValueError("le fichier n'est pas un objet JSON : il ne peut pas être annoté")
    annote: dict[str, Any] = {"idFichier": id_fichier}
    annote.update((cle, valeur) for cle, valeur in donnees.items() if cle != "idFichier")
    if "idFichier" in donnees:
        annote = {cle: (id_fichier if cle == "idFichier" else annote[cle]) for cle in donnees}
    demandes = annote.get("demandes")
    if isinstance(demandes, list):
        for index, demande in enumerate(demandes):
            if isinstance(demande, dict) and index < len(compte_rendu.lignes):
                code, libelle = libelle_ligne(compte_rendu, index, simulation)
                demande["codeTraitement"] = int(code)
                demande["libelleTraitement"] = libelle
    try:
        texte = json_exact(annote)
    except RecursionError as exc:  # a value nested hundreds of levels deep
        raise ValueError("le fichier imbrique trop de niveaux pour être annoté") from exc
    return (texte + "\n").encode("utf-8")
