"""Bad input over HTTP: a French message naming what is wrong, a 4xx, never a 500."""

from __future__ import annotations

import pytest
import requests

from infra.local.runtime import RuntimeLocal


@pytest.mark.parametrize(
    ("methode", "chemin", "corps", "statut", "dans_le_message"),
    [
        ("POST", "/depots", None, 400, "objet JSON"),
        ("POST", "/depots", "pas du json", 400, "JSON"),
        ("POST", "/depots", [], 400, "objet JSON"),
        ("POST", "/depots", {"typeDemande": "AVANCE", "numeroAns": "1234567890"}, 422, "TVA"),
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
        ("GET", "/depots/n-existe-pas", None, 404, "n-existe-pas"),
        ("POST", "/depots/n-existe-pas/import", None, 404, "n-existe-pas"),
        ("POST", "/depots/n-existe-pas/pieces", None, 404, "n-existe-pas"),
        ("POST", "/depots/n-existe-pas/terminer", None, 404, "n-existe-pas"),
        ("GET", "/depots/dossiers/FINMS1999999", None, 404, "FINMS1999999"),
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
    entetes = {"Authorization": jeton_editeur}
    if isinstance(corps, str):
        reponse = requests.request(
            methode, runtime.url_api + chemin, data=corps, headers=entetes, timeout=10
        )
    else:
        reponse = requests.request(
            methode, runtime.url_api + chemin, json=corps, headers=entetes, timeout=10
        )
    assert reponse.status_code == statut, reponse.text
    assert dans_le_message in reponse.json()["message"]


@pytest.mark.parametrize(
    ("corps", "statut", "dans_le_message"),
    [
        # The dossier is looked up first: an unknown one is a 404 whatever the decision.
        ({"decision": "PEUT-ETRE"}, 404, "FINMS1999998"),
        ({"decision": "REJETEE"}, 404, "FINMS1999998"),
        ("{", 400, "JSON"),
    ],
)
def test_gestionnaire(
    runtime: RuntimeLocal, jeton_gestionnaire: str, corps: object, statut: int, dans_le_message: str
) -> None:
    url = f"{runtime.url_api}/dossiers/FINMS1999998/decision"
    entetes = {"Authorization": jeton_gestionnaire}
    if isinstance(corps, str):
        reponse = requests.post(url, data=corps, headers=entetes, timeout=10)
    else:
        reponse = requests.post(url, json=corps, headers=entetes, timeout=10)
    assert reponse.status_code == statut, reponse.text
    assert dans_le_message in reponse.json()["message"]
