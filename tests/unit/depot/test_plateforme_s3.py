"""The presigned POST's conditions: S3 enforces them on AWS, moto does not, so the
policy document itself is checked here (key bound to éditeur + dépôt, 1 byte..20 MB,
15 minutes)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from services.depot.adapters.s3 import StockageS3
from services.depot.application.demarrage import DemarrerDepot
from shared.horloge import HorlogeFixe
from tests.unit.depot.fakes import NUMERO_ANS, SIRET, DepotsEnMemoire, EnrolementsEnMemoire


@pytest.fixture
def client_s3() -> Any:
    # Signing is local: no network, no moto needed.
    return boto3.session.Session().client(
        "s3",
        region_name="eu-west-3",
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )


def _politique(champs: dict[str, str]) -> dict[str, Any]:
    return dict(json.loads(base64.b64decode(champs["policy"])))


def test_la_politique_lie_la_cle_la_taille_et_l_expiration(client_s3: Any) -> None:
    enrolements = EnrolementsEnMemoire()
    enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    stockage = StockageS3(bucket="segurnum-depots-test", client=client_s3)
    demarrer = DemarrerDepot(
        DepotsEnMemoire(),
        enrolements,
        stockage,
        HorlogeFixe(datetime(2024, 2, 1, 9, 0, tzinfo=UTC)),
        nouvel_id=lambda: "0d3b6c1e-depot",
    )
    avant = datetime.now(UTC)

    envoi = demarrer(SIRET, "AVANCE", NUMERO_ANS, "20").envoi

    cle = f"json/{SIRET}/0d3b6c1e-depot/demandes.json"
    assert envoi.cle == cle
    assert envoi.champs["key"] == cle
    assert "segurnum-depots-test" in envoi.url
    politique = _politique(envoi.champs)
    conditions = politique["conditions"]
    assert {"bucket": "segurnum-depots-test"} in conditions
    assert {"key": cle} in conditions  # exact key: not a prefix the éditeur could escape
    assert ["content-length-range", 1, 20 * 1048576] in conditions
    assert not any(
        isinstance(c, list) and c[0] == "starts-with" and c[1] == "$key" for c in conditions
    )
    expiration = datetime.fromisoformat(politique["expiration"].replace("Z", "+00:00"))
    assert (
        avant + timedelta(minutes=14)
        < expiration
        <= datetime.now(UTC) + timedelta(minutes=15, seconds=1)
    )
    assert abs(envoi.expire_le - expiration) < timedelta(seconds=2)
    # every field the client must send is signed by the policy
    assert {"x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature"} <= set(
        envoi.champs
    )


def test_le_content_type_est_permis_sans_etre_exige(client_s3: Any) -> None:
    envoi = StockageS3("b", client_s3).autoriser_envoi("json/x", 10, timedelta(minutes=1))
    assert ["starts-with", "$Content-Type", ""] in _politique(envoi.champs)["conditions"]
    assert "Content-Type" not in envoi.champs
