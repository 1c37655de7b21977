"""D4, D6 and the solde: importing the importable lines of a simulated dépôt."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from services.depot.application.lignes import LigneAImporter, encoder_lignes
from services.depot.domain.depot import (
    RAPPORT_COMPTE_RENDU,
    RAPPORT_LIGNES,
    AccesInterdit,
    Conflit,
    DonneeInvalide,
    Introuvable,
    ResumeSimulation,
    StatutDepot,
    lire_json,
)
from shared.refus import NatureRefus
from shared.statuts import StatutDemande
from tests.unit.depot.fakes import (
    NUMERO_ANS,
    NUMERO_ANS_AUTRE,
    SIRET,
    SIRET_AUTRE,
    demande,
    fichier,
)
from tests.unit.depot.plateforme import ECHEANCE_AVANCE, Plateforme

F1, F2, F3 = "750712184", "130780018", "690000880"


@pytest.fixture
def plateforme() -> Plateforme:
    p = Plateforme()
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    p.enrolements.enroler(SIRET_AUTRE, NUMERO_ANS_AUTRE, "MS1")
    return p


def test_importer_cree_un_dossier_par_ligne_importable(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot(taux_tva="20")
    plateforme.deposer(
        depot,
        fichier(
            demande(1, (F1,)), demande(2, (F2,), _erreur="MONTANT_NON_POSITIF"), demande(3, (F3,))
        ),
    )

    resultat = plateforme.importer(depot.id, SIRET, auteur="jeanne")

    assert dict(resultat.numeros_asp) == {1: "FINMS1000001", 3: "FINMS1000002"}
    dossier = plateforme.dossiers.lire("FINMS1000001")
    assert dossier is not None
    assert dossier.statut is StatutDemande.INCOMPLET
    assert (dossier.siret, dossier.numero_dossier, dossier.finess) == (SIRET, "D00001", (F1,))
    assert dossier.montants == {
        "montantFinance": "18750.00",
        "avance": "5625.00",
        "solde": "13125.00",
    }
    assert dossier.demande["commande"]["montantSegur"] == Decimal("18750.00")
    assert dossier.depose_le == plateforme.depot(depot.id).json_recu_le
    assert [p["typeFichier"] for p in dossier.pieces] == ["BON_COMMANDE"]
    assert plateforme.dossiers.detenteur_finess("MS-VAGUE1", "MS1", F1) == "FINMS1000001"
    assert plateforme.dossiers.numero_dossier_utilise(SIRET, "D00003") == "FINMS1000002"
    (entree,) = plateforme.dossiers.historique("FINMS1000001")
    assert (entree.action, entree.qui) == ("CREATION", "jeanne")
    # compte rendu: the numeroASP of each imported line
    lignes = {ligne["numLigne"]: ligne for ligne in resultat.compte_rendu["lignes"]}
    assert lignes[1]["numeroAsp"] == "FINMS1000001"
    assert lignes[2]["statut"] == "REJETEE" and "numeroAsp" not in lignes[2]
    assert resultat.compte_rendu["lignesImportees"] == 2
    depot = plateforme.depot(depot.id)
    stocke = lire_json(plateforme.stockage.contenu(depot.cle_rapport(RAPPORT_COMPTE_RENDU)))
    assert stocke == resultat.compte_rendu
    assert depot.statut is StatutDepot.IMPORTE
    assert dict(depot.numeros_asp) == {1: "FINMS1000001", 3: "FINMS1000002"}


def test_import_avant_simulation(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    with pytest.raises(Conflit) as erreur:
        plateforme.importer(depot.id, SIRET)
    assert erreur.value.code == "SIMULATION_ABSENTE"
    assert erreur.value.nature is NatureRefus.CONFLIT


def test_import_sans_ligne_importable(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, _erreur="X"), demande(2, _erreur="Y")))
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.importer(depot.id, SIRET)
    assert erreur.value.code == "AUCUNE_LIGNE_IMPORTABLE"
    assert not plateforme.dossiers.dossiers


def test_import_d_un_fichier_rejete_en_entier(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, b"{")
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.importer(depot.id, SIRET)
    assert erreur.value.code == "FICHIER_REJETE"


def test_import_par_un_autre_editeur(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1)))
    with pytest.raises(AccesInterdit) as erreur:
        plateforme.importer(depot.id, SIRET_AUTRE)
    assert erreur.value.nature is NatureRefus.INTERDIT
    assert not plateforme.dossiers.dossiers


def test_import_d_un_depot_inconnu(plateforme: Plateforme) -> None:
    with pytest.raises(Introuvable) as erreur:
        plateforme.importer("inconnu", SIRET)
    assert erreur.value.nature is NatureRefus.INTROUVABLE


def test_importer_deux_fois_ne_cree_rien_deux_fois(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, (F1,)), demande(2, (F2,))))
    plateforme.importer(depot.id, SIRET)
    avant = dict(plateforme.dossiers.dossiers)

    with pytest.raises(Conflit) as erreur:
        plateforme.importer(depot.id, SIRET)

    assert erreur.value.code == "DEPOT_DEJA_IMPORTE"
    assert plateforme.dossiers.dossiers == avant
    assert plateforme.compteur.valeurs == {"FINMS1": 2}


def test_un_import_interrompu_reprend_sans_rien_creer_deux_fois(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, (F1,)), demande(2, (F2,)), demande(3, (F3,))))
    ecritures = 0

    def panne_a_la_deuxieme_ligne() -> None:
        nonlocal ecritures
        ecritures += 1
        if ecritures == 2:
            raise TimeoutError("Lambda interrompue")

    plateforme.dossiers.avant_ecriture = panne_a_la_deuxieme_ligne
    with pytest.raises(TimeoutError):
        plateforme.importer(depot.id, SIRET)
    assert set(plateforme.dossiers.dossiers) == {"FINMS1000001"}
    # The dépôt is marked as being imported: no new file can replace this one now.
    assert plateforme.depot(depot.id).import_commence

    resultat = plateforme.importer(depot.id, SIRET)

    # Each line keeps the number reserved for it at the first run: no number is lost.
    assert dict(resultat.numeros_asp) == {1: "FINMS1000001", 2: "FINMS1000002", 3: "FINMS1000003"}
    assert plateforme.compteur.valeurs == {"FINMS1": 3}
    assert len(plateforme.dossiers.dossiers) == 3
    assert len(plateforme.dossiers.historique("FINMS1000001")) == 1


def test_une_requete_concurrente_sur_le_meme_depot_reutilise_les_lignes(
    plateforme: Plateforme,
) -> None:
    """Two import requests at once: the line claims make the second reuse the first's."""
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, (F1,)), demande(2, (F2,))))
    simule = plateforme.depot(depot.id)
    premier = plateforme.importer(depot.id, SIRET)
    # the second request read the dépôt before the first one finished
    plateforme.depots.depots[depot.id] = replace(simule, version=simule.version)
    plateforme.depots.depots[depot.id] = replace(
        plateforme.depots.depots[depot.id], import_commence_le=simule.cree_le
    )

    second = plateforme.importer(depot.id, SIRET)

    assert second.numeros_asp == premier.numeros_asp
    assert len(plateforme.dossiers.dossiers) == 2
    assert plateforme.compteur.valeurs == {"FINMS1": 2}


