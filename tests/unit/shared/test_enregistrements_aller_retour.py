"""One writer and one reader per record: every writer of a record against every reader of
it, across services, through the table's typed form (tests/unit/shared/table_en_memoire.py)
and, for messages, through the JSON body the sender puts on the queue.

A record gaining a writer or a reader gets its line here (docs/architecture.md lists them).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.depot.adapters.dynamodb import DossierRepository, RegistrePlateformeDynamo
from services.depot.adapters.instruction_etats import EtatsInstructionDynamo
from services.depot.adapters.instruction_sqs import ReponsesSqs
from services.depot.application.ports import ReservationLigne, TypeIssue
from services.enrolment.adapters.dynamodb import EnrolementRepository, ReferentielAnsRepository
from services.enrolment.adapters.paiement_sqs import AnnoncesPaiementSqs
from services.guichet.adapters.dynamodb import RegistreGuichetDynamo
from services.instruction.adapters.aws import InstructionsDynamo, VersementsSqs
from services.paiement.adapters.aws import DonneesEditeur, SignalStepFunctions
from services.paiement.adapters.dynamodb import EnrolementsDynamo
from shared.campagnes import TypeDemande
from shared.chiffrement import ChiffrementFactice, contexte_iban
from shared.dossier import Dossier
from shared.dynamo import depuis_dynamo, vers_dynamo
from shared.enrolement import EnrolementEditeur, ReferencementAns
from shared.enrolement_table import LecteurEnrolements
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
from shared.identifiants import iban_masque
from shared.messages import (
    ActionEditeur,
    CoordonneesBancairesValidees,
    ReponseEditeur,
    VersementDemande,
    VersementEffectue,
)
from shared.statuts import Attendu, StatutDemande
from tests.fixtures.dossiers import dossier_exemple, versement_demande
from tests.unit.shared.table_en_memoire import TableEnMemoire

LE = datetime(2024, 2, 20, 9, 30, tzinfo=UTC)
TABLE = "segurnum-test"
ASP = "FINMS1000001"
SIRET = "73282932000074"
ANS = "ANS1"
IBAN = "FR7630006000011234567890189"


def _dynamo(item: dict[str, Any]) -> dict[str, Any]:
    """Through DynamoDB's typed form and back, as the table would give it."""
    return depuis_dynamo(vers_dynamo(item))


def _dossier_depot(solde: bool = False) -> Dossier:
    return dossier_exemple(
        ASP,
        SIRET,
        ANS,
        LE,
        demande={"numLigne": 1, "commande": {"regimeTVA": "HT", "montant": Decimal("12.50")}},
        pieces=({"nomFichier": "a.pdf", "typeFichier": "BON_COMMANDE"},),
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
        pieces_manquantes=(),
    )


def _etat(statut: StatutDemande, type_demande: TypeDemande = TypeDemande.AVANCE) -> EtatInstruction:
    return EtatInstruction(
        numero_asp=ASP,
        type_demande=type_demande,
        siret=SIRET,
        numero_ans=ANS,
        couloir="MS",
        campagne="MS-VAGUE1",
        montant_finance="22500.00",
        statut=statut,
        attendu=Attendu.GESTIONNAIRE,
        demarre_le=LE,
        modifie_le=LE,
    )


def _creer(table: TableEnMemoire, dossier: Dossier) -> None:
    entree = EntreeHistorique("editeur 7328", "CREATION", LE, details={"idDepot": "d1"})
    issue = DossierRepository(TABLE, table).creer(dossier, ReservationLigne("d1", 1), entree)
    assert issue.type is TypeIssue.ECRIT


# --- The dossier item: the dépôt writes it, instruction mirrors its statuts ----------------


@pytest.mark.parametrize("solde", [False, True])
def test_le_dossier_ecrit_par_le_depot_est_lu_par_chaque_lecteur(solde: bool) -> None:
    table = TableEnMemoire()
    depot = _dossier_depot(solde)
    _creer(table, depot)
    # The dépôt's own reader gives back what it wrote; its header read keeps the statuts.
    relu = DossierRepository(TABLE, table).lire(ASP)
    assert relu == depot
    entete = DossierRepository(TABLE, table).lire_plusieurs([ASP], resume=True)[ASP]
    assert (entete.statut, entete.siret, entete.numero_dossier) == (
        StatutDemande.EN_COURS,
        SIRET,
        "00001",
    )
    assert (entete.solde or {}).get("statut") == ("INCOMPLET" if solde else None)
    # Instruction and paiement read it through the shared reader.
    for resume in (
        InstructionsDynamo(TABLE, table).lire_dossier(ASP),
        DonneesEditeur(TABLE, table).dossier(ASP),
    ):
        assert resume is not None
        assert (resume.numero_asp, resume.siret, resume.numero_ans) == (ASP, SIRET, ANS)
        assert (resume.couloir, resume.campagne, resume.finess) == ("MS", "MS-VAGUE1", depot.finess)
        assert resume.depose_le == LE and resume.version == 1
        avance = resume.avance
        assert avance.statut is StatutDemande.EN_COURS
        assert dict(avance.montants) == dict(depot.montants)
        assert avance.pieces == ("a.pdf",) and avance.taux_tva == "20"
        assert avance.demande["commande"]["regimeTVA"] == "HT"
        if solde:
            s = resume.demandes[TypeDemande.SOLDE]
            assert s.statut is StatutDemande.INCOMPLET and s.pieces == ("s.pdf",)
            assert s.montants["solde"] == "15750.00" and s.depose_le == LE
        else:
            assert TypeDemande.SOLDE not in resume.demandes


