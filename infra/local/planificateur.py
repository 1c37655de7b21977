"""EventBridge Scheduler stores schedules in moto but never fires them: this does, on the
platform clock (which tests can set), with the schedule's retry policy and DLQ."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from infra.local.boucle import Boucle
from shared.aws import client
from shared.horloge import Horloge
from shared.observabilite import logger

_AT = re.compile(r"^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$")
_CRON = re.compile(r"^cron\((.+)\)$")
_NOMS = {
    "JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12,
    "SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7,
}  # fmt: skip


def _valeurs(champ: str, bas: int, haut: int) -> set[int] | None:
    """One field of an EventBridge cron: *, ?, n, a-b, lists, /step, JAN…DEC, SUN…SAT
    (1 = SUN). None for what this runtime does not fire (L, W, #)."""
    if champ in ("*", "?"):
        return set(range(bas, haut + 1))
    resultat: set[int] = set()
    for partie in champ.split(","):
        partie, _, pas = partie.partition("/")
        if any(c in partie for c in "LW#"):
            return None
        if partie == "*":
            debut, fin = bas, haut
        else:
            a, _, b = partie.partition("-")
            debut = _NOMS.get(a) or int(a)
            fin = (_NOMS.get(b) or int(b)) if b else (haut if pas else debut)
        resultat |= set(range(debut, fin + 1, int(pas or 1)))
    return resultat


def occurrence(schedule: dict[str, Any], apres: datetime, jusqu_a: datetime) -> datetime | None:
    """The last occurrence of a recurring cron() schedule in (apres, jusqu_a], or None."""
    m = _CRON.match(schedule["ScheduleExpression"])
    if not m:
        return None
    champs = m.group(1).split()
    if len(champs) != 6:
        return None
    bornes = ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
    lues = [_valeurs(c, *b) for c, b in zip(champs, bornes, strict=True)]
    valeurs = [v for v in lues if v is not None]
    if len(valeurs) != len(lues):
        return None
    minutes, heures, jours, mois, semaine, annees = valeurs
    fuseau = ZoneInfo(schedule.get("ScheduleExpressionTimezone") or "UTC")
    debut, fin = apres.astimezone(fuseau), jusqu_a.astimezone(fuseau)
    jour = fin.date()
    while jour >= debut.date():
        if (
            jour.day in jours
            and jour.month in mois
            and jour.year in annees
            and jour.isoweekday() % 7 + 1 in semaine
        ):
            for h in sorted(heures, reverse=True):
                for mn in sorted(minutes, reverse=True):
                    quand = datetime(jour.year, jour.month, jour.day, h, mn, tzinfo=fuseau)
                    if debut < quand <= fin:
                        return quand
        jour -= timedelta(days=1)
    return None


def echeance(schedule: dict[str, Any]) -> datetime | None:
    """When a one-time schedule is due (aware datetime), None for other expressions."""
    m = _AT.match(schedule["ScheduleExpression"])
    if not m:
        return None
    fuseau = ZoneInfo(schedule.get("ScheduleExpressionTimezone") or "UTC")
    return datetime.fromisoformat(m.group(1)).replace(tzinfo=fuseau)


class Planificateur(Boucle):
    nom = "planificateur"

    def __init__(self, horloge: Horloge, periode: float = 0.5) -> None:
        super().__init__(periode)
        self.horloge = horloge
        self.declenches: list[dict[str, Any]] = []
        self._faits: set[str] = set()
        self._vus: dict[str, datetime] = {}  # recurring schedules: clock at the last tick
        self._verrou = threading.Lock()

    def schedules(self) -> list[dict[str, Any]]:
        sch = client("scheduler")
        resultat = []
        for resume in sch.list_schedules()["Schedules"]:
            resultat.append(sch.get_schedule(Name=resume["Name"], GroupName=resume["GroupName"]))
        return resultat

    def tick(self) -> list[str]:
        """Fire every due schedule not fired yet; returns their names."""
        with self._verrou:
            maintenant = self.horloge.maintenant()
            tires = []
            for schedule in self.schedules():
                if self._recurrent(schedule, maintenant):
                    self._tirer(schedule)
                    tires.append(schedule["Name"])
                    continue
                quand = echeance(schedule)
                if (
                    schedule["Name"] in self._faits
                    or schedule.get("State") != "ENABLED"
                    or quand is None
                    or maintenant < quand
                ):
                    continue
                self._faits.add(schedule["Name"])
                self._tirer(schedule)
                tires.append(schedule["Name"])
            return tires

    def _recurrent(self, schedule: dict[str, Any], maintenant: datetime) -> bool:
        """A cron() schedule is due when one of its occurrences fell between the previous
        tick and now (once per tick, however far the clock jumped; none at start)."""
        if not schedule["ScheduleExpression"].startswith("cron("):
            return False
        vu = self._vus.get(schedule["Name"])
        self._vus[schedule["Name"]] = maintenant
        if vu is None or maintenant <= vu or schedule.get("State") != "ENABLED":
            return False
        return occurrence(schedule, vu, maintenant) is not None

    def _tirer(self, schedule: dict[str, Any]) -> None:
        cible = schedule["Target"]
        essais = 1 + int(cible.get("RetryPolicy", {}).get("MaximumRetryAttempts", 0))
        charge = cible.get("Input") or "{}"
        for _ in range(essais):
            reponse = client("lambda").invoke(FunctionName=cible["Arn"], Payload=charge.encode())
            if "FunctionError" not in reponse:
                self.declenches.append({"nom": schedule["Name"], "resultat": "OK"})
                logger.info("échéance déclenchée", schedule=schedule["Name"])
                return
        dlq = cible.get("DeadLetterConfig", {}).get("Arn")
        if dlq:
            nom_queue = dlq.rsplit(":", 1)[1]
            url = client("sqs").get_queue_url(QueueName=nom_queue)["QueueUrl"]
            client("sqs").send_message(
                QueueUrl=url,
                MessageBody=json.dumps({"schedule": schedule["Name"], "input": charge}),
            )
        self.declenches.append({"nom": schedule["Name"], "resultat": "ECHEC"})
