"""Ports of the instruction service (adapters in services/instruction/adapters)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from shared.campagnes import TypeDemande
from shared.dossier import ResumeDossier
from shared.etat_instruction import EtatInstruction
from shared.historique import EntreeHistorique
from shared.messages import VersementDemande
from shared.statuts import StatutDemande


class VersionPerimee(Exception):
    """The record changed since it was read (another writer, or the token was consumed)."""


class JetonPerime(Exception):
    """Step Functions no longer knows the token (already used, execution ended)."""


@dataclass(frozen=True)
class Filtres:
    statut: StatutDemande | None = None
    type_demande: TypeDemande | None = None
    couloir: str | None = None
    siret: str | None = None
    numero_ans: str | None = None


class Instructions(Protocol):
    """The instruction states (one per demande), the dossier items and the history."""

    def lire(self, numero_asp: str, type_demande: TypeDemande) -> EtatInstruction | None: ...

    def etats(self, numero_asp: str) -> list[EtatInstruction]: ...

    def lire_dossier(self, numero_asp: str) -> ResumeDossier | None: ...

    def historique(self, numero_asp: str) -> list[EntreeHistorique]: ...

    def ecrire(
        self,
        avant: EtatInstruction | None,
        apres: EtatInstruction,
        entree: EntreeHistorique | None = None,
        jeton_consomme: str | None = None,
    ) -> None:
        """Writes `apres` if the record is still `avant` (its version; absent when None)
        and, with `jeton_consomme`, still holds that token: one conditional write with the
        history entry and the dossier item's statut mirror. VersionPerimee otherwise."""
        ...

    def effacer_reprise(self, numero_asp: str, type_demande: TypeDemande, jeton: str) -> None:
        """Forgets a replayed token (only if it is still the pending one)."""
        ...

    def lister(
        self, filtres: Filtres, limite: int, curseur: Mapping[str, Any] | None
    ) -> tuple[list[EtatInstruction], dict[str, Any] | None]:
        """One page through an index (never a scan) and the key to resume after it."""
        ...

    def en_reprise(
        self, statut: StatutDemande, modifiee_avant: datetime, limite: int
    ) -> list[EtatInstruction]:
        """The demandes of that statut whose consumed token still waits to be handed back
        (a pending `reprise`) since before `modifiee_avant`: through the statut index."""
        ...

    def sans_suite(
        self, statut: StatutDemande, modifiee_avant: datetime, limite: int
    ) -> list[EtatInstruction]:
        """The demandes of that statut left to the platform (a step running, nothing
        pending to hand back) since before `modifiee_avant`: through the statut index."""
        ...


class Workflow(Protocol):
    def reprendre(self, jeton: str, sortie: Mapping[str, Any]) -> None:
        """SendTaskSuccess; JetonPerime when the token is unknown or already used."""
        ...


class Versements(Protocol):
    def demander(self, demande: VersementDemande) -> None:
        """Sends the contract message to the paiement service's queue."""
        ...


class Notifications(Protocol):
    def notifier(self, etat: EtatInstruction, dossier: ResumeDossier, statut: str) -> None:
        """The courriel of that transition to the dépositaire, sent once (a claim per
        demande and transition), recorded on the dossier."""
        ...


class Decisions(Protocol):
    def produire(self, etat: EtatInstruction, dossier: ResumeDossier) -> str:
        """Generates, signs and stores the décision d'attribution; returns its key. Doing
        it twice gives the same object, not two."""
        ...


class Metriques(Protocol):
    def erreur_technique(self, etape: str) -> None: ...

    def reprise_en_echec(self) -> None: ...

    def sans_suite(self, nombre: int) -> None: ...
