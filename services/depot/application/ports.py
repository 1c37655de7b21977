"""Ports of the dépôt service: what the use cases need from the platform.

`RegistrePlateforme` is what the simulation asks of the platform's records. Offline
(`segurnum simuler`) there is none: those rules are left to the platform (spec §4b).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from shared.campagnes import Campagne, TypeDemande


@dataclass(frozen=True)
class ContexteDepot:
    """Everything chosen at deposit time or known about the éditeur, for one simulation."""

    type_demande: TypeDemande
    taux_tva: Decimal  # one of 20, 10, 5.5, 2.1, 0 (checked before, a usage error otherwise)
    couloir: str  # MS1 / MS2: from the référentiel ANS on the platform, from --couloir offline
    campagne: Campagne
    # Platform: the numéro ANS chosen at deposit and the enrolled SIRET. Offline: None,
    # then numeroAns is checked for its format only and the SIRET for its key only.
    numero_ans_attendu: str | None = None
    siret_attendu: str | None = None
    # When the JSON was received (S3 event time). None: the guichet rule is not applied.
    recu_le: datetime | None = None
    # Offline the dateCommande is compared with this (or now); platform: recu_le.
    date_depot: datetime | None = None


@dataclass(frozen=True)
class DossierConnu:
    """A dossier as the simulation needs to see it (never its éditeur's name)."""

    numero_asp: str
    siret: str
    statut: str  # StatutDossier value, e.g. "EN_COURS", "INCOMPLET", "DECIDEE"
    type_demande: TypeDemande  # type of the demande that created it (AVANCE)
    depose_le: datetime  # when its avance JSON was received
    numero_dossier: str
    finess: tuple[str, ...] = field(default_factory=tuple)
    modifiable: bool = True  # typeAction M allowed in this status


class RegistrePlateforme(Protocol):
    def editeur_enrole(self, siret: str, numero_ans: str) -> bool: ...

    def dossier(self, numero_asp: str) -> DossierConnu | None: ...

    def detenteur_finess(self, campagne_id: str, couloir: str, finess: str) -> DossierConnu | None:
        """The dossier holding this FINESS in this campaign and couloir, if any."""
        ...

    def numero_dossier_utilise(self, siret: str, numero_dossier: str) -> bool:
        """True when this éditeur already has a dossier with this numeroDossier."""
        ...
