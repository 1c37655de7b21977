"""Settings a handler cannot work without fail at its cold start, naming the variable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.depot.adapters.pieces_aws import InstructionStepFunctions
from shared.settings import ReglageManquant, recharger, requis


@pytest.fixture
def sans_reglages(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("SEGURNUM_SM_INSTRUCTION", raising=False)
    monkeypatch.delenv("SEGURNUM_USER_POOL_ID", raising=False)
    recharger()
    yield
    monkeypatch.undo()
    recharger()


def test_un_reglage_requis_absent_echoue_en_le_nommant(sans_reglages: None) -> None:
    with pytest.raises(ReglageManquant) as erreur:
        requis("state_machine_instruction", "user_pool_id", "table_donnees")
    assert "SEGURNUM_SM_INSTRUCTION" in str(erreur.value)
    assert "SEGURNUM_USER_POOL_ID" in str(erreur.value)
    assert "TABLE" not in str(erreur.value)  # it has a default


def test_le_depot_refuse_de_demarrer_sans_machine_d_instruction(sans_reglages: None) -> None:
    """It used to log a warning and let a complete dossier wait for ever."""
    with pytest.raises(ReglageManquant, match="SEGURNUM_SM_INSTRUCTION"):
        InstructionStepFunctions()


def test_un_reglage_present_suffit(monkeypatch: pytest.MonkeyPatch, sans_reglages: None) -> None:
    arn = "arn:aws:states:eu-west-3:123456789012:stateMachine:instruction"
    monkeypatch.setenv("SEGURNUM_SM_INSTRUCTION", arn)
    recharger()
    assert requis("state_machine_instruction").state_machine_instruction == arn
    assert InstructionStepFunctions(client=object())._state_machine == arn
    assert InstructionStepFunctions("autre", client=object())._state_machine == "autre"


def test_chaque_reglage_se_lit_de_sa_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every field but the code's version has its variable, read as a string (or bool)."""
    from dataclasses import fields

    from shared.settings import VARIABLES, Settings, depuis_environnement

    assert {c.name for c in fields(Settings)} - set(VARIABLES) == {"version"}
    environnement = {variable: f"v-{champ}" for champ, variable in VARIABLES.items()}
    environnement["SEGURNUM_LOCAL"] = "true"
    reglages = depuis_environnement(environnement)
    assert reglages.queue_import == "v-queue_import"
    assert reglages.endpoint_url == "v-endpoint_url"
    assert reglages.local is True
    assert depuis_environnement({}).local is False
    assert depuis_environnement({"SEGURNUM_LOCAL": "0"}).local is False
    assert depuis_environnement({}) == Settings()


def test_un_booleen_illisible_est_refuse_en_nommant_la_variable() -> None:
    from shared.settings import depuis_environnement

    with pytest.raises(ValueError, match="SEGURNUM_LOCAL"):
        depuis_environnement({"SEGURNUM_LOCAL": "peut-être"})


PAYEUR = {
    "SEGURNUM_PAYEUR_NOM": "Agence de services et de paiement",
    "SEGURNUM_PAYEUR_IBAN": "FR4499999000010000LOCAL0188",
    "SEGURNUM_PAYEUR_BIC": "TESTFRP0XXX",
}


