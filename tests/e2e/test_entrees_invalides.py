"""Bad and hostile input over HTTP: one error shape `{"code", "message"}` in French, a 4xx
naming what is wrong, never a 500, never a dropped connection, never the token echoed."""

from __future__ import annotations

import base64
import json
import socket
import struct
from typing import Any

import pytest
import requests

from infra.local.runtime import RuntimeLocal

DEPOT_VALIDE = {"typeDemande": "AVANCE", "numeroAns": "1234567890", "tauxTva": 20}


def _appel(
    runtime: RuntimeLocal,
    methode: str,
    chemin: str,
    corps: object = None,
    entetes: dict[str, str] | None = None,
) -> requests.Response:
    url = runtime.url_api + chemin
    if isinstance(corps, str | bytes):
        return requests.request(methode, url, data=corps, headers=entetes, timeout=30)
    return requests.request(methode, url, json=corps, headers=entetes, timeout=30)


def _forme_unique(reponse: requests.Response) -> dict[str, Any]:
    """Every error: JSON {"code", "message"} (plus "erreurs" for REQUETE_INVALIDE), in French."""
    assert reponse.headers["Content-Type"].startswith("application/json")
    corps = reponse.json()
    assert isinstance(corps, dict) and set(corps) <= {"code", "message", "erreurs"}, corps
    assert corps["code"].isupper() and corps["message"], corps
    return corps


@pytest.mark.parametrize(
    ("methode", "chemin", "corps", "statut", "dans_le_message"),
    [
        ("POST", "/depots", None, 400, "objet JSON"),
        ("POST", "/depots", "pas du json", 400, "JSON"),
        ("POST", "/depots", [], 400, "objet JSON"),
        ("POST", "/depots", {"typeDemande": "AVANCE", "numeroAns": "1234567890"}, 422, "tauxTva"),
        (
            "POST",
            "/depots",
            {"typeDemande": "ACOMPTE", "numeroAns": "1234567890", "tauxTva": 20},
            422,
            "AVANCE",
        ),
        (
            "POST",
            "/depots",
            {"typeDemande": "AVANCE", "numeroAns": "INCONNU999", "tauxTva": 20},
            422,
            "INCONNU999",
        ),
        ("POST", "/depots", {**DEPOT_VALIDE, "tauxTva": 7}, 422, "20, 10, 5,5, 2,1 ou 0"),
        ("GET", "/depots/n-existe-pas", None, 404, "n-existe-pas"),
        ("POST", "/depots/n-existe-pas/import", None, 404, "n-existe-pas"),
        ("POST", "/depots/n-existe-pas/pieces", None, 404, "n-existe-pas"),
        ("POST", "/depots/n-existe-pas/terminer", None, 404, "n-existe-pas"),
        ("GET", "/dossiers/FINMS1999999", None, 404, "FINMS1999999"),
    ],
)
def test_editeur(
    runtime: RuntimeLocal,
    jeton_editeur: str,
    methode: str,
    chemin: str,
    corps: object,
    statut: int,
    dans_le_message: str,
) -> None:
    reponse = _appel(runtime, methode, chemin, corps, {"Authorization": jeton_editeur})
    assert reponse.status_code == statut, reponse.text
    assert dans_le_message in _forme_unique(reponse)["message"]


@pytest.mark.parametrize(
    ("champ", "valeur", "code"),
    [
        ("modification", "false", "TYPE_INVALIDE"),  # was read as true
        ("typeDemande", "avance", "VALEUR_NON_PERMISE"),  # was accepted
        ("tauxTva", "20", "TYPE_INVALIDE"),  # was accepted
        ("inconnu", 1, "CHAMP_INCONNU"),  # unknown fields were accepted
        ("numeroAns", 1234567890, "TYPE_INVALIDE"),  # a field of the wrong type: was a 500
        ("nomFichier", {"a": 1}, "TYPE_INVALIDE"),
    ],
)
def test_types_exacts_et_champs_inconnus(
    runtime: RuntimeLocal, jeton_editeur: str, champ: str, valeur: object, code: str
) -> None:
    corps = {**DEPOT_VALIDE, champ: valeur}
    reponse = _appel(runtime, "POST", "/depots", corps, {"Authorization": jeton_editeur})
    assert reponse.status_code == 422, reponse.text
    erreur = _forme_unique(reponse)
    assert erreur["code"] == "REQUETE_INVALIDE"
    assert erreur["erreurs"] == [
        {"champ": champ, "code": code, "message": erreur["erreurs"][0]["message"]}
    ]
    assert champ in erreur["message"]


