"""The import out of the request: asked (202, IMPORT_EN_COURS, a message on the queue), run
from the queue one run at a time (a lease on the dépôt), resumable after a stop, with its
progress on the dépôt."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from services.depot.application.consultation import vue_depot
from services.depot.application.importation import DemanderImport, Importer
from services.depot.domain.depot import Conflit, DonneeInvalide, StatutDepot
from shared.campagnes import TypeDemande
from tests.unit.depot.fakes import NUMERO_ANS, SIRET, FileImportEnMemoire, demande, fichier
from tests.unit.depot.plateforme import ECHEANCE_SOLDE, Plateforme

F = [f"7507121{n:02d}" for n in range(40)]


class Secondes:
    """The run's clock for leases (seconds), set by the test."""

    def __init__(self) -> None:
        self.t = 1_000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def plateforme() -> Plateforme:
    p = Plateforme()
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    return p


def _composer(p: Plateforme) -> tuple[DemanderImport, Importer, FileImportEnMemoire, Secondes]:
    file, secondes = FileImportEnMemoire(), Secondes()
    demander = DemanderImport(p.depots, file, p.horloge)
    importer = Importer(
        p.depots, p.dossiers, p.compteur, p.stockage, p.horloge, file=file, secondes=secondes
    )
    return demander, importer, file, secondes


def _simule(p: Plateforme, lignes: int) -> str:
    depot = p.demarrer_depot()
    p.deposer(depot, fichier(*(demande(i + 1, (F[i],)) for i in range(lignes))))
    return depot.id


def test_demander_repond_aussitot_et_met_l_import_en_file(plateforme: Plateforme) -> None:
    demander, importer, file, _ = _composer(plateforme)
    id_depot = _simule(plateforme, 3)

    depot = demander(id_depot, SIRET, "jeanne")

    assert depot.statut is StatutDepot.IMPORT_EN_COURS
    assert file.demandes == [(id_depot, "jeanne")]
    assert not plateforme.dossiers.dossiers  # nothing written in the request
    vue = vue_depot(depot)
    assert vue["statut"] == "IMPORT_EN_COURS" and vue["importEnCours"]["lignesTraitees"] == 0
    # asked again while it runs: the message again (a lost one is recovered), still 202
    assert demander(id_depot, SIRET).statut is StatutDepot.IMPORT_EN_COURS
    assert len(file.demandes) == 2

    resultat = importer.executer(id_depot, "jeanne")
    assert resultat is not None and len(resultat.numeros_asp) == 3
    assert importer.executer(id_depot, "jeanne") is None  # the duplicate message: nothing
    assert len(plateforme.dossiers.dossiers) == 3
    depot = plateforme.depot(id_depot)
    assert depot.statut is StatutDepot.IMPORTE and depot.import_en_cours is None
    with pytest.raises(Conflit) as erreur:
        demander(id_depot, SIRET)
    assert erreur.value.code == "DEPOT_DEJA_IMPORTE"


def test_un_solde_recu_apres_son_echeance_est_refuse_a_la_demande(
    plateforme: Plateforme,
) -> None:
    demander, _, file, _ = _composer(plateforme)
    id_depot = _simule(plateforme, 1)
    depot = plateforme.depot(id_depot)
    assert depot.fichier is not None
    plateforme.depots.depots[id_depot] = replace(
        depot,
        type_demande=TypeDemande.SOLDE,
        fichier=replace(depot.fichier, recu_le=ECHEANCE_SOLDE),
    )
    with pytest.raises(DonneeInvalide) as erreur:
        demander(id_depot, SIRET)
    assert "fermé" in erreur.value.message and not file.demandes


