"""Lifecycle of a demande under instruction (I1): the transition table and the rules of a
gestionnaire's decision. The state machine (infra/statemachines/instruction.asl.json)
follows this table; tests/unit/instruction checks its Choice states against it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.etat_instruction import DecisionGestionnaire, EtatInstruction
from shared.refus import NatureRefus, Refus
from shared.statuts import LIBELLES_ATTENDU, LIBELLES_DEMANDE, Attendu, StatutDemande

S = StatutDemande


@dataclass(frozen=True)
class Transition:
    depuis: StatutDemande
    acteur: Attendu
    vers: StatutDemande
    etat_asl: str  # the state the workflow goes to (the Choice's Next)


# Who moves a demande from where to where. EN_ERREUR_TECHNIQUE returns, on relance, to the
# step that failed (any of the states below), so it is not listed as a business transition.
TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.EN_COURS, Attendu.GESTIONNAIRE, S.DECIDEE, "DecisionPdf"),
    Transition(S.EN_COURS, Attendu.GESTIONNAIRE, S.REJETEE, "NotifierRejet"),
    Transition(S.EN_COURS, Attendu.GESTIONNAIRE, S.A_MODIFIER, "NotifierEditeur"),
    Transition(S.EN_COURS, Attendu.GESTIONNAIRE, S.EN_ATTENTE_PIECES, "NotifierEditeur"),
    Transition(S.A_MODIFIER, Attendu.EDITEUR, S.EN_COURS, "EnCours"),
    Transition(S.EN_ATTENTE_PIECES, Attendu.EDITEUR, S.EN_COURS, "EnCours"),
    Transition(S.DECIDEE, Attendu.PAIEMENT, S.PAYEE, "Payee"),
)

STATUTS_FINAUX = frozenset({S.REJETEE, S.PAYEE})


def decisions_possibles(depuis: StatutDemande, acteur: Attendu) -> frozenset[StatutDemande]:
    return frozenset(t.vers for t in TRANSITIONS if t.depuis is depuis and t.acteur is acteur)


DECISIONS_GESTIONNAIRE = decisions_possibles(S.EN_COURS, Attendu.GESTIONNAIRE)


class ActionImpossible(Refus):
    """The instruction refuses the action: an invalid decision (the default nature), an
    unknown demande (INTROUVABLE), not its turn (CONFLIT). Its name is also the error
    Step Functions records for a task (domain/panne.py)."""


def _libelle(statut: StatutDemande) -> str:
    return LIBELLES_DEMANDE[statut]


def verifier_tour(
    etat: EtatInstruction, acteur: Attendu, statut: StatutDemande | None = None
) -> None:
    """Only the party the workflow waits for can act (in `statut`, if given); otherwise 409
    naming the state and who must act."""
    if etat.attendu is acteur and etat.jeton and (statut is None or etat.statut is statut):
        return
    if etat.statut is S.EN_ERREUR_TECHNIQUE:
        raise ActionImpossible(
            "ACTION_NON_ATTENDUE",
            f"La demande {etat.type_demande} du dossier {etat.numero_asp} est « en erreur "
            "technique »: un gestionnaire doit d'abord la relancer (route relancer).",
            NatureRefus.CONFLIT,
        )
    raise ActionImpossible(
        "ACTION_NON_ATTENDUE",
        f"La demande {etat.type_demande} du dossier {etat.numero_asp} est au statut "
        f"« {_libelle(etat.statut)} »: elle attend une action "
        f"{de_qui(etat.attendu)}, pas {de_qui(acteur)}.",
        NatureRefus.CONFLIT,
    )


def de_qui(attendu: Attendu) -> str:
    """« d'un gestionnaire », « de l'éditeur », « du service de paiement »: who must act,
    after « une action », elided or contracted as French writes it."""
    groupe = LIBELLES_ATTENDU[attendu]
    if groupe.startswith("un "):
        return f"d'{groupe}"
    if groupe.startswith("le "):
        return f"du {groupe[3:]}"
    return f"de {groupe}"


def est_rejeu(
    etat: EtatInstruction, valeur: str, motif: str | None, pieces: list[str] | None, auteur: str
) -> bool:
    """The decision already recorded on this demande, by the same author, and still in
    effect (the workflow has not moved the demande on since)."""
    recue = etat.decision
    return (
        recue is not None
        and etat.statut is recue.decision
        and str(recue.decision) == valeur
        and recue.auteur == auteur
        and recue.motif == (motif or "").strip()
        and recue.pieces_demandees == _pieces_propres(pieces)
    )


def _pieces_propres(pieces: list[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in pieces or () if p and p.strip()))


def decider(
    etat: EtatInstruction,
    valeur: str,
    motif: str | None,
    pieces: list[str] | None,
    auteur: str,
    le: datetime,
) -> DecisionGestionnaire:
    """A gestionnaire's decision on a demande that waits for one."""
    try:
        statut: StatutDemande | None = StatutDemande(valeur)
    except ValueError:
        statut = None
    if statut is None or statut not in DECISIONS_GESTIONNAIRE:
        attendues = ", ".join(sorted(DECISIONS_GESTIONNAIRE))
        raise ActionImpossible(
            "DECISION_INCONNUE",
            f"Le champ « decision » vaut « {valeur} »: attendu l'une de {attendues}.",
        )
    verifier_tour(etat, Attendu.GESTIONNAIRE, S.EN_COURS)
    motif_propre = (motif or "").strip()
    if statut is not S.DECIDEE and not motif_propre:
        raise ActionImpossible(
            "MOTIF_OBLIGATOIRE",
            f"Le champ « motif » est obligatoire pour la décision {statut}: expliquez-la "
            "à l'éditeur.",
        )
    pieces_propres = _pieces_propres(pieces)
    if statut is S.EN_ATTENTE_PIECES and not pieces_propres:
        raise ActionImpossible(
            "PIECES_DEMANDEES_OBLIGATOIRES",
            "Le champ « piecesDemandees » doit nommer au moins une pièce pour la décision "
            "EN_ATTENTE_PIECES.",
        )
    if statut is not S.EN_ATTENTE_PIECES and pieces_propres:
        raise ActionImpossible(
            "PIECES_DEMANDEES_INATTENDUES",
            "Le champ « piecesDemandees » ne s'emploie qu'avec la décision EN_ATTENTE_PIECES.",
        )
    return DecisionGestionnaire(statut, motif_propre, pieces_propres, auteur, le)


def attendu_apres(decision: StatutDemande) -> Attendu:
    """Right after a decision, the workflow runs its steps (courriel, PDF…) before the next
    party is asked; the conditional write records this interval as PLATEFORME."""
    return Attendu.PERSONNE if decision in STATUTS_FINAUX else Attendu.PLATEFORME
