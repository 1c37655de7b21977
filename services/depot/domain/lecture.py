"""Reading a deposited file: bytes → JSON value, or file errors in French.

Two reads, to keep to the budget (a maximal file judged in less than 5 times a plain
orjson.loads, see benchmarks/):
- fast (`exacte=False`): orjson. It can neither read as Decimal nor report duplicated
  keys; the validation makes sure of them otherwise and, at the slightest doubt, the file
  is read again carefully (see `validation.valider_contenu`):
  - duplicated keys: each key is followed by exactly one « : » outside strings; if the
    number of keys of the objects read (the validation counts each object) equals the
    number of « : » in the text, no key was overwritten (and no « : » is in a string);
  - amounts: orjson makes floats of them; the exact value is read again from the text,
    after each "montantSegur" key (`montants_bruts`), in document order.
- careful (`exacte=True`): the `json` module (C scanner), `parse_float=Decimal`,
  `parse_constant` to refuse NaN / Infinity, an `object_pairs_hook` that names each
  duplicated key; it is the one that explains in French why a file is unreadable.

Depth: orjson refuses more than 1,024 levels; the `json` C scanner guards its recursion
(RecursionError, caught here). The validation never descends recursively into an
unexpected value (explicit stack).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson

from services.depot.domain.erreurs import CodeErreur, Erreur, pointeur

TAILLE_MAX = 20 * 1048576  # octets (1 Mo = 1 048 576 octets)
BOM = b"\xef\xbb\xbf"

_MESSAGES_JSON = {
    "Expecting value": "une valeur était attendue",
    "Expecting ',' delimiter": "une virgule était attendue",
    "Expecting ':' delimiter": "un deux-points (:) était attendu",
    "Expecting property name enclosed in double quotes": (
        "un nom de champ entre guillemets doubles était attendu (une virgule en trop ?)"
    ),
    "Extra data": "du contenu suit la fin du document JSON",
    "Unterminated string starting at": "une chaîne de caractères n'est pas fermée",
    "Invalid control character at": (
        "une chaîne contient un caractère de contrôle (tabulation, retour à la ligne…) "
        "qui doit être échappé"
    ),
    "Invalid \\escape": "une séquence d'échappement (\\…) est invalide",
    "Invalid \\uXXXX escape": "une séquence \\uXXXX est invalide",
}
# \uD800 to \uDFFF: surrogate halves, valid only as a pair.
_ECHAPPEMENT_SUBSTITUTION = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class _NombreNonFini(ValueError):
    def __init__(self, texte: str) -> None:
        super().__init__(texte)
        self.texte = texte


def _refuser_constante(texte: str) -> Any:
    raise _NombreNonFini(texte)


@dataclass
class LectureJson:
    """The result of a read: `lisible` false when the file could not be read."""

    donnees: Any = None
    erreurs: list[Erreur] = field(default_factory=list)  # fatal: no donnees
    doublons: list[Erreur] = field(default_factory=list)  # duplicated keys (careful read)
    exacte: bool = True  # False: read by orjson (non-integer numbers as float)
    contenu: bytes = b""  # without BOM
    deux_points: int = 0  # number of « : » in the text (fast read)

    @property
    def lisible(self) -> bool:
        return not self.erreurs


def _erreur(code: CodeErreur, message: str) -> LectureJson:
    return LectureJson(erreurs=[Erreur(code, "", message)])


def _taille_lisible(octets: int) -> str:
    mo = Decimal(octets) / Decimal(1048576)
    return f"{mo:.1f}".replace(".", ",") + " Mo"


def _message_json(exc: json.JSONDecodeError) -> str:
    explication = _MESSAGES_JSON.get(exc.msg, exc.msg)
    return (
        f"Le fichier n'est pas un JSON valide : {explication} "
        f"(ligne {exc.lineno}, colonne {exc.colno})."
    )


def lire_json(contenu: bytes, rapide: bool = True) -> LectureJson:
    """Reads the file. `rapide`: orjson first, the careful read if it fails."""
    if len(contenu) > TAILLE_MAX:
        return _erreur(
            CodeErreur.FICHIER_TROP_VOLUMINEUX,
            f"Le fichier pèse {_taille_lisible(len(contenu))} ({len(contenu)} octets) ; "
            f"la taille maximale est de 20 Mo ({TAILLE_MAX} octets).",
        )
    if contenu.startswith(BOM):
        contenu = contenu[len(BOM) :]
    if not contenu.strip():
        return _erreur(
            CodeErreur.FICHIER_VIDE,
            "Le fichier est vide : il doit contenir un objet JSON avec l'entête du fichier "
            "(numeroAns, siret) et le tableau demandes.",
        )
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _erreur(
            CodeErreur.ENCODAGE_INVALIDE,
            "Le fichier est encodé en UTF-16 ; il doit être encodé en UTF-8.",
        )
    if rapide:
        try:
            donnees = orjson.loads(contenu)
        except orjson.JSONDecodeError:
            pass  # the careful read will say why, in French
        else:
            return LectureJson(
                donnees=donnees, exacte=False, contenu=contenu, deux_points=contenu.count(b":")
            )
    return lire_prudemment(contenu)


def lire_prudemment(contenu: bytes) -> LectureJson:
    """The exact read: non-integer numbers as Decimal, duplicated keys named."""
    if contenu.startswith(BOM):
        contenu = contenu[len(BOM) :]
    try:
        texte = contenu.decode("utf-8")
    except UnicodeDecodeError as exc:
        ligne = contenu.count(b"\n", 0, exc.start) + 1
        return _erreur(
            CodeErreur.ENCODAGE_INVALIDE,
            f"Le fichier n'est pas encodé en UTF-8 : l'octet 0x{contenu[exc.start]:02X} "
            f"(position {exc.start}, ligne {ligne}) n'est pas un caractère UTF-8 valide. "
            "Enregistrez le fichier en UTF-8.",
        )
    # id(object) → its repeated keys; the objects stay plain dicts (the validation tests
    # `type(x) is dict`), they are found again by identity afterwards.
    marques: dict[int, list[str]] = {}

    def objet(paires: list[tuple[str, Any]]) -> dict[str, Any]:
        resultat = dict(paires)
        if len(resultat) != len(paires):
            marques[id(resultat)] = _cles_repetees(paires)
        return resultat

    try:
        donnees = json.loads(
            texte,
            parse_float=Decimal,
            parse_constant=_refuser_constante,
            object_pairs_hook=objet,
        )
    except _NombreNonFini as exc:
        return _erreur(
            CodeErreur.NOMBRE_NON_FINI,
            f"Le fichier contient la valeur {exc.texte}, qui n'est pas un nombre JSON : "
            "un nombre s'écrit en chiffres, par exemple 18750.00.",
        )
    except RecursionError:
        return _erreur(
            CodeErreur.JSON_TROP_PROFOND,
            "Le fichier imbrique trop de tableaux ou d'objets les uns dans les autres ; "
            "le format MS v1 n'en imbrique que six niveaux.",
        )
    except json.JSONDecodeError as exc:
        return _erreur(CodeErreur.JSON_INVALIDE, _message_json(exc))
    except ValueError:
        # int() refuses integers of more than 4,300 digits (sys.int_info.str_digits_check).
        return _erreur(
            CodeErreur.JSON_INVALIDE,
            "Le fichier n'est pas un JSON acceptable : un nombre entier compte trop de chiffres.",
        )
    if _ECHAPPEMENT_SUBSTITUTION.search(contenu) and _substitution_isolee(donnees):
        return _erreur(
            CodeErreur.JSON_INVALIDE,
            "Le fichier contient une séquence \\uD800 à \\uDFFF isolée, qui ne désigne aucun "
            "caractère Unicode.",
        )
    doublons = _nommer_doublons(donnees, marques) if marques else []
    return LectureJson(donnees=donnees, doublons=doublons, exacte=True, contenu=contenu)


_OCTETS_NOMBRE = frozenset(b"0123456789+-.eE")
_BLANCS = frozenset(b" \t\r\n")
_CLE_MONTANT = b'"montantSegur"'


def montants_bruts(contenu: bytes) -> list[bytes | None]:
    """The text of the number that follows each "montantSegur" key, in document order
    (None when the value is not a number). An occurrence not followed by « : » is a
    string, not a key: it is ignored."""
    textes: list[bytes | None] = []
    taille = len(contenu)
    position = contenu.find(_CLE_MONTANT)
    while position != -1:
        i = position + len(_CLE_MONTANT)
        while i < taille and contenu[i] in _BLANCS:
            i += 1
        if i < taille and contenu[i] == 0x3A:  # « : »
            i += 1
            while i < taille and contenu[i] in _BLANCS:
                i += 1
            fin = i
            while fin < taille and contenu[fin] in _OCTETS_NOMBRE:
                fin += 1
            textes.append(contenu[i:fin] or None)
        position = contenu.find(_CLE_MONTANT, position + 1)
    return textes


def _substitution_isolee(donnees: Any) -> bool:
    """True if a string (or a key) contains a lone surrogate half."""
    pile = [donnees]
    while pile:
        valeur = pile.pop()
        if isinstance(valeur, str):
            chaines: list[str] = [valeur]
        elif isinstance(valeur, dict):
            chaines = list(valeur)
            pile.extend(valeur.values())
        elif isinstance(valeur, list):
            pile.extend(valeur)
            continue
        else:
            continue
        for chaine in chaines:
            try:
                chaine.encode("utf-8")
            except UnicodeEncodeError:
                return True
    return False


def _cles_repetees(paires: list[tuple[str, Any]]) -> list[str]:
    vues: set[str] = set()
    repetees: list[str] = []
    for cle, _ in paires:
        if cle in vues and cle not in repetees:
            repetees.append(cle)
        vues.add(cle)
    return repetees


def _nommer_doublons(donnees: Any, marques: dict[int, list[str]]) -> list[Erreur]:
    """One error per repeated key, with the key's pointer (document order)."""
    erreurs: list[Erreur] = []
    pile: list[tuple[Any, tuple[str | int, ...]]] = [(donnees, ())]
    while pile:
        valeur, chemin = pile.pop()
        if isinstance(valeur, dict):
            for cle in marques.get(id(valeur), ()):
                erreurs.append(
                    Erreur(
                        CodeErreur.CLE_DUPLIQUEE,
                        pointeur(*chemin, cle),
                        f"Le champ {cle} apparaît plusieurs fois dans le même objet "
                        f"({pointeur(*chemin) or 'racine du fichier'}) ; chaque champ "
                        "ne doit y figurer qu'une fois.",
                    )
                )
            pile.extend((v, (*chemin, k)) for k, v in reversed(valeur.items()))
        elif isinstance(valeur, list):
            pile.extend((v, (*chemin, i)) for i, v in reversed(list(enumerate(valeur))))
    return erreurs


def relire(contenu: bytes) -> Any:
    """The exact JSON value (Decimal) of a readable file (to annotate it)."""
    lecture = lire_json(contenu, rapide=False)
    if not lecture.lisible:
        raise ValueError(lecture.erreurs[0].message)
    return lecture.donnees
