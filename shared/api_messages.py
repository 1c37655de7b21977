"""pydantic's validation errors in French, field by field: what is expected, never the
library's English. Codes are stable (listed in docs/codes-erreur.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# pydantic error type → (our code, French text of what is expected; {…} from the error ctx)
_TRADUCTIONS: dict[str, tuple[str, str]] = {
    "missing": ("CHAMP_ABSENT", "champ obligatoire absent"),
    "extra_forbidden": ("CHAMP_INCONNU", "champ inconnu: à retirer"),
    "int_type": ("TYPE_INVALIDE", "un nombre entier est attendu"),
    "int_parsing": ("TYPE_INVALIDE", "un nombre entier est attendu"),
    "int_from_float": ("TYPE_INVALIDE", "un nombre entier est attendu"),
    "float_type": ("TYPE_INVALIDE", "un nombre est attendu"),
    "float_parsing": ("TYPE_INVALIDE", "un nombre est attendu"),
    "decimal_type": ("TYPE_INVALIDE", "un nombre JSON est attendu (pas une chaîne)"),
    "decimal_parsing": ("TYPE_INVALIDE", "un nombre est attendu"),
    "finite_number": ("TYPE_INVALIDE", "un nombre fini est attendu"),
    "string_type": ("TYPE_INVALIDE", "une chaîne de caractères est attendue"),
    "bool_type": ("TYPE_INVALIDE", "un booléen (true ou false, sans guillemets) est attendu"),
    "bool_parsing": ("TYPE_INVALIDE", "un booléen (true ou false) est attendu"),
    "list_type": ("TYPE_INVALIDE", "une liste JSON est attendue"),
    "dict_type": ("TYPE_INVALIDE", "un objet JSON est attendu"),
    "model_type": ("TYPE_INVALIDE", "un objet JSON est attendu"),
    "model_attributes_type": ("TYPE_INVALIDE", "un objet JSON est attendu"),
    "none_required": ("TYPE_INVALIDE", "null est attendu"),
    "datetime_type": (
        "TYPE_INVALIDE",
        "une date et heure ISO 8601 est attendue, par exemple 2024-02-28T13:59:00+01:00",
    ),
    "datetime_parsing": (
        "FORMAT_INVALIDE",
        "une date et heure ISO 8601 est attendue, par exemple 2024-02-28T13:59:00+01:00",
    ),
    "datetime_from_date_parsing": (
        "FORMAT_INVALIDE",
        "une date et heure ISO 8601 est attendue, par exemple 2024-02-28T13:59:00+01:00",
    ),
    "date_type": ("TYPE_INVALIDE", "une date ISO 8601 est attendue, par exemple 2024-02-28"),
    "date_parsing": ("FORMAT_INVALIDE", "une date ISO 8601 est attendue, par exemple 2024-02-28"),
    "date_from_datetime_parsing": (
        "FORMAT_INVALIDE",
        "une date ISO 8601 est attendue, par exemple 2024-02-28",
    ),
    "timezone_aware": ("FORMAT_INVALIDE", "une date et heure avec fuseau est attendue"),
    "literal_error": ("VALEUR_NON_PERMISE", "une valeur parmi {expected} est attendue"),
    "enum": ("VALEUR_NON_PERMISE", "une valeur parmi {expected} est attendue"),
    "string_too_long": ("TROP_LONG", "au plus {max_length} caractères sont permis"),
    "string_too_short": ("TROP_COURT", "au moins {min_length} caractères sont attendus"),
    "too_long": ("TROP_LONG", "au plus {max_length} éléments sont permis"),
    "too_short": ("TROP_COURT", "au moins {min_length} éléments sont attendus"),
    "string_pattern_mismatch": ("FORMAT_INVALIDE", "le format attendu est {pattern}"),
    "greater_than_equal": ("HORS_BORNES", "un nombre supérieur ou égal à {ge} est attendu"),
    "greater_than": ("HORS_BORNES", "un nombre strictement supérieur à {gt} est attendu"),
    "less_than_equal": ("HORS_BORNES", "un nombre inférieur ou égal à {le} est attendu"),
    "less_than": ("HORS_BORNES", "un nombre strictement inférieur à {lt} est attendu"),
    "decimal_max_digits": ("HORS_BORNES", "au plus {max_digits} chiffres sont permis"),
    "decimal_max_places": ("HORS_BORNES", "au plus {decimal_places} décimales sont permises"),
    "multiple_of": ("HORS_BORNES", "un multiple de {multiple_of} est attendu"),
}

CODES_CHAMP = frozenset(code for code, _ in _TRADUCTIONS.values()) | {
    "VALEUR_INVALIDE",
    "PARAMETRE_REPETE",
}


def _attendu(texte: str) -> str:
    # pydantic: "'AVANCE' or 'SOLDE'" / "'A', 'B' or 'C'"
    return texte.replace(" or ", ", ")


def _traduire(erreur: Mapping[str, Any]) -> tuple[str, str]:
    type_ = str(erreur["type"])
    contexte = dict(erreur.get("ctx") or {})
    if type_ == "value_error":  # our own validators raise ValueError with a French text
        return "VALEUR_INVALIDE", str(erreur["msg"]).removeprefix("Value error, ")
    if type_ not in _TRADUCTIONS:
        return "VALEUR_INVALIDE", "valeur invalide"
    code, gabarit = _TRADUCTIONS[type_]
    if "expected" in contexte:
        contexte["expected"] = _attendu(str(contexte["expected"]))
    try:
        return code, gabarit.format(**contexte)
    except (KeyError, IndexError):
        return code, gabarit.split(" {")[0]


def _champ(loc: Iterable[Any]) -> str:
    # Parts that are types (unions, tagged unions) are not fields: leave them out.
    return ".".join(str(p) for p in loc if not (isinstance(p, str) and "[" in p))


def erreurs_champs(erreurs: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """One entry per problem, the field named as the client sent it (camelCase, dotted)."""
    vues: list[dict[str, str]] = []
    for erreur in erreurs:
        code, message = _traduire(erreur)
        vue = {"champ": _champ(erreur["loc"]), "code": code, "message": message}
        if vue not in vues:  # a union reports the same problem once per member
            vues.append(vue)
    return vues


def resume(details: list[dict[str, str]], ou: str) -> str:
    """« Le corps de la requête contient 2 erreurs: tauxTva: …; typeDemande: … »."""
    nombre = len(details)
    liste = "; ".join(f"{d['champ'] or '(racine)'}: {d['message']}" for d in details)
    verbe = "contiennent" if ou.startswith("les ") else "contient"
    erreurs = f"{nombre} erreur{'s' if nombre > 1 else ''}"
    return f"{ou[0].upper()}{ou[1:]} {verbe} {erreurs}: {liste}."
