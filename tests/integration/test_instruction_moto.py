"""moto runs the real ASL (infra/statemachines/instruction.asl.json) through every path,
with the project's Lambda handlers in-process (local runtime: moto server, provisioning
from resources.yaml, Lambda shim, SQS → Lambda mappings)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest

from infra.local.runtime import RuntimeLocal
from shared.campagnes import TypeDemande
from shared.etat_instruction import EtatInstruction
from shared.horloge import heure_paris
from shared.statuts import Attendu, StatutDemande
from tests.fixtures.attente import attendre as _attendre_

pytestmark = pytest.mark.integration

SIRET = "73282932000074"
EMAIL = "depositaire@editeur.example.fr"
T = TypeVar("T")


@pytest.fixture(scope="module")
def runtime() -> Iterator[RuntimeLocal]:
    with RuntimeLocal(horloge_depart=heure_paris("2024-02-20T10:00")) as r:
        _enroler()
        yield r


def _enroler() -> None:
    """The éditeur enrolled through the enrolment contract (the record every service reads)."""
    from tests.fixtures.enrolements import enroler

    enroler(SIRET, "ANS1", email=EMAIL, raison_sociale="PROCVIS IMMOBILIER")


def attendre(condition: Any, delai: float = 40, message: str = "") -> Any:
    return _attendre_(condition, delai, message)


def _dossier(solde: bool = False) -> str:
    """A complete dossier, written by the dépôt's own writer."""
    from tests.fixtures.dossiers import dossier_exemple, semer

    numero = f"FINMS1{uuid.uuid4().int % 1_000_000:06d}"
    le = datetime(2024, 2, 20, 9, tzinfo=UTC)
    dossier = dossier_exemple(
        numero,
        SIRET,
        "ANS1",
        le,
        finess=("111111111", "222222222"),
        solde={
            "statut": "EN_COURS",
            "numeroDossier": "00001",
            "montants": {"montantFinance": "22500.00", "solde": "15750.00"},
            "tauxTva": "20",
            "pieces": [],
            "deposeLe": le.isoformat(),
        }
        if solde
        else None,
    )
    return semer(dossier)


def _demarrer(numero: str, type_: TypeDemande = TypeDemande.AVANCE) -> str:
    from shared.aws import client
    from shared.messages import InstructionDemandee
    from shared.settings import settings

    entree = InstructionDemandee(
        numeroAsp=numero, siret=SIRET, typeDemande=str(type_), montantFinance="22500.00"
    )
    return str(
        client("stepfunctions").start_execution(
            stateMachineArn=settings().state_machine_instruction,
            name=f"{numero}-{type_}-1",
            input=entree.model_dump_json(),
        )["executionArn"]
    )


def _composants() -> Any:
    from services.instruction.bootstrap import composants

    return composants()


def _etat(numero: str, type_: TypeDemande = TypeDemande.AVANCE) -> EtatInstruction | None:
    return _composants().instructions.lire(numero, type_)  # type: ignore[no-any-return]


def _attendre_etat(
    numero: str, statut: StatutDemande, attendu: Attendu, type_: TypeDemande = TypeDemande.AVANCE
) -> EtatInstruction:
    def pret() -> EtatInstruction | None:
        etat = _etat(numero, type_)
        if etat and etat.statut is statut and etat.attendu is attendu and etat.jeton:
            return etat
        return None

    return attendre(
        pret, message=f"{numero} {type_} jamais {statut}/{attendu}: {_etat(numero, type_)}"
    )


def _fin(arn: str) -> str:
    from shared.aws import client

    sfn = client("stepfunctions")
    return attendre(
        lambda: (s := sfn.describe_execution(executionArn=arn)["status"]) != "RUNNING" and s,
        message="l'exécution ne se termine pas",
    )


def _versement(numero: str) -> dict[str, Any]:
    """The versement the paiement service created from the instruction's message (its
    handler consumes the queue on the runtime): amount, type and the task token."""
    from services.paiement.adapters.dynamodb import VersementsDynamo
    from services.paiement.domain.versement import TypeVersement

    def lire() -> dict[str, Any] | None:
        v = VersementsDynamo().lire(numero, TypeVersement.AVANCE)
        if v is None or not v.jeton:
            return None
        return {"montant": str(v.montant), "typeDemande": "AVANCE", "jeton": v.jeton}

    return attendre(lire, message="pas de demande de versement")


