"""D3 on the platform: the JSON arrives (S3 → SQS), is simulated, its reports stored."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.depot.application.reception import IssueReception
from services.depot.application.simulation import annoter, simuler
from services.depot.domain.depot import (
    RAPPORT_COMPTE_RENDU,
    RAPPORT_FICHIER_ANNOTE,
    RAPPORT_LIGNES,
    TAILLE_MAX_JSON,
    StatutDepot,
    lire_json,
)
from shared.horloge import PARIS
from tests.fixtures.depot import generateur
from tests.unit.depot.fakes import NUMERO_ANS, SIRET, SIRET_AUTRE, demande, fichier
from tests.unit.depot.plateforme import ECHEANCE_AVANCE, Plateforme


@pytest.fixture
def plateforme() -> Plateforme:
    p = Plateforme()
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    return p


def test_le_json_recu_est_simule_avec_le_contexte_du_depot(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot(taux_tva="5.5")
    recu_le = datetime(2024, 2, 28, 13, 59, 59, tzinfo=PARIS)

    issue, version = plateforme.deposer(depot, fichier(demande(1), demande(2)), recu_le)

    assert issue is IssueReception.SIMULE
    (_, nom, contexte) = plateforme.simulateur.appels[0]
    assert nom == "demandes.json"
    assert contexte.recu_le == recu_le == contexte.date_depot
    assert (contexte.siret_attendu, contexte.numero_ans_attendu) == (SIRET, NUMERO_ANS)
    assert (contexte.couloir, contexte.campagne.id) == ("MS1", "MS-VAGUE1")
    assert str(contexte.taux_tva) == "5.5"
    depot = plateforme.depot(depot.id)
    assert depot.statut is StatutDepot.SIMULE
    assert depot.json_recu_le == recu_le
    assert depot.fichier is not None and depot.fichier.empreinte == version
    assert depot.simulation is not None
    assert (depot.simulation.nombre_lignes, depot.simulation.lignes_importables) == (2, 2)
    compte_rendu = lire_json(plateforme.stockage.contenu(depot.cle_rapport(RAPPORT_COMPTE_RENDU)))
    assert compte_rendu["idFichier"] == depot.id
    assert [ligne["statut"] for ligne in compte_rendu["lignes"]] == ["IMPORTABLE"] * 2
    annote = lire_json(plateforme.stockage.contenu(depot.cle_rapport(RAPPORT_FICHIER_ANNOTE)))
    assert annote["idFichier"] == depot.id
    lignes = lire_json(plateforme.stockage.contenu(depot.cle_rapport(RAPPORT_LIGNES)))
    assert [ligne["numLigne"] for ligne in lignes] == [1, 2]


def test_le_registre_de_la_plateforme_est_consulte() -> None:
    """The real simulation on the real registre (`RegistreDepot` over the dossiers the
    import wrote): a modification of this éditeur's dossier is importable, one of another
    éditeur's dossier or of a numeroASP the platform does not hold is not."""
    plateforme = Plateforme(simuler=simuler, annoter=annoter)
    plateforme.numero_ans_par_defaut = generateur.NUMERO_ANS
    plateforme.enrolements.enroler(generateur.SIRET, generateur.NUMERO_ANS, "MS1")
    plateforme.enrolements.enroler(SIRET_AUTRE, "ANSB000002", "MS1")
    f1, f2, f3 = generateur.finess_valides(3, seed=17)
    mien = plateforme.deposer_et_importer(
        generateur.octets(generateur.fichier_valide(1, finess=[f1])), siret=generateur.SIRET
    ).numeros_asp[1]
    autre = plateforme.deposer_et_importer(
        generateur.octets(
            generateur.fichier_valide(1, siret=SIRET_AUTRE, numero_ans="ANSB000002", finess=[f2])
        ),
        siret=SIRET_AUTRE,
        numero_ans="ANSB000002",
    ).numeros_asp[1]
    modifications = [
        generateur.demande_valide(n, [f], f"D0000{n}", type_action="M", numero_asp=numero)
        for n, f, numero in ((1, f1, mien), (2, f2, autre), (3, f3, "FINMS1999999"))
    ]
    depot = plateforme.demarrer_depot(siret=generateur.SIRET)
    plateforme.deposer(
        depot,
        generateur.octets(
            {
                "idFichier": None,
                "numeroAns": generateur.NUMERO_ANS,
                "siret": generateur.SIRET,
                "demandes": modifications,
            }
        ),
    )

    vue = plateforme.consultation.lire_depot(depot.id, generateur.SIRET)
    lignes = vue["compteRendu"]["lignes"]
    assert [ligne["statut"] for ligne in lignes] == ["IMPORTABLE", "REJETEE", "REJETEE"]
    assert [[(e["code"], e["chemin"]) for e in ligne["erreurs"]] for ligne in lignes[1:]] == [
        [("NUMERO_ASP_AUTRE_EDITEUR", "/demandes/1/numeroASP")],
        [("NUMERO_ASP_INCONNU", "/demandes/2/numeroASP")],
    ]


