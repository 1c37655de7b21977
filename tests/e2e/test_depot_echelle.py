"""The dépôt at a moderate size on the local runtime, counting the DynamoDB calls its
handlers make (the bounds of the maximal deposit, checked on every `make test`; the
maximal one is benchmarks/bench_depot_maximal.py): 20 demandes × 100 établissements."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

from infra.local.appels import ECRITURES, LECTURES, compter_appels, somme
from infra.local.runtime import RuntimeLocal
from shared.aws import client
from shared.settings import settings
from tests.e2e.aide_import import importer
from tests.fixtures.depot.generateur import fichier_valide, octets
from tests.fixtures.enrolements import enroler

SIRET, ANS = "44306184100047", "ECHELLE001"
DEMANDES, ETABLISSEMENTS = 20, 100


def _vue(api: str, id_depot: str, h: dict[str, str]) -> dict[str, Any]:
    return dict(requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=30).json())


def _attendre_simule(api: str, id_depot: str, h: dict[str, str]) -> dict[str, Any]:
    fin = time.monotonic() + 60
    while time.monotonic() < fin:
        vue = _vue(api, id_depot, h)
        if vue["statut"] in ("SIMULE", "REJETE"):
            return vue
        time.sleep(0.1)
    raise AssertionError("simulation non terminée")


def test_appels_bornes_a_taille_moyenne(runtime: RuntimeLocal) -> None:
    from infra.local.jetons import jeton

    api = runtime.url_api
    enroler(SIRET, ANS, "MS1", email="echelle@editeur.example.fr")
    h = {"Authorization": jeton("editeurs", siret=SIRET)}
    depot = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": ANS, "tauxTva": 20},
        headers=h,
        timeout=10,
    ).json()
    id_depot, envoi = depot["idDepot"], depot["envoi"]
    document = fichier_valide(
        DEMANDES,
        etablissements=ETABLISSEMENTS,
        beneficiaires=5,
        seed=2718,
        siret=SIRET,
        numero_ans=ANS,
        prefixe_dossier="E",
    )
    contenu = octets(document, indent=None)

    # A JSON put under another name in the dépôt's prefix is not this dépôt's file.
    intrus = envoi["cle"].rsplit("/", 1)[0] + "/autre.json"
    client("s3").put_object(Bucket=settings().bucket_depots, Key=intrus, Body=contenu)
    time.sleep(1.5)
    assert _vue(api, id_depot, h)["statut"] == "CREE"

    finess = DEMANDES * ETABLISSEMENTS
    with compter_appels() as simulation:
        requests.post(
            envoi["url"], data=envoi["champs"], files={"file": ("d.json", contenu)}, timeout=60
        )
        vue = _attendre_simule(api, id_depot, h)
        assert vue["simulation"]["lignesImportables"] == DEMANDES, json.dumps(vue)[:2000]
    # One BatchGetItem per 100 FINESS, plus a constant (the polls of GET /depots/{id}
    # meanwhile read no batch: the dépôt has no dossier yet).
    assert simulation["BatchGetItem"] <= finess / 100 + 4, simulation

    with compter_appels() as import_:
        vue = importer(api, id_depot, h)
    assert vue["compteRendu"]["lignesImportees"] == DEMANDES
    # At most 3 writes per demande plus 1 per 25 FINESS.
    assert somme(import_, ECRITURES) <= 3 * DEMANDES + finess / 25, import_

    with compter_appels() as lecture:
        vue = _vue(api, id_depot, h)
    assert len(vue["dossiers"]) == DEMANDES
    assert all(d["piecesManquantes"] for d in vue["dossiers"])
    assert somme(lecture, LECTURES | ECRITURES) <= 6, lecture