def test_tous_les_problemes_en_une_fois(runtime: RuntimeLocal, jeton_editeur: str) -> None:
    corps = {"typeDemande": "avance", "tauxTva": "20", "modification": "false", "x": 1}
    reponse = _appel(runtime, "POST", "/depots", corps, {"Authorization": jeton_editeur})
    assert reponse.status_code == 422
    champs = {e["champ"] for e in _forme_unique(reponse)["erreurs"]}
    assert champs == {"typeDemande", "tauxTva", "modification", "x", "numeroAns"}


@pytest.mark.parametrize("profondeur", [500, 100_000 // 2])
def test_corps_profondement_imbrique(
    runtime: RuntimeLocal, jeton_editeur: str, profondeur: int
) -> None:
    """Was a RecursionError (500)."""
    brut = "[" * profondeur + "]" * profondeur
    reponse = _appel(runtime, "POST", "/depots", brut, {"Authorization": jeton_editeur})
    assert reponse.status_code in (400, 413), reponse.text
    _forme_unique(reponse)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("limite=abc", "TYPE_INVALIDE"),  # was a 500
        ("limite=0", "HORS_BORNES"),  # was a 500
        ("limite=100000", "HORS_BORNES"),
        ("tri=desc", "CHAMP_INCONNU"),
        ("curseur=pas-un-curseur", None),
    ],
)
def test_parametres_de_liste(
    runtime: RuntimeLocal, jeton_editeur: str, query: str, code: str | None
) -> None:
    reponse = _appel(runtime, "GET", f"/depots?{query}", None, {"Authorization": jeton_editeur})
    assert reponse.status_code == 422, reponse.text
    erreur = _forme_unique(reponse)
    if code is None:
        assert erreur["code"] == "CURSEUR_INVALIDE"
    else:
        assert erreur["erreurs"][0]["code"] == code


def _jeton_forge(claims: dict[str, Any]) -> str:
    def b64(octets: bytes) -> str:
        return base64.urlsafe_b64encode(octets).decode().rstrip("=")

    return f"{b64(b'{}')}.{b64(json.dumps(claims).encode())}.{b64(b'signature')}"


@pytest.mark.parametrize(
    "valeur",
    [
        "garbage",
        "a.b.c",
        "Bearer x",
        "Bearer ",
        "x." + base64.urlsafe_b64encode(b"pas du json").decode() + ".y",
        # Well formed, unsigned: chalice local would have trusted it.
        _jeton_forge({"cognito:username": "intrus", "cognito:groups": ["editeurs"]}),
    ],
)
def test_jeton_mal_forme_401(runtime: RuntimeLocal, valeur: str) -> None:
    """Was a dropped connection (no answer at all)."""
    reponse = _appel(runtime, "GET", "/editeurs/moi", None, {"Authorization": valeur})
    assert reponse.status_code == 401, reponse.text
    erreur = _forme_unique(reponse)
    assert erreur["code"] == "NON_AUTHENTIFIE"
    assert valeur.strip() not in reponse.text


def test_sans_jeton_401(runtime: RuntimeLocal) -> None:
    reponse = _appel(runtime, "GET", "/depots")
    assert reponse.status_code == 401
    assert _forme_unique(reponse)["code"] == "NON_AUTHENTIFIE"


def test_autre_groupe_403(runtime: RuntimeLocal, jeton_gestionnaire: str) -> None:
    reponse = _appel(runtime, "GET", "/depots", None, {"Authorization": jeton_gestionnaire})
    assert reponse.status_code == 403
    assert _forme_unique(reponse)["code"] == "ACCES_INTERDIT"


def test_route_inconnue_en_francais_sans_le_jeton(
    runtime: RuntimeLocal, jeton_editeur: str
) -> None:
    """Was a 403 in English echoing the Authorization header."""
    reponse = _appel(runtime, "GET", "/n-existe-pas", None, {"Authorization": jeton_editeur})
    assert reponse.status_code == 404
    assert _forme_unique(reponse)["code"] == "ROUTE_INCONNUE"
    assert jeton_editeur not in reponse.text


