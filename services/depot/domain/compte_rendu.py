"""The compte rendu of a simulation or an import (§6), and its later updates.

The counters (lignesImportables, lignesRejetees) are always derived from the lines: a
line rejected afterwards (FINESS taken meanwhile, missing pièce) updates them by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from services.depot.domain.erreurs import Erreur, ErreurPiece
from services.depot.domain.montants import Montants


class StatutLigne(StrEnum):
    IMPORTABLE = "IMPORTABLE"
    REJETEE = "REJETEE"


class CodeSortie:
    """The simulator's exit code (§6)."""

    TOUT_IMPORTABLE = 0
    LIGNES_REJETEES = 1
    USAGE = 2
    FICHIER_REJETE = 3


@dataclass
class LigneCompteRendu:
    num_ligne: int
    index: int  # position in `demandes` (the paths start from it)
    erreurs: list[Erreur] = field(default_factory=list)
    avertissements: list[Erreur] = field(default_factory=list)
    montants: Montants | None = None

    def to_dict(self, fichier_rejete: bool = False) -> dict[str, Any]:
        statut = StatutLigne.REJETEE if self.erreurs or fichier_rejete else StatutLigne.IMPORTABLE
        return {
            "numLigne": self.num_ligne,
            "statut": str(statut),
            "erreurs": [e.to_dict() for e in self.erreurs],
            "avertissements": [a.to_dict() for a in self.avertissements],
            "montants": self.montants.to_dict() if self.montants is not None else None,
        }


@dataclass
class CompteRendu:
    fichier: str
    erreurs_fichier: list[Erreur] = field(default_factory=list)
    erreurs_pieces: list[ErreurPiece] = field(default_factory=list)
    lignes: list[LigneCompteRendu] = field(default_factory=list)

    @property
    def fichier_rejete(self) -> bool:
        return bool(self.erreurs_fichier)

    @property
    def nombre_lignes(self) -> int:
        return len(self.lignes)

    def statut(self, ligne: LigneCompteRendu) -> StatutLigne:
        """A line is rejected by its errors, or with the whole file."""
        if ligne.erreurs or self.erreurs_fichier:
            return StatutLigne.REJETEE
        return StatutLigne.IMPORTABLE

    def importable(self, index: int) -> bool:
        return self.statut(self.ligne(index)) is StatutLigne.IMPORTABLE

    @property
    def lignes_importables(self) -> int:
        if self.erreurs_fichier:
            return 0
        return sum(1 for ligne in self.lignes if not ligne.erreurs)

    @property
    def lignes_rejetees(self) -> int:
        return self.nombre_lignes - self.lignes_importables

    def ligne(self, index: int) -> LigneCompteRendu:
        """The line at this position of `demandes` (not its numLigne)."""
        ligne = self.lignes[index]
        if ligne.index != index:  # lines are stored by position; check it
            raise LookupError(index)
        return ligne

    def rejeter_ligne(self, index: int, erreur: Erreur) -> None:
        """Rejects the line at this position afterwards (for instance a FINESS reserved by
        a concurrent dépôt at import time); the counters follow."""
        self.ligne(index).erreurs.append(erreur)

    def avertir_ligne(self, index: int, avertissement: Erreur) -> None:
        self.ligne(index).avertissements.append(avertissement)

    def ajouter_erreurs_pieces(self, erreurs: Iterable[ErreurPiece]) -> None:
        """The problems of the pièces' ZIP (§5); each line affected is rejected on its own."""
        self.erreurs_pieces.extend(erreurs)

    def rejeter_fichier(self, erreur: Erreur) -> None:
        self.erreurs_fichier.append(erreur)

    def code_sortie(self) -> int:
        if self.fichier_rejete:
            return CodeSortie.FICHIER_REJETE
        if self.erreurs_pieces or self.lignes_rejetees:
            return CodeSortie.LIGNES_REJETEES
        return CodeSortie.TOUT_IMPORTABLE

    def to_dict(self) -> dict[str, Any]:
        """Exactly the document of §6."""
        return {
            "fichier": self.fichier,
            "nombreLignes": self.nombre_lignes,
            "lignesImportables": self.lignes_importables,
            "lignesRejetees": self.lignes_rejetees,
            "erreursFichier": [e.to_dict() for e in self.erreurs_fichier],
            "erreursPieces": [e.to_dict() for e in self.erreurs_pieces],
            "lignes": [ligne.to_dict(self.fichier_rejete) for ligne in self.lignes],
        }
