"""History entries of a dossier: `DOSSIER#{n}` / `HISTO#{instant}#{id}`.

Every service writes them through `item_historique` and reads them through
`historique_depuis_item`: one shape (qui, action, motif, instant). Kept as long as their
dossier.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.contrats import cle_dossier
from shared.enregistrement import instant_lu, iso, simple, texte_ou_rien


@dataclass(frozen=True)
class EntreeHistorique:
    """Who did what, when, and why: every service writes this one shape."""

    qui: str
    action: str
    instant: datetime
    motif: str = ""
    type_demande: str | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


def item_historique(numero_asp: str, entree: EntreeHistorique) -> dict[str, Any]:
    instant = iso(entree.instant)
    item: dict[str, Any] = {
        "PK": cle_dossier(numero_asp)["PK"],
        "SK": f"HISTO#{instant}#{uuid.uuid4().hex}",
        "type": "HISTORIQUE",
        "qui": entree.qui,
        "action": entree.action,
        "motif": entree.motif,
        "instant": instant,
        "details": dict(entree.details),
    }
    if entree.type_demande:
        item["typeDemande"] = entree.type_demande
    return item


def historique_depuis_item(item: Mapping[str, Any]) -> EntreeHistorique:
    # Entries written before this contract used auteur/le: still read, never written.
    instant = item.get("instant") or item.get("le")
    return EntreeHistorique(
        qui=str(item.get("qui") or item.get("auteur") or ""),
        action=str(item.get("action", "")),
        instant=instant_lu(instant),
        motif=str(item.get("motif") or ""),
        type_demande=texte_ou_rien(item.get("typeDemande")),
        details=simple(dict(item.get("details") or {})),
    )
