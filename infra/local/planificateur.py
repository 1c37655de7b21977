"""EventBridge Scheduler stores schedules in moto but never fires them: this does, on the
platform clock (which tests can set), with the schedule's retry policy and DLQ."""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from infra.local.boucle import Boucle
from shared.aws import client
from shared.horloge import Horloge
from shared.observabilite import logger

_AT = re.compile(r"^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$")


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
