"""The enrolment record's contract with moto's KMS: writer → DynamoDB-shaped item →
reader, the context binding the ciphertext to its SIRET."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from shared.chiffrement import ErreurChiffrement
from shared.chiffrement_kms import CLE_ENROLEMENT, ChiffrementKms
from shared.enrolement import EnrolementEditeur, enrolement_depuis_item, item_enrolement

pytestmark = pytest.mark.integration

REGION = "eu-west-3"
IBAN = "FR1420041010050500013M02606"


@pytest.fixture
def kms(monkeypatch: pytest.MonkeyPatch) -> Iterator[ChiffrementKms]:
    for cle, valeur in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(cle, valeur)
    with mock_aws():
        client = boto3.client("kms", region_name=REGION)
        cle = client.create_key(Description="enrolement")["KeyMetadata"]["KeyId"]
        client.create_alias(AliasName=CLE_ENROLEMENT, TargetKeyId=cle)
        yield ChiffrementKms(CLE_ENROLEMENT, client)


def test_aller_retour_du_contrat_avec_kms(kms: ChiffrementKms) -> None:
    ecrit = EnrolementEditeur(
        siret="41234567000019",
        numero_ans="zbuMSS0001",
        statut="VALIDE",
        email="depot@medisoft.example.fr",
        raison_sociale="MEDISOFT SOLUTIONS",
        iban=IBAN,
        bic="PSSTFRPPPAR",
    )
    item = item_enrolement(ecrit, kms)
    assert IBAN not in repr(item) and item["ibanMasque"] == "FR14 **** **** **** **** **** 2606"
    assert enrolement_depuis_item(item).iban is None
    lu = enrolement_depuis_item(item, kms)
    assert (
        lu.iban == IBAN
        and lu.model_copy(update={"iban_chiffre": None, "iban_masque": None}) == ecrit
    )
    # Two writes, two ciphertexts (KMS is randomised); both decrypt.
    assert item_enrolement(ecrit, kms)["ibanChiffre"] != item["ibanChiffre"]
    with pytest.raises(ErreurChiffrement):
        enrolement_depuis_item({**item, "siret": "73282932000074"}, kms)
    with pytest.raises(ErreurChiffrement):
        kms.dechiffrer("pas du base64 !", {"siret": "41234567000019", "champ": "iban"})
