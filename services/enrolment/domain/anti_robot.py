"""The anti-robot check of the demande d'enrôlement (E2): the verdicts on a solved
challenge and the French message of each refusal (422 `ANTI_ROBOT_INVALIDE`).

The challenge is a proof of work (ALTCHA, adapters/anti_robot.py): handed out by
`GET /enrolements/defi`, solved by the portal's widget or `segurnum enroler`, sent back in
`jetonAntiRobot`, valid for a few minutes of the platform's clock and accepted once.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from shared.refus import Refus

# How long a challenge may be solved and sent: long enough to fill the form's last step.
VALIDITE_DEFI = timedelta(minutes=10)


class VerdictAntiRobot(StrEnum):
    VALIDE = "VALIDE"
    ABSENT = "ABSENT"
    INCORRECT = "INCORRECT"
    EXPIRE = "EXPIRE"
    DEJA_UTILISE = "DEJA_UTILISE"


_REFAIRE = "Refaites la vérification anti-robot, puis renvoyez la demande."

# The problem at the field `jetonAntiRobot` (shown beside the widget by the portal).
MESSAGES: dict[VerdictAntiRobot, str] = {
    VerdictAntiRobot.ABSENT: (
        "la vérification anti-robot manque : résolvez un défi anti-robot, puis renvoyez la demande."
    ),
    VerdictAntiRobot.INCORRECT: (
        "la vérification anti-robot a échoué : sa solution n'est pas celle d'un défi donné "
        "par la plateforme. " + _REFAIRE
    ),
    VerdictAntiRobot.EXPIRE: (
        "la vérification anti-robot a expiré : un défi est valable "
        f"{int(VALIDITE_DEFI.total_seconds()) // 60} minutes. " + _REFAIRE
    ),
    VerdictAntiRobot.DEJA_UTILISE: (
        "la vérification anti-robot a déjà servi : chaque envoi de la demande en demande "
        "une nouvelle. " + _REFAIRE
    ),
}


class AntiRobotInvalide(Refus):
    """The demande is refused before anything else is checked."""

    def __init__(self, verdict: VerdictAntiRobot) -> None:
        if verdict is VerdictAntiRobot.VALIDE:
            raise ValueError("un verdict valide n'est pas un refus")
        self.verdict = verdict
        self.probleme = MESSAGES[verdict]
        # Shaped like a field's problem too: the portal shows it beside the widget.
        super().__init__(
            "ANTI_ROBOT_INVALIDE",
            f"Demande refusée avant examen (jetonAntiRobot) : {self.probleme}",
            erreurs=[
                {"champ": "jetonAntiRobot", "code": "ANTI_ROBOT_INVALIDE", "message": self.probleme}
            ],
        )
