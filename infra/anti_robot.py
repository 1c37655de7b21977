"""The client's side of the anti-robot check, as the portal's widget does it: ask the API
for a challenge (`GET /enrolements/defi`), find its counter with the altcha library's
solver, send the payload as `jetonAntiRobot` (`segurnum enroler`, the demo, the tests)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import requests

DELAI_RESOLUTION = 60.0  # seconds: a challenge takes about 0.3 s (adapters/anti_robot.py)


class DefiNonResolu(RuntimeError):
    pass


def resoudre(defi: Mapping[str, Any]) -> str:
    """The payload (base64) of a solved challenge, as the widget sends it."""
    from altcha import Challenge, Payload, solve_challenge

    challenge = Challenge.from_dict(dict(defi))
    solution = solve_challenge(challenge, timeout=DELAI_RESOLUTION)
    if solution is None:
        raise DefiNonResolu(f"défi anti-robot non résolu en {DELAI_RESOLUTION:.0f} s")
    return str(Payload(challenge, solution).to_base64())


def defi(api: str, http: Any = requests) -> dict[str, Any]:
    reponse = http.get(f"{api.rstrip('/')}/enrolements/defi", timeout=30)
    reponse.raise_for_status()
    resultat: dict[str, Any] = reponse.json()
    return resultat


def solution_anti_robot(api: str, http: Any = requests) -> str:
    """A new challenge of the platform at `api`, solved."""
    return resoudre(defi(api, http))
