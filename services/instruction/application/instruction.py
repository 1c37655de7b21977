"""Use cases of instruction (I1, I2): the workflow's tasks, the gestionnaire's decision and
relance, the éditeur's answer. Every hand-over of a task token is one conditional write
(the token is consumed with what was decided) followed by SendTaskSuccess, which
`rendre` can replay until Step Functions has it: no demande is left that no one can move.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from services.instruction.application.ports import (
    Decisions,
    Instructions,
    JetonPerime,
    Metriques,
    Notifications,
    Versements,
    VersionPerimee,
    Workflow,
)
from services.instruction.domain.instruction import (
    ActionImpossible,
    attendu_apres,
    de_qui,
    decider,
    est_rejeu,
    verifier_tour,
)
from services.instruction.domain.panne import cause_lisible, reference
from shared.campagnes import TypeDemande
from shared.dossier import ResumeDossier
from shared.etat_instruction import (
    ErreurTechnique,
    EtatInstruction,
    Reprise,
    ResumeVersement,
    item_decision,
)
from shared.historique import EntreeHistorique
from shared.horloge import Horloge
from shared.messages import ReponseEditeur, VersementDemande, VersementEffectue
from shared.refus import NatureRefus
from shared.statuts import Attendu, StatutDemande

logger = logging.getLogger(__name__)

TENTATIVES = 5
PLATEFORME = "plateforme"


class ErreurTransitoire(RuntimeError):
    """Raised by a task for a failure worth retrying (the ASL's Retry names it)."""


class DonneesIncoherentes(RuntimeError):
    """Not retried: the demande goes EN_ERREUR_TECHNIQUE with this cause."""


class EntreeDemande(BaseModel):
    """The execution's input (shared.messages.InstructionDemandee) and what the workflow
    added to it on its way (the decision, the éditeur's answer, the payment)."""

    model_config = ConfigDict(extra="allow")

    numeroAsp: str
    typeDemande: TypeDemande
    siret: str = ""
    montantFinance: str = "0.00"
    version: int = 1
    versement: dict[str, Any] | None = None
    erreur: dict[str, Any] | None = None
    etapeEchouee: str | None = None


class Tache(BaseModel):
    """The Payload of a Lambda task of infra/statemachines/instruction.asl.json."""

    model_config = ConfigDict(extra="ignore")

    demande: EntreeDemande
    statut: StatutDemande
    attendu: Attendu | None = None
    etape: str | None = None
    jeton: str | None = Field(default=None, min_length=1)


def montant_a_verser(dossier: ResumeDossier, type_demande: TypeDemande) -> str:
    demande = dossier.demandes.get(type_demande)
    montants = demande.montants if demande is not None else {}
    cle = "avance" if type_demande is TypeDemande.AVANCE else "solde"
    return str(montants.get(cle) or montants.get("montantFinance") or "0.00")


def montant_finance_actuel(
    dossier: ResumeDossier | None, type_demande: TypeDemande, defaut: str
) -> str:
    """The demande's montant financé as the dossier holds it now (an M file may have changed
    it since the execution started); `defaut` (the execution's) when the dossier has none."""
    demande = dossier.demandes.get(type_demande) if dossier is not None else None
    return str((demande.montants.get("montantFinance") if demande else None) or defaut)


class Instruction:
    def __init__(
        self,
        instructions: Instructions,
        workflow: Workflow,
        horloge: Horloge,
        versements: Versements,
        notifications: Notifications,
        decisions: Decisions,
        metriques: Metriques,
    ) -> None:
        self.instructions = instructions
        self.workflow = workflow
        self.horloge = horloge
        self.versements = versements
        self.notifications = notifications
        self.decisions = decisions
        self.metriques = metriques

    # --- reads ---------------------------------------------------------------------------

    def etat(self, numero_asp: str, type_demande: TypeDemande) -> EtatInstruction:
        etat = self.instructions.lire(numero_asp, type_demande)
        if etat is None:
            raise ActionImpossible(
                "DEMANDE_INTROUVABLE",
                f"Le dossier {numero_asp} n'a pas de demande {type_demande} en instruction.",
                NatureRefus.INTROUVABLE,
            )
        return etat

    def _dossier(self, numero_asp: str) -> ResumeDossier:
        dossier = self.instructions.lire_dossier(numero_asp)
        if dossier is None:
            raise DonneesIncoherentes(f"Le dossier {numero_asp} n'existe pas.")
        return dossier

    # --- the workflow's tasks -----------------------------------------------------------

    def attendre(self, tache: Tache) -> None:
        """A waitForTaskToken task: the demande now waits for `tache.attendu`."""
        if not tache.jeton or tache.attendu is None:
            raise DonneesIncoherentes("Tâche d'attente sans jeton ni partie attendue.")
        d = tache.demande
        for _ in range(TENTATIVES):
            maintenant = self.horloge.maintenant()
            avant = self.instructions.lire(d.numeroAsp, d.typeDemande)
            entree: EntreeHistorique | None = None
            if avant is None:
                dossier = self._dossier(d.numeroAsp)
                nouveau = EtatInstruction(
                    numero_asp=d.numeroAsp,
                    type_demande=d.typeDemande,
                    siret=dossier.siret,
                    numero_ans=dossier.numero_ans,
                    couloir=dossier.couloir,
                    campagne=dossier.campagne,
                    montant_finance=d.montantFinance,
                    statut=StatutDemande.EN_COURS,
                    attendu=tache.attendu,
                    demarre_le=maintenant,
                    modifie_le=maintenant,
                    execution=f"{d.numeroAsp}-{d.typeDemande}-{d.version}",
                    jeton=tache.jeton,
                )
                if tache.statut is StatutDemande.EN_ERREUR_TECHNIQUE:
                    # EnCours failed before the demande had any state: record the failure.
                    # Recorded as EN_COURS with the error branch's token, a decision would
                    # consume that token and the relance's EnCours overwrite the decision.
                    apres, entree = self._en_erreur(
                        nouveau, d, tache.jeton, maintenant, premier=True
                    )
                else:
                    apres = nouveau
                    entree = EntreeHistorique(
                        PLATEFORME, "INSTRUCTION_COMMENCEE", maintenant, type_demande=d.typeDemande
                    )
            elif tache.statut is StatutDemande.EN_ERREUR_TECHNIQUE:
                apres, entree = self._en_erreur(avant, d, tache.jeton, maintenant, premier=False)
            else:
                apres = replace(
                    avant,
                    statut=tache.statut,
                    attendu=tache.attendu,
                    jeton=tache.jeton,
                    reprise=None,  # the workflow moved on: the previous token was used
                    erreur=None,
                    statut_avant_erreur=None,
                    modifie_le=maintenant,
                    version=avant.version + 1,
                )
            try:
                self.instructions.ecrire(avant, apres, entree)
            except VersionPerimee:
                continue
            if apres.statut is StatutDemande.EN_ERREUR_TECHNIQUE:
                self.metriques.erreur_technique(d.etapeEchouee or "")
            if tache.attendu is Attendu.PAIEMENT:
                self._demander_versement(apres, tache.jeton)
            return
        raise ErreurTransitoire(f"La demande {d.numeroAsp} {d.typeDemande} change sans cesse.")

    def _en_erreur(
        self,
        avant: EtatInstruction,
        d: EntreeDemande,
        jeton: str,
        maintenant: datetime,
        premier: bool,
    ) -> tuple[EtatInstruction, EntreeHistorique]:
        """The demande EN_ERREUR_TECHNIQUE, waiting for a relance; `premier` when it had no
        state yet (then it was EN_COURS in all but name, and its version stays the first)."""
        etape = d.etapeEchouee or ""
        ref = reference(avant.execution, etape, maintenant.isoformat())
        # The raw error (message, stack trace, paths) goes to the log only, under the
        # reference the gestionnaire sees.
        logger.error(
            "Instruction en erreur technique",
            extra={"reference": ref, "etape": etape, "erreur": d.erreur},
        )
        erreur = ErreurTechnique(cause_lisible(d.erreur, etape, ref), etape, maintenant)
        en_erreur = avant.statut is StatutDemande.EN_ERREUR_TECHNIQUE
        apres = replace(
            avant,
            statut=StatutDemande.EN_ERREUR_TECHNIQUE,
            statut_avant_erreur=avant.statut_avant_erreur if en_erreur else avant.statut,
            attendu=Attendu.GESTIONNAIRE,
            jeton=jeton,
            erreur=erreur,
            reprise=None,
            modifie_le=maintenant,
            version=avant.version if premier else avant.version + 1,
        )
        entree = EntreeHistorique(
            PLATEFORME,
            "ERREUR_TECHNIQUE",
            maintenant,
            motif=erreur.cause,
            type_demande=d.typeDemande,
            details={"etape": erreur.etape, "reference": ref},
        )
        return apres, entree

    def _demander_versement(self, etat: EtatInstruction, jeton: str) -> None:
        dossier = self._dossier(etat.numero_asp)
        decidee_le = etat.decision.le if etat.decision is not None else etat.modifie_le
        self.versements.demander(
            VersementDemande(
                numeroAsp=etat.numero_asp,
                typeDemande=etat.type_demande,
                siret=etat.siret,
                numeroAns=etat.numero_ans,
                couloir=etat.couloir,
                campagne=etat.campagne,
                montantFinance=montant_finance_actuel(
                    dossier, etat.type_demande, etat.montant_finance
                ),
                montant=montant_a_verser(dossier, etat.type_demande),
                decideeLe=decidee_le,
                jeton=jeton,
                demandeLe=self.horloge.maintenant(),
                cleIdempotence=f"{etat.numero_asp}-{etat.type_demande}",
            )
        )

    def etape(self, tache: Tache) -> None:
        """A step the workflow runs on its own: a courriel, the décision PDF, the payment."""
        d = tache.demande
        etat = self.etat(d.numeroAsp, d.typeDemande)
        if tache.etape == "COURRIEL":
            self.notifications.notifier(etat, self._dossier(d.numeroAsp), str(tache.statut))
        elif tache.etape == "DECISION_PDF":
            cle = self.decisions.produire(etat, self._dossier(d.numeroAsp))
            if etat.decision_document != cle:
                self._mettre_a_jour(d.numeroAsp, d.typeDemande, decision_document=cle)
        elif tache.etape == "PAYEE":
            effectue = VersementEffectue.model_validate(d.versement or {})
            versement = ResumeVersement(
                effectue.idVersement, effectue.montant, effectue.payeLe, effectue.reference
            )
            entree = EntreeHistorique(
                "paiement",
                "PAIEMENT_EFFECTUE",
                self.horloge.maintenant(),
                type_demande=d.typeDemande,
                details={"idVersement": effectue.idVersement, "montant": effectue.montant},
            )
            self._mettre_a_jour(
                d.numeroAsp,
                d.typeDemande,
                entree,
                statut=StatutDemande.PAYEE,
                attendu=Attendu.PERSONNE,
                jeton=None,
                versement=versement,
            )
        else:
            raise DonneesIncoherentes(f"Étape inconnue: {tache.etape}")

    def _mettre_a_jour(
        self,
        numero_asp: str,
        type_demande: TypeDemande,
        entree: EntreeHistorique | None = None,
        **champs: Any,
    ) -> None:
        for _ in range(TENTATIVES):
            avant = self.etat(numero_asp, type_demande)
            apres = replace(
                avant, **champs, modifie_le=self.horloge.maintenant(), version=avant.version + 1
            )
            try:
                self.instructions.ecrire(avant, apres, entree)
            except VersionPerimee:
                continue
            return
        raise ErreurTransitoire(f"La demande {numero_asp} {type_demande} change sans cesse.")

    # --- the gestionnaire ---------------------------------------------------------------

    def decider(
        self,
        numero_asp: str,
        type_demande: TypeDemande,
        valeur: str,
        motif: str | None,
        pieces: list[str] | None,
        auteur: str,
    ) -> EtatInstruction:
        etat = self.etat(numero_asp, type_demande)
        if etat.reprise is not None and etat.decision is not None:
            # A decision recorded whose SendTaskSuccess failed: replay it.
            self.rendre(etat)
        if est_rejeu(etat, valeur, motif, pieces, auteur):
            # The same decision by the same person, still in effect: the client's retry of
            # a request whose answer was lost after it was recorded. Answered as a success.
            return self.etat(numero_asp, type_demande)
        maintenant = self.horloge.maintenant()
        choix = decider(etat, valeur, motif, pieces, auteur, maintenant)
        jeton = etat.jeton
        assert jeton is not None  # verifier_tour checked it
        apres = replace(
            etat,
            statut=choix.decision,
            attendu=attendu_apres(choix.decision),
            jeton=None,
            decision=choix,
            pieces_demandees=choix.pieces_demandees,
            reprise=Reprise(jeton, item_decision(choix)),
            modifie_le=maintenant,
            version=etat.version + 1,
        )
        entree = EntreeHistorique(
            auteur,
            f"DECISION_{choix.decision}",
            maintenant,
            motif=choix.motif,
            type_demande=type_demande,
            details={"piecesDemandees": list(choix.pieces_demandees)}
            if choix.pieces_demandees
            else {},
        )
        self._consommer(etat, apres, entree, jeton)
        self.rendre(apres)
        return apres

    def relancer(self, numero_asp: str, type_demande: TypeDemande, auteur: str) -> EtatInstruction:
        """EN_ERREUR_TECHNIQUE → the failed step runs again. Also replays a pending
        SendTaskSuccess, whatever the state."""
        etat = self.etat(numero_asp, type_demande)
        if etat.reprise is not None:
            self.rendre(etat)
            return self.etat(numero_asp, type_demande)
        if etat.statut is not StatutDemande.EN_ERREUR_TECHNIQUE:
            raise ActionImpossible(
                "RELANCE_INUTILE",
                f"La demande {type_demande} du dossier {numero_asp} n'est pas en erreur "
                f"technique (statut « {etat.libelle} »): rien à relancer.",
                NatureRefus.CONFLIT,
            )
        verifier_tour(etat, Attendu.GESTIONNAIRE)
        maintenant = self.horloge.maintenant()
        jeton = etat.jeton
        assert jeton is not None
        apres = replace(
            etat,
            statut=etat.statut_avant_erreur or StatutDemande.EN_COURS,
            statut_avant_erreur=None,
            attendu=Attendu.PLATEFORME,
            jeton=None,
            erreur=None,
            reprise=Reprise(jeton, {"relance": auteur}),
            modifie_le=maintenant,
            version=etat.version + 1,
        )
        cause = etat.erreur.cause if etat.erreur else ""
        entree = EntreeHistorique(
            auteur, "RELANCE", maintenant, motif=cause, type_demande=type_demande
        )
        self._consommer(etat, apres, entree, jeton)
        self.rendre(apres)
        return apres

    def _consommer(
        self, avant: EtatInstruction, apres: EtatInstruction, entree: EntreeHistorique, jeton: str
    ) -> None:
        try:
            self.instructions.ecrire(avant, apres, entree, jeton_consomme=jeton)
        except VersionPerimee:
            actuel = self.etat(avant.numero_asp, avant.type_demande)
            raise ActionImpossible(
                "ACTION_CONCURRENTE",
                f"Une autre action vient d'être enregistrée sur la demande "
                f"{avant.type_demande} du dossier {avant.numero_asp}: elle est maintenant au "
                f"statut « {actuel.libelle} » et attend une action "
                f"{de_qui(actuel.attendu)}.",
                NatureRefus.CONFLIT,
            ) from None

    # --- the éditeur (through the dépôt service's message) ------------------------------

    def repondre(self, reponse: ReponseEditeur) -> bool:
        """A_MODIFIER / EN_ATTENTE_PIECES → EN_COURS. False when the demande was not
        waiting for the éditeur (nothing to resume: the message is dropped)."""
        for _ in range(TENTATIVES):
            etat = self.instructions.lire(reponse.numeroAsp, reponse.typeDemande)
            if etat is None:
                logger.info("Réponse d'éditeur sans instruction: %s", reponse.model_dump())
                return False
            if etat.reprise is not None:
                if not self.rendre(etat):
                    raise ErreurTransitoire("La reprise du workflow a échoué: à rejouer.")
                continue
            if etat.attendu is not Attendu.EDITEUR or not etat.jeton:
                logger.info("Demande %s %s n'attend pas l'éditeur.", etat.numero_asp, etat.statut)
                return False
            if etat.decision is not None and reponse.instant < etat.decision.le:
                # A redelivered answer to an earlier decision: not an answer to this one.
                logger.info("Réponse antérieure à la décision de %s: ignorée.", etat.numero_asp)
                return False
            maintenant = self.horloge.maintenant()
            dossier = self.instructions.lire_dossier(etat.numero_asp)
            apres = replace(
                etat,
                # An M file may have changed the amount: the desk shows the current one.
                montant_finance=montant_finance_actuel(
                    dossier, etat.type_demande, etat.montant_finance
                ),
                statut=StatutDemande.EN_COURS,
                attendu=Attendu.PLATEFORME,
                jeton=None,
                pieces_demandees=(),
                reprise=Reprise(etat.jeton, {"reponse": str(reponse.action)}),
                modifie_le=maintenant,
                version=etat.version + 1,
            )
            entree = EntreeHistorique(
                reponse.qui,
                str(reponse.action),
                reponse.instant,
                motif=f"Retour en cours après « {etat.libelle} »",
                type_demande=reponse.typeDemande,
                details=dict(reponse.details),
            )
            try:
                self.instructions.ecrire(etat, apres, entree, jeton_consomme=etat.jeton)
            except VersionPerimee:
                continue
            if not self.rendre(apres):
                raise ErreurTransitoire("La reprise du workflow a échoué: à rejouer.")
            return True
        raise ErreurTransitoire(f"La demande {reponse.numeroAsp} change sans cesse.")

    # --- replaying SendTaskSuccess ------------------------------------------------------

    def rendre(self, etat: EtatInstruction) -> bool:
        """Hands the consumed token back to Step Functions; True once it has it."""
        reprise = etat.reprise
        if reprise is None:
            return True
        try:
            self.workflow.reprendre(reprise.jeton, reprise.sortie)
        except JetonPerime:
            logger.info("Jeton déjà rendu pour %s %s.", etat.numero_asp, etat.type_demande)
        except Exception:
            logger.exception("SendTaskSuccess en échec: la reprise sera rejouée.")
            self.metriques.reprise_en_echec()
            return False
        self.instructions.effacer_reprise(etat.numero_asp, etat.type_demande, reprise.jeton)
        return True


# A decision's hand-over is replayed by the client's retry first; this long after, by the
# reconciliation (more than the SDK's and the route's own retries can take).
DELAI_REPRISE = timedelta(minutes=5)
REPRISES_PAR_PASSAGE = 500  # per statut: the rest is for the next run (every 15 min)
# A step of the workflow takes seconds; its retries and the EnErreur state's own, under
# 10 minutes. Left to the platform an hour with nothing pending: its execution is gone.
DELAI_SANS_SUITE = timedelta(hours=1)


@dataclass(frozen=True)
class BilanReprises:
    rejouees: int  # handed back to Step Functions (or found already used)
    en_echec: int  # SendTaskSuccess failed again: left for the next run
    sans_suite: int = 0  # left to a workflow that no longer acts on them: for the operators


def rejouer_reprises(instruction: Instruction) -> BilanReprises:
    """The scheduled reconciliation: every token consumed by a decision (a relance, an
    éditeur's answer, the payment signal) whose SendTaskSuccess never reached Step Functions
    is handed back; otherwise the demande shows « en cours de traitement » for ever. The
    demandes that wait for the platform with nothing to hand back (their execution failed
    outside the workflow's own error branch) are counted for the operators' alarm."""
    maintenant = instruction.horloge.maintenant()
    avant = maintenant - DELAI_REPRISE
    rejouees = en_echec = 0
    sans_suite: list[EtatInstruction] = []
    for statut in StatutDemande:
        for etat in instruction.instructions.en_reprise(statut, avant, REPRISES_PAR_PASSAGE):
            if instruction.rendre(etat):
                rejouees += 1
            else:
                en_echec += 1
        sans_suite += instruction.instructions.sans_suite(
            statut, maintenant - DELAI_SANS_SUITE, REPRISES_PAR_PASSAGE
        )
    if rejouees or en_echec:
        logger.warning("Reprises rejouées: %d, en échec: %d.", rejouees, en_echec)
    if sans_suite:
        # The executions' names: `aws stepfunctions redrive-execution` resumes each one at
        # the state that failed (docs/exploitation.md).
        logger.error(
            "Demandes sans suite du workflow",
            extra={"executions": [e.execution for e in sans_suite]},
        )
    instruction.metriques.sans_suite(len(sans_suite))
    return BilanReprises(rejouees, en_echec, len(sans_suite))
