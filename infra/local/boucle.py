"""A background loop of the local runtime: `tick()` every `periode` seconds until stopped."""

from __future__ import annotations

import threading
from typing import Any

from shared.observabilite import logger


class Boucle:
    nom = "boucle"

    def __init__(self, periode: float) -> None:
        self.periode = periode
        self._arret = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self) -> Any:
        raise NotImplementedError

    def demarrer(self) -> None:
        def boucle() -> None:
            while not self._arret.wait(self.periode):
                try:
                    self.tick()
                except Exception:  # a failed pass is logged; the next one tries again
                    logger.exception(f"{self.nom} local")

        self._thread = threading.Thread(target=boucle, name=self.nom, daemon=True)
        self._thread.start()

    def arreter(self) -> None:
        self._arret.set()
        if self._thread:
            self._thread.join(timeout=5)