def test_le_meme_envoi_traite_deux_fois_ne_change_rien(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    _, version = plateforme.deposer(depot, fichier(demande(1)))
    apres_premier = plateforme.depot(depot.id)

    issue = plateforme.traiter_json_recu(
        "segurnum-depots",
        apres_premier.fichier.cle,  # type: ignore[union-attr]
        plateforme.horloge.maintenant(),
        version_id=version,
    )

    assert issue is IssueReception.DEJA_TRAITE
    assert len(plateforme.simulateur.appels) == 1
    assert plateforme.depot(depot.id) == apres_premier


def test_sans_version_l_etag_rend_le_traitement_idempotent(plateforme: Plateforme) -> None:
    plateforme.demarrer_depot()
    cle = plateforme.stockage.envois[-1].cle
    plateforme.stockage.deposer(cle, fichier(demande(1)))
    maintenant = plateforme.horloge.maintenant()

    assert plateforme.traiter_json_recu("b", cle, maintenant) is IssueReception.SIMULE
    assert plateforme.traiter_json_recu("b", cle, maintenant) is IssueReception.DEJA_TRAITE
    assert len(plateforme.simulateur.appels) == 1


def test_un_nouvel_envoi_remplace_la_simulation(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1, _erreur="X")))
    assert plateforme.depot(depot.id).simulation.lignes_importables == 0  # type: ignore[union-attr]

    plateforme.avancer(timedelta(minutes=5))
    issue, version = plateforme.deposer(depot, fichier(demande(1), demande(2)))

    assert issue is IssueReception.SIMULE
    depot = plateforme.depot(depot.id)
    assert depot.fichier.empreinte == version  # type: ignore[union-attr]
    assert depot.simulation.lignes_importables == 2  # type: ignore[union-attr]


def test_un_envoi_plus_ancien_arrive_en_retard_ne_remplace_rien(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    cle = plateforme.stockage.envois[-1].cle
    ancienne = plateforme.stockage.deposer(cle, fichier(demande(1, _erreur="X")))
    recente = plateforme.stockage.deposer(cle, fichier(demande(1)))
    maintenant = plateforme.horloge.maintenant()

    plateforme.traiter_json_recu("b", cle, maintenant, version_id=recente)
    issue = plateforme.traiter_json_recu(
        "b", cle, maintenant - timedelta(seconds=2), version_id=ancienne
    )

    assert issue is IssueReception.PERIME
    assert plateforme.depot(depot.id).fichier.empreinte == recente  # type: ignore[union-attr]


def test_un_fichier_rejete_en_entier(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    issue, _ = plateforme.deposer(depot, b"pas du json")
    assert issue is IssueReception.REJETE
    depot = plateforme.depot(depot.id)
    assert depot.statut is StatutDepot.REJETE
    assert depot.simulation is not None and depot.simulation.erreurs_fichier == 1


def test_un_fichier_rejete_peut_etre_remplace(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1), siret=SIRET_AUTRE))
    assert plateforme.depot(depot.id).statut is StatutDepot.REJETE
    plateforme.avancer(timedelta(seconds=1))
    plateforme.deposer(depot, fichier(demande(1)))
    assert plateforme.depot(depot.id).statut is StatutDepot.SIMULE