def test_la_ligne_gagnee_par_une_requete_concurrente_n_est_pas_rejetee(
    plateforme: Plateforme,
) -> None:
    """If the database names the FINESS claim (not the line claim) as the failed
    condition, the line claim is read again before rejecting anything."""
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, (F1,))))

    def la_requete_concurrente_gagne() -> None:
        plateforme.dossiers.avant_ecriture = None
        plateforme.dossiers.finess[("MS-VAGUE1", "MS1", F1)] = "FINMS1000042"
        plateforme.dossiers.lignes[(depot.id, 1)] = "FINMS1000042"
        plateforme.dossiers.ligne_en_dernier = True  # report the FINESS failure first

    plateforme.dossiers.avant_ecriture = la_requete_concurrente_gagne
    resultat = plateforme.importer(depot.id, SIRET)

    assert resultat.numeros_asp == {1: "FINMS1000042"}
    assert resultat.refus == {}


def test_guichet_verifie_a_l_heure_de_reception_du_json(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1)), ECHEANCE_AVANCE - timedelta(seconds=1))
    plateforme.regler(ECHEANCE_AVANCE + timedelta(hours=2))  # importing later is fine
    assert plateforme.importer(depot.id, SIRET).numeros_asp == {1: "FINMS1000001"}


def test_guichet_ferme_a_la_reception_refuse_l_import(plateforme: Plateforme) -> None:
    """The simulation rejects those lines; the import checks again, on its own."""
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1)))
    # as if the simulation had not applied the guichet: the JSON arrived at 14:00:00
    recu = plateforme.depot(depot.id)
    assert recu.fichier is not None
    plateforme.depots.depots[depot.id] = replace(
        recu, fichier=replace(recu.fichier, recu_le=ECHEANCE_AVANCE)
    )
    resultat = plateforme.importer(depot.id, SIRET)
    refus = resultat.refus[1]
    assert (refus.code, refus.chemin) == ("GUICHET_FERME", "/demandes/0/typeAction")
    assert refus.message == (
        "Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00."
    )
    assert not plateforme.dossiers.dossiers
    assert resultat.depot.statut is StatutDepot.IMPORTE