@pytest.mark.parametrize("type_demande", [TypeDemande.AVANCE, TypeDemande.SOLDE])
def test_le_miroir_ecrit_par_l_instruction_est_lu_par_le_depot_et_le_lecteur_partage(
    type_demande: TypeDemande,
) -> None:
    table = TableEnMemoire()
    _creer(table, _dossier_depot(solde=True))
    instructions = InstructionsDynamo(TABLE, table)
    avant = _etat(StatutDemande.EN_COURS, type_demande)
    instructions.ecrire(None, avant)
    decision = EntreeHistorique("DUPONT", "DECISION", LE, "complet", str(type_demande))
    apres = replace(avant, statut=StatutDemande.DECIDEE, attendu=Attendu.PAIEMENT, version=2)
    instructions.ecrire(avant, apres, decision)

    relu = DossierRepository(TABLE, table).lire(ASP)
    assert relu is not None and relu.version == 2  # the mirror moves the dossier's version
    statut_depot = relu.statut if type_demande is TypeDemande.AVANCE else relu.solde["statut"]
    assert statut_depot == StatutDemande.DECIDEE
    resume = instructions.lire_dossier(ASP)
    assert resume is not None and resume.demandes[type_demande].statut is StatutDemande.DECIDEE
    # The state itself: instruction's reader and the dépôt's (pièces complémentaires).
    assert instructions.lire(ASP, type_demande) == apres
    assert EtatsInstructionDynamo(TABLE, table).demandes(ASP) == [apres]


# --- History: every service writes the one shape, every service reads it --------------------


def test_historique_une_forme_pour_tous_les_ecrivains_et_lecteurs() -> None:
    table = TableEnMemoire()
    _creer(table, _dossier_depot())  # the dépôt's entry, written with its dossier
    instructions = InstructionsDynamo(TABLE, table)
    avant = _etat(StatutDemande.EN_COURS)
    instructions.ecrire(None, avant)
    plus_tard = LE + timedelta(minutes=1)  # HISTO#{instant}#{id}: the entries' order
    rejet = EntreeHistorique("DUPONT", "DECISION_REJETEE", plus_tard, "hors périmètre", "AVANCE")
    instructions.ecrire(avant, replace(avant, statut=StatutDemande.REJETEE, version=2), rejet)
    # An entry written before the shared contract (auteur, le), still read by all.
    table.poser({"PK": f"DOSSIER#{ASP}", "SK": "HISTO#0", "auteur": "X", "le": LE.isoformat()})

    par_le_depot = DossierRepository(TABLE, table).historique(ASP)
    par_l_instruction = instructions.historique(ASP)
    assert par_le_depot == par_l_instruction
    ancienne, creation, decision = par_le_depot
    assert (ancienne.qui, ancienne.instant) == ("X", LE)
    assert (creation.qui, creation.action, creation.details) == (
        "editeur 7328",
        "CREATION",
        {"idDepot": "d1"},
    )
    assert decision == rejet
    assert historique_depuis_item(_dynamo(item_historique(ASP, rejet))) == rejet


