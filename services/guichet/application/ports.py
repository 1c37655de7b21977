"""The ports of the guichet's use cases: what the closing and the reminders read and write
(the adapters implement them on DynamoDB through the records' shared contracts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from services.guichet.domain.guichet import DossierResume, Fermeture
from shared.campagnes import TypeDemande
from shared.courriels.contrat import CleEnvoi
from shared.depot import ResumeDepot


@dataclass(frozen=True)
class ReservationAvis:
    """The claim `CAMPAGNE#{campagne}` / `RAPPEL#{type}#{avis}#{siret}` (avis: J-7, J-1,
    FERMETURE): one courriel per éditeur and notice."""

    campagne: str
    type_demande: TypeDemande
    avis: str
    siret: str

    @property
    def cle(self) -> CleEnvoi:
        return CleEnvoi(
            f"CAMPAGNE#{self.campagne}", f"RAPPEL#{self.type_demande}#{self.avis}#{self.siret}"
        )


class RegistreGuichet(Protocol):
    """What the closing and the reminders read and write in the platform's records."""

    def depots(self, campagne_id: str, type_demande: TypeDemande) -> list[ResumeDepot]:
        """Every dépôt of this campaign and type, whatever its status."""
        ...

    def dossiers(self, campagne_id: str, type_demande: TypeDemande) -> list[DossierResume]:
        """The demandes of this type in this campaign: the dossiers (AVANCE), or the soldes
        attached to them, each with the solde's status (SOLDE)."""
        ...

    def adresses(self, siret: str, numeros_ans: Iterable[str]) -> tuple[str, ...]:
        """The éditeur's email addresses from its enrolments (those numéros ANS first,
        any validated enrolment of the SIRET otherwise); distinct, sorted."""
        ...

    def enregistrer_fermeture(self, fermeture: Fermeture) -> bool:
        """Creates the closure record; False (and nothing written) when it exists."""
        ...

    def fermeture(self, campagne_id: str, type_demande: TypeDemande) -> Fermeture | None: ...


# Courriels go through `shared.courriels` (port `EnvoiUnique`): rendered from the shared
# templates, claimed under `ReservationAvis.cle`, recorded on each dossier and dépôt listed.
