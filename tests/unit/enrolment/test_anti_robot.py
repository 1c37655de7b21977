"""The ALTCHA check (adapters/anti_robot.py) on real challenges, solved with the altcha
library's solver as the widget solves them: signed with the key, expiring on the
platform's clock, accepted once; anything else refused with its verdict."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from altcha import Challenge, Payload, Solution, create_challenge, solve_challenge

from infra.anti_robot import resoudre
from services.enrolment.adapters.anti_robot import (
    ALGORITHME,
    COMPTEUR_MAX,
    COMPTEUR_MIN,
    COUT,
    AntiRobotAltcha,
)
from services.enrolment.domain.anti_robot import VALIDITE_DEFI, VerdictAntiRobot
from shared.horloge import HorlogeFixe
from shared.settings import ReglageManquant, recharger
from tests.unit.enrolment.fakes import INSTANT

CLE = "cle-hmac-des-tests"


class SolutionsMemoire:
    def __init__(self) -> None:
        self.utilisees: dict[str, int] = {}

    def consommer(self, signature: str, expire: int) -> bool:
        if signature in self.utilisees:
            return False
        self.utilisees[signature] = expire
        return True


@pytest.fixture
def horloge() -> HorlogeFixe:
    return HorlogeFixe(INSTANT)


@pytest.fixture
def solutions() -> SolutionsMemoire:
    return SolutionsMemoire()


@pytest.fixture
def anti_robot(horloge: HorlogeFixe, solutions: SolutionsMemoire) -> AntiRobotAltcha:
    # A lighter proof of work than the platform's: the same code, faster tests.
    return AntiRobotAltcha(lambda: CLE, horloge, solutions, cout=50, compteurs=(5, 20))


def _charge(solution: str) -> dict[str, Any]:
    resultat: dict[str, Any] = json.loads(base64.b64decode(solution))
    return resultat


def test_un_defi_resolu_passe_une_fois(
    anti_robot: AntiRobotAltcha, solutions: SolutionsMemoire
) -> None:
    defi = anti_robot.defi()
    solution = resoudre(defi)
    assert anti_robot.verifier(solution) is VerdictAntiRobot.VALIDE
    expire = int((INSTANT + VALIDITE_DEFI).timestamp())
    assert solutions.utilisees == {defi["signature"]: expire}  # kept until it expires
    assert anti_robot.verifier(solution) is VerdictAntiRobot.DEJA_UTILISE
    assert anti_robot.verifier(resoudre(anti_robot.defi())) is VerdictAntiRobot.VALIDE


def test_le_defi_de_la_plateforme() -> None:
    """The platform's parameters: PBKDF2 the widget knows, signed, its expiry in the
    signed data, a counter to find within the bounds (deterministic mode)."""
    anti_robot = AntiRobotAltcha(lambda: CLE, HorlogeFixe(INSTANT), SolutionsMemoire())
    defi = anti_robot.defi()
    parametres = defi["parameters"]
    assert parametres["algorithm"] == ALGORITHME == "PBKDF2/SHA-256"
    assert parametres["cost"] == COUT
    assert parametres["data"] == {"expire": int((INSTANT + VALIDITE_DEFI).timestamp())}
    assert "expiresAt" not in parametres  # the library would read it on the system clock
    solution = solve_challenge(Challenge.from_dict(defi), timeout=60)
    assert solution is not None and COMPTEUR_MIN <= solution.counter < COMPTEUR_MAX
    charge = Payload(Challenge.from_dict(defi), solution).to_base64()
    assert anti_robot.verifier(charge) is VerdictAntiRobot.VALIDE
    assert json.loads(json.dumps(defi)) == defi  # JSON as it is


def test_expire_sur_l_horloge_de_la_plateforme(
    anti_robot: AntiRobotAltcha, horloge: HorlogeFixe, solutions: SolutionsMemoire
) -> None:
    """INSTANT is in 2024: the library's own check (system clock) would call every
    challenge expired; the platform's clock decides."""
    solution = resoudre(anti_robot.defi())
    horloge.regler(INSTANT + VALIDITE_DEFI - timedelta(seconds=1))
    encore = resoudre(anti_robot.defi())
    horloge.regler(INSTANT + VALIDITE_DEFI)
    assert anti_robot.verifier(solution) is VerdictAntiRobot.EXPIRE
    assert solutions.utilisees == {}  # an expired one is not recorded
    assert anti_robot.verifier(encore) is VerdictAntiRobot.VALIDE


def test_absente(anti_robot: AntiRobotAltcha) -> None:
    assert anti_robot.verifier("") is VerdictAntiRobot.ABSENT
    assert anti_robot.verifier("   ") is VerdictAntiRobot.ABSENT


@pytest.mark.parametrize(
    "solution",
    [
        "captcha-local",
        "!!!pas du base64",
        base64.b64encode(b"pas du json").decode(),
        base64.b64encode(b"[1, 2]").decode(),
        base64.b64encode(b'{"challenge": 1, "solution": 2}').decode(),
        base64.b64encode(b'{"challenge": null, "solution": null, "test": true}').decode(),
        "A" * 5000,
    ],
)
def test_illisible(anti_robot: AntiRobotAltcha, solution: str) -> None:
    assert anti_robot.verifier(solution) is VerdictAntiRobot.INCORRECT


