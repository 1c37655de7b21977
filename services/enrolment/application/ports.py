"""Ports of the enrolment service (implemented by adapters/, faked in the unit tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from services.enrolment.domain.anti_robot import VerdictAntiRobot
from services.enrolment.domain.courriels import Message
from services.enrolment.domain.demande import DemandeEnrolement, StatutDemandeEnrolement
from services.enrolment.domain.referentiel import VersionReferentiel
from shared.enrolement import EnrolementEditeur, ReferencementAns
from shared.envois import EnvoiAutorise as EnvoiAutorise  # one record, every service
from shared.messages import CoordonneesBancairesValidees
from shared.refus import MESSAGE_CURSEUR_INVALIDE, Refus


class VersionPerimee(Exception):
    """Optimistic locking: the record changed since it was read."""


class CurseurInvalide(Refus):
    """The pagination cursor was not produced by this listing."""

    def __init__(self, curseur: str | None = None) -> None:
        super().__init__("CURSEUR_INVALIDE", MESSAGE_CURSEUR_INVALIDE)
        self.curseur = curseur


class Referentiel(Protocol):
    def trouver(self, numero_ans: str) -> ReferencementAns | None: ...

    def tous(self) -> list[ReferencementAns]: ...

    def charger(
        self,
        referencements: Sequence[ReferencementAns],
        anciens: Sequence[ReferencementAns],
        version: VersionReferentiel,
    ) -> None:
        """Upserts `referencements`; keeps `anciens` (their previous values) and `version`
        in the history."""
        ...

    def versions(self) -> list[VersionReferentiel]:
        """The loaded versions, newest first."""
        ...


@dataclass(frozen=True)
class Page:
    demandes: list[DemandeEnrolement]
    curseur_suivant: str | None


class Demandes(Protocol):
    def ajouter(self, demande: DemandeEnrolement) -> None:
        """Creates the record; never overwrites one."""
        ...

    def lire(self, numero: str) -> DemandeEnrolement | None: ...

    def enregistrer(self, demande: DemandeEnrolement) -> DemandeEnrolement:
        """Writes it if the stored version is still `demande.version`; returns it with
        version + 1. Raises VersionPerimee otherwise."""
        ...

    def lister(
        self, statut: StatutDemandeEnrolement | None, curseur: str | None, limite: int
    ) -> Page:
        """Oldest first (the order of instruction). Raises CurseurInvalide."""
        ...

    def du_siret(self, siret: str) -> list[DemandeEnrolement]:
        """The demandes of an éditeur, oldest first."""
        ...


class Enrolements(Protocol):
    """The records other services read (shared/enrolement.py `EnrolementEditeur`)."""

    def lire(self, siret: str, numero_ans: str) -> EnrolementEditeur | None: ...

    def du_siret(self, siret: str) -> list[EnrolementEditeur]: ...

    def enregistrer(self, enrolement: EnrolementEditeur) -> None: ...


class AnnoncesPaiement(Protocol):
    """The paiement service's queue (`segurnum-paiement-coordonnees`): new bank details
    validated, re-issue the rejected versements (idempotent on the other side)."""

    def coordonnees_validees(self, message: CoordonneesBancairesValidees) -> None: ...


class Compteur(Protocol):
    def suivant(self, nom: str) -> int: ...


class Stockage(Protocol):
    """The bucket of enrolment documents (sensitive: identity, bank)."""

    def autoriser_envoi(
        self, cle: str, taille_max: int, expiration: timedelta
    ) -> EnvoiAutorise: ...

    def lire(self, cle: str, limite: int) -> bytes | None:
        """At most `limite` + 1 bytes of the object; None when there is none."""
        ...

    def copier(self, source: str, destination: str) -> None: ...

    def autoriser_lecture(self, cle: str, expiration: timedelta) -> str:
        """A presigned GET URL."""
        ...


class AntiRobot(Protocol):
    """The proof-of-work challenges of the demande d'enrôlement (ALTCHA)."""

    def defi(self) -> dict[str, Any]:
        """A new signed challenge, as the widget reads it; it expires on the platform's
        clock (VALIDITE_DEFI)."""
        ...

    def verifier(self, solution: str) -> VerdictAntiRobot:
        """The verdict on a solved challenge (the widget's payload); a VALIDE one is used
        up by this call: the same solution sent again is DEJA_UTILISE."""
        ...


@dataclass(frozen=True)
class Compte:
    identifiant: str  # the user name in the pool (the email)
    email: str
    siret: str | None
    groupes: frozenset[str]


class Comptes(Protocol):
    """The user pool (Cognito)."""

    def par_email(self, email: str) -> Compte | None: ...

    def creer(self, email: str, siret: str, nom: str, mot_de_passe_provisoire: str) -> Compte:
        """A new account in the group `editeurs`, `custom:siret`, the temporary password
        (to change at first sign-in); nothing is sent by the pool itself."""
        ...

    def etendre(self, compte: Compte, siret: str) -> Compte:
        """Puts the account in the group `editeurs` (and gives it `siret` if it has none)."""
        ...


class Courriels(Protocol):
    def envoyer(self, message: Message) -> None: ...
