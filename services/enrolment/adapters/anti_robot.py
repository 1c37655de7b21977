"""The `AntiRobot` port on ALTCHA (the `altcha` library, proof of work v2): self-hosted, no
third party, the same code on AWS and on the local runtime (each with its own key).

A challenge (`GET /enrolements/defi`) is signed with the HMAC key of Secrets Manager
(`segurnum-altcha`, read once per container). Its expiry is the platform's clock plus
VALIDITE_DEFI, carried in the signed `data`, not in `expiresAt`: the library compares that
one with the system's clock, which the local runtime's clock (moved to campaign dates by
tests and demos) does not follow. A solution is verified (signature, proof of work), then
its expiry against the platform's clock, then it is used up: a conditional PutItem keyed
by the challenge's signature, kept (TTL `expiration`) until the challenge expires.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any, Protocol

from services.enrolment.domain.anti_robot import VALIDITE_DEFI, VerdictAntiRobot
from shared.dynamo import TableDynamo, iso
from shared.horloge import Horloge

# PBKDF2 (the widget's bundled algorithm, Web Crypto in the browser), in the library's
# deterministic mode: the counter to find is drawn in [COMPTEUR_MIN, COMPTEUR_MAX), so a
# solver makes that many derivations, never a long unlucky tail (about 0.3 s in Python
# on one core, less in the browser's Web Crypto).
ALGORITHME = "PBKDF2/SHA-256"
COUT = 1_000  # PBKDF2 iterations per derivation
COMPTEUR_MIN = 200
COMPTEUR_MAX = 400
LONGUEUR_MAX = 4_000  # a payload is about 600 characters: more is not one of ours
_EXPIRE = "expire"  # the signed data's key: epoch seconds on the platform's clock


class SolutionsUtilisees(Protocol):
    def consommer(self, signature: str, expire: int) -> bool:
        """Records the challenge `signature` as used, kept until `expire` (epoch seconds);
        False when it already was (nothing written)."""
        ...


class SolutionsDynamo(TableDynamo):
    """`ANTIROBOT#{signature}` / `ANTIROBOT` in the data table (docs/dynamodb.md)."""

    def __init__(self, horloge: Horloge, table: str | None = None, client: Any = None) -> None:
        super().__init__(table, client)
        self._horloge = horloge

    def consommer(self, signature: str, expire: int) -> bool:
        return self._creer(
            {
                "PK": f"ANTIROBOT#{signature}",
                "SK": "ANTIROBOT",
                "type": "ANTIROBOT",
                "utiliseLe": iso(self._horloge.maintenant()),
                "expiration": expire,  # the table's TTL attribute
            }
        )


class AntiRobotAltcha:
    def __init__(
        self,
        cle: Callable[[], str],
        horloge: Horloge,
        solutions: SolutionsUtilisees,
        cout: int = COUT,
        compteurs: tuple[int, int] = (COMPTEUR_MIN, COMPTEUR_MAX),
    ) -> None:
        self._cle = cle  # the HMAC key, read at the first challenge (Secrets Manager)
        self._horloge = horloge
        self._solutions = solutions
        self._cout = cout
        self._compteurs = compteurs

    def defi(self) -> dict[str, Any]:
        from altcha import create_challenge

        debut, fin = self._compteurs
        expire = int((self._horloge.maintenant() + VALIDITE_DEFI).timestamp())
        defi = create_challenge(
            ALGORITHME,
            self._cout,
            counter=debut + secrets.randbelow(fin - debut),
            data={_EXPIRE: expire},
            hmac_secret=self._cle(),
        )
        resultat: dict[str, Any] = defi.to_dict()
        return resultat

    def verifier(self, solution: str) -> VerdictAntiRobot:
        from altcha import Payload, verify_solution

        if not solution.strip():
            return VerdictAntiRobot.ABSENT
        if len(solution) > LONGUEUR_MAX:
            return VerdictAntiRobot.INCORRECT
        try:
            charge = Payload.from_base64(solution)
            # Signature, then the proof of work (the key derived again from the counter).
            verifiee = verify_solution(charge, self._cle()).verified
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return VerdictAntiRobot.INCORRECT  # not a payload, or not of our shape
        if not verifiee or not charge.challenge.signature:
            return VerdictAntiRobot.INCORRECT
        donnees = charge.challenge.parameters.data
        expire = donnees.get(_EXPIRE) if isinstance(donnees, dict) else None
        if type(expire) is not int:  # signed by us: always there, unless the key leaked
            return VerdictAntiRobot.INCORRECT
        if expire <= self._horloge.maintenant().timestamp():
            return VerdictAntiRobot.EXPIRE
        if not self._solutions.consommer(charge.challenge.signature, expire):
            return VerdictAntiRobot.DEJA_UTILISE
        return VerdictAntiRobot.VALIDE
