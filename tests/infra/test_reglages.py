"""Settings that cannot be wrong in silence: the packaged template sets, for every function,
each variable that function's code requires at its cold start.

What a function requires is read from the code, not listed here: each service's
composition root checks its `REGLAGES` (a test below proves the check is that tuple), a
handler that does not build it declares its own in `REGLAGES_PROPRES` next to it, and the
packaged template says which code each function runs (its Handler; the API handler runs
every route). The template is packaged here with the command `make package` runs
(`chalice package --merge-template infra/resources.yaml`), without the vendored
dependencies: the template does not depend on them, and it is then never stale.
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from infra.local import cfn
from shared.settings import VARIABLES, ReglageManquant, Settings, recharger

RACINE = Path(__file__).resolve().parents[2]
SERVICES = ("enrolment", "depot", "guichet", "instruction", "paiement")


@pytest.fixture(scope="module")
def modele(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    projet = tmp_path_factory.mktemp("projet")
    (projet / ".chalice").mkdir()
    shutil.copy(RACINE / "infra" / "app.py", projet / "app.py")
    for fichier in (RACINE / "infra" / ".chalice").glob("*.json"):
        shutil.copy(fichier, projet / ".chalice" / fichier.name)
    chalice = Path(sys.executable).parent / "chalice"
    subprocess.run(
        [str(chalice), "package", "--merge-template", str(cfn.RESOURCES), "sam"],
        cwd=projet,
        env={**os.environ, "AWS_DEFAULT_REGION": "eu-west-3"},
        check=True,
        capture_output=True,
    )
    resultat: dict[str, Any] = yaml.safe_load((projet / "sam" / "sam.yaml").read_text())
    return resultat


def reglages_du_service(service: str) -> tuple[str, ...]:
    for module in ("bootstrap", "api"):
        try:
            racine = importlib.import_module(f"services.{service}.{module}")
        except ModuleNotFoundError:
            continue
        if hasattr(racine, "REGLAGES"):
            return tuple(racine.REGLAGES)
    raise AssertionError(f"services.{service}: no composition root declares REGLAGES")


def _service(module: str) -> str | None:
    parties = module.split(".")
    return parties[1] if parties[0] == "services" and len(parties) > 2 else None


def exigences(handler: str) -> set[str]:
    """The variables the code behind a function's Handler requires at its cold start."""
    from infra.app import app

    if handler == "app.app":  # the API handler: every route of every Blueprint
        modules = {
            route.view_function.__module__
            for chemins in app.routes.values()
            for route in chemins.values()
        }
        champs = {c for m in modules if (s := _service(m)) for c in reglages_du_service(s)}
        return {VARIABLES[c] for c in champs}
    module, nom = handler.rsplit(".", 1)
    service = _service(module)
    assert service is not None, f"{handler}: a handler outside services/"
    propres = getattr(importlib.import_module(module), "REGLAGES_PROPRES", {})
    champs = propres[nom] if nom in propres else reglages_du_service(service)
    return {VARIABLES[c] for c in champs}


def manquants(modele: dict[str, Any]) -> dict[str, list[str]]:
    """Per function of the template: the required variables it does not set (a value
    neither absent nor empty; an intrinsic counts as set, CloudFormation resolves it)."""
    globales = modele.get("Globals", {}).get("Function", {}).get("Environment", {})
    resultat = {}
    for id_logique, ressource in modele["Resources"].items():
        if ressource.get("Type") != "AWS::Serverless::Function":
            continue
        proprietes = ressource["Properties"]
        variables = {
            **globales.get("Variables", {}),
            **proprietes.get("Environment", {}).get("Variables", {}),
        }
        absents = sorted(
            v for v in exigences(proprietes["Handler"]) if variables.get(v) in (None, "")
        )
        if absents:
            resultat[id_logique] = absents
    return resultat


def test_chaque_fonction_a_chaque_variable_que_son_code_exige(modele: dict[str, Any]) -> None:
    fonctions = [
        r for r in modele["Resources"].values() if r.get("Type") == "AWS::Serverless::Function"
    ]
    assert len(fonctions) >= 14
    assert manquants(modele) == {}


def test_les_fonctions_de_paiement_exigent_le_payeur(modele: dict[str, Any]) -> None:
    """The derivation finds what the issue names: a pain.001 needs the payer."""
    payeur = {"SEGURNUM_PAYEUR_NOM", "SEGURNUM_PAYEUR_IBAN", "SEGURNUM_PAYEUR_BIC"}
    for id_logique in ("PaiementLancerLot", "PaiementVersements", "PaiementRetour", "APIHandler"):
        handler = modele["Resources"][id_logique]["Properties"]["Handler"]
        assert payeur <= exigences(handler), id_logique


