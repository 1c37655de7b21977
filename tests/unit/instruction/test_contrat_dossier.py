"""One contract per record: every writer against every reader, across services."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from services.depot.adapters.dynamodb import _dossier_item, _entree, _item_historique
from services.depot.application.ports import EntreeHistorique as EntreeDepot
from services.depot.domain.depot import Dossier
from shared.campagnes import TypeDemande
from shared.dossier import resume_depuis_item
from shared.etat_instruction import (
    DecisionGestionnaire,
    ErreurTechnique,
    EtatInstruction,
    Reprise,
    ResumeVersement,
    etat_depuis_item,
    item_etat,
)
from shared.historique import EntreeHistorique, historique_depuis_item, item_historique
from shared.statuts import Attendu, StatutDemande

LE = datetime(2024, 2, 20, 9, 30, tzinfo=UTC)


def _dynamo(item: dict) -> dict:  # type: ignore[type-arg]
    """Through DynamoDB's typed form and back, as the table would give it."""
    from shared.dynamo import depuis_dynamo, vers_dynamo

    return depuis_dynamo(vers_dynamo(item))


def _dossier_depot(solde: bool) -> Dossier:
    return Dossier(
        numero_asp="FINMS1000001",
        siret="73282932000074",
        numero_ans="ANS1",
        couloir="MS",
        campagne="MS-VAGUE1",
        type_demande=TypeDemande.AVANCE,
        statut=StatutDemande.EN_COURS,
        numero_dossier="00001",
        demande={"numLigne": 1, "commande": {"regimeTVA": "HT"}},
        finess=("111111111",),
        montants={"montantFinance": "22500.00", "avance": "6750.00", "solde": "15750.00"},
        taux_tva=Decimal("20"),
        pieces=({"nomFichier": "a.pdf", "typeFichier": "BON_COMMANDE"},),
        id_depot="d1",
        num_ligne=1,
        depose_le=LE,
        cree_le=LE,
        modifie_le=LE,
        solde={
            "statut": "INCOMPLET",
            "numeroDossier": "00001",
            "demande": {"numLigne": 1},
            "montants": {"montantFinance": "22500.00", "solde": "15750.00"},
            "tauxTva": "20",
            "pieces": [{"nomFichier": "s.pdf"}],
            "deposeLe": LE.isoformat(),
        }
        if solde
        else None,
        version=3,
    )


def test_le_dossier_ecrit_par_le_depot_est_lu_par_le_contrat_partage() -> None:
    for solde in (False, True):
        depot = _dossier_depot(solde)
        resume = resume_depuis_item(_dynamo(_dossier_item(depot)))
        assert (resume.numero_asp, resume.siret, resume.numero_ans) == (
            depot.numero_asp,
            depot.siret,
            depot.numero_ans,
        )
        assert (resume.couloir, resume.campagne, resume.finess) == (
            "MS",
            "MS-VAGUE1",
            depot.finess,
        )
        assert resume.depose_le == LE and resume.version == 3
        avance = resume.avance
        assert avance.statut is StatutDemande.EN_COURS
        assert dict(avance.montants) == dict(depot.montants)
        assert avance.pieces == ("a.pdf",) and avance.taux_tva == "20"
        assert avance.demande["commande"] == {"regimeTVA": "HT"}
        if solde:
            s = resume.demandes[TypeDemande.SOLDE]
            assert s.statut is StatutDemande.INCOMPLET and s.pieces == ("s.pdf",)
            assert s.montants["solde"] == "15750.00" and s.depose_le == LE
        else:
            assert TypeDemande.SOLDE not in resume.demandes


def test_historique_une_forme_pour_tous_les_ecrivains_et_lecteurs() -> None:
    # The dépôt's writer, read by the shared reader (what instruction and the views use)…
    depot = EntreeDepot("IMPORT", "editeur 7328", LE, {"idDepot": "d1", "numLigne": 2})
    lu = historique_depuis_item(_dynamo(_item_historique("FINMS1000001", depot)))
    assert (lu.qui, lu.action, lu.instant) == ("editeur 7328", "IMPORT", LE)
    assert lu.details == {"idDepot": "d1", "numLigne": 2}
    # …the shared writer (instruction), read by the dépôt's reader and the shared reader.
    entree = EntreeHistorique("DUPONT", "DECISION_REJETEE", LE, "hors périmètre", "AVANCE")
    item = _dynamo(item_historique("FINMS1000001", entree))
    relu_depot = _entree(item)
    assert (relu_depot.auteur, relu_depot.action, relu_depot.le) == (
        "DUPONT",
        "DECISION_REJETEE",
        LE,
    )
    assert relu_depot.details.get("motif", "hors périmètre") == "hors périmètre"
    assert historique_depuis_item(item) == entree


def test_etat_d_instruction_aller_retour() -> None:
    etat = EtatInstruction(
        numero_asp="FINMS1000001",
        type_demande=TypeDemande.SOLDE,
        siret="73282932000074",
        numero_ans="ANS1",
        couloir="MS",
        campagne="MS-VAGUE1",
        montant_finance="22500.00",
        statut=StatutDemande.EN_ERREUR_TECHNIQUE,
        attendu=Attendu.GESTIONNAIRE,
        demarre_le=LE,
        modifie_le=LE,
        execution="FINMS1000001-SOLDE-2",
        jeton="jeton",
        decision=DecisionGestionnaire(
            StatutDemande.EN_ATTENTE_PIECES, "RIB", ("rib.pdf",), "D", LE
        ),
        reprise=Reprise("ancien", {"decision": "DECIDEE", "n": 1}),
        erreur=ErreurTechnique("RuntimeError: x", "DecisionPdf", LE),
        statut_avant_erreur=StatutDemande.DECIDEE,
        pieces_demandees=("rib.pdf",),
        versement=ResumeVersement("V1", "15750.00", LE, "REF"),
        decision_document="dossiers/FINMS1000001/decision/x.pdf",
        version=7,
    )
    item = _dynamo(item_etat(etat))
    assert etat_depuis_item(item) == etat
    assert item["GSI2PK"] == "DEMANDE_STATUT#EN_ERREUR_TECHNIQUE"
    assert item["GSI1PK"] == "EDITEUR#73282932000074" and item["GSI3SK"] == "SOLDE#FINMS1000001"
