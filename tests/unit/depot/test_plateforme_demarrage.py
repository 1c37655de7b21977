"""D1–D2: starting a dépôt (enrolment, guichet, taux de TVA, presigned upload)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from services.depot.domain.depot import (
    TAILLE_MAX_JSON,
    AccesInterdit,
    DonneeInvalide,
    StatutDepot,
)
from services.depot.vues import vue_depot_demarre
from shared.campagnes import TypeDemande
from shared.horloge import PARIS
from shared.refus import NatureRefus
from tests.unit.depot.fakes import NUMERO_ANS, NUMERO_ANS_AUTRE, SIRET, SIRET_AUTRE
from tests.unit.depot.plateforme import ECHEANCE_AVANCE, ECHEANCE_SOLDE, Plateforme


@pytest.fixture
def plateforme() -> Plateforme:
    p = Plateforme()
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    return p


def test_demarrer_cree_le_depot_et_autorise_l_envoi_du_json(plateforme: Plateforme) -> None:
    demarre = plateforme.demarrer(SIRET, "AVANCE", NUMERO_ANS, "20")

    depot = plateforme.depot(demarre.depot.id)
    assert depot.statut is StatutDepot.CREE
    assert (depot.couloir, depot.campagne, depot.type_demande) == (
        "MS1",
        "MS-VAGUE1",
        TypeDemande.AVANCE,
    )
    assert depot.taux_tva == Decimal("20")
    assert demarre.envoi.cle == f"json/{SIRET}/{depot.id}/demandes.json"
    assert demarre.envoi.taille_max == TAILLE_MAX_JSON == 20 * 1048576
    vue = vue_depot_demarre(demarre)
    assert vue.id_depot == depot.id
    assert vue.envoi.cle == demarre.envoi.cle


def test_le_couloir_vient_du_referentiel_ans(plateforme: Plateforme) -> None:
    plateforme.enrolements.enroler(SIRET, NUMERO_ANS_AUTRE, "MS2")
    assert plateforme.demarrer_depot(numero_ans=NUMERO_ANS_AUTRE).couloir == "MS2"


def test_nom_de_fichier_choisi(plateforme: Plateforme) -> None:
    demarre = plateforme.demarrer(SIRET, "AVANCE", NUMERO_ANS, 20, nom_fichier="lot 1.json")
    assert demarre.envoi.cle.endswith("/lot 1.json")


@pytest.mark.parametrize("nom", ["../x.json", "a/b.json", "x.zip", "a\x00.json", "x" * 101])
def test_nom_de_fichier_refuse(plateforme: Plateforme, nom: str) -> None:
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.demarrer(SIRET, "AVANCE", NUMERO_ANS, 20, nom_fichier=nom)
    assert erreur.value.code == "NOM_FICHIER_INVALIDE"


def test_editeur_non_enrole(plateforme: Plateforme) -> None:
    with pytest.raises(AccesInterdit) as erreur:
        plateforme.demarrer(SIRET_AUTRE, "AVANCE", NUMERO_ANS, "20")
    assert erreur.value.code == "EDITEUR_NON_ENROLE"
    assert erreur.value.nature is NatureRefus.INTERDIT
    assert "n'est pas enrôlée pour le référencement ANS ANS0000001" in erreur.value.message
    assert not plateforme.depots.depots


def test_enrolement_non_valide(plateforme: Plateforme) -> None:
    plateforme.enrolements.enroler(SIRET_AUTRE, NUMERO_ANS, "MS1", statut="EN_ATTENTE")
    with pytest.raises(AccesInterdit):
        plateforme.demarrer(SIRET_AUTRE, "AVANCE", NUMERO_ANS, "20")


def test_enrole_pour_un_autre_numero_ans_seulement(plateforme: Plateforme) -> None:
    plateforme.enrolements.enroler(SIRET_AUTRE, NUMERO_ANS_AUTRE, "MS1")
    with pytest.raises(AccesInterdit):
        plateforme.demarrer(SIRET_AUTRE, "AVANCE", NUMERO_ANS, "20")


def test_numero_ans_inconnu(plateforme: Plateforme) -> None:
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.demarrer(SIRET, "AVANCE", "ANS9999999", "20")
    assert erreur.value.code == "NUMERO_ANS_INCONNU"


@pytest.mark.parametrize("taux", ["19.6", 19.6, "abc", True, None, "NaN", -20, "Infinity"])
def test_taux_de_tva_invalide(plateforme: Plateforme, taux: object) -> None:
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.demarrer(SIRET, "AVANCE", NUMERO_ANS, taux)
    assert erreur.value.code == "TAUX_TVA_INVALIDE"
    assert erreur.value.nature is NatureRefus.INVALIDE
    assert "choisissez 20, 10, 5,5, 2,1 ou 0" in erreur.value.message
    assert not plateforme.depots.depots


@pytest.mark.parametrize(
    ("taux", "attendu"),
    [("20", "20"), (10, "10"), (5.5, "5.5"), ("5.50", "5.5"), (Decimal("2.1"), "2.1"), (0, "0")],
)
def test_taux_de_tva_autorises(plateforme: Plateforme, taux: object, attendu: str) -> None:
    assert plateforme.demarrer_depot(taux_tva=taux).taux_tva == Decimal(attendu)


def test_type_de_demande_inconnu(plateforme: Plateforme) -> None:
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.demarrer(SIRET, "ACOMPTE", NUMERO_ANS, "20")
    assert erreur.value.code == "TYPE_DEMANDE_INVALIDE"


def test_guichet_avance_ouvert_jusqu_a_13h59m59(plateforme: Plateforme) -> None:
    plateforme.regler(ECHEANCE_AVANCE - timedelta(seconds=1))
    assert plateforme.demarrer_depot().statut is StatutDepot.CREE


def test_guichet_avance_ferme_a_14h(plateforme: Plateforme) -> None:
    plateforme.regler(ECHEANCE_AVANCE)
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.demarrer_depot()
    assert erreur.value.code == "GUICHET_FERME"
    assert erreur.value.message == (
        "Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00."
    )
    assert not plateforme.depots.depots


def test_guichet_solde_ouvert_apres_l_echeance_de_l_avance(plateforme: Plateforme) -> None:
    plateforme.regler(ECHEANCE_AVANCE + timedelta(days=30))
    assert plateforme.demarrer_depot(type_demande="SOLDE").type_demande is TypeDemande.SOLDE


def test_guichet_solde_ferme(plateforme: Plateforme) -> None:
    plateforme.regler(ECHEANCE_SOLDE)
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.demarrer_depot(type_demande="SOLDE")
    assert erreur.value.message == (
        "Le guichet des demandes de solde est fermé depuis le 19/12/2024 à 14h00."
    )


def test_guichet_pas_encore_ouvert(plateforme: Plateforme) -> None:
    plateforme.regler(datetime(2021, 6, 30, 12, 0, tzinfo=PARIS))
    with pytest.raises(DonneeInvalide) as erreur:
        plateforme.demarrer_depot()
    assert erreur.value.code == "GUICHET_NON_OUVERT"
    assert "01/07/2021 à 00h00" in erreur.value.message


def test_modifications_d_avance_apres_l_echeance(plateforme: Plateforme) -> None:
    plateforme.regler(ECHEANCE_AVANCE + timedelta(days=3))
    depot = plateforme.demarrer_depot(modification=True)
    assert depot.modification
    assert depot.type_demande is TypeDemande.AVANCE
