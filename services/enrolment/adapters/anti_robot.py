"""Anti-robot check behind the `AntiRobot` port.

`AntiRobotFixe` accepts one known answer: the local platform and the tests. A deployed
platform needs a captcha provider's verification (an HTTPS call with a secret): not
wired yet, and `anti_robot()` refuses everything outside the local runtime rather than
let robots through.
"""

from __future__ import annotations

import hmac
import os

JETON_LOCAL = "captcha-local"


class AntiRobotFixe:
    def __init__(self, jeton: str = JETON_LOCAL) -> None:
        self._jeton = jeton

    def verifier(self, jeton: str) -> bool:
        return hmac.compare_digest(jeton.encode(), self._jeton.encode())


class AntiRobotFerme:
    """No provider configured: no demande gets through."""

    def verifier(self, jeton: str) -> bool:
        return False


def anti_robot(local: bool) -> AntiRobotFixe | AntiRobotFerme:
    if local:
        return AntiRobotFixe(os.environ.get("SEGURNUM_ANTI_ROBOT_JETON", JETON_LOCAL))
    return AntiRobotFerme()
