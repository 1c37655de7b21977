"""A dossier's view never shows a status whose history entry it lacks: a transition writes
the state and its history entry in one transaction, and the view reads the states first."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from services.instruction.application.consultation import Consultation


class _Instructions:
    """The transition « EN_ATTENTE_PIECES → EN_COURS » lands between the view's reads."""

    def __init__(self) -> None:
        self.statut = "EN_ATTENTE_PIECES"
        self.entrees = [SimpleNamespace(action="PIECES_COMPLEMENTAIRES_DEMANDEES", instant=1)]
        self.lectures = 0

    def _lire(self) -> None:
        self.lectures += 1
        if self.lectures == 2:  # after the first read: the transaction commits
            self.statut = "EN_COURS"
            self.entrees.append(SimpleNamespace(action="PIECES_COMPLEMENTAIRES_RECUES", instant=2))

    def lire_dossier(self, numero_asp: str) -> Any:
        return SimpleNamespace(numero_asp=numero_asp, siret="73282932000074")

    def etats(self, numero_asp: str) -> list[Any]:
        self._lire()
        return [SimpleNamespace(statut=self.statut)]

    def historique(self, numero_asp: str) -> list[Any]:
        self._lire()
        return list(self.entrees)


class _Vide:
    def lister(self, numero_asp: str) -> list[Any]:
        return []

    def courriels_du_dossier(self, numero_asp: str) -> list[Any]:
        return []


def test_un_statut_lu_a_toujours_son_entree_d_historique() -> None:
    instructions = _Instructions()
    consultation = Consultation(instructions, None, _Vide(), _Vide())  # type: ignore[arg-type]
    complet = consultation.dossier("FINMS1000001")
    actions = [e.action for e in complet.historique]
    # EN_COURS shown without its entry: the read skew the other order of reads gave
    assert not (
        complet.etats[0].statut == "EN_COURS" and "PIECES_COMPLEMENTAIRES_RECUES" not in actions
    )
