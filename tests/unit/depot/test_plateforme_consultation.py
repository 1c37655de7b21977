"""Queries: a dépôt and its compte rendu, the annotated file, the page of the éditeur's
dépôts (its dossiers are the instruction service's: GET /dossiers)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.depot.domain.depot import AccesInterdit, Conflit, Introuvable, lire_json
from shared.refus import NatureRefus
from tests.unit.depot.fakes import NUMERO_ANS, SIRET, SIRET_AUTRE, demande, fichier
from tests.unit.depot.plateforme import Plateforme


@pytest.fixture
def plateforme() -> Plateforme:
    p = Plateforme()
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    return p


def test_lire_depot_avec_son_compte_rendu(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot(taux_tva="5.5")
    assert plateforme.consultation.lire_depot(depot.id, SIRET)["compteRendu"] is None

    plateforme.deposer(depot, fichier(demande(1), demande(2, _erreur="X")))
    vue = plateforme.consultation.lire_depot(depot.id, SIRET)

    assert vue["statut"] == "SIMULE"
    assert vue["tauxTva"] == "5.5"
    assert vue["simulation"]["lignesImportables"] == 1
    assert vue["compteRendu"]["idFichier"] == depot.id
    assert [ligne["statut"] for ligne in vue["compteRendu"]["lignes"]] == [
        "IMPORTABLE",
        "REJETEE",
    ]

    plateforme.importer(depot.id, SIRET)
    vue = plateforme.consultation.lire_depot(depot.id, SIRET)
    assert vue["statut"] == "IMPORTE"
    assert vue["numerosAsp"] == {"1": "FINMS1000001"}
    assert vue["compteRendu"]["lignes"][0]["numeroAsp"] == "FINMS1000001"


def test_lire_le_depot_d_un_autre_editeur(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    with pytest.raises(AccesInterdit) as erreur:
        plateforme.consultation.lire_depot(depot.id, SIRET_AUTRE)
    assert (erreur.value.nature, erreur.value.code) == (NatureRefus.INTERDIT, "DEPOT_AUTRE_EDITEUR")


def test_lire_un_depot_inconnu(plateforme: Plateforme) -> None:
    with pytest.raises(Introuvable) as erreur:
        plateforme.consultation.lire_depot("nope", SIRET)
    assert erreur.value.nature is NatureRefus.INTROUVABLE
    assert erreur.value.message == "Le dépôt nope n'existe pas."


def test_fichier_annote(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    with pytest.raises(Conflit):
        plateforme.consultation.lire_fichier_annote(depot.id, SIRET)
    plateforme.deposer(depot, fichier(demande(1)))
    annote = lire_json(plateforme.consultation.lire_fichier_annote(depot.id, SIRET))
    assert annote["idFichier"] == depot.id
    assert annote["demandes"][0]["codeTraitement"] == 0
    with pytest.raises(AccesInterdit):
        plateforme.consultation.lire_fichier_annote(depot.id, SIRET_AUTRE)


def test_la_page_des_depots_de_l_editeur(plateforme: Plateforme) -> None:
    """GET /depots: newest first, the éditeur's own only, page after page."""
    plateforme.enrolements.enroler(SIRET_AUTRE, "ANS0000002", "MS1")
    premier = plateforme.demarrer_depot()
    plateforme.deposer(premier, fichier(demande(1)))
    plateforme.importer(premier.id, SIRET)
    plateforme.avancer(timedelta(minutes=1))
    second = plateforme.demarrer_depot()
    plateforme.avancer(timedelta(minutes=1))
    plateforme.demarrer_depot(siret=SIRET_AUTRE, numero_ans="ANS0000002")

    depots, suite = plateforme.consultation.page_depots(SIRET, 1, None)
    assert [(d.id, d.statut) for d in depots] == [(second.id, "CREE")]
    assert suite is not None
    depots, suite = plateforme.consultation.page_depots(SIRET, 1, suite)
    assert [(d.id, d.statut) for d in depots] == [(premier.id, "IMPORTE")]
    assert depots[0].numeros_asp == {1: "FINMS1000001"}
    assert suite is None
