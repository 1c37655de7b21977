"""In-memory adapters of the courriel ports, for unit tests and offline runs: a mailbox
that can fail for some addresses, and a claim + journal store with the DynamoDB adapter's
conditional semantics (a claim is created once; a confirmed claim is never released)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.courriels.contrat import PEREMPTION_RESERVATION, CleEnvoi, Courriel, CourrielEnvoye


class BoiteAuxLettres:
    """Implements `Expediteur`: keeps what was sent; fails for the addresses in `en_panne_pour`."""

    def __init__(self) -> None:
        self.envoyes: list[Courriel] = []
        self.en_panne_pour: set[str] = set()

    def envoyer(self, courriel: Courriel) -> str:
        if set(courriel.destinataires) & self.en_panne_pour:
            raise RuntimeError("SES indisponible")
        self.envoyes.append(courriel)
        return f"message-{len(self.envoyes)}"

    def pour(self, adresse: str) -> list[Courriel]:
        return [c for c in self.envoyes if adresse in c.destinataires]


class RegistreCourrielsEnMemoire:
    """Implements `Reservations` and `JournalCourriels` with the same rules as the table's
    adapter; `journal_en_panne` makes `confirmer` fail (the message left, its confirmation
    and records could not be written)."""

    def __init__(self) -> None:
        self.reservations: dict[CleEnvoi, dict[str, Any]] = {}
        self.journal: list[CourrielEnvoye] = []
        self.journal_en_panne = False
        self._verrou = threading.Lock()

    def reserver(self, cle: CleEnvoi, objet: str, le: datetime, proprietaire: str) -> bool:
        with self._verrou:
            avant = self.reservations.get(cle)
            libre = avant is None or (
                "envoyeLe" not in avant
                and (
                    avant["proprietaire"] == proprietaire
                    or avant["reserveLe"] < le - PEREMPTION_RESERVATION
                )
            )
            if not libre:
                return False
            self.reservations[cle] = {
                "objet": objet,
                "reserveLe": le,
                "proprietaire": proprietaire,
            }
            return True

    def confirmer(
        self,
        cle: CleEnvoi,
        message_id: str,
        envoye_le: datetime,
        consignes: Sequence[CourrielEnvoye],
    ) -> None:
        if self.journal_en_panne:
            raise RuntimeError("table indisponible")
        with self._verrou:
            self.reservations[cle].update(messageId=message_id, envoyeLe=envoye_le)
            self.journal.extend(consignes)

    def liberer(self, cle: CleEnvoi, proprietaire: str) -> None:
        with self._verrou:
            avant = self.reservations.get(cle)
            mienne = avant is not None and avant["proprietaire"] == proprietaire
            if mienne and avant is not None and "envoyeLe" not in avant:
                del self.reservations[cle]

    def courriels_du_dossier(self, numero_asp: str) -> list[CourrielEnvoye]:
        return sorted((c for c in self.journal if c.numero_asp == numero_asp), key=_ordre)

    def courriels_du_depot(self, id_depot: str) -> list[CourrielEnvoye]:
        return sorted((c for c in self.journal if c.id_depot == id_depot), key=_ordre)


def _ordre(courriel: CourrielEnvoye) -> str:
    return courriel.sk
