"""Concurrency over HTTP on the local runtime: two éditeurs importing the same finessGeo
at the same time (exactly one dossier holds it, the other line is rejected naming its
status), and the front doors (API, AWS endpoint of the presigned uploads, portal) holding
a rush of connections at once."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from pathlib import Path
from typing import Any

import requests

from infra.local.jetons import jeton
from infra.local.portail import ServeurPortail
from infra.local.runtime import RuntimeLocal
from shared.settings import settings
from tests.e2e.aide_import import attendre_importe
from tests.fixtures.attente import attendre
from tests.fixtures.depot.generateur import fichier_valide, finess_valides
from tests.fixtures.enrolements import enroler

EDITEURS = [("44306184100047", "CONCUR0001"), ("38012986646850", "CONCUR0002")]


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


# --- the front doors at a rush: connections held at once ---------------------------------

CONNEXIONS = 120
# Linux retransmits a dropped SYN after 1 s: a connection the listen queue could not hold
# takes a second or more, one it holds is established at once.
DELAI_CONNEXION = 0.9


def _tenir(port: int, requete: bytes) -> list[tuple[int, bytes]]:
    """CONNEXIONS sockets connected one after the other before any request is sent (no
    answer can free a place meanwhile), then a request on each: every (status, body)."""
    prises: list[socket.socket] = []
    try:
        for rang in range(CONNEXIONS):
            try:
                prises.append(
                    socket.create_connection(("127.0.0.1", port), timeout=DELAI_CONNEXION)
                )
            except OSError as exc:
                raise AssertionError(
                    f"connexion {rang + 1}/{CONNEXIONS} au port {port} non tenue: {exc!r}"
                ) from exc
        for prise in prises:
            prise.settimeout(60)
            prise.sendall(requete)
        reponses = []
        for prise in prises:
            reponse = http.client.HTTPResponse(prise)
            reponse.begin()
            reponses.append((reponse.status, reponse.read()))
        return reponses
    finally:
        for prise in prises:
            prise.close()


def _requete(chemin: str, entetes: dict[str, str] | None = None) -> bytes:
    lignes = [f"GET {chemin} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lignes += [f"{nom}: {valeur}" for nom, valeur in (entetes or {}).items()]
    return ("\r\n".join(lignes) + "\r\n\r\n").encode()


def test_l_api_tient_cent_connexions_a_la_fois(runtime: RuntimeLocal) -> None:
    siret = "80000099400015"  # no dépôt: an empty page
    requete = _requete("/depots?limite=1", {"Authorization": jeton("editeurs", siret=siret)})
    reponses = _tenir(runtime.port_api, requete)
    assert [statut for statut, _ in reponses] == [200] * CONNEXIONS
    assert all(json.loads(corps)["elements"] == [] for _, corps in reponses)


def test_le_serveur_aws_local_tient_cent_connexions_a_la_fois(runtime: RuntimeLocal) -> None:
    # The presigned POST of an éditeur's file goes to it: a front door too.
    bucket = settings().bucket_depots
    reponses = _tenir(runtime.port_moto, _requete(f"/{bucket}?list-type=2&max-keys=0"))
    assert [statut for statut, _ in reponses] == [200] * CONNEXIONS
    assert all(b"<ListBucketResult" in corps for _, corps in reponses)


def test_le_portail_tient_cent_connexions_a_la_fois(runtime: RuntimeLocal, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>segurnum</title>")
    portail = ServeurPortail(tmp_path, 0, runtime.url_api).demarrer()
    try:
        reponses = _tenir(portail.port, _requete("/depots"))
    finally:
        portail.arreter()
    assert [statut for statut, _ in reponses] == [200] * CONNEXIONS
    assert all(b"segurnum" in corps for _, corps in reponses)
