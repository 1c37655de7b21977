"""Ce que la validation reçoit (le contexte du dépôt) et ce qu'elle rend."""

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
    """Ce que la validation doit savoir du dépôt (choisi au dépôt, ou donné au simulateur)."""

    type_demande: TypeDemande
    taux_tva: Decimal
    couloir: str
    campagne: Campagne
    date_depot: date  # jour du dépôt à Paris: la dateCommande ne peut pas le dépasser
    recu_le: datetime | None = None  # None: la règle du guichet n'est pas appliquée
    numero_ans_attendu: str | None = None
    siret_attendu: str | None = None


@dataclass
class LigneValidee:
    """Une demande du fichier jugée, et ce qu'on a pu en lire de valide."""

    index: int
    num_ligne: int  # le numLigne s'il est valide, sinon la position (index + 1)
    demande: Any
    erreurs: list[Erreur] = field(default_factory=list)
    avertissements: list[Erreur] = field(default_factory=list)
    type_action: TypeAction | None = None
    numero_asp: str | None = None  # au bon format
    numero_dossier: str | None = None  # au bon format
    # Les FINESS valides retenus (première citation dans le fichier), avec leur position
    # (bénéficiaire, établissement): le chemin ne se construit qu'à la demande.
    positions_finess: list[tuple[str, int, int]] = field(default_factory=list)
    noms_fichiers: list[tuple[str, str]] = field(default_factory=list)  # (nomFichier, chemin)
    montant_segur: Decimal | None = None
    montants: Montants | None = None

    @property
    def chemin(self) -> str:
        return f"/demandes/{self.index}"

    @property
    def finess(self) -> list[tuple[str, str]]:
        """(FINESS valide, chemin de son finessGeo), dans l'ordre du fichier."""
        return [
            (f, f"/demandes/{self.index}/beneficiaires/{b}/etablissementsClients/{e}/finessGeo")
            for f, b, e in self.positions_finess
        ]


@dataclass
class ResultatValidation:
    erreurs_fichier: list[Erreur] = field(default_factory=list)
    lignes: list[LigneValidee] = field(default_factory=list)
    donnees: Any = None
    siret: str | None = None  # valide
    numero_ans: str | None = None  # au bon format

    @property
    def fichier_rejete(self) -> bool:
        return bool(self.erreurs_fichier)
