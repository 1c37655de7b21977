"""What the gestionnaire's desk and the éditeur see of a dossier (I2, I5): built from the
shared records (shared/dossier.py, shared/etat_instruction.py), never from raw items."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from services.instruction.application.ports import Filtres, Instructions
from services.instruction.domain.instruction import ActionImpossible
from shared.courriels.contrat import CourrielEnvoye
from shared.dossier import ResumeDossier
from shared.etat_instruction import EtatInstruction
from shared.historique import EntreeHistorique
from shared.refus import NatureRefus


@dataclass(frozen=True)
class Document:
    nom: str
    cle: str
    genre: str  # PIECE, DECISION_ATTRIBUTION
    depose_le: datetime
    url: str


class Documents(Protocol):
    def lister(self, numero_asp: str) -> list[Document]:
        """The dossier's pièces and décision, each with a presigned GET of a few minutes."""
        ...


class Courriels(Protocol):
    def courriels_du_dossier(self, numero_asp: str) -> list[CourrielEnvoye]: ...


class ListeDossiers(Protocol):
    def dossiers_editeur(
        self, siret: str, limite: int, curseur: Mapping[str, Any] | None
    ) -> tuple[list[ResumeDossier], dict[str, Any] | None]: ...


@dataclass(frozen=True)
class DossierComplet:
    dossier: ResumeDossier
    etats: Sequence[EtatInstruction]
    historique: Sequence[EntreeHistorique]
    documents: Sequence[Document]
    courriels: Sequence[CourrielEnvoye]


def _introuvable(numero_asp: str) -> ActionImpossible:
    return ActionImpossible(
        "DOSSIER_INTROUVABLE", f"Le dossier {numero_asp} n'existe pas.", NatureRefus.INTROUVABLE
    )


class Consultation:
    def __init__(
        self,
        instructions: Instructions,
        liste: ListeDossiers,
        documents: Documents,
        courriels: Courriels,
    ) -> None:
        self._instructions = instructions
        self._liste = liste
        self._documents = documents
        self._courriels = courriels

    def dossier(self, numero_asp: str, siret: str | None = None) -> DossierComplet:
        """`siret`: the éditeur asking; another éditeur's dossier is unknown to it (404,
        none of its data). None: a gestionnaire."""
        dossier = self._instructions.lire_dossier(numero_asp)
        if dossier is None or (siret is not None and dossier.siret != siret):
            raise _introuvable(numero_asp)
        # The states before the history: a transition writes both in one transaction, so a
        # state read first never shows a status whose history entry the view then lacks
        # (the other order showed « En cours » without « Pièces complémentaires reçues »).
        etats = self._instructions.etats(numero_asp)
        historique = sorted(self._instructions.historique(numero_asp), key=lambda e: e.instant)
        courriels = sorted(
            self._courriels.courriels_du_dossier(numero_asp), key=lambda c: c.envoye_le
        )
        return DossierComplet(
            dossier,
            etats,
            historique,
            self._documents.lister(numero_asp),
            courriels,
        )

    def demandes(
        self, filtres: Filtres, limite: int, curseur: Mapping[str, Any] | None
    ) -> tuple[list[EtatInstruction], dict[str, Any] | None]:
        return self._instructions.lister(filtres, limite, curseur)

    def dossiers_editeur(
        self, siret: str, limite: int, curseur: Mapping[str, Any] | None
    ) -> tuple[list[ResumeDossier], dict[str, Any] | None]:
        return self._liste.dossiers_editeur(siret, limite, curseur)