def test_un_envoi_apres_l_import_ne_remplace_rien(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, fichier(demande(1)))
    plateforme.importer(depot.id, SIRET)
    importe = plateforme.depot(depot.id)

    plateforme.avancer(timedelta(minutes=1))
    issue, _ = plateforme.deposer(depot, fichier(demande(1), demande(2)))

    assert issue is IssueReception.APRES_IMPORT
    assert plateforme.depot(depot.id) == importe
    assert len(plateforme.simulateur.appels) == 1


@pytest.mark.parametrize(
    "cle",
    [
        "pieces/73282932000074/x/p.zip",
        "json/73282932000074/demandes.json",
        "comptes-rendus/x.json",
        "json/7328293200007/abc/demandes.json",
    ],
)
def test_les_cles_etrangeres_sont_ignorees(plateforme: Plateforme, cle: str) -> None:
    issue = plateforme.traiter_json_recu("b", cle, plateforme.horloge.maintenant())
    assert issue is IssueReception.IGNORE
    assert not plateforme.simulateur.appels


def test_un_depot_inconnu_est_ignore(plateforme: Plateforme) -> None:
    cle = f"json/{SIRET}/inconnu/demandes.json"
    plateforme.stockage.deposer(cle, fichier(demande(1)))
    assert plateforme.traiter_json_recu("b", cle, ECHEANCE_AVANCE) is IssueReception.IGNORE


def test_le_siret_de_la_cle_doit_etre_celui_du_depot(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    cle = f"json/{SIRET_AUTRE}/{depot.id}/demandes.json"
    plateforme.stockage.deposer(cle, fichier(demande(1)))
    assert plateforme.traiter_json_recu("b", cle, ECHEANCE_AVANCE) is IssueReception.IGNORE
    assert plateforme.depot(depot.id).statut is StatutDepot.CREE


def test_un_json_sous_un_autre_nom_du_prefixe_n_est_pas_simule(plateforme: Plateforme) -> None:
    """Only the key signed in the presigned POST is the dépôt's JSON (spec: uploads)."""
    depot = plateforme.demarrer_depot(nom_fichier="mes-demandes.json")
    assert plateforme.stockage.envois[-1].cle == f"json/{SIRET}/{depot.id}/mes-demandes.json"
    autre = f"json/{SIRET}/{depot.id}/autre.json"
    version = plateforme.stockage.deposer(autre, fichier(demande(1)))
    issue = plateforme.traiter_json_recu("b", autre, ECHEANCE_AVANCE, version_id=version)
    assert issue is IssueReception.IGNORE
    assert not plateforme.simulateur.appels
    assert plateforme.depot(depot.id).statut is StatutDepot.CREE
    # the issued key itself is simulated
    issue, _ = plateforme.deposer(depot, fichier(demande(1)))
    assert issue is IssueReception.SIMULE


def test_un_objet_disparu_est_ignore(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    cle = plateforme.stockage.envois[-1].cle
    assert plateforme.traiter_json_recu("b", cle, ECHEANCE_AVANCE) is IssueReception.IGNORE
    assert plateforme.depot(depot.id).statut is StatutDepot.CREE


def test_un_fichier_trop_gros_n_est_lu_qu_a_la_limite(plateforme: Plateforme) -> None:
    depot = plateforme.demarrer_depot()
    plateforme.deposer(depot, b" " * (TAILLE_MAX_JSON + 10))
    contenu, _, _ = plateforme.simulateur.appels[0]
    assert len(contenu) == TAILLE_MAX_JSON + 1
    assert plateforme.depot(depot.id).fichier.taille == TAILLE_MAX_JSON + 10  # type: ignore[union-attr]


def test_l_heure_de_reception_passe_par_l_horloge_de_la_plateforme(
    plateforme: Plateforme,
) -> None:
    class HorlogeDecalee:
        def maintenant(self) -> datetime:
            return plateforme.horloge.maintenant()

        def depuis_aws(self, instant: datetime) -> datetime:
            return instant - timedelta(days=365)

    plateforme.traiter_json_recu._horloge = HorlogeDecalee()
    depot = plateforme.demarrer_depot()
    aws = datetime(2025, 2, 1, 10, 0, tzinfo=PARIS)
    plateforme.deposer(depot, fichier(demande(1)), aws)
    assert plateforme.depot(depot.id).json_recu_le == aws - timedelta(days=365)
