"""Instruction use cases with fakes: per-demande state, the decision as one conditional
write, SendTaskSuccess replayed, concurrent decisions, the éditeur's answer, errors."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from services.instruction.application.instruction import (
    DELAI_REPRISE,
    DELAI_SANS_SUITE,
    BilanReprises,
    EntreeDemande,
    Tache,
    rejouer_reprises,
)
from services.instruction.domain.instruction import ActionImpossible
from shared.campagnes import TypeDemande
from shared.messages import ActionEditeur, ReponseEditeur
from shared.refus import NatureRefus
from shared.statuts import Attendu, StatutDemande
from tests.unit.instruction.faux import NUMERO, Monde, dossier, monde

AVANCE, SOLDE = TypeDemande.AVANCE, TypeDemande.SOLDE


def _attendre(
    m: Monde, statut: str, attendu: str, jeton: str, type_: TypeDemande = AVANCE, **demande: object
) -> None:
    m.instruction.attendre(
        Tache(
            demande=EntreeDemande(numeroAsp=NUMERO, typeDemande=type_, **demande),  # type: ignore[arg-type]
            statut=StatutDemande(statut),
            attendu=Attendu(attendu),
            jeton=jeton,
        )
    )


def _en_cours(m: Monde, jeton: str = "j1", type_: TypeDemande = AVANCE) -> None:
    _attendre(m, "EN_COURS", "GESTIONNAIRE", jeton, type_)


def test_la_premiere_attente_cree_l_etat_de_la_demande_et_l_historique() -> None:
    m = monde()
    _en_cours(m)
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert (etat.statut, etat.attendu, etat.jeton) == (
        StatutDemande.EN_COURS,
        Attendu.GESTIONNAIRE,
        "j1",
    )
    assert [e.action for _, e in m.instructions.histo] == ["INSTRUCTION_COMMENCEE"]


def test_decider_consomme_le_jeton_et_rend_la_main_au_workflow() -> None:
    m = monde()
    _en_cours(m)
    etat = m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    assert etat.statut is StatutDemande.DECIDEE and etat.jeton is None
    assert m.workflow.rendus[0][0] == "j1"
    assert m.workflow.rendus[0][1]["decision"] == "DECIDEE"
    relu = m.instruction.etat(NUMERO, AVANCE)
    assert relu.reprise is None and relu.decision is not None
    assert relu.decision.auteur == "DUPONT"
    assert m.instructions.miroirs == [(NUMERO, AVANCE, StatutDemande.DECIDEE)]
    entree = m.instructions.histo[-1][1]
    assert (entree.qui, entree.action) == ("DUPONT", "DECISION_DECIDEE")


def test_sendtasksuccess_en_echec_une_fois_la_decision_passe_quand_meme() -> None:
    m = monde()
    _en_cours(m)
    m.workflow.pannes = 1
    etat = m.instruction.decider(NUMERO, AVANCE, "REJETEE", "hors périmètre", None, "DUPONT")
    # The decision is recorded (token consumed, author and motif kept), the hand-over pending.
    assert etat.statut is StatutDemande.REJETEE
    assert m.workflow.rendus == [] and m.metriques.reprises == 1
    assert m.instruction.etat(NUMERO, AVANCE).reprise is not None
    # The client retries the same decision: the hand-over is replayed, the answer is 200.
    again = m.instruction.decider(NUMERO, AVANCE, "REJETEE", "hors périmètre", None, "DUPONT")
    assert again.statut is StatutDemande.REJETEE
    assert [j for j, _ in m.workflow.rendus] == ["j1"]
    assert m.instruction.etat(NUMERO, AVANCE).reprise is None


def test_la_meme_decision_rejouee_apres_une_reponse_perdue_est_un_succes() -> None:
    """Recorded and handed over, its answer lost (a 5xx after the write): the client's
    retry is answered 200 with nothing recorded or handed over twice; the same decision by
    somebody else is another person acting, refused."""
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "A_MODIFIER", "Montant à revoir", None, "DUPONT")
    _attendre(m, "A_MODIFIER", "EDITEUR", "j2")  # the workflow moved on to wait for the éditeur
    histo = len(m.instructions.histo)
    again = m.instruction.decider(
        NUMERO, AVANCE, "A_MODIFIER", " Montant à revoir ", None, "DUPONT"
    )
    assert (again.statut, again.jeton) == (StatutDemande.A_MODIFIER, "j2")
    assert len(m.instructions.histo) == histo and [j for j, _ in m.workflow.rendus] == ["j1"]
    for autre in (
        ("A_MODIFIER", "Montant à revoir", "MARTIN"),
        ("A_MODIFIER", "Autre motif", "DUPONT"),
        ("REJETEE", "Montant à revoir", "DUPONT"),
    ):
        with pytest.raises(ActionImpossible) as exc:
            m.instruction.decider(NUMERO, AVANCE, autre[0], autre[1], None, autre[2])
        assert exc.value.code == "ACTION_NON_ATTENDUE"


def test_la_reconciliation_rejoue_une_decision_jamais_rendue_a_step_functions() -> None:
    """SendTaskSuccess throttled after the decision was written, and no client retry: the
    scheduled reconciliation hands the token back, once, after DELAI_REPRISE."""
    m = monde()
    _en_cours(m)
    m.workflow.pannes = 1
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    assert m.workflow.rendus == [] and m.instruction.etat(NUMERO, AVANCE).reprise is not None
    assert rejouer_reprises(m.instruction) == BilanReprises(0, 0)  # too recent: the client's
    m.horloge.regler(m.horloge.maintenant() + DELAI_REPRISE + timedelta(seconds=1))
    assert rejouer_reprises(m.instruction) == BilanReprises(1, 0)
    assert [j for j, _ in m.workflow.rendus] == ["j1"]
    assert m.instruction.etat(NUMERO, AVANCE).reprise is None
    assert rejouer_reprises(m.instruction) == BilanReprises(0, 0)


def test_la_reconciliation_compte_les_demandes_dont_le_workflow_ne_s_occupe_plus() -> None:
    """Left to the platform (a step running), nothing to hand back, for more than an hour:
    the execution failed outside its error branch. Counted for the operators' alarm (0 is
    emitted too: a gauge), never touched."""
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")  # PLATEFORME now
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert etat.attendu is Attendu.PLATEFORME and etat.reprise is None
    assert rejouer_reprises(m.instruction).sans_suite == 0 and m.metriques.sans_suite_ == 0
    m.horloge.regler(m.horloge.maintenant() + DELAI_SANS_SUITE + timedelta(seconds=1))
    assert rejouer_reprises(m.instruction) == BilanReprises(0, 0, 1)
    assert m.metriques.sans_suite_ == 1
    assert m.instruction.etat(NUMERO, AVANCE) == etat
    _attendre(m, "DECIDEE", "PAIEMENT", "j2")  # the workflow moved on: nothing left
    assert rejouer_reprises(m.instruction).sans_suite == 0


def test_relancer_rejoue_une_reprise_en_attente() -> None:
    m = monde()
    _en_cours(m)
    m.workflow.pannes = 1
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    m.instruction.relancer(NUMERO, AVANCE, "MARTIN")
    assert [j for j, _ in m.workflow.rendus] == ["j1"]


def test_une_reprise_deja_recue_par_step_functions_est_oubliee() -> None:
    m = monde()
    _en_cours(m)
    m.workflow.consommes.add("j1")  # the first call went through, its answer was lost
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    assert m.instruction.etat(NUMERO, AVANCE).reprise is None


def test_de_deux_decisions_concurrentes_une_seule_l_emporte() -> None:
    m = monde()
    _en_cours(m)

    def autre() -> None:
        m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "MARTIN")

    m.instructions.avant_ecriture = autre
    with pytest.raises(ActionImpossible) as exc:
        m.instruction.decider(NUMERO, AVANCE, "REJETEE", "doublon", None, "DUPONT")
    assert exc.value.nature is NatureRefus.CONFLIT and exc.value.code == "ACTION_CONCURRENTE"
    assert "Décidée" in exc.value.message
    assert [j for j, _ in m.workflow.rendus] == ["j1"]
    assert m.instruction.etat(NUMERO, AVANCE).decision.auteur == "MARTIN"  # type: ignore[union-attr]


def test_decisions_en_parallele_exactement_une_gagne() -> None:
    m = monde()
    _en_cours(m)
    verrou = threading.Lock()
    issues: list[str] = []

    def decider(valeur: str, motif: str | None) -> None:
        try:
            with verrou:  # the fake store is not thread-safe; the race is on the read
                pass
            m.instruction.decider(NUMERO, AVANCE, valeur, motif, None, valeur)
            issues.append("ok")
        except ActionImpossible as exc:
            issues.append(exc.nature)

    fils = [threading.Thread(target=decider, args=a) for a in [("DECIDEE", None), ("REJETEE", "x")]]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sorted(issues) == [NatureRefus.CONFLIT, "ok"]


def test_decision_hors_de_son_tour_409_nomme_le_statut_et_qui_doit_agir() -> None:
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "A_MODIFIER", "RIB illisible", None, "DUPONT")
    _attendre(m, "A_MODIFIER", "EDITEUR", "j2")
    with pytest.raises(ActionImpossible) as exc:
        m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    assert exc.value.nature is NatureRefus.CONFLIT
    assert "À modifier" in exc.value.message and "l'éditeur" in exc.value.message


@pytest.mark.parametrize(
    ("decision", "motif", "pieces", "code"),
    [
        ("REJETEE", None, None, "MOTIF_OBLIGATOIRE"),
        ("A_MODIFIER", "  ", None, "MOTIF_OBLIGATOIRE"),
        ("EN_ATTENTE_PIECES", "manque", None, "PIECES_DEMANDEES_OBLIGATOIRES"),
        ("DECIDEE", None, ["rib.pdf"], "PIECES_DEMANDEES_INATTENDUES"),
        ("PAYEE", None, None, "DECISION_INCONNUE"),
        ("n'importe", None, None, "DECISION_INCONNUE"),
    ],
)
def test_decisions_invalides(
    decision: str, motif: str | None, pieces: list[str] | None, code: str
) -> None:
    m = monde()
    _en_cours(m)
    with pytest.raises(ActionImpossible) as exc:
        m.instruction.decider(NUMERO, AVANCE, decision, motif, pieces, "DUPONT")
    assert (exc.value.code, exc.value.nature) == (code, NatureRefus.INVALIDE)
    assert m.instruction.etat(NUMERO, AVANCE).jeton == "j1"  # nothing consumed


def test_la_reponse_de_l_editeur_remet_en_cours_avec_une_entree_d_historique() -> None:
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "EN_ATTENTE_PIECES", "RIB", ["rib.pdf"], "DUPONT")
    _attendre(m, "EN_ATTENTE_PIECES", "EDITEUR", "j2")
    assert m.instruction.etat(NUMERO, AVANCE).pieces_demandees == ("rib.pdf",)
    reponse = ReponseEditeur(
        numeroAsp=NUMERO,
        typeDemande=AVANCE,
        action=ActionEditeur.PIECES_COMPLEMENTAIRES_RECUES,
        qui="editeur 73282932000074",
        instant=m.horloge.maintenant(),
    )
    assert m.instruction.repondre(reponse) is True
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert etat.statut is StatutDemande.EN_COURS and etat.pieces_demandees == ()
    assert [j for j, _ in m.workflow.rendus] == ["j1", "j2"]
    assert m.instructions.histo[-1][1].action == "PIECES_COMPLEMENTAIRES_RECUES"
    # The same message again (redelivery): nothing to resume.
    assert m.instruction.repondre(reponse) is False


def test_avance_et_solde_ont_chacune_leur_etat() -> None:
    m = monde(dossier(solde=True))
    _en_cours(m, "ja", AVANCE)
    _en_cours(m, "js", SOLDE)
    m.instruction.decider(NUMERO, SOLDE, "REJETEE", "non", None, "DUPONT")
    assert m.instruction.etat(NUMERO, AVANCE).jeton == "ja"
    assert m.instruction.etat(NUMERO, AVANCE).statut is StatutDemande.EN_COURS
    assert m.instruction.etat(NUMERO, SOLDE).statut is StatutDemande.REJETEE


def test_erreur_technique_puis_relance_revient_au_statut_precedent() -> None:
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    _attendre(
        m,
        "EN_ERREUR_TECHNIQUE",
        "GESTIONNAIRE",
        "j9",
        erreur={"Error": "RuntimeError", "Cause": "PDF"},
        etapeEchouee="DecisionPdf",
    )
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert etat.statut is StatutDemande.EN_ERREUR_TECHNIQUE and etat.erreur is not None
    assert etat.erreur.etape == "DecisionPdf"
    assert "production de la décision d'attribution" in etat.erreur.cause
    assert m.metriques.erreurs == ["DecisionPdf"]
    with pytest.raises(ActionImpossible) as exc:
        m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    assert exc.value.nature is NatureRefus.CONFLIT and "relancer" in exc.value.message
    relance = m.instruction.relancer(NUMERO, AVANCE, "MARTIN")
    assert relance.statut is StatutDemande.DECIDEE and relance.erreur is None
    assert m.workflow.rendus[-1] == ("j9", {"relance": "MARTIN"})


CAUSE_BRUTE = (
    '{"errorMessage": "An error occurred (ThrottlingException) when calling the PutItem '
    'operation", "errorType": "ClientError", "stackTrace": ["  File \\"/var/task/services/'
    'instruction/adapters/aws.py\\", line 42, in ecrire\\n"]}'
)


def test_erreur_technique_sans_traces_internes_avec_une_reference(
    caplog: pytest.LogCaptureFixture,
) -> None:
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    with caplog.at_level("ERROR"):
        _attendre(
            m,
            "EN_ERREUR_TECHNIQUE",
            "GESTIONNAIRE",
            "j9",
            erreur={"Error": "ClientError", "Cause": CAUSE_BRUTE},
            etapeEchouee="NotifierDecision",
        )
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert etat.erreur is not None
    cause = etat.erreur.cause
    for interne in ("ClientError", "stackTrace", "/var/task", ".py", "Throttling", "PutItem"):
        assert interne not in cause
    assert cause.startswith("Échec de l'envoi du courriel de décision (")
    (reference,) = [mot for mot in cause.split() if mot.startswith("ERR-")]
    entree = m.instructions.histo[-1][1]
    assert entree.action == "ERREUR_TECHNIQUE" and entree.motif == cause
    # The details are in the log line that carries the same reference.
    (ligne,) = [r for r in caplog.records if getattr(r, "reference", None) == reference]
    assert ligne.erreur["Cause"] == CAUSE_BRUTE  # type: ignore[attr-defined]


def test_echec_avant_tout_etat_donne_une_erreur_technique_pas_un_en_cours() -> None:
    """EnCours's task failed before any state existed: the error branch's token must not be
    recorded as EN_COURS (a decision would consume it, the relance's EnCours undo it)."""
    m = monde()
    _attendre(
        m,
        "EN_ERREUR_TECHNIQUE",
        "GESTIONNAIRE",
        "j-erreur",
        erreur={"Error": "Lambda.TooManyRequestsException", "Cause": "Rate exceeded"},
        etapeEchouee="EnCours",
    )
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert etat.statut is StatutDemande.EN_ERREUR_TECHNIQUE
    assert etat.statut_avant_erreur is StatutDemande.EN_COURS
    assert etat.erreur is not None and "momentanément indisponible" in etat.erreur.cause
    with pytest.raises(ActionImpossible):
        m.instruction.decider(NUMERO, AVANCE, "A_MODIFIER", "motif", None, "DUPONT")
    assert m.workflow.rendus == []
    relance = m.instruction.relancer(NUMERO, AVANCE, "MARTIN")
    assert relance.statut is StatutDemande.EN_COURS
    assert m.workflow.rendus[-1] == ("j-erreur", {"relance": "MARTIN"})
    # EnCours runs again and waits for the gestionnaire with its own token.
    _en_cours(m, "j2")
    assert m.instruction.etat(NUMERO, AVANCE).jeton == "j2"


def test_relancer_sans_erreur_409() -> None:
    m = monde()
    _en_cours(m)
    with pytest.raises(ActionImpossible) as exc:
        m.instruction.relancer(NUMERO, AVANCE, "MARTIN")
    assert exc.value.nature is NatureRefus.CONFLIT


def test_attente_du_paiement_envoie_la_demande_de_versement_avec_le_jeton() -> None:
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "DECIDEE", None, None, "DUPONT")
    _attendre(m, "DECIDEE", "PAIEMENT", "jp")
    (message,) = m.versements.messages
    assert message.jeton == "jp" and message.montant == "6750.00"
    assert message.cleIdempotence == f"{NUMERO}-AVANCE"
    m.instruction.etape(
        Tache(
            demande=EntreeDemande(
                numeroAsp=NUMERO,
                typeDemande=AVANCE,
                versement={
                    "idVersement": "V1",
                    "montant": "6750.00",
                    "payeLe": "2024-03-01T10:00:00+00:00",
                },
            ),
            statut=StatutDemande.PAYEE,
            etape="PAYEE",
        )
    )
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert etat.statut is StatutDemande.PAYEE and etat.versement is not None
    assert etat.libelle == "Décidée et payée"
