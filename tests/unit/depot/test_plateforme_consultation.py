"""Queries: a dépôt and its compte rendu, the annotated file, the éditeur's dossiers."""

from __future__ import annotations

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


def test_lister_depots_et_dossiers(plateforme: Plateforme) -> None:
    plateforme.deposer_et_importer(fichier(demande(1, ("750712184",)), demande(2, ("130780018",))))
    assert [d["statut"] for d in plateforme.consultation.lister_depots(SIRET)] == ["IMPORTE"]
    dossiers = plateforme.consultation.lister_dossiers(SIRET)
    assert [d["numeroAsp"] for d in dossiers] == ["FINMS1000001", "FINMS1000002"]
    assert dossiers[0]["statut"] == "INCOMPLET"
    assert dossiers[0]["montants"]["avance"] == "5625.00"
    assert "demande" not in dossiers[0]
    assert plateforme.consultation.lister_dossiers(SIRET_AUTRE) == []


def test_lire_dossier_avec_demande_et_historique(plateforme: Plateforme) -> None:
    plateforme.deposer_et_importer(fichier(demande(1)))
    vue = plateforme.consultation.lire_dossier("FINMS1000001", SIRET)
    assert vue["demande"]["numeroDossier"] == "D00001"
    assert [e["action"] for e in vue["historique"]] == ["CREATION"]
    assert vue["historique"][0]["auteur"] == SIRET
    # gestionnaire: no owner check
    assert plateforme.consultation.lire_dossier("FINMS1000001")["siret"] == SIRET
    with pytest.raises(AccesInterdit):
        plateforme.consultation.lire_dossier("FINMS1000001", SIRET_AUTRE)
    with pytest.raises(Introuvable):
        plateforme.consultation.lire_dossier("FINMS1999999", SIRET)
