"""In-memory adapters of the courriel ports, for unit tests and offline runs: a mailbox
that can fail for some addresses, and a claim + journal store with the DynamoDB adapter's
conditional semantics (a claim is created once; a confirmed claim is never released)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.courriels.contrat import CleEnvoi, Courriel, CourrielEnvoye


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
    """Implements `Reservations`, `JournalCourriels` and `Confirmation`; `journal_en_panne`
    makes `consigner` and `confirmer_et_consigner` fail (the message left, its record could
    not be written)."""

    def __init__(self) -> None:
        self.reservations: dict[CleEnvoi, dict[str, Any]] = {}
        self.journal: list[CourrielEnvoye] = []
        self.journal_en_panne = False
        self._verrou = threading.Lock()

    def reserver(self, cle: CleEnvoi, objet: str, le: datetime) -> bool:
        with self._verrou:
            if cle in self.reservations:
                return False
            self.reservations[cle] = {"objet": objet, "reserveLe": le}
            return True

    def confirmer(self, cle: CleEnvoi, message_id: str, envoye_le: datetime) -> None:
        with self._verrou:
            self.reservations[cle].update(messageId=message_id, envoyeLe=envoye_le)

    def liberer(self, cle: CleEnvoi) -> None:
        with self._verrou:
            if "envoyeLe" not in self.reservations.get(cle, {"envoyeLe": None}):
                del self.reservations[cle]

    def confirmer_et_consigner(
        self,
        cle: CleEnvoi,
        objet: str,
        reserve_le: datetime,
        message_id: str,
        envoye_le: datetime,
        courriels: Sequence[CourrielEnvoye],
    ) -> None:
        if self.journal_en_panne:
            raise RuntimeError("table indisponible")  # nothing written
        with self._verrou:
            self.reservations[cle] = {"objet": objet, "reserveLe": reserve_le}
        self.confirmer(cle, message_id, envoye_le)
        self.consigner(courriels)

    def consigner(self, courriels: Sequence[CourrielEnvoye]) -> None:
        if self.journal_en_panne:
            raise RuntimeError("table indisponible")
        with self._verrou:
            self.journal.extend(courriels)

    def courriels_du_dossier(self, numero_asp: str) -> list[CourrielEnvoye]:
        return sorted((c for c in self.journal if c.numero_asp == numero_asp), key=_ordre)

    def courriels_du_depot(self, id_depot: str) -> list[CourrielEnvoye]:
        return sorted((c for c in self.journal if c.id_depot == id_depot), key=_ordre)


def _ordre(courriel: CourrielEnvoye) -> str:
    return courriel.sk
