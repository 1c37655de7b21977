"""Two éditeurs import the same finessGeo at the same time, over HTTP on the local
runtime: exactly one dossier holds it, the other line is rejected naming its status."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import requests

from infra.local.jetons import jeton
from infra.local.runtime import RuntimeLocal
from tests.e2e.aide_import import attendre_importe
from tests.fixtures.depot.generateur import fichier_valide, finess_valides
from tests.fixtures.enrolements import enroler

EDITEURS = [("44306184100047", "CONCUR0001"), ("38012986646850", "CONCUR0002")]


def attendre(condition: Any, delai: float = 15.0) -> Any:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        valeur = condition()
        if valeur:
            return valeur
        time.sleep(0.1)
    raise AssertionError("délai dépassé")


def test_un_seul_dossier_pour_un_finess_dispute(runtime: RuntimeLocal) -> None:
    api = runtime.url_api
    (finess,) = finess_valides(1, seed=31337)
    prets: list[tuple[str, dict[str, str]]] = []
    for siret, ans in EDITEURS:
        enroler(siret, ans, "MS1", email=f"{siret}@editeur.example.fr")
        h = {"Authorization": jeton("editeurs", siret=siret)}
        depot = requests.post(
            f"{api}/depots",
            json={"typeDemande": "AVANCE", "numeroAns": ans, "tauxTva": 20},
            headers=h,
            timeout=10,
        ).json()
        document = fichier_valide(
            1, siret=siret, numero_ans=ans, finess=[finess], prefixe_dossier="C"
        )
        envoi = depot["envoi"]
        requests.post(
            envoi["url"],
            data=envoi["champs"],
            files={"file": ("demandes.json", json.dumps(document).encode())},
            timeout=30,
        )
        id_depot = depot["idDepot"]
        vue = attendre(
            lambda i=id_depot, h=h: (
                (v := requests.get(f"{api}/depots/{i}", headers=h, timeout=10).json())["statut"]
                == "SIMULE"
                and v
            )
        )
        # Both simulations see the FINESS free: the race is at import.
        assert vue["simulation"]["lignesImportables"] == 1
        prets.append((id_depot, h))

    depart = threading.Barrier(len(prets))
    reponses: dict[str, Any] = {}

    def importer(id_depot: str, h: dict[str, str]) -> None:
        depart.wait()
        reponses[id_depot] = requests.post(f"{api}/depots/{id_depot}/import", headers=h, timeout=60)

    fils = [threading.Thread(target=importer, args=p) for p in prets]
    for f in fils:
        f.start()
    for f in fils:
        f.join()

    # Both accepted at once (202); the two imports then race from the import queue.
    assert all(r.status_code == 202 for r in reponses.values()), [r.text for r in reponses.values()]
    comptes = [attendre_importe(api, i, h)["compteRendu"] for i, h in prets]
    importees = sum(c.get("lignesImportees", 0) for c in comptes)
    assert importees == 1
    detenteurs = []
    for _id_depot, h in prets:
        dossiers = requests.get(f"{api}/dossiers?limite=200", headers=h, timeout=10).json()
        detenteurs += [d for d in dossiers["elements"] if finess in json.dumps(d)]
    assert len(detenteurs) == 1
    perdant = [e for c in comptes for ligne in c["lignes"] for e in ligne["erreurs"]]
    assert any("FINESS" in e["code"] for e in perdant), perdant
