"""What the readers and writers of the table's records share (pure: no AWS).

Instants are stored in UTC ISO 8601 (they sort as text); DynamoDB numbers come back as
Decimal, turned back into int (or text) where a record keeps free JSON (`details`, the
reprise's output, the demande).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any


def iso(instant: datetime) -> str:
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