@pytest.fixture
def payeur(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    for variable, valeur in PAYEUR.items():
        monkeypatch.setenv(variable, valeur)
    recharger()
    yield monkeypatch
    monkeypatch.undo()
    recharger()


def test_rien_de_ce_qui_touche_l_argent_ou_les_personnes_n_a_de_valeur_par_defaut() -> None:
    """The payer, the sender of the courriels and the portal's address: empty, hence
    required, until the environment gives them (they once defaulted to a fictitious IBAN,
    a real bank's BIC and a domain nobody owns)."""
    from shared.settings import Settings

    vide = Settings()
    for champ in ("payeur_nom", "payeur_iban", "payeur_bic", "expediteur", "url_portail"):
        assert getattr(vide, champ) == "", champ


def test_le_payeur_absent_echoue_en_nommant_chaque_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in PAYEUR:
        monkeypatch.delenv(variable, raising=False)
    recharger()
    try:
        with pytest.raises(ReglageManquant) as erreur:
            requis("payeur_nom", "payeur_iban", "payeur_bic")
        assert erreur.value.variables == tuple(PAYEUR)
        for variable in PAYEUR:
            assert variable in str(erreur.value)
    finally:
        monkeypatch.undo()
        recharger()


@pytest.mark.parametrize(
    ("variable", "valeur", "attendu"),
    [
        ("SEGURNUM_PAYEUR_IBAN", "FR4499999000010000LOCAL0189", "IBAN"),  # wrong key
        ("SEGURNUM_PAYEUR_IBAN", "FR44 9999 9000 0100 00LO CAL0 188", "IBAN"),  # spaces
        ("SEGURNUM_PAYEUR_BIC", "TESTFRP", "BIC"),
        ("SEGURNUM_PAYEUR_BIC", "TEST12P0XXX", "BIC"),
        ("SEGURNUM_PAYEUR_NOM", "A" * 71, "70 caractères"),
    ],
)
def test_un_payeur_invalide_echoue_en_nommant_la_variable_et_l_attendu(
    payeur: pytest.MonkeyPatch, variable: str, valeur: str, attendu: str
) -> None:
    from shared.settings import ReglageInvalide

    payeur.setenv(variable, valeur)
    recharger()
    with pytest.raises(ReglageInvalide) as erreur:
        requis("payeur_nom", "payeur_iban", "payeur_bic")
    assert erreur.value.variables == (variable,)
    assert variable in str(erreur.value) and attendu in str(erreur.value)


def test_un_payeur_valide_passe(payeur: pytest.MonkeyPatch) -> None:
    reglages = requis("payeur_nom", "payeur_iban", "payeur_bic")
    assert (reglages.payeur_iban, reglages.payeur_bic) == (
        "FR4499999000010000LOCAL0188",
        "TESTFRP0XXX",
    )


@pytest.mark.parametrize(
    ("variable", "valeur"),
    [
        ("SEGURNUM_URL_PORTAIL", "http://segurnum.localhost"),
        ("SEGURNUM_EXPEDITEUR", "ne-pas-repondre"),
        ("SEGURNUM_EXPEDITEUR", "ne-pas-repondre@localhost"),
    ],
)
def test_une_adresse_invalide_est_refusee(
    monkeypatch: pytest.MonkeyPatch, variable: str, valeur: str
) -> None:
    from shared.settings import VARIABLES, ReglageInvalide

    champ = next(c for c, v in VARIABLES.items() if v == variable)
    monkeypatch.setenv(variable, valeur)
    recharger()
    try:
        with pytest.raises(ReglageInvalide, match=variable):
            requis(champ)
    finally:
        monkeypatch.undo()
        recharger()


# Variables read outside shared/settings.py that are no setting of the platform: the
# terminal's width (the CLI's table) and whether the code runs inside Lambda at all.
LUES_AILLEURS = {
    ("services/depot/cli.py", "COLUMNS"),
    ("shared/demarrage.py", "AWS_LAMBDA_FUNCTION_NAME"),
}
_LECTURE = re.compile(r"os\.(?:environ|getenv)\b(?:\.get\(|\[|\()?\s*(\"[A-Z_]+\"|[A-Za-z_]+)?")


def lectures_d_environnement(fichier: str, source: str) -> set[tuple[str, str]]:
    """(file, variable) for each read of the environment in `source` (the variable as
    written: a literal without quotes, or the name of what holds it)."""
    return {(fichier, (m.group(1) or "?").strip('"')) for m in _LECTURE.finditer(source)}


def test_chaque_reglage_est_lu_par_shared_settings() -> None:
    """A setting read with os.environ elsewhere escapes the cold-start checks (`requis`)
    and the template test (tests/infra/test_reglages.py): each goes through `Settings`."""
    racine = Path(__file__).resolve().parents[3]
    lectures = set()
    for chemin in sorted([*racine.glob("services/**/*.py"), *racine.glob("shared/**/*.py")]):
        fichier = chemin.relative_to(racine).as_posix()
        if fichier != "shared/settings.py":
            lectures |= lectures_d_environnement(fichier, chemin.read_text(encoding="utf-8"))
    assert lectures == LUES_AILLEURS


def test_le_controle_trouve_chaque_forme_de_lecture() -> None:
    source = (
        'a = os.environ.get("SEGURNUM_QUEUE_REPONSES") or QUEUE\n'
        'b = os.environ["SEGURNUM_X"]\n'
        "c = os.getenv(VARIABLE_CLE)\n"
        "d = dict(os.environ)\n"
    )
    assert lectures_d_environnement("f.py", source) == {
        ("f.py", "SEGURNUM_QUEUE_REPONSES"),
        ("f.py", "SEGURNUM_X"),
        ("f.py", "VARIABLE_CLE"),
        ("f.py", "?"),
    }
