"""Instruction over HTTP on the local runtime: the authorisation matrix of every route of
issue 9, and a dossier instructed through the desk (A_MODIFIER → the éditeur's answer →
EN_ATTENTE_PIECES → pièces → DECIDEE → décision downloaded and verified → courriels
listed → history complete), no 500 on the way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests

from infra.local.runtime import RuntimeLocal
from tests.integration.test_instruction_moto import (
    SIRET,
    _attendre_etat,
    _demarrer,
    _dossier,
    _enroler,
    _repondre,
)

SIRET_B = "55208131766522"
NUMERO_INCONNU = "FINMS1999997"


@pytest.fixture(scope="module")
def jetons(runtime: RuntimeLocal) -> dict[str, str | None]:
    from infra.local.jetons import jeton

    _enroler()
    return {
        "anonyme": None,
        "editeur_a": jeton("editeurs", siret=SIRET),
        "editeur_b": jeton("editeurs", siret=SIRET_B),
        "gestionnaire": jeton("gestionnaires", nom="DUPONT"),
    }


@pytest.fixture(scope="module")
def numero(runtime: RuntimeLocal) -> str:
    from shared.statuts import Attendu, StatutDemande

    n = _dossier()
    _demarrer(n)
    _attendre_etat(n, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    return n


ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/gestion/dossiers", None),
    ("GET", "/gestion/dossiers/{n}", None),
    ("POST", "/gestion/dossiers/{n}/AVANCE/decision", {"decision": "PAYEE"}),
    ("POST", "/gestion/dossiers/{n}/AVANCE/relancer", None),
    ("GET", "/dossiers", None),
    ("GET", "/dossiers/{n}", None),
    ("POST", "/dossiers/{n}/pieces-complementaires", None),
    ("GET", "/dossiers/{n}/pieces-complementaires", None),
]
# Expected status per caller: gestion routes are for gestionnaires, /dossiers for éditeurs
# (another éditeur's dossier is unknown to it: 404). The decision PAYEE is refused (422),
# relancer a demande that is not in error is a 409: nothing changes the dossier here.
# Pièces complémentaires: the dossier waits on the gestionnaire (EN_COURS), not in
# EN_ATTENTE_PIECES, so its éditeur's upload is refused (409); reading them is 200.
ATTENDU = {
    "anonyme": [401, 401, 401, 401, 401, 401, 401, 401],
    "editeur_a": [403, 403, 403, 403, 200, 200, 409, 200],
    "editeur_b": [403, 403, 403, 403, 200, 404, 404, 404],
    "gestionnaire": [200, 200, 422, 409, 403, 403, 403, 403],
}


@pytest.mark.parametrize("appelant", list(ATTENDU))
@pytest.mark.parametrize("rang", range(len(ROUTES)))
def test_matrice_d_autorisation(
    runtime: RuntimeLocal, jetons: dict[str, str | None], numero: str, appelant: str, rang: int
) -> None:
    methode, chemin, corps = ROUTES[rang]
    entetes = {"Authorization": jetons[appelant]} if jetons[appelant] else {}
    reponse = requests.request(
        methode,
        runtime.url_api + chemin.format(n=numero),
        json=corps,
        headers=entetes,
        timeout=20,
    )
    assert reponse.status_code == ATTENDU[appelant][rang], reponse.text
    corps_reponse = reponse.json()
    if reponse.status_code >= 400:
        assert set(corps_reponse) >= {"code", "message"}
    if appelant == "editeur_b":
        # Another éditeur's dossier answers exactly like an unknown one: none of its data.
        assert SIRET not in reponse.text
        if reponse.status_code == 404:
            assert corps_reponse["code"] == "DOSSIER_INTROUVABLE"


def test_entrees_malformees_jamais_500(runtime: RuntimeLocal, jetons: dict[str, Any]) -> None:
    g = {"Authorization": jetons["gestionnaire"]}
    e = {"Authorization": jetons["editeur_a"]}
    cas: list[tuple[str, str, Any, dict[str, str], int]] = [
        ("GET", "/gestion/dossiers?limite=abc", None, g, 422),
        ("GET", "/gestion/dossiers?statut=PERDU", None, g, 422),
        ("GET", "/gestion/dossiers?curseur=%%%", None, g, 422),
        ("GET", "/gestion/dossiers?inconnu=1", None, g, 422),
        ("GET", "/gestion/dossiers/%C3%A9%C3%A9", None, g, 404),
        (
            "POST",
            f"/gestion/dossiers/{NUMERO_INCONNU}/AVANCE/decision",
            {"decision": "DECIDEE"},
            g,
            404,
        ),
        (
            "POST",
            f"/gestion/dossiers/{NUMERO_INCONNU}/AUTRE/decision",
            {"decision": "DECIDEE"},
            g,
            404,
        ),
        ("POST", f"/gestion/dossiers/{NUMERO_INCONNU}/AVANCE/decision", [1], g, 400),
        ("POST", f"/gestion/dossiers/{NUMERO_INCONNU}/AVANCE/decision", {"decision": 3}, g, 422),
        ("GET", "/dossiers?curseur=abc", None, e, 422),
        ("GET", "/dossiers?limite=0", None, e, 422),
        ("GET", f"/dossiers/{NUMERO_INCONNU}", None, e, 404),
    ]
    for methode, chemin, corps, entetes, statut in cas:
        r = requests.request(
            methode, runtime.url_api + chemin, json=corps, headers=entetes, timeout=20
        )
        assert r.status_code == statut, (chemin, r.text)
        assert set(r.json()) >= {"code", "message"}


def _sans_500(http: requests.Session) -> Callable[..., requests.Response]:
    def appeler(methode: str, url: str, **options: Any) -> requests.Response:
        r = http.request(methode, url, timeout=30, **options)
        assert r.status_code < 500, r.text
        return r

    return appeler


def test_un_dossier_instruit_par_le_bureau_du_gestionnaire(
    runtime: RuntimeLocal, jetons: dict[str, Any]
) -> None:
    from shared.signature import verifier
    from shared.statuts import Attendu, StatutDemande

    n = _dossier()
    _demarrer(n)
    _attendre_etat(n, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    g = {"Authorization": jetons["gestionnaire"]}
    e = {"Authorization": jetons["editeur_a"]}
    api = runtime.url_api
    with requests.Session() as http:
        appel = _sans_500(http)
        liste = appel("GET", f"{api}/gestion/dossiers?statut=EN_COURS&siret={SIRET}", headers=g)
        assert n in {d["numeroAsp"] for d in liste.json()["elements"]}
        decision = f"{api}/gestion/dossiers/{n}/AVANCE/decision"
        r = appel("POST", decision, headers=g, json={"decision": "A_MODIFIER", "motif": "Montant"})
        assert r.status_code == 200 and r.json()["statut"] == "A_MODIFIER"
        _attendre_etat(n, StatutDemande.A_MODIFIER, Attendu.EDITEUR)
        # Not the gestionnaire's turn: 409 naming the state and who must act.
        r = appel("POST", decision, headers=g, json={"decision": "DECIDEE"})
        assert r.status_code == 409 and "À modifier" in r.json()["message"]
        vue = appel("GET", f"{api}/dossiers/{n}", headers=e).json()
        assert vue["demandes"][0]["libelleStatut"] == "À modifier"
        assert vue["demandes"][0]["motif"] == "Montant"
        _repondre(n, "MODIFICATION_IMPORTEE")
        _attendre_etat(n, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
        r = appel(
            "POST",
            decision,
            headers=g,
            json={"decision": "EN_ATTENTE_PIECES", "motif": "RIB", "piecesDemandees": ["rib.pdf"]},
        )
        assert r.status_code == 200
        _attendre_etat(n, StatutDemande.EN_ATTENTE_PIECES, Attendu.EDITEUR)
        vue = appel("GET", f"{api}/dossiers/{n}", headers=e).json()
        assert vue["demandes"][0]["libelleStatut"] == "En attente de pièces complémentaires"
        assert vue["demandes"][0]["piecesDemandees"] == ["rib.pdf"]
        _repondre(n, "PIECES_COMPLEMENTAIRES_RECUES")
        _attendre_etat(n, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
        r = appel("POST", decision, headers=g, json={"decision": "DECIDEE"})
        assert r.status_code == 200 and r.json()["libelleStatut"] == "Décidée"
        _attendre_etat(n, StatutDemande.DECIDEE, Attendu.PAIEMENT)
        vue = appel("GET", f"{api}/dossiers/{n}", headers=e).json()
        lien = vue["decisionAttribution"]
        assert lien["nom"] == f"decision_attribution_{n}.pdf"
        pdf = requests.get(lien["url"], timeout=20).content
        from shared.secrets_aws import lire_materiel

        assert verifier(pdf, lire_materiel().certificat).valide
        objets = [c["objet"] for c in vue["courriels"]]
        assert any(o.startswith("Modification attendue") for o in objets)
        assert any(o.startswith("Pièces complémentaires attendues") for o in objets)
        assert any(o.startswith("Acceptation de votre demande de financement") for o in objets)
        actions = [h["action"] for h in vue["historique"]]
        assert actions == [
            "INSTRUCTION_COMMENCEE",
            "DECISION_A_MODIFIER",
            "MODIFICATION_IMPORTEE",
            "DECISION_EN_ATTENTE_PIECES",
            "PIECES_COMPLEMENTAIRES_RECUES",
            "DECISION_DECIDEE",
        ]
        gestion = appel("GET", f"{api}/gestion/dossiers/{n}", headers=g).json()
        # The gestionnaire's name from the token (the user pool client reads `name`), and the
        # history says who did what.
        assert gestion["demandes"][0]["decision"]["auteur"] == "DUPONT"
        assert [h["qui"] for h in vue["historique"] if h["action"].startswith("DECISION_")] == [
            "DUPONT"
        ] * 3
        assert gestion["demandes"][0]["attendu"] == "PAIEMENT"
        liste = appel("GET", f"{api}/dossiers", headers=e).json()
        assert any(d["numeroAsp"] == n for d in liste["elements"])
        assert "jeton" not in str(liste) and "GSI" not in str(gestion)


def test_pagination_du_bureau_par_curseur(runtime: RuntimeLocal, jetons: dict[str, Any]) -> None:
    from shared.statuts import Attendu, StatutDemande

    numeros = [_dossier() for _ in range(3)]
    for n in numeros:
        _demarrer(n)
    for n in numeros:
        _attendre_etat(n, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    g = {"Authorization": jetons["gestionnaire"]}
    vus: list[str] = []
    url = f"{runtime.url_api}/gestion/dossiers?typeDemande=AVANCE&limite=2"
    curseur: str | None = None
    for _ in range(50):
        r = requests.get(url + (f"&curseur={curseur}" if curseur else ""), headers=g, timeout=20)
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["elements"]) <= 2
        vus += [d["numeroAsp"] for d in page["elements"]]
        curseur = page["curseurSuivant"]
        if not curseur:
            break
    assert set(numeros) <= set(vus) and len(vus) == len(set(vus))