def test_une_seule_execution_a_la_fois_puis_reprise_a_l_expiration_du_bail(
    plateforme: Plateforme,
) -> None:
    demander, importer, _, secondes = _composer(plateforme)
    id_depot = _simule(plateforme, 4)
    demander(id_depot, SIRET)
    ecritures = 0

    def une_panne_sans_rendre_la_main() -> None:
        """The first run dies after two lines, as a Lambda killed mid-way (no cleanup)."""
        nonlocal ecritures
        ecritures += 1
        if ecritures == 3:
            depot = plateforme.depot(id_depot)
            assert depot.import_en_cours is not None
            # its lease stays (a killed process gives nothing back)
            raise SystemExit("Lambda tuée")

    plateforme.dossiers.avant_ecriture = une_panne_sans_rendre_la_main
    with pytest.raises(SystemExit):
        importer.executer(id_depot, SIRET)
    plateforme.dossiers.avant_ecriture = None
    # The killed run's lease is given back by its `finally`… unless the process died:
    # play that, the lease held for 300 s.
    depot = plateforme.depot(id_depot)
    assert depot.import_en_cours is not None
    plateforme.depots.depots[id_depot] = replace(
        depot,
        import_en_cours=replace(depot.import_en_cours, jeton="mort", bail_jusqu_a=secondes.t + 300),
    )
    assert importer.executer(id_depot, SIRET) is None  # the lease is live: another run's
    assert len(plateforme.dossiers.dossiers) == 2

    secondes.t += 301
    resultat = importer.executer(id_depot, SIRET)
    assert resultat is not None
    assert dict(resultat.numeros_asp) == {
        1: "FINMS1000001",
        2: "FINMS1000002",
        3: "FINMS1000003",
        4: "FINMS1000004",
    }
    assert plateforme.compteur.valeurs == {"FINMS1": 4}  # reserved once, at the first run


def test_une_execution_dont_le_bail_est_repris_n_ecrit_plus_rien(plateforme: Plateforme) -> None:
    demander, importer, _, _ = _composer(plateforme)
    id_depot = _simule(plateforme, 3)
    demander(id_depot, SIRET)

    def un_autre_prend_le_depot() -> None:
        plateforme.dossiers.avant_ecriture = None
        depot = plateforme.depot(id_depot)
        assert depot.import_en_cours is not None
        plateforme.depots.depots[id_depot] = replace(
            depot, import_en_cours=replace(depot.import_en_cours, jeton="autre")
        )

    plateforme.dossiers.avant_ecriture = un_autre_prend_le_depot
    assert importer.executer(id_depot, SIRET) is None
    assert not plateforme.dossiers.dossiers
    assert plateforme.depot(id_depot).statut is StatutDepot.IMPORT_EN_COURS


def test_arretee_avant_son_temps_l_execution_se_redemande_et_reprend(
    plateforme: Plateforme,
) -> None:
    demander, importer, file, _ = _composer(plateforme)
    id_depot = _simule(plateforme, 25)
    demander(id_depot, SIRET)
    appels = 0

    def encore_12_lignes() -> bool:
        nonlocal appels
        appels += 1
        return appels <= 12

    assert importer.executer(id_depot, SIRET, encore_12_lignes) is None
    depot = plateforme.depot(id_depot)
    assert depot.import_en_cours is not None
    assert depot.import_en_cours.lignes_traitees == 12  # progress saved, lease given back
    assert depot.import_en_cours.jeton is None
    assert vue_depot(depot)["importEnCours"] == {"lignesATraiter": 25, "lignesTraitees": 12}
    assert file.demandes[-1] == (id_depot, SIRET)  # asked again
    assert len(plateforme.dossiers.dossiers) == 12

    resultat = importer.executer(id_depot, SIRET)
    assert resultat is not None and len(resultat.numeros_asp) == 25
    assert sorted(resultat.numeros_asp.values()) == [f"FINMS1{n:06d}" for n in range(1, 26)]
    assert resultat.compte_rendu["lignesImportees"] == 25


def test_l_avancement_s_ecrit_en_cours_de_route(plateforme: Plateforme) -> None:
    demander, importer, _, _ = _composer(plateforme)
    id_depot = _simule(plateforme, 25)
    demander(id_depot, SIRET)
    vus: list[Any] = []

    def noter() -> None:
        depot = plateforme.depot(id_depot)
        assert depot.import_en_cours is not None
        vus.append(depot.import_en_cours.lignes_traitees)

    plateforme.dossiers.avant_ecriture = noter
    importer.executer(id_depot, SIRET)
    assert vus[0] == 0 and vus[-1] == 20 and sorted(vus) == vus
