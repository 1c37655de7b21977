"""The platform's registre for the simulation, built on the dépôt service's own ports.

The simulation asks it whether the éditeur is enrolled, which dossier holds a FINESS,
whether a numeroDossier is taken, what a numeroASP is: the same records the import
writes, read through `Enrolements` and `Dossiers` (DynamoDB in production, fakes in
unit tests).
"""

from __future__ import annotations

from collections.abc import Iterable

from services.depot.application.ports import Dossiers, Enrolements
from services.depot.domain.depot import Dossier


class RegistreDepot:
    """Implements `RegistrePlateforme`."""

    def __init__(self, enrolements: Enrolements, dossiers: Dossiers) -> None:
        self._enrolements = enrolements
        self._dossiers = dossiers

    def editeur_enrole(self, siret: str, numero_ans: str) -> bool:
        enrolement = self._enrolements.enrolement(siret, numero_ans)
        return enrolement is not None and enrolement.valide

    def dossiers_connus(self, numeros_asp: Iterable[str]) -> dict[str, Dossier]:
        return self._dossiers.lire_plusieurs(numeros_asp, resume=True)

    def detenteurs_finess(
        self, campagne_id: str, couloir: str, finess: Iterable[str]
    ) -> dict[str, str]:
        return self._dossiers.detenteurs_finess(campagne_id, couloir, finess)

    def numeros_dossier_utilises(self, siret: str, numeros: Iterable[str]) -> set[str]:
        return set(self._dossiers.numeros_dossier_utilises(siret, numeros))
