"""pain.002 fixtures (tests/fixtures/paiement) against the lot LOT0001 of three avances."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.paiement.application.contexte import Paiement
from services.paiement.application.lots import lancer_lot
from services.paiement.application.retours import traiter_retour
from services.paiement.application.versements import creer_versement
from services.paiement.domain.retours import RetourIllisible, lire_pain002
from services.paiement.domain.versement import EtatVersement, TypeVersement
from shared.montant import Montant
from shared.refus import NatureRefus
from tests.fixtures.paiement.generer import CODES
from tests.unit.paiement.fakes import FakeVersements, paiement_en_memoire
from tests.unit.paiement.test_cas_usage import SIRET, decision

FIXTURES = Path(__file__).parents[2] / "fixtures" / "paiement"


def fixture(nom: str) -> bytes:
    return (FIXTURES / nom).read_bytes()


@pytest.fixture
def lot() -> tuple[Paiement, FakeVersements]:
    paiement, depot, enrolements, _, _ = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    for asp, montant in (
        ("FINMS1000001", "22222.22"),
        ("FINMS1000002", "10000.00"),
        ("FINMS1000003", "10.05"),
    ):
        creer_versement(paiement, decision(asp, montant))
    resultat = lancer_lot(paiement)
    assert resultat.lot is not None and resultat.lot.id == "LOT0001"
    return paiement, depot


def etat(depot: FakeVersements, asp: str) -> EtatVersement:
    versement = depot.lire(asp, TypeVersement.AVANCE)
    assert versement is not None
    return versement.etat


def test_accepte(lot: tuple[Paiement, FakeVersements]) -> None:
    paiement, depot = lot
    resultat = traiter_retour(paiement, fixture("accepte.xml"))
    assert len(resultat.payes) == 3 and resultat.anomalies == []
    v1 = depot.lire("FINMS1000001", TypeVersement.AVANCE)
    assert v1 is not None and v1.montant_paye == Montant("6666.67")
    assert v1.paye_le == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    # The same file twice changes nothing.
    ecritures = depot.ecritures
    again = traiter_retour(paiement, fixture("accepte.xml"))
    assert again.payes == [] and again.deja_traites == 3 and depot.ecritures == ecritures


@pytest.mark.parametrize("code", CODES)
def test_rejet_avec_chaque_code(lot: tuple[Paiement, FakeVersements], code: str) -> None:
    paiement, _depot = lot
    resultat = traiter_retour(paiement, fixture(f"rejet_{code}.xml"))
    (rejete,) = resultat.rejetes
    assert rejete.etat is EtatVersement.REJETE and rejete.code_rejet == code
    assert rejete.motif_rejet and code not in rejete.motif_rejet  # a French motif
    assert traiter_retour(paiement, fixture(f"rejet_{code}.xml")).deja_traites == 1


def test_mixte(lot: tuple[Paiement, FakeVersements]) -> None:
    paiement, depot = lot
    resultat = traiter_retour(paiement, fixture("mixte.xml"))
    assert (len(resultat.payes), len(resultat.rejetes), resultat.en_cours) == (1, 1, 1)
    assert etat(depot, "FINMS1000001") is EtatVersement.PAYE
    assert etat(depot, "FINMS1000002") is EtatVersement.REJETE
    assert etat(depot, "FINMS1000003") is EtatVersement.MIS_EN_PAIEMENT


def test_doublon_dans_le_meme_fichier(lot: tuple[Paiement, FakeVersements]) -> None:
    paiement, _ = lot
    resultat = traiter_retour(paiement, fixture("doublon.xml"))
    assert (len(resultat.payes), resultat.deja_traites) == (1, 1)


def test_identifiants_inconnus_signales(lot: tuple[Paiement, FakeVersements]) -> None:
    paiement, depot = lot
    ecritures = depot.ecritures
    resultat = traiter_retour(paiement, fixture("inconnu.xml"))
    assert [a.code for a in resultat.anomalies] == ["IDENTIFIANT_INCONNU"] * 3
    assert [a.reference for a in resultat.anomalies] == [
        "FINMS9999999M0-VERSE001-1",
        "NOTPROVIDED",
        "FINMS1000001M0-VERSE001-2",
    ]
    assert "« NOTPROVIDED »" in resultat.anomalies[1].message
    assert depot.ecritures == ecritures


def test_montant_different_signale(lot: tuple[Paiement, FakeVersements]) -> None:
    paiement, depot = lot
    resultat = traiter_retour(paiement, fixture("montant_different.xml"))
    (anomalie,) = resultat.anomalies
    assert anomalie.code == "MONTANT_DIFFERENT"
    assert "6666.66" in anomalie.message and "6666.67" in anomalie.message
    assert etat(depot, "FINMS1000001") is EtatVersement.MIS_EN_PAIEMENT


def test_rejet_du_lot_entier(lot: tuple[Paiement, FakeVersements]) -> None:
    paiement, _depot = lot
    resultat = traiter_retour(paiement, fixture("rejet_lot.xml"))
    assert len(resultat.rejetes) == 3
    assert {v.code_rejet for v in resultat.rejetes} == {"AM04"}


def test_version_03(lot: tuple[Paiement, FakeVersements]) -> None:
    paiement, _depot = lot
    assert len(traiter_retour(paiement, fixture("pain002_v03.xml")).payes) == 1


@pytest.mark.parametrize(
    ("nom", "attendu"),
    [
        ("mal_forme.xml", "XML mal formé"),
        ("bombe.xml", "DTD"),
        ("entite_externe.xml", "DTD"),
    ],
)
def test_xml_hostile_refuse_proprement(
    lot: tuple[Paiement, FakeVersements], nom: str, attendu: str
) -> None:
    paiement, depot = lot
    ecritures = depot.ecritures
    with pytest.raises(RetourIllisible) as erreur:
        traiter_retour(paiement, fixture(nom))
    assert erreur.value.code == "RETOUR_ILLISIBLE" and erreur.value.nature is NatureRefus.INVALIDE
    assert attendu in erreur.value.message
    assert "Aucun versement n'a été modifié" in erreur.value.message
    assert depot.ecritures == ecritures


def test_pas_un_pain002() -> None:
    for contenu in (b"<a/>", b"", b"\x00\xff", fixture("accepte.xml").replace(b"002", b"008")):
        with pytest.raises(RetourIllisible):
            lire_pain002(contenu)