def test_etat_d_instruction_aller_retour() -> None:
    etat = replace(
        _etat(StatutDemande.EN_ERREUR_TECHNIQUE, TypeDemande.SOLDE),
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
    assert item["GSI1PK"] == f"EDITEUR#{SIRET}" and item["GSI3SK"] == f"SOLDE#{ASP}"


# --- The enrolment: the enrolment service writes it, every service reads it -----------------


def test_l_enrolement_ecrit_par_l_enrolement_est_lu_par_chaque_service() -> None:
    table = TableEnMemoire()
    chiffrement = ChiffrementFactice()
    enrolement = EnrolementEditeur(
        siret=SIRET,
        numero_ans=ANS,
        statut="VALIDE",
        email="depot@editeur.fr",
        raison_sociale="Éditeur SA",
        couloir="MS",
        adresse="1 rue de la Paix 75002 Paris",
        iban=IBAN,
        bic="BDFEFRPP",
        titulaire="Éditeur SA",
        coordonnees_validees_le=LE,
        numero_demande="ENR0001M0",
        cree_le=LE,
    )
    EnrolementRepository(TABLE, table, chiffrement).enregistrer(enrolement)
    ReferentielAnsRepository(TABLE, table).enregistrer(
        ReferencementAns(ANS, "MS", "DUI", "1", "Solution", SIRET)
    )
    attendu = enrolement.model_copy(
        update={
            "iban": None,
            "iban_chiffre": chiffrement.chiffrer(IBAN, contexte_iban(SIRET)),
            "iban_masque": iban_masque(IBAN),
        }
    )

    lecteur = LecteurEnrolements(TABLE, table)
    lu = lecteur.enrolement(SIRET, ANS)
    assert lu == attendu  # the IBAN encrypted and masked, never stored in clear
    assert EnrolementRepository(TABLE, table, chiffrement).lire(SIRET, ANS) == lu
    assert lecteur.enrolements([(SIRET, ANS), (SIRET, "AUTRE")]) == {(SIRET, ANS): lu}
    assert lecteur.du_siret(SIRET) == [lu]
    dechiffre = LecteurEnrolements(TABLE, table, chiffrement).enrolement(SIRET, ANS)
    assert dechiffre is not None and dechiffre.iban == IBAN
    # Dépôt: deposits open (D1), the référencement's couloir; the guichet's addresses.
    assert RegistrePlateformeDynamo(TABLE, table).editeur_enrole(SIRET, ANS)
    referencement = lecteur.referencement(ANS)
    assert referencement is not None and referencement.couloir == "MS"
    assert RegistreGuichetDynamo(TABLE, table).adresses(SIRET, [ANS]) == ("depot@editeur.fr",)
    # Instruction: the dépositaire's address (courriels, décision).
    assert InstructionsDynamo(TABLE, table).email_depositaire(SIRET, ANS) == "depot@editeur.fr"
    # Paiement: raison sociale and address, bank details encrypted then decrypted.
    editeurs = DonneesEditeur(TABLE, table)
    assert editeurs.email(SIRET, ANS) == "depot@editeur.fr"
    assert editeurs.enrolement(SIRET, ANS) == lu
    comptes = EnrolementsDynamo(TABLE, table, chiffrement)
    compte = comptes.compte(SIRET, ANS)
    assert compte is not None and compte.validees and compte.bic == "BDFEFRPP"
    assert compte.iban_chiffre == lu.iban_chiffre and compte.titulaire == "Éditeur SA"
    assert comptes.lire_comptes([(SIRET, ANS)]) == {(SIRET, ANS): compte}
    coordonnees = comptes.coordonnees(SIRET, ANS)
    assert coordonnees is not None and coordonnees.iban == IBAN


# --- Messages: what the sender puts on the queue, the receiver's model reads --------------


class _FileCapturee:
    def __init__(self) -> None:
        self.corps: list[str] = []

    def get_queue_url(self, QueueName: str) -> dict[str, str]:
        return {"QueueUrl": f"https://sqs/{QueueName}"}

    def send_message(self, QueueUrl: str, MessageBody: str) -> None:
        self.corps.append(MessageBody)


class _SfnCapture:
    def __init__(self) -> None:
        self.sorties: list[str] = []

    def send_task_success(self, taskToken: str, output: str) -> None:
        self.sorties.append(output)


def _versement_demande(type_demande: TypeDemande, montant: str) -> VersementDemande:
    return versement_demande(ASP, SIRET, ANS, "22500.00", LE, type_demande, "jeton", montant)


def test_chaque_message_envoye_est_lu_par_son_destinataire() -> None:
    reponse = ReponseEditeur(
        numeroAsp=ASP,
        typeDemande=TypeDemande.AVANCE,
        action=ActionEditeur.MODIFICATION_IMPORTEE,
        qui="éditeur 7328",
        instant=LE,
        details={"idDepot": "d1", "numLigne": 4},
    )
    file = _FileCapturee()
    ReponsesSqs("reponses", file).envoyer(reponse)  # dépôt → instruction
    assert ReponseEditeur.model_validate_json(file.corps[-1]) == reponse

    versement = _versement_demande(TypeDemande.SOLDE, "15750.00")
    VersementsSqs("versements", file).demander(versement)  # instruction → paiement
    assert VersementDemande.model_validate_json(file.corps[-1]) == versement

    coordonnees = CoordonneesBancairesValidees(siret=SIRET, valideesLe=LE, numeroDemande="E1")
    AnnoncesPaiementSqs("coordonnees", file).coordonnees_validees(coordonnees)
    assert CoordonneesBancairesValidees.model_validate_json(file.corps[-1]) == coordonnees

    effectue = VersementEffectue(idVersement="V1", montant="15750.00", payeLe=LE, reference="R")
    sfn = _SfnCapture()
    SignalStepFunctions(sfn).versement_effectue("jeton", effectue)  # paiement → instruction
    assert VersementEffectue.model_validate_json(sfn.sorties[-1]) == effectue


def test_le_destinataire_refuse_un_versement_hors_contrat() -> None:
    """The receiver's checks are the model's: a SIRET of 13 digits never makes a versement."""
    corps = _versement_demande(TypeDemande.AVANCE, "6750.00").model_dump(mode="json")
    VersementDemande.model_validate({**corps, "inconnu": 1})  # a newer sender's extra field
    with pytest.raises(ValueError, match="siret"):
        VersementDemande.model_validate({**corps, "siret": SIRET[:-1]})
    with pytest.raises(ValueError, match="decideeLe"):
        VersementDemande.model_validate({**corps, "decideeLe": "2024-02-20T09:30:00"})
