"""The enrolment record's contract with the IBAN encrypted (shared/enrolement.py,
shared/chiffrement.py) on the fake cipher: writer → reader, masked unless decrypted."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.chiffrement import ChiffrementFactice, ErreurChiffrement, contexte_iban
from shared.enrolement import EnrolementEditeur, enrolement_depuis_item, item_enrolement

IBAN = "FR7630006000011234567890189"
MASQUE = "FR76 **** **** **** **** **** 0189"


def enrolement(**autres: object) -> EnrolementEditeur:
    valeurs: dict[str, object] = {
        "siret": "41234567000019",
        "numero_ans": "zbuMSS0001",
        "statut": "VALIDE",
        "email": "depot@medisoft.example.fr",
        "raison_sociale": "MEDISOFT SOLUTIONS",
        "iban": IBAN,
        "bic": "AGRIFRPPXXX",
        "titulaire": "MEDISOFT",
        "coordonnees_validees_le": datetime(2024, 1, 22, 9, 30, tzinfo=UTC),
    }
    return EnrolementEditeur.model_validate(valeurs | autres)


def test_l_iban_n_est_jamais_ecrit_en_clair() -> None:
    chiffrement = ChiffrementFactice()
    item = item_enrolement(enrolement(), chiffrement)
    assert "iban" not in item and IBAN not in repr(item)
    assert item["ibanMasque"] == MASQUE and item["ibanChiffre"]
    assert chiffrement.chiffrements == 1


def test_lu_masque_par_defaut_dechiffre_sur_demande() -> None:
    chiffrement = ChiffrementFactice()
    item = item_enrolement(enrolement(), chiffrement)
    masque = enrolement_depuis_item(item)
    assert masque.iban is None and masque.iban_masque == MASQUE
    assert chiffrement.dechiffrements == 0
    clair = enrolement_depuis_item(item, chiffrement)
    assert clair.iban == IBAN and clair.iban_masque == MASQUE
    assert clair.model_copy(update={"iban_chiffre": None, "iban_masque": None}) == enrolement()
    assert IBAN not in repr(clair)  # never in a log line that prints the record


def test_relu_sans_dechiffrer_puis_reecrit_garde_le_meme_chiffre() -> None:
    chiffrement = ChiffrementFactice()
    item = item_enrolement(enrolement(), chiffrement)
    lu = enrolement_depuis_item(item)
    reecrit = item_enrolement(lu.model_copy(update={"version": 2}), chiffrement)
    assert reecrit["ibanChiffre"] == item["ibanChiffre"] and reecrit["version"] == 2
    assert chiffrement.chiffrements == 1
    assert enrolement_depuis_item(reecrit, chiffrement).iban == IBAN


def test_sans_iban_aucun_attribut_bancaire_chiffre() -> None:
    item = item_enrolement(enrolement(iban=None), ChiffrementFactice())
    assert item["ibanChiffre"] is None and item["ibanMasque"] is None
    sans_none = {k: v for k, v in item.items() if v is not None}
    lu = enrolement_depuis_item(sans_none, ChiffrementFactice())
    assert lu.iban is None and lu.iban_masque is None


def test_un_chiffre_copie_sur_un_autre_siret_ne_se_dechiffre_pas() -> None:
    chiffrement = ChiffrementFactice()
    item = item_enrolement(enrolement(), chiffrement)
    vole = {**item, "siret": "73282932000074"}
    with pytest.raises(ErreurChiffrement) as erreur:
        enrolement_depuis_item(vole, chiffrement)
    assert IBAN not in str(erreur.value)
    assert contexte_iban("73282932000074") == {"siret": "73282932000074", "champ": "iban"}