def _payer(message: dict[str, Any]) -> None:
    """What the paiement service does once paid: SendTaskSuccess on the message's token."""
    from shared.aws import client
    from shared.messages import VersementEffectue

    sortie = VersementEffectue(
        idVersement="VERSE001", montant=message["montant"], payeLe=datetime.now(UTC)
    )
    client("stepfunctions").send_task_success(
        taskToken=message["jeton"], output=sortie.model_dump_json()
    )


def _repondre(numero: str, action: str, type_: TypeDemande = TypeDemande.AVANCE) -> None:
    """What the dépôt service sends when the éditeur answered."""
    from shared.aws import client
    from shared.horloge import horloge
    from shared.messages import ActionEditeur, ReponseEditeur

    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="segurnum-instruction-reponses")["QueueUrl"]
    message = ReponseEditeur(
        numeroAsp=numero,
        typeDemande=type_,
        action=ActionEditeur(action),
        qui=f"éditeur {SIRET}",
        instant=horloge().maintenant(),
    )
    sqs.send_message(QueueUrl=url, MessageBody=message.model_dump_json())


def _decider(numero: str, decision: str, motif: str | None = None, **autres: Any) -> None:
    _composants().instruction.decider(
        numero,
        autres.get("type_", TypeDemande.AVANCE),
        decision,
        motif,
        autres.get("pieces"),
        "DUPONT",
    )


def _objets_courriels(numero: str) -> list[str]:
    from shared.courriels.dynamodb import JournalCourrielsDynamo

    return [c.objet for c in JournalCourrielsDynamo().courriels_du_dossier(numero)]


def test_decidee_pdf_courriel_versement_puis_payee(runtime: RuntimeLocal) -> None:
    numero = _dossier()
    arn = _demarrer(numero)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    _decider(numero, "DECIDEE")
    etat = _attendre_etat(numero, StatutDemande.DECIDEE, Attendu.PAIEMENT)
    assert etat.decision_document == (
        f"dossiers/{numero}/decision/decision_attribution_{numero}.pdf"
    )
    objets = _objets_courriels(numero)
    assert any(o.startswith("Acceptation de votre demande de financement") for o in objets)
    message = _versement(numero)
    assert (message["montant"], message["typeDemande"]) == ("6750.00", "AVANCE")
    _payer(message)
    assert _fin(arn) == "SUCCEEDED"
    etat_final = _etat(numero)
    assert etat_final is not None and etat_final.statut is StatutDemande.PAYEE
    dossier = _composants().instructions.lire_dossier(numero)
    assert dossier.avance.statut is StatutDemande.PAYEE  # the dossier's mirror
    actions = [e.action for e in _composants().instructions.historique(numero)]
    assert actions == ["INSTRUCTION_COMMENCEE", "DECISION_DECIDEE", "PAIEMENT_EFFECTUE"]


def test_rejetee_courriel_et_fin(runtime: RuntimeLocal) -> None:
    numero = _dossier()
    arn = _demarrer(numero)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    _decider(numero, "REJETEE", "Hors périmètre du financement")
    assert _fin(arn) == "SUCCEEDED"
    assert any(o.startswith("Rejet de") for o in _objets_courriels(numero))
    assert _composants().instructions.lire_dossier(numero).avance.statut is StatutDemande.REJETEE


def test_a_modifier_puis_m_importe_puis_en_cours_puis_decidee(runtime: RuntimeLocal) -> None:
    numero = _dossier()
    _demarrer(numero)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    _decider(numero, "A_MODIFIER", "Le montant ne correspond pas au bon de commande")
    _attendre_etat(numero, StatutDemande.A_MODIFIER, Attendu.EDITEUR)
    assert any(o.startswith("Modification attendue") for o in _objets_courriels(numero))
    _repondre(numero, "MODIFICATION_IMPORTEE")
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    _decider(numero, "DECIDEE")
    _attendre_etat(numero, StatutDemande.DECIDEE, Attendu.PAIEMENT)
    actions = [e.action for e in _composants().instructions.historique(numero)]
    assert "MODIFICATION_IMPORTEE" in actions and actions[-1] == "DECISION_DECIDEE"


def test_en_attente_pieces_puis_pieces_recues_puis_en_cours(runtime: RuntimeLocal) -> None:
    numero = _dossier()
    _demarrer(numero)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    _decider(numero, "EN_ATTENTE_PIECES", "RIB illisible", pieces=["rib.pdf"])
    etat = _attendre_etat(numero, StatutDemande.EN_ATTENTE_PIECES, Attendu.EDITEUR)
    assert etat.pieces_demandees == ("rib.pdf",)
    _repondre(numero, "PIECES_COMPLEMENTAIRES_RECUES")
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)


