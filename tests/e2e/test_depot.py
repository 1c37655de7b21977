"""The éditeur's path over HTTP on the local runtime: POST /depots → upload of the JSON →
compte rendu → import → dossiers listed → ZIP missing a pièce → INCOMPLET with it named →
second ZIP → complete → instruction started; and a hostile ZIP refused whole."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import requests

from infra.local.runtime import RuntimeLocal
from shared.aws import client
from shared.settings import settings
from tests.e2e.aide_import import importer
from tests.fixtures.attente import attendre
from tests.fixtures.depot.generateur import NUMERO_ANS, fichier_valide
from tests.fixtures.enrolements import enroler
from tests.unit.lecteur_zip.zips import pdf

SIRET = "73282932000074"


def envoyer(envoi: dict[str, Any], nom: str, contenu: bytes) -> None:
    reponse = requests.post(
        envoi["url"], data=envoi["champs"], files={"file": (nom, contenu)}, timeout=30
    )
    assert reponse.status_code in (200, 201, 204), reponse.text


def zip_de(membres: dict[str, bytes]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        for nom, contenu in membres.items():
            z.writestr(nom, contenu)
    return tampon.getvalue()


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

    vue = importer(api, id_depot, h)
    assert vue["compteRendu"]["lignesImportees"] == 2, vue
    assert vue["importEnCours"] is None and len(vue["numerosAsp"]) == 2
    # The same request again creates nothing twice.
    encore = requests.post(f"{api}/depots/{id_depot}/import", headers=h, timeout=30)
    assert encore.status_code == 409 and encore.json()["code"] == "DEPOT_DEJA_IMPORTE"
    dossiers = requests.get(f"{api}/dossiers", headers=h, timeout=10).json()["elements"]
    numeros = {d["numeroAsp"] for d in dossiers}
    assert len(numeros) == 2 and all(n.startswith("FINMS1") for n in numeros)

    vue = requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=10).json()
    # Imported dossiers wait for their pièces, visibly, each with what is missing.
    assert {d["statut"] for d in vue["dossiers"]} == {"INCOMPLET"}
    assert all(d["piecesManquantes"] for d in vue["dossiers"])

    # The ZIP: every pièce of the file but one.
    noms = [p["nomFichier"] for d in document["demandes"] for p in d["piecesJustificatives"]]
    manquante = noms[-1]
    envoi_zip = requests.post(f"{api}/depots/{id_depot}/pieces", headers=h, timeout=10)
    assert envoi_zip.status_code == 201, envoi_zip.text
    assert envoi_zip.json()["idDepot"] == id_depot
    assert envoi_zip.json()["envoi"]["tailleMax"] == 200 * 1024 * 1024
    envoyer(envoi_zip.json()["envoi"], "pieces.zip", zip_de({n: pdf(n) for n in noms[:-1]}))

    def etat() -> dict[str, Any]:
        return requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=10).json()

    vue = attendre(lambda: (v := etat())["zips"][0]["statut"] == "OK" and v)
    incomplets = [d for d in vue["dossiers"] if d["piecesManquantes"]]
    assert len(incomplets) == 1 and incomplets[0]["piecesManquantes"] == [manquante]
    assert incomplets[0]["statut"] == "INCOMPLET"
    complet = next(d for d in vue["dossiers"] if not d["piecesManquantes"])
    assert complet["statut"] == "EN_COURS"

    envoi_zip = requests.post(f"{api}/depots/{id_depot}/pieces", headers=h, timeout=10)
    envoyer(envoi_zip.json()["envoi"], "complement.zip", zip_de({manquante: pdf(manquante)}))

    def complets() -> dict[str, Any] | None:
        v = etat()
        return v if all(not d["piecesManquantes"] for d in v["dossiers"]) else None

    vue = attendre(complets)
    assert {d["statut"] for d in vue["dossiers"]} == {"EN_COURS"}

    # Each complete dossier's instruction started, once, and waits for a gestionnaire.
    executions = client("stepfunctions").list_executions(
        stateMachineArn=settings().state_machine_instruction
    )["executions"]
    demarrees = [e["name"].split("-")[0] for e in executions]
    assert sorted(n for n in demarrees if n in numeros) == sorted(numeros)

    fin = requests.post(f"{api}/depots/{id_depot}/terminer", headers=h, timeout=10)
    assert fin.status_code == 200 and fin.json()["dossiersIncomplets"] == []


def test_zip_hostile_refuse_en_entier(runtime: RuntimeLocal, jeton_editeur: str) -> None:
    """A ZIP with a problem is refused whole, with its reasons; nothing of it is kept."""
    api = runtime.url_api
    h = {"Authorization": jeton_editeur}
    enroler(SIRET, NUMERO_ANS, "MS1")
    depot = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": NUMERO_ANS, "tauxTva": 20},
        headers=h,
        timeout=10,
    ).json()
    id_depot = depot["idDepot"]
    document = fichier_valide(1, seed=777, prefixe_dossier="H")
    envoyer(depot["envoi"], "demandes.json", json.dumps(document).encode())
    attendre(
        lambda: (
            requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=10).json()["statut"]
            == "SIMULE"
        )
    )
    importer(api, id_depot, h)
    nom = document["demandes"][0]["piecesJustificatives"][0]["nomFichier"]
    reponse_zip = requests.post(f"{api}/depots/{id_depot}/pieces", headers=h, timeout=10)
    envoi_zip = reponse_zip.json()["envoi"]
    envoyer(envoi_zip, "pieces.zip", zip_de({nom: b"\x89PNG\r\n\x1a\n pas un PDF"}))
    vue = attendre(
        lambda: (
            (v := requests.get(f"{api}/depots/{id_depot}", headers=h, timeout=10).json())["zips"][
                0
            ]["statut"]
            == "REJETE"
            and v
        )
    )
    erreurs = vue["zips"][0]["erreursPieces"]
    assert erreurs and erreurs[0]["fichier"] == nom
    assert vue["dossiers"][0]["statut"] == "INCOMPLET"
    assert vue["dossiers"][0]["piecesManquantes"] == [nom]
