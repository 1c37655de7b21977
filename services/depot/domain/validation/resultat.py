"""What the validation receives (the dépôt's context) and what it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.depot.domain.erreurs import Erreur
from services.depot.domain.format_ms import (
    TypeAction,
)
from services.depot.domain.montants import Montants
from shared.campagnes import Campagne, TypeDemande


@dataclass(frozen=True)
class ContexteValidation:
    """What the validation must know of the dépôt (chosen at dépôt, or given to the simulator)."""

    type_demande: TypeDemande
    taux_tva: Decimal
    couloir: str
    campagne: Campagne
    date_depot: date  # day of the dépôt in Paris: the dateCommande cannot be later
    recu_le: datetime | None = None  # None: the guichet's rule is not applied
    numero_ans_attendu: str | None = None
    siret_attendu: str | None = None


@dataclass
class LigneValidee:
    """A demande of the file, judged, and what valid data could be read from it."""

    index: int
    num_ligne: int  # the numLigne if it is valid, otherwise the position (index + 1)
    demande: Any
    erreurs: list[Erreur] = field(default_factory=list)
    avertissements: list[Erreur] = field(default_factory=list)
    type_action: TypeAction | None = None
    numero_asp: str | None = None  # well-formed
    numero_dossier: str | None = None  # well-formed
    # The valid FINESS kept (first mention in the file), with their position
    # (bénéficiaire, établissement): the path is only built on demand.
    positions_finess: list[tuple[str, int, int]] = field(default_factory=list)
    noms_fichiers: list[tuple[str, str]] = field(default_factory=list)  # (nomFichier, chemin)
    montant_segur: Decimal | None = None
    montants: Montants | None = None

    @property
    def chemin(self) -> str:
        return f"/demandes/{self.index}"

    @property
    def finess(self) -> list[tuple[str, str]]:
        """(valid FINESS, path of its finessGeo), in file order."""
        return [
            (f, f"/demandes/{self.index}/beneficiaires/{b}/etablissementsClients/{e}/finessGeo")
            for f, b, e in self.positions_finess
        ]


@dataclass
class ResultatValidation:
    erreurs_fichier: list[Erreur] = field(default_factory=list)
    lignes: list[LigneValidee] = field(default_factory=list)
    donnees: Any = None
    siret: str | None = None  # valid
    numero_ans: str | None = None  # well-formed

    @property
    def fichier_rejete(self) -> bool:
        return bool(self.erreurs_fichier)