def test_methode_non_permise_en_francais(runtime: RuntimeLocal, jeton_editeur: str) -> None:
    reponse = _appel(runtime, "DELETE", "/depots", None, {"Authorization": jeton_editeur})
    assert reponse.status_code == 405
    erreur = _forme_unique(reponse)
    assert erreur["code"] == "METHODE_NON_AUTORISEE" and "GET" in erreur["message"]


def test_type_de_contenu_en_francais(runtime: RuntimeLocal, jeton_editeur: str) -> None:
    entetes = {"Authorization": jeton_editeur, "Content-Type": "text/plain"}
    reponse = _appel(runtime, "POST", "/depots", json.dumps(DEPOT_VALIDE), entetes)
    assert reponse.status_code == 415
    assert _forme_unique(reponse)["code"] == "TYPE_DE_CONTENU_NON_PRIS_EN_CHARGE"


def test_liste_des_depots_paginee(runtime: RuntimeLocal, jeton_editeur: str) -> None:
    from infra.local.jetons import jeton
    from tests.fixtures.enrolements import enroler

    siret = "35600000000048"  # an éditeur of its own: its list holds only these dépôts
    enroler(siret, "9988776655", "MS1")
    h = {"Authorization": jeton("editeurs", siret=siret)}
    crees = [
        _appel(runtime, "POST", "/depots", {**DEPOT_VALIDE, "numeroAns": "9988776655"}, h).json()
        for _ in range(3)
    ]
    vus: list[str] = []
    chemin = "/depots?limite=2"
    while True:
        page = _appel(runtime, "GET", chemin, None, h)
        assert page.status_code == 200, page.text
        vus += [d["idDepot"] for d in page.json()["elements"]]
        suivant = page.json()["curseurSuivant"]
        if suivant is None:
            break
        chemin = f"/depots?limite=2&curseur={suivant}"
    assert sorted(vus) == sorted(d["idDepot"] for d in crees)
    # Another éditeur's cursor does not page into this list.
    autre = _appel(runtime, "GET", "/depots?limite=1", None, {"Authorization": jeton_editeur})
    if autre.json()["curseurSuivant"]:
        vole = _appel(runtime, "GET", f"/depots?curseur={autre.json()['curseurSuivant']}", None, h)
        assert vole.status_code == 422 and vole.json()["code"] == "CURSEUR_INVALIDE"


DECISION = "/gestion/dossiers/FINMS1999998/AVANCE/decision"


@pytest.mark.parametrize(
    ("corps", "statut", "dans_le_message"),
    [
        ({"decision": "REJETEE", "motif": "Pièce illisible."}, 404, "FINMS1999998"),
        ({"decision": "REJETEE", "motif": 3}, 422, "motif"),  # was a 500
        # The dossier is looked up first: an unknown one is a 404 whatever the decision.
        ({"decision": "PEUT-ETRE", "motif": "x"}, 404, "FINMS1999998"),
        ("{", 400, "JSON"),
    ],
)
def test_gestionnaire(
    runtime: RuntimeLocal, jeton_gestionnaire: str, corps: object, statut: int, dans_le_message: str
) -> None:
    entetes = {"Authorization": jeton_gestionnaire}
    reponse = _appel(runtime, "POST", DECISION, corps, entetes)
    assert reponse.status_code == statut, reponse.text
    assert dans_le_message in _forme_unique(reponse)["message"]


def test_client_qui_se_deconnecte_sans_trace(
    runtime: RuntimeLocal, capfd: pytest.CaptureFixture[str]
) -> None:
    """A client that resets the connection mid-request: no traceback in the log, and the
    server keeps answering."""
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", runtime.port_api), timeout=5) as s:
            s.sendall(b"GET /sante HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            # Close with a reset (SO_LINGER 0), as a killed client does.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    assert requests.get(runtime.url_api + "/guichet", timeout=10).status_code == 200
    sortie, erreurs = capfd.readouterr()
    assert "Traceback" not in sortie + erreurs
