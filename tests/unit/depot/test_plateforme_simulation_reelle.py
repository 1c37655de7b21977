"""The platform flow with the real simulation and annotation (format MS v1 files made by
tests/fixtures/depot/generateur.py), on the in-memory ports."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.depot.application.simulation import annoter, simuler
from services.depot.domain.depot import (
    RAPPORT_COMPTE_RENDU,
    RAPPORT_FICHIER_ANNOTE,
    StatutDepot,
    lire_json,
)
from tests.fixtures.depot.generateur import (
    NUMERO_ANS,
    SIRET,
    demande_valide,
    fichier_valide,
    finess_valides,
    octets,
)
from tests.unit.depot.plateforme import ECHEANCE_AVANCE, Plateforme

SIRET_B, NUMERO_ANS_B = "44306184100047", "ANSB000002"


@pytest.fixture
def plateforme() -> Plateforme:
    p = Plateforme(simuler=simuler, annoter=annoter)
    p.numero_ans_par_defaut = NUMERO_ANS
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    p.enrolements.enroler(SIRET_B, NUMERO_ANS_B, "MS1")
    return p


def _annote(plateforme: Plateforme, id_depot: str) -> dict[str, object]:
    depot = plateforme.depot(id_depot)
    return dict(lire_json(plateforme.stockage.contenu(depot.cle_rapport(RAPPORT_FICHIER_ANNOTE))))


def test_un_fichier_valide_est_simule_puis_importe(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, octets(fichier_valide(3, etablissements=2)))

    simule = plateforme.depot(depot.id)
    assert simule.statut is StatutDepot.SIMULE
    assert simule.simulation is not None and simule.simulation.lignes_importables == 3
    annote = _annote(plateforme, depot.id)
    assert annote["idFichier"] == depot.id
    assert [d["libelleTraitement"] for d in annote["demandes"]] == ["Demande importable."] * 3  # type: ignore[attr-defined]

    resultat = plateforme.importer(depot.id, SIRET)

    assert dict(resultat.numeros_asp) == {1: "FINMS1000001", 2: "FINMS1000002", 3: "FINMS1000003"}
    dossier = plateforme.dossiers.lire("FINMS1000002")
    assert dossier is not None and len(dossier.finess) == 2
    assert dossier.montants == {
        "montantFinance": "30000.00",
        "avance": "9000.00",
        "solde": "21000.00",
    }
    assert dossier.pieces == (
        {
            "nomFichier": "MS1_bon de commande-BDC-D00002.pdf",
            "formatFichier": "PDF",
            "typeFichier": "BON_COMMANDE",
        },
    )
    annote = _annote(plateforme, depot.id)
    assert [d["codeTraitement"] for d in annote["demandes"]] == [0, 0, 0]  # type: ignore[attr-defined]
    assert [d["libelleTraitement"] for d in annote["demandes"]] == ["Demande importée."] * 3  # type: ignore[attr-defined]
    compte_rendu = lire_json(
        plateforme.stockage.contenu(plateforme.depot(depot.id).cle_rapport(RAPPORT_COMPTE_RENDU))
    )
    assert [ligne["numeroAsp"] for ligne in compte_rendu["lignes"]] == [
        "FINMS1000001",
        "FINMS1000002",
        "FINMS1000003",
    ]


def test_finess_deja_finance_par_un_autre_editeur_vu_a_la_simulation(
    plateforme: Plateforme,
) -> None:
    commun, propre = finess_valides(2, seed=7)
    plateforme.deposer_et_importer(
        octets(fichier_valide(1, siret=SIRET_B, numero_ans=NUMERO_ANS_B, finess=[commun])),
        siret=SIRET_B,
        numero_ans=NUMERO_ANS_B,
    )
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, octets(fichier_valide(2, finess=[commun, propre])))

    vue = plateforme.consultation.lire_depot(depot.id, SIRET)
    ligne = vue["compteRendu"]["lignes"][0]
    assert ligne["statut"] == "REJETEE"
    assert ligne["erreurs"][0]["code"] == "FINESS_DEJA_FINANCE"
    assert "incomplet" in ligne["erreurs"][0]["message"]
    assert SIRET_B not in ligne["erreurs"][0]["message"]
    resultat = plateforme.importer(depot.id, SIRET)
    assert dict(resultat.numeros_asp) == {2: "FINMS1000002"}


def test_finess_pris_entre_la_simulation_et_l_import(plateforme: Plateforme) -> None:
    commun, propre = finess_valides(2, seed=11)
    mien = plateforme.demarrer_depot()
    plateforme.deposer(mien, octets(fichier_valide(2, finess=[commun, propre])))
    plateforme.deposer_et_importer(
        octets(fichier_valide(1, siret=SIRET_B, numero_ans=NUMERO_ANS_B, finess=[commun])),
        siret=SIRET_B,
        numero_ans=NUMERO_ANS_B,
    )

    resultat = plateforme.importer(mien.id, SIRET)

    assert dict(resultat.numeros_asp) == {2: "FINMS1000003"}
    assert resultat.compte_rendu["lignesImportables"] == 1
    assert resultat.compte_rendu["lignesRejetees"] == 1
    assert resultat.compte_rendu["lignesImportees"] == 1
    ligne = resultat.compte_rendu["lignes"][0]
    assert ligne["statut"] == "REJETEE"
    assert ligne["erreurs"][-1]["chemin"] == (
        "/demandes/0/beneficiaires/0/etablissementsClients/0/finessGeo"
    )
    annote = _annote(plateforme, mien.id)
    codes = [d["codeTraitement"] for d in annote["demandes"]]  # type: ignore[attr-defined]
    assert codes == [1, 0]
    assert "FINESS_DEJA_FINANCE" in annote["demandes"][0]["libelleTraitement"]  # type: ignore[index]


def test_modification_apres_l_echeance_avec_un_vrai_fichier(plateforme: Plateforme) -> None:
    f1, f2, f3 = finess_valides(3, seed=3)
    plateforme.deposer_et_importer(octets(fichier_valide(1, finess=[f1, f2])))
    plateforme.regler(ECHEANCE_AVANCE + timedelta(days=2))
    depot = plateforme.demarrer_depot(modification=True)
    modifiee = demande_valide(
        1, [f1, f3], "D00001", type_action="M", numero_asp="FINMS1000001", montant=36000
    )
    plateforme.deposer(
        depot,
        octets(
            {"idFichier": None, "numeroAns": NUMERO_ANS, "siret": SIRET, "demandes": [modifiee]}
        ),
    )
    assert plateforme.depot(depot.id).simulation.lignes_importables == 1  # type: ignore[union-attr]

    resultat = plateforme.importer(depot.id, SIRET)

    assert resultat.numeros_asp == {1: "FINMS1000001"}
    dossier = plateforme.dossiers.lire("FINMS1000001")
    assert dossier is not None
    assert dossier.finess == (f1, f3)
    assert dossier.montants["montantFinance"] == "36000.00"
    assert plateforme.dossiers.detenteur_finess("MS-VAGUE1", "MS1", f2) is None
    assert [e.action for e in plateforme.dossiers.historique("FINMS1000001")] == [
        "CREATION",
        "MODIFICATION",
    ]


def test_creation_apres_l_echeance_refusee_ligne_par_ligne(plateforme: Plateforme) -> None:
    plateforme.regler(ECHEANCE_AVANCE + timedelta(days=2))
    depot = plateforme.demarrer_depot(modification=True)
    plateforme.deposer(depot, octets(fichier_valide(1)))
    vue = plateforme.consultation.lire_depot(depot.id, SIRET)
    (erreur,) = vue["compteRendu"]["lignes"][0]["erreurs"]
    assert erreur["code"] == "GUICHET_FERME"
    assert erreur["chemin"] == "/demandes/0/typeAction"


def test_solde_avec_un_vrai_fichier(plateforme: Plateforme) -> None:
    (f1,) = finess_valides(1, seed=5)
    plateforme.deposer_et_importer(octets(fichier_valide(1, finess=[f1])))
    plateforme.regler(ECHEANCE_AVANCE + timedelta(days=100))
    depot = plateforme.demarrer_depot(type_demande="SOLDE")
    solde = demande_valide(1, [f1], "D00001", type_demande="SOLDE", numero_asp="FINMS1000001")
    plateforme.deposer(
        depot,
        octets({"idFichier": None, "numeroAns": NUMERO_ANS, "siret": SIRET, "demandes": [solde]}),
    )
    assert plateforme.depot(depot.id).simulation.lignes_importables == 1  # type: ignore[union-attr]

    plateforme.importer(depot.id, SIRET)

    dossier = plateforme.dossiers.lire("FINMS1000001")
    assert dossier is not None and dossier.solde is not None
    assert {p["typeFichier"] for p in dossier.solde["pieces"]} == {"FACTURE", "PV_VA"}
    assert dossier.solde["montants"]["montantFinance"] == "15000.00"


def test_editeur_plus_enrole_au_moment_de_la_simulation(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    del plateforme.enrolements.enrolements[(SIRET, NUMERO_ANS)]
    plateforme.deposer(depot, octets(fichier_valide(1)))
    assert plateforme.depot(depot.id).statut is StatutDepot.REJETE
