"""Public views of a dossier, built from the shared contract for each side: the
gestionnaire sees everything; the éditeur its own dossiers, without the technical
errors (an EN_ERREUR_TECHNIQUE demande shows where it stood) nor the gestionnaires'
internal fields."""

from __future__ import annotations

from services.instruction.api_modeles import (
    VueCourriel,
    VueDecisionGestionnaire,
    VueDemande,
    VueDocument,
    VueDossier,
    VueErreurTechnique,
    VueHistorique,
    VueResumeDemande,
    VueResumeDossier,
    VueStatutDemande,
    VueVersement,
)
from services.instruction.application.consultation import Document, DossierComplet
from shared.courriels.contrat import CourrielEnvoye
from shared.dossier import ResumeDemande, ResumeDossier
from shared.etat_instruction import EtatInstruction
from shared.statuts import LIBELLES_DEMANDE, StatutDemande

ACTIONS_INTERNES = frozenset({"ERREUR_TECHNIQUE", "RELANCE"})


def _statut_editeur(statut: StatutDemande, etat: EtatInstruction | None) -> StatutDemande:
    if statut is StatutDemande.EN_ERREUR_TECHNIQUE and etat is not None:
        return etat.statut_avant_erreur or StatutDemande.EN_COURS
    return statut


def vue_demande(
    demande: ResumeDemande, etat: EtatInstruction | None, gestionnaire: bool
) -> VueDemande:
    statut = etat.statut if etat is not None else demande.statut
    if not gestionnaire:
        statut = _statut_editeur(statut, etat)
    decision = etat.decision if etat is not None else None
    attente_editeur = statut in (StatutDemande.A_MODIFIER, StatutDemande.EN_ATTENTE_PIECES)
    motif = decision.motif if decision is not None and decision.motif else None
    return VueDemande(
        type_demande=str(demande.type_demande),
        statut=str(statut),
        libelle_statut=LIBELLES_DEMANDE[statut],
        attendu=str(etat.attendu) if etat is not None and gestionnaire else None,
        numero_dossier=demande.numero_dossier,
        montants=dict(demande.montants),
        taux_tva=demande.taux_tva,
        depose_le=demande.depose_le,
        motif=motif,
        pieces_demandees=list(etat.pieces_demandees) if etat and attente_editeur else [],
        decision=None
        if decision is None or not gestionnaire
        else VueDecisionGestionnaire(
            decision=str(decision.decision),
            motif=decision.motif,
            pieces_demandees=list(decision.pieces_demandees),
            auteur=decision.auteur,
            le=decision.le,
        ),
        erreur=None
        if etat is None or etat.erreur is None or not gestionnaire
        else VueErreurTechnique(
            cause=etat.erreur.cause, etape=etat.erreur.etape, le=etat.erreur.le
        ),
        versement=None
        if etat is None or etat.versement is None
        else VueVersement(
            id_versement=etat.versement.id_versement,
            montant=etat.versement.montant,
            paye_le=etat.versement.paye_le,
        ),
    )


def vue_document(document: Document) -> VueDocument:
    return VueDocument(
        nom=document.nom, genre=document.genre, depose_le=document.depose_le, url=document.url
    )


def vue_courriel(courriel: CourrielEnvoye) -> VueCourriel:
    return VueCourriel(
        date_envoi=courriel.date_envoi,
        envoye_le=courriel.envoye_le,
        destinataire=courriel.destinataire,
        objet=courriel.objet,
        corps=courriel.corps,
    )


def vue_dossier(complet: DossierComplet, gestionnaire: bool) -> VueDossier:
    dossier = complet.dossier
    etats = {e.type_demande: e for e in complet.etats}
    decisions = [d for d in complet.documents if d.genre == "DECISION_ATTRIBUTION"]
    return VueDossier(
        numero_asp=dossier.numero_asp,
        siret=dossier.siret,
        numero_ans=dossier.numero_ans,
        couloir=dossier.couloir,
        campagne=dossier.campagne,
        finess=list(dossier.finess),
        depose_le=dossier.depose_le,
        demandes=[vue_demande(d, etats.get(t), gestionnaire) for t, d in dossier.demandes.items()],
        pieces=[vue_document(d) for d in complet.documents],
        decision_attribution=vue_document(decisions[0]) if decisions else None,
        courriels=[vue_courriel(c) for c in complet.courriels],
        historique=[
            VueHistorique(
                qui=e.qui,
                action=e.action,
                motif=e.motif,
                instant=e.instant,
                type_demande=e.type_demande,
                details=dict(e.details),
            )
            for e in complet.historique
            if gestionnaire or e.action not in ACTIONS_INTERNES
        ],
    )


def vue_resume_demande(etat: EtatInstruction) -> VueResumeDemande:
    return VueResumeDemande(
        numero_asp=etat.numero_asp,
        type_demande=str(etat.type_demande),
        siret=etat.siret,
        numero_ans=etat.numero_ans,
        couloir=etat.couloir,
        campagne=etat.campagne,
        statut=str(etat.statut),
        libelle_statut=etat.libelle,
        attendu=str(etat.attendu),
        montant_finance=etat.montant_finance,
        modifie_le=etat.modifie_le,
    )


def vue_resume_dossier(dossier: ResumeDossier) -> VueResumeDossier:
    return VueResumeDossier(
        numero_asp=dossier.numero_asp,
        numero_ans=dossier.numero_ans,
        couloir=dossier.couloir,
        campagne=dossier.campagne,
        finess=list(dossier.finess),
        depose_le=dossier.depose_le,
        demandes=[
            VueStatutDemande(
                type_demande=str(t),
                statut=str(d.statut),
                libelle_statut=LIBELLES_DEMANDE[d.statut],
            )
            for t, d in dossier.demandes.items()
        ],
    )
