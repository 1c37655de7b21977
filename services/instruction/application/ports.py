from __future__ import annotations

from typing import Any, Protocol


class DossiersInstruction(Protocol):
    def enregistrer_attente(
        self, numero_asp: str, statut: str, attendu: str, jeton: str, instant: str
    ) -> None: ...

    def consommer_jeton(self, numero_asp: str, attendu: str, jeton_attendu: str) -> bool:
        """Clear the token if it is still this one; False when someone acted first."""
        ...

    def lire(self, numero_asp: str) -> dict[str, Any] | None: ...

    def appliquer_statut(
        self, numero_asp: str, statut: str, qui: str, motif: str, instant: str
    ) -> None: ...

    def lister(self, statut: str | None, limite: int) -> list[dict[str, Any]]: ...


class Workflow(Protocol):
    def reprendre(self, jeton: str, sortie: dict[str, Any]) -> None: ...
