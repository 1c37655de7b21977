"""The Depot entity and the pure rules of domain/depot.py."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from services.depot.domain.depot import (
    Conflit,
    Depot,
    DonneeInvalide,
    ErreurMetier,
    FichierRecu,
    ResumeSimulation,
    StatutDepot,
    analyser_cle_json,
    chemins_finess,
    cle_json,
    json_canonique,
    lire_json,
    numero_asp,
)
from shared.campagnes import TypeDemande
from shared.horloge import PARIS
from shared.refus import NatureRefus

INSTANT = datetime(2024, 2, 1, 10, 0, tzinfo=PARIS)


def _depot() -> Depot:
    return Depot.creer(
        id_depot="d1",
        siret="73282932000074",
        numero_ans="ANS0000001",
        couloir="MS1",
        campagne="MS-VAGUE1",
        type_demande=TypeDemande.AVANCE,
        taux_tva="5.5",
        cree_le=INSTANT,
    )


def _fichier(empreinte: str = "v1") -> FichierRecu:
    return FichierRecu("json/x/d1/demandes.json", "demandes.json", empreinte, INSTANT, 10)


def _resume(importables: int = 1, erreurs_fichier: int = 0) -> ResumeSimulation:
    return ResumeSimulation(2, importables, 2 - importables, erreurs_fichier, INSTANT)


def test_cycle_de_vie_complet() -> None:
    depot = _depot()
    assert depot.statut is StatutDepot.CREE
    assert depot.cree_le.tzinfo is UTC
    depot = depot.recevoir_json(_fichier())
    assert depot.statut is StatutDepot.JSON_RECU
    depot = depot.enregistrer_simulation(_resume())
    assert depot.statut is StatutDepot.SIMULE
    depot = depot.commencer_import(INSTANT)
    assert depot.import_commence
    depot = depot.marquer_importe({1: "FINMS1000001"}, 1, INSTANT)
    assert depot.statut is StatutDepot.IMPORTE
    depot = depot.terminer(INSTANT)
    assert depot.statut is StatutDepot.TERMINE
    assert depot.terminer(INSTANT) is depot


def test_fichier_rejete_en_entier() -> None:
    depot = _depot().recevoir_json(_fichier()).enregistrer_simulation(_resume(0, 1))
    assert depot.statut is StatutDepot.REJETE
    with pytest.raises(DonneeInvalide):
        depot.commencer_import(INSTANT)
    assert depot.recevoir_json(_fichier("v2")).statut is StatutDepot.JSON_RECU


def test_pas_de_nouveau_fichier_une_fois_l_import_commence() -> None:
    depot = _depot().recevoir_json(_fichier()).enregistrer_simulation(_resume())
    depot = depot.commencer_import(INSTANT)
    with pytest.raises(Conflit) as erreur:
        depot.recevoir_json(_fichier("v2"))
    assert erreur.value.code == "DEPOT_DEJA_IMPORTE"


def test_simulation_hors_sequence() -> None:
    with pytest.raises(Conflit):
        _depot().enregistrer_simulation(_resume())


def test_terminer_avant_import() -> None:
    with pytest.raises(Conflit) as erreur:
        _depot().terminer(INSTANT)
    assert erreur.value.code == "DEPOT_NON_IMPORTE"


def test_marquer_importe_sans_avoir_commence() -> None:
    depot = _depot().recevoir_json(_fichier()).enregistrer_simulation(_resume())
    with pytest.raises(Conflit):
        depot.marquer_importe({}, 0, INSTANT)


def test_le_taux_est_normalise() -> None:
    assert _depot().taux_tva == Decimal("5.5")


def test_instant_sans_fuseau_refuse() -> None:
    with pytest.raises(ValueError, match="fuseau"):
        Depot.creer(
            id_depot="d",
            siret="1",
            numero_ans="A",
            couloir="MS1",
            campagne="C",
            type_demande=TypeDemande.AVANCE,
            taux_tva=0,
            cree_le=datetime(2024, 1, 1),  # no timezone
        )


def test_numero_asp() -> None:
    assert numero_asp("MS1", 1) == "FINMS1000001"
    assert numero_asp("MS2", 999_999) == "FINMS2999999"
    with pytest.raises(ErreurMetier) as erreur:
        numero_asp("MS1", 1_000_000)
    assert (erreur.value.code, erreur.value.nature) == ("NUMEROTATION_EPUISEE", NatureRefus.INTERNE)


def test_cle_json_aller_retour() -> None:
    cle = cle_json("73282932000074", "abc-123", "lot é 1.json")
    analysee = analyser_cle_json(cle)
    assert analysee is not None
    assert (analysee.siret, analysee.id_depot, analysee.nom_fichier) == (
        "73282932000074",
        "abc-123",
        "lot é 1.json",
    )
    assert analyser_cle_json("json/73282932000074/abc/sous/x.json") is None


def test_json_canonique_garde_les_decimaux_exacts() -> None:
    valeur = {"b": [Decimal("1500.50"), 3, None, True], "a": 'é"', "c": Decimal("0.1")}
    texte = json_canonique(valeur)
    assert texte == '{"a":"é\\"","b":[1500.50,3,null,true],"c":0.1}'
    assert lire_json(texte) == valeur
    with pytest.raises(ValueError):
        json_canonique(Decimal("NaN"))


def test_chemins_finess() -> None:
    demande = {
        "beneficiaires": [
            {"etablissementsClients": [{"finessGeo": "A"}]},
            {"etablissementsClients": [{"finessGeo": "B"}, {"finessGeo": "A"}]},
        ]
    }
    assert chemins_finess(demande, 4) == {
        "A": "/demandes/4/beneficiaires/0/etablissementsClients/0/finessGeo",
        "B": "/demandes/4/beneficiaires/1/etablissementsClients/0/finessGeo",
    }
