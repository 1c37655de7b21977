"""The seed's walkthrough over HTTP on the local runtime, from a REAL deposit (issue 9):
deposit → pièces (ZIP) → terminer → EN_COURS → A_MODIFIER → M file deposited and imported
→ EN_COURS → EN_ATTENTE_PIECES → pièces complémentaires (presigned POST) → EN_COURS →
DECIDEE → décision downloaded and its signature verified → courriels listed → history
complete; no 500 on the way; and malformed input to the pièces complémentaires route."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
import requests

from infra.local.runtime import RuntimeLocal
from tests.e2e.aide_import import importer
from tests.e2e.test_depot import envoyer, zip_de
from tests.fixtures.attente import attendre as _attendre_
from tests.fixtures.depot.generateur import NUMERO_ANS, fichier_valide
from tests.fixtures.enrolements import enroler
from tests.unit.lecteur_zip.zips import pdf

SIRET = "73282932000074"
SIRET_B = "55208131766522"
EMAIL = "depot@editeur.example.fr"


@pytest.fixture(scope="module")
def jetons(runtime: RuntimeLocal) -> dict[str, str]:
    from infra.local.jetons import jeton

    enroler(SIRET, NUMERO_ANS, "MS1", email=EMAIL)
    return {
        "editeur_a": jeton("editeurs", siret=SIRET, nom="Jeanne Martin"),
        "editeur_b": jeton("editeurs", siret=SIRET_B),
        "gestionnaire": jeton("gestionnaires", nom="DUPONT"),
    }


def _sans_500(http: requests.Session) -> Callable[..., requests.Response]:
    def appeler(methode: str, url: str, **options: Any) -> requests.Response:
        r = http.request(methode, url, timeout=30, **options)
        assert r.status_code < 500, (methode, url, r.text)
        return r

    return appeler


def _attendre(condition: Any, delai: float = 60.0, message: str = "") -> Any:
    return _attendre_(condition, delai, message)


def _deposer(
    appel: Callable[..., requests.Response], api: str, h: dict[str, str], document: Any
) -> str:
    cree = appel(
        "POST",
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": NUMERO_ANS, "tauxTva": 20},
        headers=h,
    )
    assert cree.status_code == 201, cree.text
    id_depot = str(cree.json()["idDepot"])
    envoyer(cree.json()["envoi"], "demandes.json", json.dumps(document).encode())
    _attendre(
        lambda: appel("GET", f"{api}/depots/{id_depot}", headers=h).json()["statut"] == "SIMULE"
    )
    return id_depot


def test_parcours_de_la_demande_depuis_un_vrai_depot(
    runtime: RuntimeLocal, jetons: dict[str, str]
) -> None:
    from shared.secrets_aws import lire_materiel
    from shared.signature import verifier

    api = runtime.url_api
    e = {"Authorization": jetons["editeur_a"]}
    b = {"Authorization": jetons["editeur_b"]}
    g = {"Authorization": jetons["gestionnaire"]}
    with requests.Session() as http:
        appel = _sans_500(http)

        def demande_avance() -> dict[str, Any]:
            vue = appel("GET", f"{api}/gestion/dossiers/{n}", headers=g).json()
            return next(d for d in vue["demandes"] if d["typeDemande"] == "AVANCE")

        def attendre_etat(statut: str, attendu: str) -> None:
            _attendre(
                lambda: (
                    (d := demande_avance()).get("statut") == statut
                    and d.get("attendu") == attendu
                    and d
                )
            )

        def decider(corps: dict[str, Any]) -> None:
            r = appel("POST", f"{api}/gestion/dossiers/{n}/AVANCE/decision", headers=g, json=corps)
            assert r.status_code == 200, r.text

        # 1. The deposit: JSON → simulation → import → ZIP of its pièces → terminer.
        document = fichier_valide(1, seed=90909, prefixe_dossier="P")
        id_depot = _deposer(appel, api, e, document)
        vue = importer(api, id_depot, e)
        (n,) = vue["numerosAsp"].values()
        noms = [p["nomFichier"] for p in document["demandes"][0]["piecesJustificatives"]]
        envoi = appel("POST", f"{api}/depots/{id_depot}/pieces", headers=e).json()["envoi"]
        envoyer(envoi, "pieces.zip", zip_de({nom: pdf(nom) for nom in noms}))
        _attendre(
            lambda: (
                appel("GET", f"{api}/depots/{id_depot}", headers=e).json()["zips"][0]["statut"]
                == "OK"
            )
        )
        fin = appel("POST", f"{api}/depots/{id_depot}/terminer", headers=e)
        assert fin.status_code == 200 and fin.json()["dossiersIncomplets"] == []
        attendre_etat("EN_COURS", "GESTIONNAIRE")

        # Not waiting for pièces: the route says so, naming the state.
        r = appel("POST", f"{api}/dossiers/{n}/pieces-complementaires", headers=e)
        assert r.status_code == 409, r.text
        assert r.json()["code"] == "PIECES_COMPLEMENTAIRES_NON_ATTENDUES"
        assert "« En cours »" in r.json()["message"]

        # 2. A_MODIFIER, answered by an M file deposited and imported.
        decider({"decision": "A_MODIFIER", "motif": "Montant à revoir"})
        attendre_etat("A_MODIFIER", "EDITEUR")
        modification = copy.deepcopy(document)
        ligne = modification["demandes"][0]
        ligne.update(typeAction="M", numeroASP=n)
        ligne["commande"]["montantSegur"] = 14000
        id_modif = _deposer(appel, api, e, modification)
        vue_modif = importer(api, id_modif, e)
        assert vue_modif["compteRendu"]["lignesImportees"] == 1, vue_modif
        attendre_etat("EN_COURS", "GESTIONNAIRE")

        # 3. EN_ATTENTE_PIECES, answered by a ZIP of the pièces asked.
        decider(
            {
                "decision": "EN_ATTENTE_PIECES",
                "motif": "RIB illisible",
                "piecesDemandees": ["rib.pdf", "attestation.pdf"],
            }
        )
        attendre_etat("EN_ATTENTE_PIECES", "EDITEUR")
        url_pc = f"{api}/dossiers/{n}/pieces-complementaires"
        # another éditeur: exactly like an unknown dossier
        for methode in ("POST", "GET"):
            r = appel(methode, url_pc, headers=b)
            assert r.status_code == 404 and r.json()["code"] == "DOSSIER_INTROUVABLE"
            assert SIRET not in r.text
        etat_pc = appel("GET", url_pc, headers=e).json()
        assert etat_pc["attendues"] == [
            {
                "typeDemande": "AVANCE",
                "piecesDemandees": ["rib.pdf", "attestation.pdf"],
                "motif": "RIB illisible",
            }
        ]
        # first a ZIP missing a pièce asked: refused, and the éditeur sees why
        r = appel("POST", url_pc, headers=e)
        assert r.status_code == 201, r.text
        assert r.json()["numeroAsp"] == n
        envoi = r.json()["envoi"]
        assert f"/complements/{n}/" in envoi["cle"]
        envoyer(envoi, "complements.zip", zip_de({"rib.pdf": pdf("rib")}))
        refuse = _attendre(
            lambda: (
                (z := appel("GET", url_pc, headers=e).json()["zips"])
                and z[0]["statut"] == "REJETE"
                and z[0]
            )
        )
        assert [(x["fichier"], x["code"]) for x in refuse["erreursPieces"]] == [
            ("attestation.pdf", "PIECE_MANQUANTE")
        ]
        assert demande_avance()["statut"] == "EN_ATTENTE_PIECES"
        # then the right ZIP: OK, and the demande resumes
        envoi = appel("POST", url_pc, headers=e).json()["envoi"]
        envoyer(
            envoi,
            "complements.zip",
            zip_de({"rib.pdf": pdf("rib"), "attestation.pdf": pdf("attestation")}),
        )
        _attendre(lambda: appel("GET", url_pc, headers=e).json()["zips"][-1]["statut"] == "OK")
        attendre_etat("EN_COURS", "GESTIONNAIRE")

        # 4. DECIDEE: the décision d'attribution, signed.
        decider({"decision": "DECIDEE"})
        attendre_etat("DECIDEE", "PAIEMENT")
        vue = _attendre(
            lambda: (
                (v := appel("GET", f"{api}/dossiers/{n}", headers=e).json())["decisionAttribution"]
                and v
            )
        )
        lien = vue["decisionAttribution"]
        assert lien["nom"] == f"decision_attribution_{n}.pdf"
        document_pdf = requests.get(lien["url"], timeout=20).content
        assert verifier(document_pdf, lire_materiel().certificat).valide
        pieces = {p["nom"] for p in vue["pieces"]}
        assert {"rib.pdf", "attestation.pdf", *noms} <= pieces

        # 5. The courriels, each once, to the dépositaire.
        vue = _attendre(
            lambda: (
                (v := appel("GET", f"{api}/dossiers/{n}", headers=e).json())
                and len(v["courriels"]) >= 4
                and v
            )
        )
        objets = [c["objet"] for c in vue["courriels"]]
        for debut in (
            "Accusé de réception de",
            "Modification attendue",
            "Pièces complémentaires attendues",
            "Acceptation de votre demande de financement",
        ):
            assert sum(o.startswith(debut) for o in objets) == 1, (debut, objets)
        assert all(EMAIL in c["destinataire"] and c["corps"] for c in vue["courriels"])

        # 6. The history: who, what, when, why.
        historique = vue["historique"]
        actions = [h["action"] for h in historique]
        attendues = [
            "INSTRUCTION_COMMENCEE",
            "DECISION_A_MODIFIER",
            "MODIFICATION_IMPORTEE",
            "DECISION_EN_ATTENTE_PIECES",
            "PIECES_COMPLEMENTAIRES_RECUES",
            "DECISION_DECIDEE",
        ]
        rangs = [actions.index(a) for a in attendues]
        assert rangs == sorted(rangs), actions
        par_action = {h["action"]: h for h in historique}
        assert par_action["DECISION_A_MODIFIER"]["motif"] == "Montant à revoir"
        assert par_action["DECISION_EN_ATTENTE_PIECES"]["motif"] == "RIB illisible"
        assert par_action["MODIFICATION_IMPORTEE"]["details"]["idDepot"] == id_modif
        assert all(h["qui"] and h["instant"] for h in historique)
        instants = [h["instant"] for h in historique]
        assert instants == sorted(instants)


def test_entrees_malformees_des_pieces_complementaires(
    runtime: RuntimeLocal, jetons: dict[str, str]
) -> None:
    api = runtime.url_api
    e = {"Authorization": jetons["editeur_a"]}
    g = {"Authorization": jetons["gestionnaire"]}
    inconnu = "FINMS1999996"
    cas: list[tuple[str, str, Any, dict[str, str], int]] = [
        ("POST", f"/dossiers/{inconnu}/pieces-complementaires", None, e, 404),
        ("GET", f"/dossiers/{inconnu}/pieces-complementaires", None, e, 404),
        ("POST", "/dossiers/%C3%A9%C3%A9/pieces-complementaires", None, e, 404),
        ("POST", f"/dossiers/{'9' * 300}/pieces-complementaires", None, e, 404),
        ("POST", f"/dossiers/{inconnu}/pieces-complementaires", [1], e, 400),
        ("POST", f"/dossiers/{inconnu}/pieces-complementaires", {"x": 1}, e, 422),
        ("POST", f"/dossiers/{inconnu}/pieces-complementaires", None, {}, 401),
        ("POST", f"/dossiers/{inconnu}/pieces-complementaires", None, g, 403),
        ("GET", f"/dossiers/{inconnu}/pieces-complementaires", None, g, 403),
        ("DELETE", f"/dossiers/{inconnu}/pieces-complementaires", None, e, 405),
    ]
    for methode, chemin, corps, entetes, statut in cas:
        r = requests.request(methode, api + chemin, json=corps, headers=entetes, timeout=20)
        assert r.status_code == statut, (methode, chemin, r.text)
        assert set(r.json()) >= {"code", "message"}
    # a body that is not JSON at all
    r = requests.post(
        f"{api}/dossiers/{inconnu}/pieces-complementaires",
        data=b"\xff\xfe{",
        headers={**e, "Content-Type": "application/json"},
        timeout=20,
    )
    assert r.status_code == 400 and r.json()["code"] == "JSON_ILLISIBLE", r.text