def test_tache_en_echec_erreur_technique_puis_relance_puis_decidee(
    runtime: RuntimeLocal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.instruction.adapters.documents import DecisionsPdf

    original = DecisionsPdf.produire
    appels: list[int] = []

    def en_panne_une_fois(self: Any, etat: Any, dossier: Any) -> str:
        appels.append(1)
        if len(appels) == 1:
            raise RuntimeError("stockage indisponible")
        return original(self, etat, dossier)

    monkeypatch.setattr(DecisionsPdf, "produire", en_panne_une_fois)
    numero = _dossier()
    _demarrer(numero)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    _decider(numero, "DECIDEE")
    etat = _attendre_etat(numero, StatutDemande.EN_ERREUR_TECHNIQUE, Attendu.GESTIONNAIRE)
    assert etat.erreur is not None and etat.erreur.etape == "DecisionPdf"
    # The view says which step and what kind of failure, never the exception's text.
    assert "stockage indisponible" not in etat.erreur.cause
    assert "production de la décision d'attribution" in etat.erreur.cause
    assert "Référence ERR-" in etat.erreur.cause
    assert etat.statut_avant_erreur is StatutDemande.DECIDEE
    _composants().instruction.relancer(numero, TypeDemande.AVANCE, "MARTIN")
    etat = _attendre_etat(numero, StatutDemande.DECIDEE, Attendu.PAIEMENT)
    assert etat.decision_document is not None and len(appels) == 2


def test_avance_et_solde_deux_executions_independantes(runtime: RuntimeLocal) -> None:
    numero = _dossier(solde=True)
    arn_avance = _demarrer(numero, TypeDemande.AVANCE)
    arn_solde = _demarrer(numero, TypeDemande.SOLDE)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE, TypeDemande.AVANCE)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE, TypeDemande.SOLDE)
    _decider(numero, "REJETEE", "Solde non justifié", type_=TypeDemande.SOLDE)
    assert _fin(arn_solde) == "SUCCEEDED"
    avance = _etat(numero, TypeDemande.AVANCE)
    assert avance is not None and avance.statut is StatutDemande.EN_COURS and avance.jeton
    dossier = _composants().instructions.lire_dossier(numero)
    assert dossier.demandes[TypeDemande.SOLDE].statut is StatutDemande.REJETEE
    assert dossier.avance.statut is StatutDemande.EN_COURS
    _decider(numero, "DECIDEE")
    _attendre_etat(numero, StatutDemande.DECIDEE, Attendu.PAIEMENT)
    from shared.aws import client

    assert (
        client("stepfunctions").describe_execution(executionArn=arn_avance)["status"] == "RUNNING"
    )


def test_une_decision_jamais_rendue_est_rejouee_par_la_reconciliation(
    runtime: RuntimeLocal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SendTaskSuccess throttled after the decision was written (the client never retried):
    the reconciliation finds the pending hand-over through the statut index, replays it,
    and the execution moves on."""
    from datetime import timedelta

    from services.instruction.adapters.aws import WorkflowStepFunctions
    from services.instruction.application.instruction import DELAI_REPRISE, rejouer_reprises

    numero = _dossier()
    _demarrer(numero)
    _attendre_etat(numero, StatutDemande.EN_COURS, Attendu.GESTIONNAIRE)
    original = WorkflowStepFunctions.reprendre

    def limite(self: Any, jeton: str, sortie: Any) -> None:
        raise RuntimeError("ThrottlingException: Rate exceeded")

    monkeypatch.setattr(WorkflowStepFunctions, "reprendre", limite)
    _decider(numero, "REJETEE", "Hors périmètre du financement")
    etat = _etat(numero)
    assert etat is not None and etat.reprise is not None
    monkeypatch.setattr(WorkflowStepFunctions, "reprendre", original)
    instruction = _composants().instruction
    plus_tard = instruction.horloge.maintenant() + DELAI_REPRISE + timedelta(minutes=1)
    monkeypatch.setattr(instruction.horloge, "maintenant", lambda: plus_tard)
    bilan = rejouer_reprises(instruction)
    assert bilan.rejouees >= 1 and bilan.en_echec == 0
    etat = _etat(numero)
    assert etat is not None and etat.reprise is None
    rejets = attendre(
        lambda: [o for o in _objets_courriels(numero) if o.startswith("Rejet")] or None
    )
    assert len(rejets) == 1