def test_le_controle_echoue_quand_le_modele_oublie_une_variable(modele: dict[str, Any]) -> None:
    import copy

    amoindri = copy.deepcopy(modele)
    del amoindri["Globals"]["Function"]["Environment"]["Variables"]["SEGURNUM_PAYEUR_IBAN"]
    amoindri["Resources"]["DepotJson"]["Properties"]["Environment"]["Variables"][
        "SEGURNUM_URL_PORTAIL"
    ] = ""
    trouves = manquants(amoindri)
    assert trouves["PaiementLancerLot"] == ["SEGURNUM_PAYEUR_IBAN"]
    assert trouves["APIHandler"] == ["SEGURNUM_PAYEUR_IBAN"]
    assert trouves["DepotJson"] == ["SEGURNUM_URL_PORTAIL"]
    assert "InstructionEtape" not in trouves


@pytest.fixture
def environnement_vide(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for variable in [v for v in os.environ if v.startswith("SEGURNUM_")]:
        monkeypatch.delenv(variable)
    recharger()
    yield
    monkeypatch.undo()
    recharger()


def _oublier_composants(service: str) -> Any:
    racine = importlib.import_module(f"services.{service}.bootstrap")
    racine.composants.cache_clear()
    return racine.composants


@pytest.mark.parametrize("service", SERVICES)
def test_la_racine_de_composition_verifie_ses_reglages(
    environnement_vide: None, service: str
) -> None:
    """REGLAGES is what the cold start checks: an empty environment names each of them
    (those without a default: the others are the names of the template's own resources)."""
    composants = _oublier_composants(service)
    try:
        with pytest.raises(ReglageManquant) as erreur:
            composants()
    finally:
        _oublier_composants(service)
    vide = Settings()
    attendus = {VARIABLES[c] for c in reglages_du_service(service) if not getattr(vide, c)}
    assert set(erreur.value.variables) == attendus


def test_les_noms_par_defaut_sont_ceux_des_ressources_du_modele() -> None:
    """A setting keeps a default only when it is the name of a resource the template
    creates (and sets anyway): the default then cannot point elsewhere than the template."""
    globales = cfn.modele()["Globals"]["Function"]["Environment"]["Variables"]
    resolveur = cfn.Resolveur({})
    defaut = Settings()
    verifies = set()
    for champ, variable in VARIABLES.items():
        valeur = getattr(defaut, champ)
        if valeur and variable in globales:
            assert resolveur.resoudre(globales[variable]) == valeur, variable
            verifies.add(champ)
    # region: Lambda's own AWS_REGION; local: False, the production value.
    autres = {c for c in VARIABLES if getattr(defaut, c)} - verifies
    assert autres == {"region"}


def test_les_parametres_sans_valeur_par_defaut_et_ceux_du_runtime_local() -> None:
    parametres = cfn.modele()["Parameters"]
    for nom, parametre in parametres.items():
        if "Default" in parametre:
            # a location in SSM, never a value: the deploy fails while it is absent
            assert parametre["Type"] == "AWS::SSM::Parameter::Value<String>", nom
            assert parametre["Default"].startswith("/segurnum/"), nom
    for nom in ("PayeurIban", "PayeurBic", "ProConnectClientSecret"):
        assert parametres[nom]["NoEcho"] is True, nom
    assert set(cfn.PARAMETRES_LOCAUX) == set(parametres)


def test_les_valeurs_locales_passent_les_controles_du_demarrage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The local runtime's payer, sender and portal address are valid (a test account)."""
    from shared.settings import requis

    globales = cfn.modele()["Globals"]["Function"]["Environment"]["Variables"]
    resolveur = cfn.Resolveur({})
    champs = ("payeur_nom", "payeur_iban", "payeur_bic", "expediteur", "url_portail")
    for champ in champs:
        monkeypatch.setenv(VARIABLES[champ], resolveur.resoudre(globales[VARIABLES[champ]]))
    recharger()
    try:
        assert requis(*champs).payeur_iban == cfn.PARAMETRES_LOCAUX["PayeurIban"]
    finally:
        monkeypatch.undo()
        recharger()


def test_le_runtime_local_garde_ses_comptes_locaux(monkeypatch: pytest.MonkeyPatch) -> None:
    """Locally no ProConnect: the pool gets the portal's client only (the one the local
    accounts, `segurnum connexion` and the tests sign in with), not the gestionnaires'."""
    from moto import mock_aws

    from infra.local.provision import Provisionneur
    from shared.aws import client, oublier_clients

    for variable, valeur in {
        "AWS_ACCESS_KEY_ID": "t",
        "AWS_SECRET_ACCESS_KEY": "t",
        "AWS_REGION": "eu-west-3",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }.items():
        monkeypatch.setenv(variable, valeur)
    monkeypatch.delenv("SEGURNUM_ENDPOINT_URL", raising=False)
    recharger()
    oublier_clients()
    try:
        with mock_aws():
            Provisionneur().cognito()
            idp = client("cognito-idp")
            (pool,) = idp.list_user_pools(MaxResults=10)["UserPools"]
            clients = idp.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=10)
            assert [c["ClientName"] for c in clients["UserPoolClients"]] == ["segurnum-portail"]
    finally:
        oublier_clients()
        monkeypatch.undo()
        recharger()
