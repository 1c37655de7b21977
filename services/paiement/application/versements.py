"""Use cases on versements: a decision creates one, a bank-detail change re-issues the
rejected ones, the suivi financier lists them."""

from __future__ import annotations

import logging
from dataclasses import replace

from services.paiement.application.comptes import Comptes
from services.paiement.application.contexte import Paiement, modifier
from services.paiement.domain.suivi import LigneSuivi, suivi_financier
from services.paiement.domain.versement import (
    ErreurPaiement,
    EtatVersement,
    TypeVersement,
    Versement,
    avance_reglee,
    nouveau_solde,
    nouvelle_avance,
)
from shared.messages import CoordonneesBancairesValidees, VersementDemande
from shared.montant import Montant
from shared.refus import NatureRefus

logger = logging.getLogger(__name__)


def creer_versement(paiement: Paiement, message: VersementDemande) -> Versement:
    """One versement per decided demande; a redelivered message creates nothing twice."""
    type_versement = TypeVersement(message.typeDemande)
    existant = paiement.versements.lire(message.numeroAsp, type_versement)
    if existant is not None:
        return _jeton_a_jour(paiement, existant, message)
    montant = Montant.exact(message.montantFinance)
    if type_versement is TypeVersement.AVANCE:
        versement = nouvelle_avance(
            message.numeroAsp, message.siret, message.numeroAns, montant, message.decideeLe
        )
    else:
        avance = paiement.versements.lire(message.numeroAsp, TypeVersement.AVANCE)
        versement = nouveau_solde(
            message.numeroAsp,
            message.siret,
            message.numeroAns,
            montant,
            message.decideeLe,
            avance,
        )
    versement = replace(versement, jeton=message.jeton)
    if not paiement.versements.creer(versement):
        gagnant = paiement.versements.lire(message.numeroAsp, type_versement)
        if gagnant is None:  # pragma: no cover - created then deleted: never done
            raise ErreurPaiement("CONFLIT", "Versement introuvable après sa création.")
        return gagnant
    if versement.etat is EtatVersement.EN_ATTENTE_AVANCE:
        # The avance may have been paid between our read and our write: look again, so
        # that the solde never waits for a payment that already happened.
        return liberer_solde(paiement, message.numeroAsp) or versement
    return paiement.versements.lire(message.numeroAsp, type_versement) or versement


def _jeton_a_jour(paiement: Paiement, existant: Versement, message: VersementDemande) -> Versement:
    """A message for a versement that exists: a redelivery (same token, nothing to do) or
    the workflow's task run again after an ambiguous send, waiting with a new token: the
    payment signal must go to that one, the old token's task is gone (Step Functions gives a
    retried task a new token). Already paid: the caller sends the signal again
    (`achever_paiement`), since the one sent went to the old token."""
    if not message.jeton or existant.jeton == message.jeton:
        return existant
    return (
        modifier(
            paiement,
            existant.numero_asp,
            existant.type,
            lambda v: replace(v, jeton=message.jeton) if v.jeton != message.jeton else None,
        )
        or existant
    )


def liberer_solde(paiement: Paiement, numero_asp: str) -> Versement | None:
    """The waiting solde gets its amount once the avance is paid (called on both sides)."""
    paye = avance_reglee(paiement.versements.lire(numero_asp, TypeVersement.AVANCE))
    if paye is None:
        return None

    def liberer(solde: Versement) -> Versement | None:
        if solde.etat is not EtatVersement.EN_ATTENTE_AVANCE:
            return None
        return solde.liberer(paye)

    return modifier(paiement, numero_asp, TypeVersement.SOLDE, liberer)


def reemettre(
    paiement: Paiement,
    numero_asp: str,
    type_versement: TypeVersement,
    comptes: Comptes | None = None,
) -> Versement:
    """A rejected versement, again to pay (new end-to-end id), once the éditeur's bank
    details have changed and been validated (compared in clear: the rejected emission's
    ciphertext is decrypted; `comptes` shares the decryptions of one run)."""
    lecteur = comptes or Comptes(paiement.enrolements, paiement.chiffrement)
    actuel = paiement.versements.lire(numero_asp, type_versement)
    if actuel is None:
        raise ErreurPaiement(
            "VERSEMENT_INCONNU",
            f"Aucun versement {type_versement} pour le dossier {numero_asp}.",
            NatureRefus.INTROUVABLE,
        )
    coordonnees = lecteur.coordonnees(actuel.siret, actuel.numero_ans)
    if coordonnees is None:
        raise ErreurPaiement(
            "COORDONNEES_ABSENTES",
            f"L'enrôlement de l'éditeur {actuel.siret} n'a pas de coordonnées bancaires.",
        )
    resultat = modifier(
        paiement,
        numero_asp,
        type_versement,
        lambda v: v.reemettre(coordonnees, lecteur.iban(v)),
    )
    assert resultat is not None  # it existed, and versements are never deleted
    return resultat


def reemettre_pour_editeur(
    paiement: Paiement, siret: str, numero_ans: str | None = None
) -> tuple[list[Versement], list[ErreurPaiement]]:
    """After the bank details of an enrolment (every enrolment of the SIRET when
    `numero_ans` is None) were changed and validated: every rejected versement is
    re-issued; those that cannot be are reported (COORDONNEES_INCHANGEES: rejected with
    the current details already). Run twice, it re-issues nothing twice: a re-issued
    versement is no longer REJETE."""
    reemis: list[Versement] = []
    refus: list[ErreurPaiement] = []
    comptes = Comptes(paiement.enrolements, paiement.chiffrement)
    for versement in paiement.versements.dans_l_etat(EtatVersement.REJETE, limite=10_000):
        if versement.siret != siret:
            continue
        if numero_ans is not None and versement.numero_ans != numero_ans:
            continue
        try:
            reemis.append(reemettre(paiement, versement.numero_asp, versement.type, comptes))
        except ErreurPaiement as erreur:
            refus.append(erreur)
    return reemis, refus


def coordonnees_validees(
    paiement: Paiement, message: CoordonneesBancairesValidees
) -> tuple[list[Versement], list[ErreurPaiement]]:
    """Enrolment's message (queue `segurnum-paiement-coordonnees`): a gestionnaire
    validated the éditeur's new bank details; its REJETE versements are re-issued with
    them (idempotent: a redelivered message finds none left to re-issue). Refusals are
    logged by code, never with an IBAN."""
    reemis, refus = reemettre_pour_editeur(paiement, message.siret)
    logger.info(
        "Coordonnées validées (demande %s, SIRET %s): %d versement(s) réémis, refus: %s",
        message.numeroDemande,
        message.siret,
        len(reemis),
        ", ".join(sorted({e.code for e in refus})) or "aucun",
    )
    return reemis, refus


def suivi(paiement: Paiement, numero_asp: str) -> list[LigneSuivi]:
    """The suivi financier of a dossier (the caller checks who may read it)."""
    return suivi_financier(paiement.versements.du_dossier(numero_asp))
