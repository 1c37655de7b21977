"""The éditeur's path over HTTP on the local runtime: POST /depots → upload of the JSON →
compte rendu → import → dossiers listed, INCOMPLET with their missing pièces → the ZIP's
presigned POST. (The ZIP's processing through S3 → SQS on the runtime is not proven yet.)"""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from infra.local.runtime import RuntimeLocal
from tests.fixtures.depot.generateur import NUMERO_ANS, fichier_valide
from tests.fixtures.enrolements import enroler

SIRET = "73282932000074"


def attendre(condition: Any, delai: float = 15.0) -> Any:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        valeur = condition()
        if valeur:
            return valeur
        time.sleep(0.1)
    raise AssertionError("délai dépassé")


def envoyer(envoi: dict[str, Any], nom: str, contenu: bytes) -> None:
    reponse = requests.post(
        envoi["url"], data=envoi["champs"], files={"file": (nom, contenu)}, timeout=30
    )
    assert reponse.status_code in (200, 201, 204), reponse.text


def test_depot_complet_de_bout_en_bout(runtime: RuntimeLocal, jeton_editeur: str) -> None:
    enroler(SIRET, NUMERO_ANS, "MS1")
    api = runtime.url_api
    h = {"Authorization": jeton_editeur}

    # Bad input: a French 4xx naming what is expected, never a 500.
    mauvais = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": NUMERO_ANS, "tauxTva": 7},
        headers=h,
        timeout=10,
    )
    assert mauvais.status_code == 422 and "TVA" in mauvais.json()["message"]

    cree = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": NUMERO_ANS, "tauxTva": 20},
        headers=h,
        timeout=10,
    )
    assert cree.status_code == 201, cree.text
    depot = cree.json()
    id_depot = depot["idDepot"]

    document = fichier_valide(2, seed=4242)
    envoyer(depot["envoi"], "demandes.json", json.dumps(document).encode())
    vue = attendre(
        lambda: (
            (r := requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=10).json())["statut"]
            == "SIMULE"
            and r
        )
    )
    assert vue["simulation"]["lignesImportables"] == 2, vue

    annote = requests.get(f"{api}/depots/{id_depot}/fichier-annote", headers=h, timeout=10)
    assert annote.status_code == 200 and json.loads(annote.content)["idFichier"]

    importe = requests.post(f"{api}/depots/{id_depot}/import", headers=h, timeout=30)
    assert importe.status_code == 200, importe.text
    # The same request again creates nothing twice.
    assert requests.post(f"{api}/depots/{id_depot}/import", headers=h, timeout=30).status_code in (
        200,
        409,
    )
    dossiers = requests.get(f"{api}/depots/dossiers", headers=h, timeout=10).json()["dossiers"]
    numeros = {d["numeroAsp"] for d in dossiers}
    assert len(numeros) == 2 and all(n.startswith("FINMS1") for n in numeros)

    vue = requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=10).json()
    # Imported dossiers wait for their pièces, visibly, each with what is missing.
    assert {d["statut"] for d in vue["dossiers"]} == {"INCOMPLET"}
    assert all(d["piecesManquantes"] for d in vue["dossiers"])
    envoi_zip = requests.post(f"{api}/depots/{id_depot}/pieces", headers=h, timeout=10)
    assert envoi_zip.status_code == 201, envoi_zip.text
    assert envoi_zip.json()["tailleMax"] == 200 * 1024 * 1024
