"""The guichet on the local runtime, driven by its clock over HTTP (G1–G3):
J-7 and J-1 reminders, a JSON received at 13:59:59 and processed at 14:05 accepted, one
received at 14:00:00 refused, the closing run by its schedule and idempotent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import requests
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends

from infra.local.runtime import RuntimeLocal
from shared.aws import client
from shared.horloge import heure_paris
from tests.fixtures.attente import attendre
from tests.fixtures.depot.generateur import fichier_valide
from tests.fixtures.enrolements import enroler

SIRET = "55210055400013"
ANS = "GUICHET001"
COURRIEL = "guichet@editeur-en-retard.example.fr"


def courriels() -> list[Any]:
    return [
        m
        for m in ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-3"].sent_messages
        if COURRIEL in m.destinations.get("ToAddresses", [])
    ]


@pytest.fixture
def horloge(runtime: RuntimeLocal) -> Iterator[Any]:
    def regler(instant: str) -> dict[str, Any]:
        reponse = requests.post(
            f"{runtime.url_api}/_local/horloge", json={"instant": instant}, timeout=30
        )
        assert reponse.status_code == 200, reponse.text
        return dict(reponse.json())

    yield regler
    regler("2024-02-20T10:00")  # the other e2e tests expect the avance window open


def test_rappels_fermeture_et_heure_de_reception(
    runtime: RuntimeLocal, horloge: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import services.depot.api as depot_api
    from infra.local.jetons import jeton

    api = runtime.url_api
    enroler(SIRET, ANS, "MS1", email=COURRIEL)
    h = {"Authorization": jeton("editeurs", siret=SIRET)}

    def deposer() -> tuple[str, dict[str, Any]]:
        cree = requests.post(
            f"{api}/depots",
            json={"typeDemande": "AVANCE", "numeroAns": ANS, "tauxTva": 20},
            headers=h,
            timeout=10,
        )
        assert cree.status_code == 201, cree.text
        return str(cree.json()["idDepot"]), dict(cree.json()["envoi"])

    def envoyer(envoi: dict[str, Any], seed: int, prefixe: str) -> None:
        document = fichier_valide(
            1, seed=seed, siret=SIRET, numero_ans=ANS, prefixe_dossier=prefixe
        )
        r = requests.post(
            envoi["url"],
            data=envoi["champs"],
            files={"file": ("demandes.json", json.dumps(document).encode())},
            timeout=30,
        )
        assert r.status_code in (200, 204)

    def vue(id_depot: str) -> dict[str, Any]:
        return dict(requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=10).json())

    # 20/02: a dépôt simulated but never imported.
    horloge("2024-02-20T10:00")
    oublie, envoi = deposer()
    envoyer(envoi, 9001, "G")
    attendre(lambda: vue(oublie)["statut"] == "SIMULE")

    # J-7 and J-1: « N'attendez pas le dernier jour », once each.
    assert (
        "segurnum-rappel-j7-ms-vague1-avance" in horloge("2024-02-21T14:00")["echeancesDeclenchees"]
    )
    assert len(courriels()) == 1
    horloge("2024-02-27T14:00")
    assert len(courriels()) == 2
    assert all("dernier jour" in m.body for m in courriels())
    assert all(oublie in m.body or "demandes.json" in m.body for m in courriels())

    # Received at 13:59:59, processed at 14:05 (the handler fails once meanwhile): accepted.
    horloge("2024-02-28T13:50")
    juste, envoi_juste = deposer()
    tard, envoi_tard = deposer()
    original = depot_api._json_recu
    panne = {"active": True}

    def en_panne(objet: Any) -> None:
        if panne["active"]:
            raise RuntimeError("panne passagère")
        original(objet)

    monkeypatch.setattr(depot_api, "_json_recu", en_panne)
    monkeypatch.setattr("infra.local.releveur.VISIBILITE", 1)
    horloge("2024-02-28T13:59:59")
    envoyer(envoi_juste, 9002, "J")
    fermeture = horloge("2024-02-28T14:05")["echeancesDeclenchees"]
    panne["active"] = False
    assert "segurnum-fermeture-ms-vague1-avance" in fermeture
    apres = attendre(lambda: (v := vue(juste))["statut"] == "SIMULE" and v)
    # Views give instants with the Paris offset: compare instants, not strings.
    recu_le = datetime.fromisoformat(apres["jsonRecuLe"])
    assert recu_le < heure_paris("2024-02-28T14:00")  # received 13:59:59 Paris
    assert datetime.fromisoformat(apres["simulation"]["simuleLe"]) >= heure_paris(
        "2024-02-28T14:05"
    )
    assert apres["simulation"]["lignesImportables"] == 1

    # Received at 14:00:00: too late, at the line's typeAction, with the deadline in French.
    horloge("2024-02-28T14:00:00")
    envoyer(envoi_tard, 9003, "T")
    refuse = attendre(lambda: (v := vue(tard))["statut"] in ("SIMULE", "REJETE") and v)
    erreurs = [e for ligne in refuse["compteRendu"]["lignes"] for e in ligne["erreurs"]]
    assert [e["chemin"] for e in erreurs] == ["/demandes/0/typeAction"]
    assert "28/02/2024 à 14h00" in erreurs[0]["message"]
    # And a new avance dépôt cannot even be started.
    ferme = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": ANS, "tauxTva": 20},
        headers=h,
        timeout=10,
    )
    assert ferme.status_code in (403, 409, 422) and "fermé" in ferme.json()["message"]

    # The closing wrote to the éditeur whose dépôts were never imported; a second run of
    # the same schedule target sends nothing more.
    apres_fermeture = len(courriels())
    assert apres_fermeture == 3
    relance = client("lambda").invoke(
        FunctionName="depot_fermer_guichet",
        Payload=json.dumps({"campagne": "MS-VAGUE1", "typeDemande": "AVANCE"}).encode(),
    )
    assert "FunctionError" not in relance
    assert json.loads(relance["Payload"].read())["courrielsEnvoyes"] == 0
    assert len(courriels()) == apres_fermeture

    # GET /guichet (public) tells the same.
    etat = requests.get(f"{api}/guichet", timeout=10).json()
    avance = etat["campagnes"][0]["guichets"]["AVANCE"]
    assert avance["ouvert"] is False and avance["statut"] == "FERME"