def test_mauvais_compteur(anti_robot: AntiRobotAltcha) -> None:
    charge = _charge(resoudre(anti_robot.defi()))
    charge["solution"]["counter"] += 1
    faux = base64.b64encode(json.dumps(charge).encode()).decode()
    assert anti_robot.verifier(faux) is VerdictAntiRobot.INCORRECT
    charge["solution"]["counter"] = "12"
    faux = base64.b64encode(json.dumps(charge).encode()).decode()
    assert anti_robot.verifier(faux) is VerdictAntiRobot.INCORRECT


def test_parametres_modifies(anti_robot: AntiRobotAltcha) -> None:
    """A longer validity, or an easier challenge, breaks the signature."""
    for changement in ({"data": {"expire": 4_102_444_800}}, {"keyPrefix": "0"}):
        charge = _charge(resoudre(anti_robot.defi()))
        charge["challenge"]["parameters"].update(changement)
        faux = base64.b64encode(json.dumps(charge).encode()).decode()
        assert anti_robot.verifier(faux) is VerdictAntiRobot.INCORRECT


def test_autre_cle_ou_defi_non_signe(anti_robot: AntiRobotAltcha, horloge: HorlogeFixe) -> None:
    expire = int((INSTANT + VALIDITE_DEFI).timestamp())
    for cle in ("une-autre-cle", None):
        defi = create_challenge(ALGORITHME, 50, counter=7, data={"expire": expire}, hmac_secret=cle)
        assert anti_robot.verifier(resoudre(defi.to_dict())) is VerdictAntiRobot.INCORRECT


def test_signe_sans_expiration(anti_robot: AntiRobotAltcha) -> None:
    """Signed with the key but without the platform's expiry (not one of its challenges)."""
    for data in (None, {"expire": "demain"}):
        defi = create_challenge(ALGORITHME, 50, counter=7, data=data, hmac_secret=CLE)
        assert anti_robot.verifier(resoudre(defi.to_dict())) is VerdictAntiRobot.INCORRECT


def test_derivee_fausse(anti_robot: AntiRobotAltcha) -> None:
    defi = Challenge.from_dict(anti_robot.defi())
    solution = solve_challenge(defi, timeout=60)
    assert solution is not None
    fausse = Solution(solution.counter, "00" * 32)
    assert anti_robot.verifier(Payload(defi, fausse).to_base64()) is VerdictAntiRobot.INCORRECT


def test_la_cle_est_lue_au_premier_usage(horloge: HorlogeFixe) -> None:
    lectures: list[int] = []

    def cle() -> str:
        lectures.append(1)
        return CLE

    anti_robot = AntiRobotAltcha(cle, horloge, SolutionsMemoire(), cout=50, compteurs=(5, 20))
    assert lectures == []
    anti_robot.verifier(resoudre(anti_robot.defi()))
    assert lectures  # the adapter asks; CleSecretsManager keeps it (test_secrets_aws)


@pytest.fixture
def composition(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from services.enrolment import bootstrap

    bootstrap.composants.cache_clear()
    yield
    monkeypatch.undo()
    bootstrap.composants.cache_clear()
    recharger()


def test_l_api_ne_demarre_pas_sans_la_cle(
    monkeypatch: pytest.MonkeyPatch, composition: None
) -> None:
    """No default key: the enrolment routes fail at cold start, naming the variable."""
    from services.enrolment.bootstrap import composants

    for variable, valeur in {
        "SEGURNUM_BUCKET_ENROLEMENT": "segurnum-enrolement-test",
        "SEGURNUM_USER_POOL_ID": "eu-west-3_test",
        "SEGURNUM_EXPEDITEUR": "ne-pas-repondre@segurnum.localhost",
        "SEGURNUM_URL_PORTAIL": "https://segurnum.localhost",
    }.items():
        monkeypatch.setenv(variable, valeur)
    monkeypatch.delenv("SEGURNUM_SECRET_ALTCHA", raising=False)
    recharger()
    with pytest.raises(ReglageManquant, match="SEGURNUM_SECRET_ALTCHA"):
        composants()
    monkeypatch.setenv("SEGURNUM_SECRET_ALTCHA", "segurnum-altcha")
    recharger()
    assert isinstance(composants().anti_robot, AntiRobotAltcha)  # the key read later


def test_le_modele_donne_la_cle_a_chaque_fonction() -> None:
    """Generated by Secrets Manager (no value in the template), named by Globals."""
    from infra.local import cfn

    variables = cfn.modele()["Globals"]["Function"]["Environment"]["Variables"]
    reference = variables["SEGURNUM_SECRET_ALTCHA"]
    assert (reference.nom, reference.valeur) == ("Ref", "AltchaSecret")
    secret = cfn.ressources("AWS::SecretsManager::Secret")["AltchaSecret"]["Properties"]
    assert secret["Name"] == "segurnum-altcha"
    assert secret["GenerateSecretString"]["PasswordLength"] >= 32
    assert "SecretString" not in secret
    table = cfn.ressources("AWS::DynamoDB::Table")["DonneesTable"]["Properties"]
    assert table["TimeToLiveSpecification"] == {"AttributeName": "expiration", "Enabled": True}
