"""The platform's time: always timezone-aware; deadlines are in Europe/Paris.

On AWS the clock is the system's. Locally, the runtime shifts it (tests and demos at a
campaign date) and shifts the dates that come from AWS (S3 receipt time) the same way,
so that « reçu à 13:59:59 » keeps its meaning.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


class Horloge(Protocol):
    def maintenant(self) -> datetime: ...

    def depuis_aws(self, instant: datetime) -> datetime:
        """Brings an instant given by AWS (real clock) to the platform's time."""
        ...


def exiger_fuseau(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("un instant doit porter son fuseau horaire")
    return instant


def heure_paris(texte: str) -> datetime:
    """ISO 8601; a date-time without a timezone is read as Paris time."""
    instant = datetime.fromisoformat(texte)
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=PARIS)
    return instant


class HorlogeSysteme:
    def maintenant(self) -> datetime:
        return datetime.now(UTC)

    def depuis_aws(self, instant: datetime) -> datetime:
        return exiger_fuseau(instant)


class HorlogeDecalee:
    """Real time + an adjustable offset; thread-safe.

    Every setting is kept with the real instant it was made at, so an instant given by AWS
    is translated with the offset in force when it happened: a JSON received at 13:59:59
    stays received at 13:59:59 even if the clock is moved to 14:05 before it is processed.
    """

    def __init__(self, depart: datetime | None = None) -> None:
        self._verrou = threading.Lock()
        self._reglages: list[tuple[datetime, timedelta]] = [
            (datetime.min.replace(tzinfo=UTC), timedelta(0))
        ]
        if depart is not None:
            self.regler(depart)

    def _ajouter(self, decalage: timedelta) -> None:
        self._reglages.append((datetime.now(UTC), decalage))

    def regler(self, instant: datetime) -> None:
        with self._verrou:
            self._ajouter(exiger_fuseau(instant) - datetime.now(UTC))

    def avancer(self, duree: timedelta) -> None:
        with self._verrou:
            self._ajouter(self._reglages[-1][1] + duree)

    def maintenant(self) -> datetime:
        with self._verrou:
            return datetime.now(UTC) + self._reglages[-1][1]

    def depuis_aws(self, instant: datetime) -> datetime:
        exiger_fuseau(instant)
        with self._verrou:
            decalage = next(d for depuis, d in reversed(self._reglages) if depuis <= instant)
        return instant + decalage


class HorlogeFixe:
    """For unit tests: time only moves when it is set."""

    def __init__(self, instant: datetime) -> None:
        self.instant = exiger_fuseau(instant)

    def regler(self, instant: datetime) -> None:
        self.instant = exiger_fuseau(instant)

    def maintenant(self) -> datetime:
        return self.instant

    def depuis_aws(self, instant: datetime) -> datetime:
        return exiger_fuseau(instant)


_horloge: Horloge = HorlogeSysteme()


def horloge() -> Horloge:
    """The process's clock (the local runtime replaces it with a HorlogeDecalee)."""
    return _horloge


class HorlogeCourante:
    """Whatever clock the process has now: composition roots built once per cold start
    keep this, so a clock installed later (the local runtime) is still the one used."""

    def maintenant(self) -> datetime:
        return _horloge.maintenant()

    def depuis_aws(self, instant: datetime) -> datetime:
        return _horloge.depuis_aws(instant)


def installer_horloge(nouvelle: Horloge) -> None:
    global _horloge
    _horloge = nouvelle
