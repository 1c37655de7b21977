"""What the readers and writers of the table's records share (pure: no AWS).

Instants are stored in UTC ISO 8601 (they sort as text); DynamoDB numbers come back as
Decimal, turned back into int (or text) where a record keeps free JSON (`details`, the
reprise's output). A demande is stored as canonical JSON text (`json_canonique`), read
back with its amounts in Decimal (`lire_json`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def iso(instant: datetime) -> str:
    """Instants are stored in UTC ISO 8601: they sort as text."""
    return instant.astimezone(UTC).isoformat()


def instant_lu(texte: Any) -> datetime:
    return datetime.fromisoformat(str(texte))


def instant_ou_rien(texte: Any) -> datetime | None:
    return instant_lu(texte) if texte else None


def texte_ou_rien(valeur: Any) -> str | None:
    return str(valeur) if valeur not in (None, "") else None


def simple(valeur: Any) -> Any:
    """DynamoDB numbers come back as Decimal: integers back to int for JSON outputs."""
    if isinstance(valeur, Decimal):
        return int(valeur) if valeur == valeur.to_integral_value() else str(valeur)
    if isinstance(valeur, Mapping):
        return {str(k): simple(v) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [simple(v) for v in valeur]
    return valeur


def json_canonique(valeur: object) -> str:
    """Compact JSON with sorted keys; a Decimal is written as is, never through a float."""
    if valeur is None:
        return "null"
    if valeur is True:
        return "true"
    if valeur is False:
        return "false"
    if isinstance(valeur, str):
        return json.dumps(valeur, ensure_ascii=False)
    if isinstance(valeur, int):
        return str(valeur)
    if isinstance(valeur, Decimal):
        if not valeur.is_finite():
            raise ValueError("un nombre JSON est fini")
        return format(valeur, "f")
    if isinstance(valeur, float):
        if not math.isfinite(valeur):
            raise ValueError("un nombre JSON est fini")
        return repr(valeur)
    if isinstance(valeur, Mapping):
        paires = sorted((str(k), v) for k, v in valeur.items())
        return "{" + ",".join(f"{json_canonique(k)}:{json_canonique(v)}" for k, v in paires) + "}"
    if isinstance(valeur, (list, tuple)):
        return "[" + ",".join(json_canonique(v) for v in valeur) + "]"
    raise TypeError(f"valeur non sérialisable en JSON: {type(valeur).__name__}")


def lire_json(texte: str | bytes) -> Any:
    """The inverse of `json_canonique`: decimal numbers become Decimals again."""
    return json.loads(texte, parse_float=Decimal)
