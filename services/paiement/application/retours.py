"""traiter_retour: a bank status report (pain.002) marks versements PAYE or REJETE.

Each transaction is matched by its end-to-end id, which names the versement and its
emission; the same file twice changes nothing (a versement already in the reported state
is counted, not changed). Whatever does not fit (unknown id, amount or currency that does
not match, a status contradicting an earlier one) is reported as an anomaly and changes
nothing: it is never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from services.paiement.application.contexte import Anomalie, Paiement, modifier
from services.paiement.application.versements import liberer_solde
from services.paiement.domain.motifs import motif_rejet
from services.paiement.domain.retours import (
    STATUT_REJETE,
    STATUTS_PAYE,
    RapportBancaire,
    StatutTransaction,
    lire_pain002,
)
from services.paiement.domain.versement import (
    EtatVersement,
    TypeVersement,
    Versement,
    lire_end_to_end,
)


@dataclass
class ResultatRetour:
    message_id: str
    payes: list[Versement] = field(default_factory=list)
    rejetes: list[Versement] = field(default_factory=list)
    soldes_liberes: list[Versement] = field(default_factory=list)  # now A_PAYER
    deja_traites: int = 0
    en_cours: int = 0  # intermediate statuses (ACSP, ACTC, PDNG…): nothing to do yet
    anomalies: list[Anomalie] = field(default_factory=list)


class _Issue:
    """What a transition decided (it may run again after a lost race: last call wins)."""

    def __init__(self) -> None:
        self.deja = False
        self.anomalie: Anomalie | None = None

    def remettre(self) -> None:
        self.deja = False
        self.anomalie = None


def traiter_retour(paiement: Paiement, contenu: bytes) -> ResultatRetour:
    """Raises RetourIllisible (nothing changed) for malformed or hostile XML."""
    rapport = lire_pain002(contenu)
    resultat = ResultatRetour(message_id=rapport.message_id)
    if not rapport.transactions:
        _sans_detail(paiement, rapport, resultat)
    for transaction in rapport.transactions:
        _traiter(paiement, rapport, transaction, resultat)
    return resultat


def _sans_detail(paiement: Paiement, rapport: RapportBancaire, resultat: ResultatRetour) -> None:
    """A whole lot rejected (GrpSts RJCT, no transaction): each of its versements is."""
    lot = rapport.message_origine
    if rapport.statut_groupe != STATUT_REJETE or not lot:
        resultat.anomalies.append(
            Anomalie(
                "RETOUR_SANS_DETAIL",
                f"Le rapport {rapport.message_id} ne détaille aucune transaction (statut du "
                f"lot: {rapport.statut_groupe or 'absent'}): aucun versement n'a été modifié.",
                rapport.message_id,
            )
        )
        return
    if paiement.lots.lire_lot(lot) is None:
        resultat.anomalies.append(
            Anomalie("LOT_INCONNU", f"Le lot {lot} rejeté par la banque est inconnu.", lot)
        )
        return
    for versement in paiement.versements.du_lot(lot):
        transaction = StatutTransaction(
            end_to_end=versement.end_to_end,
            statut=STATUT_REJETE,
            code_motif=rapport.code_motif_groupe,
            montant=None,
            devise=None,
            date=rapport.cree_le,
        )
        _traiter(paiement, rapport, transaction, resultat)


def _inconnu(transaction: StatutTransaction, detail: str) -> Anomalie:
    return Anomalie(
        "IDENTIFIANT_INCONNU",
        f"Identifiant de bout en bout « {transaction.end_to_end} » ({transaction.statut}): "
        f"{detail}. Aucun versement n'a été modifié.",
        transaction.end_to_end,
    )


def _traiter(
    paiement: Paiement,
    rapport: RapportBancaire,
    transaction: StatutTransaction,
    resultat: ResultatRetour,
) -> None:
    cle = lire_end_to_end(transaction.end_to_end)
    if cle is None:
        resultat.anomalies.append(_inconnu(transaction, "ce n'est pas un identifiant émis ici"))
        return
    numero_asp, type_versement, rang = cle
    if transaction.statut in STATUTS_PAYE:
        fabrique = _payer
    elif transaction.statut == STATUT_REJETE:
        fabrique = _rejeter
    else:
        resultat.en_cours += 1
        return
    instant = transaction.date or rapport.cree_le or paiement.horloge.maintenant()
    issue = _Issue()
    change = modifier(
        paiement, numero_asp, type_versement, fabrique(transaction, rang, instant, issue)
    )
    if change is None:
        resultat.anomalies.append(_inconnu(transaction, "aucun versement ne porte cet identifiant"))
    elif issue.anomalie is not None:
        resultat.anomalies.append(issue.anomalie)
    elif issue.deja:
        resultat.deja_traites += 1
    elif change.etat is EtatVersement.PAYE:
        resultat.payes.append(change)
        if change.type is TypeVersement.AVANCE:
            solde = liberer_solde(paiement, numero_asp)
            if solde is not None and solde.etat is EtatVersement.A_PAYER:
                resultat.soldes_liberes.append(solde)
    else:
        resultat.rejetes.append(change)


Transition = Callable[[Versement], Versement | None]


def _contradiction(transaction: StatutTransaction, versement: Versement, detail: str) -> Anomalie:
    return Anomalie(
        "STATUT_CONTRADICTOIRE",
        f"{transaction.end_to_end}: la banque annonce {transaction.statut} alors que le "
        f"versement est {versement.etat} ({detail}). Aucun versement n'a été modifié: "
        "à vérifier avec la banque.",
        transaction.end_to_end,
    )


def _emission_absente(transaction: StatutTransaction, rang: int) -> Anomalie:
    return _inconnu(transaction, f"l'émission {rang} de ce versement n'a jamais été envoyée")


def _payer(
    transaction: StatutTransaction, rang: int, instant: datetime, issue: _Issue
) -> Transition:
    def transition(versement: Versement) -> Versement | None:
        issue.remettre()
        if rang > versement.rang:
            issue.anomalie = _emission_absente(transaction, rang)
        elif rang < versement.rang:
            issue.anomalie = _contradiction(
                transaction, versement, f"l'émission {rang} a été rejetée puis réémise"
            )
        elif versement.etat is EtatVersement.PAYE:
            if transaction.montant == versement.montant_paye:
                issue.deja = True
            else:
                issue.anomalie = _montant(transaction, versement)
        elif versement.etat is not EtatVersement.MIS_EN_PAIEMENT:
            issue.anomalie = _contradiction(transaction, versement, "paiement non attendu")
        elif transaction.devise not in (None, "EUR") or transaction.montant != versement.montant:
            issue.anomalie = _montant(transaction, versement)
        else:
            assert transaction.montant is not None
            return versement.payer(transaction.montant, instant)
        return None

    return transition


def _montant(transaction: StatutTransaction, versement: Versement) -> Anomalie:
    if transaction.montant is None:
        annonce = "aucun montant"
    else:
        annonce = f"{transaction.montant} {transaction.devise or 'EUR'}"
    return Anomalie(
        "MONTANT_DIFFERENT",
        f"{transaction.end_to_end}: la banque annonce {annonce} payé(s) pour un versement "
        f"de {versement.montant} EUR. Aucun versement n'a été modifié.",
        transaction.end_to_end,
    )


def _rejeter(
    transaction: StatutTransaction, rang: int, instant: datetime, issue: _Issue
) -> Transition:
    def transition(versement: Versement) -> Versement | None:
        issue.remettre()
        if rang > versement.rang:
            issue.anomalie = _emission_absente(transaction, rang)
        elif rang < versement.rang:
            if any(e.rang == rang for e in versement.emissions_rejetees):
                issue.deja = True
            else:  # pragma: no cover - an earlier emission is always a rejected one
                issue.anomalie = _emission_absente(transaction, rang)
        elif versement.etat is EtatVersement.REJETE:
            issue.deja = True
        elif versement.etat is EtatVersement.PAYE:
            issue.anomalie = _contradiction(
                transaction,
                versement,
                f"payé le {versement.paye_le:%d/%m/%Y}; motif annoncé: "
                f"{motif_rejet(transaction.code_motif)}",
            )
        elif versement.etat is not EtatVersement.MIS_EN_PAIEMENT:
            issue.anomalie = _contradiction(transaction, versement, "rejet non attendu")
        else:
            return versement.rejeter(transaction.code_motif, instant)
        return None

    return transition
