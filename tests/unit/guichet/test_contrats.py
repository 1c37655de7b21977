"""The guichet reads what the dépôt service writes only through the records' contracts in
shared/: each writer of the dépôt service against the reader the guichet uses, on the
attributes the guichet's queries project (as DynamoDB would give them back)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.depot.adapters.dynamodb import _depot_item, _dossier_item
from services.depot.domain.depot import (
    Depot,
    DonneeInvalide,
    Dossier,
    FichierRecu,
    ResumeSimulation,
    verifier_guichet,
)
from services.guichet.adapters.dynamodb import (
    ATTRIBUTS_DOSSIER,
    ATTRIBUTS_SOLDE,
    dossier_resume,
    projection,
)
from shared.campagnes import CAMPAGNE_MS_VAGUE1, TypeDemande, campagne
from shared.depot import (
    ATTRIBUTS_RESUME_DEPOT,
    StatutDepot,
    index_statut_depot,
    resume_depot_depuis_item,
)
from shared.dossier import index_statut_dossier
from shared.dynamo import depuis_dynamo, vers_dynamo
from shared.guichet import message_refus
from shared.statuts import StatutDemande
from tests.unit.shared.test_enregistrements_aller_retour import LE, _dossier_depot

MS1 = campagne(CAMPAGNE_MS_VAGUE1)


def projete(item: dict[str, Any], attributs: tuple[str, ...]) -> dict[str, Any]:
    """The item through DynamoDB's typed form, reduced to these attributes (paths `a.b`):
    what a query with that ProjectionExpression returns."""
    complet = depuis_dynamo(vers_dynamo(item))
    garde: dict[str, Any] = {}
    for chemin in attributs:
        source, cible = complet, garde
        *parents, feuille = chemin.split(".")
        for nom in parents:
            if not isinstance(source.get(nom), dict):
                break
            source, cible = source[nom], cible.setdefault(nom, {})
        else:
            if feuille in source:
                cible[feuille] = source[feuille]
    return garde


def _depot(statut: StatutDepot, simule: bool) -> Depot:
    fichier = FichierRecu("depots/s/d1/json/f.json", "f.json", "etag", LE, 120)
    simulation = ResumeSimulation(3, 2, 1, 0, LE + timedelta(minutes=1))
    return Depot(
        id="d1",
        siret="73282932000074",
        numero_ans="ANS1",
        couloir="MS1",
        campagne=CAMPAGNE_MS_VAGUE1,
        type_demande=TypeDemande.SOLDE,
        taux_tva=Decimal("20"),
        statut=statut,
        cree_le=LE,
        fichier=fichier if simule else None,
        simulation=simulation if simule else None,
    )


@pytest.mark.parametrize("simule", [False, True])
def test_le_depot_ecrit_par_le_depot_est_lu_par_le_guichet(simule: bool) -> None:
    statut = StatutDepot.SIMULE if simule else StatutDepot.CREE
    item = _depot_item(_depot(statut, simule), version=2)
    assert item["GSI2PK"] == index_statut_depot(statut)
    lu = resume_depot_depuis_item(projete(item, ATTRIBUTS_RESUME_DEPOT))
    assert (lu.id, lu.siret, lu.numero_ans, lu.campagne) == (
        "d1",
        "73282932000074",
        "ANS1",
        CAMPAGNE_MS_VAGUE1,
    )
    assert (lu.type_demande, lu.statut, lu.cree_le) == (TypeDemande.SOLDE, statut, LE)
    if simule:
        assert (lu.nom_fichier, lu.json_recu_le) == ("f.json", LE)
        assert (lu.nombre_lignes, lu.lignes_importables) == (3, 2)
    else:
        assert (lu.nom_fichier, lu.json_recu_le, lu.nombre_lignes) == (None, None, None)


def _dossier(solde: dict[str, Any] | None) -> Dossier:
    """The dossier of the shared round-trip test, with this solde (or none)."""
    return replace(_dossier_depot(solde=False), solde=solde)


def test_le_dossier_ecrit_par_le_depot_est_lu_par_le_guichet() -> None:
    solde = {"statut": "INCOMPLET", "numeroDossier": "00002", "demande": {"numLigne": 1}}
    item = _dossier_item(_dossier(solde))
    assert item["GSI2PK"] == index_statut_dossier(StatutDemande.EN_COURS)
    avance = dossier_resume(projete(item, ATTRIBUTS_DOSSIER), TypeDemande.AVANCE)
    assert avance is not None
    assert (avance.numero_asp, avance.siret, avance.numero_ans) == (
        "FINMS1000001",
        "73282932000074",
        "ANS1",
    )
    assert (avance.numero_dossier, avance.statut) == ("00001", "EN_COURS")
    lu = dossier_resume(projete(item, ATTRIBUTS_DOSSIER + ATTRIBUTS_SOLDE), TypeDemande.SOLDE)
    assert lu is not None
    assert (lu.numero_dossier, lu.statut) == ("00002", "INCOMPLET")


def test_un_solde_sans_numero_garde_celui_du_dossier_et_un_dossier_sans_solde_n_en_a_pas() -> None:
    item = _dossier_item(_dossier({"statut": "EN_COURS"}))
    lu = dossier_resume(projete(item, ATTRIBUTS_DOSSIER + ATTRIBUTS_SOLDE), TypeDemande.SOLDE)
    assert lu is not None
    assert (lu.numero_dossier, lu.statut) == ("00001", "EN_COURS")
    sans_solde = projete(_dossier_item(_dossier(None)), ATTRIBUTS_DOSSIER + ATTRIBUTS_SOLDE)
    assert dossier_resume(sans_solde, TypeDemande.SOLDE) is None


def test_la_projection_nomme_chaque_attribut_par_un_alias() -> None:
    """`statut` is a DynamoDB reserved word: no name is left bare, a name used twice (the
    `statut` of the dossier and of its solde) has one alias."""
    expression = projection(("statut", "solde.statut", "numeroAsp"))
    assert expression == {
        "ProjectionExpression": "#a0, #a1.#a0, #a2",
        "ExpressionAttributeNames": {"#a0": "statut", "#a1": "solde", "#a2": "numeroAsp"},
    }


@pytest.mark.parametrize(
    "instant",
    [
        datetime(2021, 6, 30, 21, 59, 59, tzinfo=UTC),  # before the opening
        datetime(2024, 2, 28, 12, 59, 59, tzinfo=UTC),  # 13:59:59 in Paris: open
        datetime(2024, 2, 28, 13, 0, 0, tzinfo=UTC),  # 14:00:00 in Paris: closed
    ],
)
def test_le_depot_refuse_avec_la_regle_et_le_message_du_guichet(instant: datetime) -> None:
    """The dépôt path's own rule is the one the guichet shows (shared/guichet.py)."""
    attendu = message_refus(MS1, TypeDemande.AVANCE, instant)
    if attendu is None:
        verifier_guichet(MS1, TypeDemande.AVANCE, instant)
        return
    with pytest.raises(DonneeInvalide) as refus:
        verifier_guichet(MS1, TypeDemande.AVANCE, instant)
    code = "GUICHET_NON_OUVERT" if instant < MS1.ouverture else "GUICHET_FERME"
    assert (refus.value.code, refus.value.message) == (code, attendu)
