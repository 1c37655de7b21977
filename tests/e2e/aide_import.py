"""The asynchronous import over HTTP: POST /depots/{id}/import answers 202 at once, then
GET /depots/{id} shows IMPORT_EN_COURS with its progress, then IMPORTE."""

from __future__ import annotations

import time
from typing import Any

import requests


def importer(
    api: str, id_depot: str, entetes: dict[str, str], delai: float = 60.0
) -> dict[str, Any]:
    """Asks for the import (202) and waits until the dépôt is IMPORTE; returns its view."""
    reponse = requests.post(f"{api}/depots/{id_depot}/import", headers=entetes, timeout=30)
    assert reponse.status_code == 202, reponse.text
    assert reponse.json()["statut"] in ("IMPORT_EN_COURS", "IMPORTE"), reponse.text
    return attendre_importe(api, id_depot, entetes, delai)


def attendre_importe(
    api: str, id_depot: str, entetes: dict[str, str], delai: float = 60.0
) -> dict[str, Any]:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        vue: dict[str, Any] = requests.get(
            f"{api}/depots/{id_depot}", headers=entetes, timeout=30
        ).json()
        if vue["statut"] == "IMPORTE":
            return vue
        assert vue["statut"] == "IMPORT_EN_COURS", vue
        time.sleep(0.1)
    raise AssertionError(f"import du dépôt {id_depot} non terminé en {delai} s")
