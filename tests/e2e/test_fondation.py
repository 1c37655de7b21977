"""The foundation on the local runtime: health, auth, upload → S3 → SQS → handler,
and a state machine whose Lambda tasks run project code and wait for an API call."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests

from infra.local.runtime import RuntimeLocal
from shared.aws import client
from shared.settings import settings
from tests.fixtures.attente import attendre as _attendre_


def attendre(condition: Any, delai: float = 10.0, message: str = "") -> Any:
    return _attendre_(condition, delai, message)


def test_sante_rapporte_chaque_ressource(runtime: RuntimeLocal, http: requests.Session) -> None:
    reponse = http.get(f"{runtime.url_api}/sante", timeout=10)
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["version"] == settings().version
    assert set(corps["ressources"]) >= {
        "table_donnees",
        "bucket_depots",
        "queue_json",
        "state_machine_instruction",
        "user_pool",
        "expediteur",
    }
    assert all(etat == "OK" for etat in corps["ressources"].values())


def test_sans_jeton_401(runtime: RuntimeLocal, http: requests.Session) -> None:
    assert http.get(f"{runtime.url_api}/editeurs/moi", timeout=10).status_code == 401


def test_mauvais_groupe_403(
    runtime: RuntimeLocal, http: requests.Session, jeton_gestionnaire: str
) -> None:
    reponse = http.get(
        f"{runtime.url_api}/editeurs/moi", headers={"Authorization": jeton_gestionnaire}, timeout=10
    )
    assert reponse.status_code == 403
    assert "editeurs" in reponse.json()["message"]


def test_bon_groupe_et_siret_du_jeton(
    runtime: RuntimeLocal, http: requests.Session, jeton_editeur: str
) -> None:
    reponse = http.get(
        f"{runtime.url_api}/editeurs/moi", headers={"Authorization": jeton_editeur}, timeout=10
    )
    assert reponse.status_code == 200
    assert reponse.json()["siret"] == "73282932000074"


def test_jeton_falsifie_401(
    runtime: RuntimeLocal, http: requests.Session, jeton_editeur: str
) -> None:
    entete, charge, signature = jeton_editeur.split(".")
    falsifie = f"{entete}.{charge}.{signature[:-4]}AAAA"
    reponse = http.get(
        f"{runtime.url_api}/editeurs/moi", headers={"Authorization": falsifie}, timeout=10
    )
    assert reponse.status_code == 401


def test_depot_presigne_puis_s3_sqs_handler(
    runtime: RuntimeLocal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A presigned POST over HTTP reaches the handler Lambda would call (S3 → SQS → ESM)."""
    import services.depot.api as depot_api

    recus: list[Any] = []
    monkeypatch.setattr(depot_api, "_json_recu", recus.append)
    cle = f"json/73282932000074/{uuid.uuid4().hex}/mes demandes+été.json"
    post = client("s3").generate_presigned_post(
        Bucket=settings().bucket_depots, Key=cle, ExpiresIn=300
    )
    reponse = requests.post(
        post["url"],
        data=post["fields"],
        files={"file": ("x.json", b'{"demandes": []}')},
        timeout=10,
    )
    assert reponse.status_code in (200, 204)
    objets = attendre(lambda: [o for o in recus if o.cle == cle], message="handler non appelé")
    # Keys arrive URL-encoded: the handler sees the real key (spaces, '+', accents).
    assert objets[0].cle == cle
    assert objets[0].recu_le.tzinfo is not None


def test_machine_a_etats_attend_une_decision_puis_reussit(
    runtime: RuntimeLocal, http: requests.Session, jeton_gestionnaire: str
) -> None:
    numero = f"FINMS1{uuid.uuid4().int % 1_000_000:06d}"
    ddb = client("dynamodb")
    ddb.put_item(
        TableName=settings().table_donnees,
        Item={
            "PK": {"S": f"DOSSIER#{numero}"},
            "SK": {"S": "DOSSIER"},
            "numeroAsp": {"S": numero},
            "siret": {"S": "73282932000074"},
            "couloir": {"S": "MS"},
            "campagne": {"S": "MS-VAGUE1"},
            "deposeLe": {"S": "2024-02-20T09:00:00+00:00"},
            "statut": {"S": "EN_COURS"},
            "version": {"N": "1"},
        },
    )
    sfn = client("stepfunctions")
    execution = sfn.start_execution(
        stateMachineArn=settings().state_machine_instruction,
        name=f"{numero}-AVANCE-1",
        input=json.dumps(
            {
                "numeroAsp": numero,
                "siret": "73282932000074",
                "typeDemande": "AVANCE",
                "montantFinance": "1000.00",
            }
        ),
    )["executionArn"]

    def jeton_enregistre() -> bool:
        item = ddb.get_item(
            TableName=settings().table_donnees,
            Key={"PK": {"S": f"DOSSIER#{numero}"}, "SK": {"S": "DEMANDE#AVANCE"}},
        ).get("Item", {})
        return "jeton" in item

    attendre(
        jeton_enregistre, message="la tâche Lambda (code du projet) n'a pas enregistré le jeton"
    )
    url = f"{runtime.url_api}/gestion/dossiers/{numero}/AVANCE/decision"
    entetes = {"Authorization": jeton_gestionnaire}
    sans_motif = http.post(url, json={"decision": "REJETEE"}, headers=entetes, timeout=10)
    assert sans_motif.status_code == 422
    reponse = http.post(
        url, json={"decision": "REJETEE", "motif": "hors périmètre"}, headers=entetes, timeout=10
    )
    assert reponse.status_code == 200, reponse.text
    # A second, conflicting action cannot also win.
    seconde = http.post(url, json={"decision": "DECIDEE"}, headers=entetes, timeout=10)
    assert seconde.status_code == 409
    statut = attendre(
        lambda: (
            sfn.describe_execution(executionArn=execution)["status"] in ("SUCCEEDED", "FAILED")
            and sfn.describe_execution(executionArn=execution)["status"]
        )
    )
    assert statut == "SUCCEEDED"
    item = ddb.get_item(
        TableName=settings().table_donnees,
        Key={"PK": {"S": f"DOSSIER#{numero}"}, "SK": {"S": "DOSSIER"}},
    )["Item"]
    assert item["statut"]["S"] == "REJETEE"


def test_un_message_en_echec_est_relivre(
    runtime: RuntimeLocal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A handler that fails once: its message comes back and is handled (nothing lost)."""
    import services.depot.api as depot_api

    recus: list[Any] = []

    def une_fois_en_echec(objet: Any) -> None:
        recus.append(objet)
        if len(recus) == 1:
            raise RuntimeError("panne passagère")

    monkeypatch.setattr(depot_api, "_json_recu", une_fois_en_echec)
    monkeypatch.setattr("infra.local.releveur.VISIBILITE", 1)
    cle = f"json/73282932000074/{uuid.uuid4().hex}/demandes.json"
    client("s3").put_object(Bucket=settings().bucket_depots, Key=cle, Body=b"{}")
    attendre(
        lambda: len([o for o in recus if o.cle == cle]) >= 2,
        delai=20,
        message="le message en échec n'a pas été relivré",
    )
