"""Ports of the paiement service (implemented by adapters/, faked in unit tests)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from services.paiement.domain.lot import Lot, StatutLot
from services.paiement.domain.retour_recu import EnvoiAutorise, RetourBancaire
from services.paiement.domain.versement import (
    CoordonneesChiffrees,
    EtatVersement,
    TypeVersement,
    Versement,
)
from shared.horloge import Horloge
from shared.messages import VersementEffectue

__all__ = [
    "AvisPaiement",
    "Enrolements",
    "EnvoisFichiers",
    "Horloge",
    "Lots",
    "NotificationsPaiement",
    "Retours",
    "Signal",
    "StockageFichiers",
    "Versements",
]


class Versements(Protocol):
    """One item per (dossier, type); every change is conditional on the version read."""

    def creer(self, versement: Versement) -> bool:
        """Writes it if no versement of that type exists for the dossier; False otherwise."""
        ...

    def lire(self, numero_asp: str, type_versement: TypeVersement) -> Versement | None: ...

    def du_dossier(self, numero_asp: str) -> list[Versement]: ...

    def remplacer(self, ancien: Versement, nouveau: Versement) -> Versement | None:
        """Writes `nouveau` if the stored one is still `ancien` (same version); returns it
        with its new version, or None when someone changed it first (nothing written)."""
        ...

    def dans_l_etat(self, etat: EtatVersement, limite: int) -> list[Versement]:
        """Oldest decisions first (date de validation)."""
        ...

    def du_lot(self, id_lot: str) -> list[Versement]: ...


class Lots(Protocol):
    def creer_lot(self, lot: Lot) -> None: ...

    def enregistrer_lot(self, lot: Lot) -> None: ...

    def supprimer_lot(self, id_lot: str) -> None: ...

    def lire_lot(self, id_lot: str) -> Lot | None: ...

    def lots(self, statut: StatutLot | None = None) -> list[Lot]:
        """Newest first."""
        ...

    def prendre_verrou(self, proprietaire: str, maintenant: datetime, expire_le: datetime) -> bool:
        """One batch at a time: True if free or expired (then taken by `proprietaire`)."""
        ...

    def rendre_verrou(self, proprietaire: str) -> None:
        """Releases it if `proprietaire` still holds it."""
        ...


class Enrolements(Protocol):
    def compte(self, siret: str, numero_ans: str) -> CoordonneesChiffrees | None:
        """The bank details of the éditeur's enrolment, IBAN encrypted as stored (the
        application decrypts it, once per SIRET and run: application/comptes.py); None
        without an enrolment, IBAN or BIC."""
        ...

    def lire_comptes(
        self, cles: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], CoordonneesChiffrees]:
        """`compte` of many (siret, numeroAns) at once: a batch read per 100 enrolments;
        those without an enrolment, IBAN or BIC are left out."""
        ...


class StockageFichiers(Protocol):
    def deposer(self, cle: str, contenu: bytes, type_contenu: str) -> None: ...

    def lire(self, cle: str) -> bytes: ...


class Signal(Protocol):
    """The instruction's waiting execution (Step Functions task token)."""

    def versement_effectue(self, jeton: str, effectue: VersementEffectue) -> None:
        """SendTaskSuccess; a token already used or expired is not an error (logged)."""
        ...


class AvisPaiement(Protocol):
    def produire(self, versement: Versement) -> str:
        """The signed avis de paiement PDF, stored; returns its key (same bytes on replay)."""
        ...


class NotificationsPaiement(Protocol):
    def notifier_paye(self, versement: Versement) -> None:
        """The « Décidée et payée » courriel to the dépositaire, sent once, on the dossier."""
        ...


class EnvoisFichiers(Protocol):
    def autoriser_envoi(self, cle: str, taille_max: int, secondes: int) -> EnvoiAutorise: ...

    def url(self, cle: str) -> str:
        """A presigned GET valid a few minutes."""
        ...


class Retours(Protocol):
    """The bank returns received (one record per uploaded pain.002)."""

    def creer_retour(self, retour: RetourBancaire) -> None: ...

    def enregistrer_retour(self, retour: RetourBancaire) -> None: ...

    def lire_retour(self, id_retour: str) -> RetourBancaire | None: ...