def test_finess_detenu_par_le_dossier_d_un_autre_editeur(plateforme: Plateforme) -> None:
    """Claimed after this dépôt's simulation: the line is rejected, naming the status."""
    mien = plateforme.demarrer_depot()
    plateforme.deposer(mien, fichier(demande(1, (F1,)), demande(2, (F2,))))
    autre = plateforme.deposer_et_importer(
        fichier(demande(1, (F1,)), siret=SIRET_AUTRE, numero_ans=NUMERO_ANS_AUTRE),
        siret=SIRET_AUTRE,
        numero_ans=NUMERO_ANS_AUTRE,
    )
    plateforme.dossiers.changer_statut(autre.numeros_asp[1], "EN_COURS")

    resultat = plateforme.importer(mien.id, SIRET)

    assert dict(resultat.numeros_asp) == {2: "FINMS1000003"}
    ligne = next(lg for lg in resultat.compte_rendu["lignes"] if lg["numLigne"] == 1)
    assert ligne["statut"] == "REJETEE"
    (erreur,) = ligne["erreurs"]
    assert erreur["code"] == "FINESS_DEJA_FINANCE"
    assert erreur["chemin"] == "/demandes/0/beneficiaires/0/etablissementsClients/0/finessGeo"
    assert "au statut « en cours »" in erreur["message"]
    assert SIRET_AUTRE not in erreur["message"]
    assert resultat.compte_rendu["lignesRejetees"] == 1
    assert resultat.compte_rendu["lignesImportables"] == 1
    # no half-written dossier
    assert plateforme.dossiers.numero_dossier_utilise(SIRET, "D00001") is None
    assert [d.numero_asp for d in plateforme.dossiers.lister(SIRET)] == ["FINMS1000003"]
    assert plateforme.depot(mien.id).lignes_rejetees_a_l_import == 1


def test_finess_reserve_entre_temps_par_un_import_concurrent(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, (F1, F2))))

    def l_autre_import_gagne() -> None:
        plateforme.dossiers.finess[("MS-VAGUE1", "MS1", F2)] = "FINMS1000777"
        plateforme.dossiers.avant_ecriture = None

    plateforme.dossiers.avant_ecriture = l_autre_import_gagne
    resultat = plateforme.importer(depot.id, SIRET)

    assert resultat.numeros_asp == {}
    assert resultat.refus[1].code == "FINESS_DEJA_FINANCE"
    assert resultat.refus[1].chemin.endswith("/etablissementsClients/1/finessGeo")
    assert not plateforme.dossiers.dossiers
    assert ("MS-VAGUE1", "MS1", F1) not in plateforme.dossiers.finess
    assert plateforme.depot(depot.id).statut is StatutDepot.IMPORTE


def test_numero_de_dossier_pris_entre_temps(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, (F1,), numero_dossier="REF-1")))
    plateforme.dossiers.numeros_dossier[(SIRET, "REF-1")] = "FINMS1000999"
    resultat = plateforme.importer(depot.id, SIRET)
    assert resultat.refus[1].code == "NUMERO_DOSSIER_DEJA_UTILISE"
    assert resultat.refus[1].chemin == "/demandes/0/numeroDossier"
    assert not plateforme.dossiers.dossiers


# --- typeAction M (D6) --------------------------------------------------------------------


def _dossier_importe(plateforme: Plateforme, finess: tuple[str, ...] = (F1, F2)) -> str:
    resultat = plateforme.deposer_et_importer(fichier(demande(1, finess, montant="30000.00")))
    return resultat.numeros_asp[1]


