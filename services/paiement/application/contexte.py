"""What every use case of the paiement service works with (built by the composition root)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.paiement.application.ports import (
    Enrolements,
    Horloge,
    Lots,
    StockageFichiers,
    Versements,
)
from services.paiement.domain.lot import identifiant_lot
from services.paiement.domain.sepa import Payeur
from services.paiement.domain.versement import ErreurPaiement, TypeVersement, Versement
from shared.chiffrement import Chiffrement

# More than a Lambda can run (15 min): a live batch never loses its lock.
DUREE_VERROU = timedelta(minutes=20)
TAILLE_LOT = 1000
ESSAIS = 5


@dataclass(frozen=True)
class Anomalie:
    """Reported, never guessed: a code and a French message for the gestionnaire."""

    code: str
    message: str
    reference: str | None = None  # end-to-end id, lot id…


@dataclass
class Paiement:
    versements: Versements
    lots: Lots
    enrolements: Enrolements
    stockage: StockageFichiers
    horloge: Horloge
    payeur: Payeur
    chiffrement: Chiffrement  # the enrolment KMS key: IBANs of enrolments and versements
    taille_lot: int = TAILLE_LOT
    duree_verrou: timedelta = DUREE_VERROU
    nouvel_id_lot: Callable[[datetime], str] = field(default=identifiant_lot)


def modifier(
    paiement: Paiement,
    numero_asp: str,
    type_versement: TypeVersement,
    transition: Callable[[Versement], Versement | None],
) -> Versement | None:
    """Read, apply, write under condition; on a lost race, read again and re-decide.

    `transition` returns None when there is nothing to write (already done)."""
    for _ in range(ESSAIS):
        actuel = paiement.versements.lire(numero_asp, type_versement)
        if actuel is None:
            return None
        nouveau = transition(actuel)
        if nouveau is None:
            return actuel
        ecrit = paiement.versements.remplacer(actuel, nouveau)
        if ecrit is not None:
            return ecrit
    raise ErreurPaiement(
        "CONFLIT",
        f"Le versement {type_versement} de {numero_asp} change sans cesse: réessayez.",
    )
