"""pain.001.001.09: validated against the XSD sepaxml ships; totals; one file per lot."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import xmlschema
from defusedxml import ElementTree
from hypothesis import given, settings
from hypothesis import strategies as st

from services.paiement.domain.sepa import (
    ESPACE,
    SCHEMA,
    FichierSepaInvalide,
    _schema,
    generer_pain001,
    totaux_pain001,
    valider_pain001,
)
from services.paiement.domain.versement import CoordonneesBancaires, nouvelle_avance
from shared.montant import Montant
from tests.unit.paiement.fakes import BIC_A, IBAN_A, PAYEUR

LE = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
NS = {"p": ESPACE}


def _envoyes(montants: list[str]) -> list:  # type: ignore[type-arg]
    compte = CoordonneesBancaires("Éditeur « Santé » & Fils", IBAN_A, BIC_A, True, "chiffre")
    return [
        nouvelle_avance(
            f"FINMS1{n:06d}", "73282932000074", "ANS1", Montant(m), LE
        ).mettre_en_paiement("LOT0001", LE, compte)
        for n, m in enumerate(montants, start=1)
    ]


def _ibans(versements: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {v.end_to_end: IBAN_A for v in versements}


def test_le_schema_09_est_celui_que_sepaxml_embarque() -> None:
    assert SCHEMA == "pain.001.001.09"
    assert _schema().target_namespace == "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"


def test_fichier_valide_une_transaction_par_versement() -> None:
    versements = _envoyes(["22222.22", "10000.00", "10.05"])
    fichier = generer_pain001(
        "LOT0001", LE, date(2024, 3, 4), PAYEUR, versements, _ibans(versements)
    )
    valider_pain001(fichier.contenu)  # raises if invalid
    assert (fichier.nombre, fichier.total) == (3, Montant("9669.69"))
    assert totaux_pain001(fichier.contenu) == (3, Montant("9669.69"))
    racine = ElementTree.fromstring(fichier.contenu)
    assert racine.findtext("p:CstmrCdtTrfInitn/p:GrpHdr/p:MsgId", namespaces=NS) == "LOT0001"
    info = racine.find("p:CstmrCdtTrfInitn/p:PmtInf", NS)
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == PAYEUR.iban
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == PAYEUR.bic
    assert info.findtext("p:ReqdExctnDt/p:Dt", namespaces=NS) == "2024-03-04"
    transactions = info.findall("p:CdtTrfTxInf", NS)
    assert [t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) for t in transactions] == [
        "FINMS1000001M0-VERSE001-1",
        "FINMS1000002M0-VERSE001-1",
        "FINMS1000003M0-VERSE001-1",
    ]
    premiere = transactions[0]
    assert premiere.findtext("p:Amt/p:InstdAmt", namespaces=NS) == "6666.67"
    assert premiere.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN_A
    assert premiere.findtext("p:CdtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == BIC_A
    assert premiere.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "FINMS1000001M0 VERSE001"
    # Transliterated to the SEPA character set by sepaxml.
    assert premiere.findtext("p:Cdtr/p:Nm", namespaces=NS).startswith("Editeur")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.decimals(min_value="0.07", max_value="999999.99", places=2), min_size=1, max_size=30
    )
)
def test_somme_de_controle_et_nombre(montants: list) -> None:  # type: ignore[type-arg]
    versements = _envoyes([str(m) for m in montants])
    fichier = generer_pain001(
        "LOT0002", LE, date(2024, 3, 4), PAYEUR, versements, _ibans(versements)
    )
    attendu = sum((v.montant.valeur for v in versements), start=Montant(0).valeur)
    assert totaux_pain001(fichier.contenu) == (len(versements), Montant(attendu))
    xmlschema.XMLSchema(_schema().url).validate(fichier.contenu.decode())


def test_aucun_versement_aucun_fichier_et_pas_de_doublon() -> None:
    with pytest.raises(ValueError):
        generer_pain001("LOT0003", LE, date(2024, 3, 4), PAYEUR, [], {})
    (seul,) = _envoyes(["100"])
    with pytest.raises(ValueError, match="en double"):
        generer_pain001("LOT0003", LE, date(2024, 3, 4), PAYEUR, [seul, seul], _ibans([seul]))


def test_un_fichier_hors_schema_est_refuse() -> None:
    (seul,) = _envoyes(["100"])
    with pytest.raises(FichierSepaInvalide) as erreur:
        generer_pain001(
            "LOT0004", LE, date(2024, 3, 4), PAYEUR, [seul], {seul.end_to_end: "PAS UN IBAN"}
        )
    assert erreur.value.code == "FICHIER_SEPA_INVALIDE"
    assert "pain.001.001.09" in erreur.value.message