def test_modification_met_a_jour_et_garde_l_historique(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    avant = plateforme.dossiers.lire(numero)
    assert avant is not None
    plateforme.regler(ECHEANCE_AVANCE + timedelta(days=10))  # after the avance deadline
    depot = plateforme.demarrer_depot(modification=True, taux_tva="10")
    modifiee = demande(
        7, (F1, F3), numero_dossier="D00001", type_action="M", numero_asp=numero, montant="39000.00"
    )
    plateforme.deposer(depot, fichier(modifiee))

    resultat = plateforme.importer(depot.id, SIRET, auteur="paul")

    assert resultat.numeros_asp == {7: numero}
    apres = plateforme.dossiers.lire(numero)
    assert apres is not None
    assert apres.version == avant.version + 1
    assert apres.finess == (F1, F3)
    assert apres.montants["montantFinance"] == "39000.00"
    assert apres.taux_tva == Decimal("10")
    assert apres.depose_le == avant.depose_le  # still the avance's deposit time
    assert plateforme.dossiers.detenteur_finess("MS-VAGUE1", "MS1", F3) == numero
    assert plateforme.dossiers.detenteur_finess("MS-VAGUE1", "MS1", F2) is None  # released
    _creation, modification = plateforme.dossiers.historique(numero)
    assert (modification.action, modification.qui) == ("MODIFICATION", "paul")
    assert modification.instant == ECHEANCE_AVANCE + timedelta(days=10)
    assert lire_json(modification.details["demandePrecedente"]) == avant.demande
    assert modification.details["montantsPrecedents"]["montantFinance"] == "30000.00"
    assert modification.details["versionPrecedente"] == avant.version


def test_modification_d_un_dossier_decide_refusee(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    # decided before the simulation: the registre tells the simulation
    plateforme.dossiers.changer_statut(numero, "DECIDEE")
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, type_action="M", numero_asp=numero)))
    assert plateforme.depot(depot.id).simulation.lignes_importables == 0  # type: ignore[union-attr]

    # decided after the simulation: the import checks on its own
    plateforme.dossiers.changer_statut(numero, "EN_COURS")
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, type_action="M", numero_asp=numero)))
    plateforme.dossiers.changer_statut(numero, "DECIDEE")
    avant = plateforme.dossiers.lire(numero)
    resultat = plateforme.importer(depot.id, SIRET)

    assert resultat.refus[1].code == "DOSSIER_NON_MODIFIABLE"
    assert resultat.refus[1].chemin == "/demandes/0/typeAction"
    assert "au statut « décidée »" in resultat.refus[1].message
    assert plateforme.dossiers.lire(numero) == avant
    assert [e.action for e in plateforme.dossiers.historique(numero)] == ["CREATION"]


def test_modification_du_dossier_d_un_autre_editeur_refusee(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    depot = plateforme.demarrer_depot(siret=SIRET_AUTRE, numero_ans=NUMERO_ANS_AUTRE)
    plateforme.deposer(
        depot,
        fichier(
            demande(1, type_action="M", numero_asp=numero),
            siret=SIRET_AUTRE,
            numero_ans=NUMERO_ANS_AUTRE,
        ),
    )
    # the simulation rejected it; force the line through to check the import's own rule
    recu = plateforme.depot(depot.id)
    ligne = LigneAImporter(1, 0, "M", numero, "D00001", demande(1), (F1,), {})
    plateforme.stockage.ecrire(recu.cle_rapport(RAPPORT_LIGNES), encoder_lignes([ligne]))
    plateforme.depots.depots[depot.id] = replace(
        recu, simulation=ResumeSimulation(1, 1, 0, 0, plateforme.horloge.maintenant())
    )

    resultat = plateforme.importer(depot.id, SIRET_AUTRE)

    assert resultat.refus[1].code == "NUMERO_ASP_INCONNU"
    dossier = plateforme.dossiers.lire(numero)
    assert dossier is not None and dossier.siret == SIRET and dossier.version == 1


def test_modification_concurrente_relit_la_version(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    depot = plateforme.demarrer_depot()
    plateforme.deposer(
        depot,
        fichier(demande(1, (F1,), type_action="M", numero_asp=numero, numero_dossier="D00001")),
    )

    def l_instruction_ecrit_entre_temps() -> None:
        plateforme.dossiers.avant_ecriture = None
        plateforme.dossiers.changer_statut(numero, "A_MODIFIER")

    plateforme.dossiers.avant_ecriture = l_instruction_ecrit_entre_temps
    resultat = plateforme.importer(depot.id, SIRET)

    assert resultat.numeros_asp == {1: numero}
    dossier = plateforme.dossiers.lire(numero)
    assert dossier is not None
    assert dossier.statut is StatutDemande.A_MODIFIER  # the instruction's write is kept
    assert dossier.finess == (F1,)


# --- SOLDE ----------------------------------------------------------------------------------


def test_le_solde_se_rattache_au_dossier_d_avance(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    plateforme.regler(ECHEANCE_AVANCE + timedelta(days=60))
    depot = plateforme.demarrer_depot(type_demande="SOLDE")
    solde = demande(1, (F1, F2), numero_asp=numero, montant="30000.00", numero_dossier="S00001")
    solde["piecesJustificatives"] = [
        {"nomFichier": "MS1_f-FAC-S00001.pdf", "formatFichier": "PDF", "typeFichier": "FACTURE"},
        {"nomFichier": "MS1_v-VA-S00001.pdf", "formatFichier": "PDF", "typeFichier": "PV_VA"},
    ]
    plateforme.deposer(depot, fichier(solde))

    resultat = plateforme.importer(depot.id, SIRET)

    assert resultat.numeros_asp == {1: numero}
    dossier = plateforme.dossiers.lire(numero)
    assert dossier is not None and dossier.solde is not None
    assert dossier.solde["statut"] == "INCOMPLET"
    assert dossier.solde["montants"]["montantFinance"] == "30000.00"
    assert [p["typeFichier"] for p in dossier.solde["pieces"]] == ["FACTURE", "PV_VA"]
    assert dossier.solde["idDepot"] == depot.id
    assert dossier.type_demande == "AVANCE"
    assert dossier.finess == (F1, F2)
    assert [e.action for e in plateforme.dossiers.historique(numero)] == ["CREATION", "SOLDE"]
    assert len(plateforme.dossiers.dossiers) == 1


def test_un_second_solde_est_refuse(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    resultats = []
    for _ in range(2):
        depot = plateforme.demarrer_depot(type_demande="SOLDE")
        plateforme.deposer(depot, fichier(demande(1, numero_asp=numero)))
        resultats.append(plateforme.importer(depot.id, SIRET))
    assert resultats[0].numeros_asp == {1: numero}
    assert resultats[1].refus[1].code == "SOLDE_DEJA_DEPOSE"


def test_solde_d_une_avance_deposee_apres_l_echeance_refuse(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    dossier = plateforme.dossiers.lire(numero)
    assert dossier is not None
    plateforme.dossiers.dossiers[numero] = replace(dossier, depose_le=ECHEANCE_AVANCE)
    depot = plateforme.demarrer_depot(type_demande="SOLDE")
    plateforme.deposer(depot, fichier(demande(1, numero_asp=numero)))
    resultat = plateforme.importer(depot.id, SIRET)
    assert resultat.refus[1].code == "GUICHET_AVANCE_TARDIVE"
    assert plateforme.dossiers.lire(numero).solde is None  # type: ignore[union-attr]


def test_modifier_le_solde_garde_son_statut_et_l_historique(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    depot = plateforme.demarrer_depot(type_demande="SOLDE")
    plateforme.deposer(depot, fichier(demande(1, numero_asp=numero, montant="100.00")))
    plateforme.importer(depot.id, SIRET)
    dossier = plateforme.dossiers.lire(numero)
    assert dossier is not None and dossier.solde is not None
    plateforme.dossiers.dossiers[numero] = replace(
        dossier, solde={**dossier.solde, "statut": "EN_COURS"}
    )
    depot = plateforme.demarrer_depot(type_demande="SOLDE")
    plateforme.deposer(
        depot, fichier(demande(1, type_action="M", numero_asp=numero, montant="200.00"))
    )

    resultat = plateforme.importer(depot.id, SIRET)

    assert resultat.numeros_asp == {1: numero}
    dossier = plateforme.dossiers.lire(numero)
    assert dossier is not None and dossier.solde is not None
    assert dossier.solde["statut"] == "EN_COURS"
    assert dossier.solde["montants"]["montantFinance"] == "200.00"
    derniere = plateforme.dossiers.historique(numero)[-1]
    assert derniere.action == "MODIFICATION_SOLDE"
    assert '"montantSegur":100.00' in derniere.details["soldePrecedent"]


def test_modifier_un_solde_absent_refuse(plateforme: Plateforme) -> None:
    numero = _dossier_importe(plateforme)
    depot = plateforme.demarrer_depot(type_demande="SOLDE")
    plateforme.deposer(depot, fichier(demande(1, type_action="M", numero_asp=numero)))
    resultat = plateforme.importer(depot.id, SIRET)
    assert resultat.refus[1].code == "SOLDE_ABSENT"
