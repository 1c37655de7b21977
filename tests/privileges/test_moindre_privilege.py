"""Least privilege, proven: every AWS call a function made during the e2e suite is allowed by
that function's role in the packaged template, and every action a role grants was made by
its function (or is in infra/iam_exceptions.yaml with its reason).

Run by `make test` after `make package` and the e2e suite (whose local runtimes note the
calls in build/appels-aws/: infra/local/appels_aws.py)."""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cache
from typing import Any

import yaml

from tests.privileges.iam import (
    APPELS,
    EXCEPTIONS,
    Resolveur,
    autorise,
    charger_modele,
    correspond,
    declarations,
    fonctions,
    liste,
    politiques_du_role,
)
from tests.privileges.traduction import Demande, Traducteur

# What AWS names at creation, the same for every runtime of the session once mapped: each
# runtime's moto gives its user pool another id (read from that runtime's environment).
POOL = "eu-west-3_UserPool"


@cache
def exceptions() -> dict[str, Any]:
    contenu: dict[str, Any] = yaml.safe_load(EXCEPTIONS.read_text(encoding="utf-8"))
    return contenu


@cache
def contexte() -> tuple[dict[str, list[Any]], Traducteur]:
    modele = charger_modele()
    resolveur = Resolveur(modele, {"UserPool": POOL})
    roles = {f: politiques_du_role(modele, r, resolveur) for f, r in fonctions(modele).items()}
    return roles, Traducteur(modele, resolveur)


@cache
def appels() -> tuple[list[dict[str, Any]], list[str]]:
    session = APPELS / "session.json"
    assert session.exists(), (
        f"{session} absent: la suite e2e (tests/e2e) écrit les appels AWS de ses runtimes "
        "locaux; lancez-la d'abord (make test le fait)"
    )
    notes = []
    for fichier in sorted(APPELS.glob("appels-*.json")):
        contenu = json.loads(fichier.read_text(encoding="utf-8"))
        pool = contenu["environnement"].get("SEGURNUM_USER_POOL_ID")
        for appel in contenu["appels"]:
            ids = appel["identifiants"]
            if "UserPoolId" in ids:
                assert ids["UserPoolId"] == pool, f"{appel}: pas le pool du modèle"
                ids["UserPoolId"] = POOL
            notes.append(appel)
    assert notes, f"aucun appel noté dans {APPELS}"
    fichiers: list[str] = json.loads(session.read_text(encoding="utf-8"))["fichiers"]
    return notes, fichiers


def _lignes(elements: list[str], maximum: int = 30) -> str:
    """One line each, the first `maximum` of them (an S3 prefix missing lists every key)."""
    reste = len(elements) - maximum
    return (
        "\n  " + "\n  ".join(elements[:maximum]) + (f"\n  … et {reste} autres" if reste > 0 else "")
    )


@cache
def demandes() -> frozenset[Demande]:
    _, traducteur = contexte()
    return frozenset(d for a in appels()[0] for d in traducteur.demandes(a))


def test_chaque_appel_est_autorise_par_le_role_de_sa_fonction() -> None:
    roles, _ = contexte()
    manquants = sorted(
        f"{d.fonction}: {d.action} sur {d.ressource}"
        for d in demandes()
        if d.fonction not in roles or not autorise(roles[d.fonction], d.action, d.ressource)
    )
    assert not manquants, (
        "appels AWS refusés par le rôle de leur fonction (ajoutez-les à sa politique, "
        "infra/.chalice/policy-*.json):" + _lignes(manquants)
    )


def _exception(fonction: str, action: str) -> str | None:
    non_exerces = exceptions()["non_exerces"]
    raison = non_exerces.get(fonction, {}).get(action) or non_exerces["*"].get(action)
    return str(raison) if raison else None


def test_chaque_action_accordee_est_exercee_par_sa_fonction() -> None:
    """Per (action, resource) of each statement: a grant no call needed is a grant too many."""
    roles, _ = contexte()
    faites: dict[str, list[Demande]] = defaultdict(list)
    for d in demandes():
        faites[d.fonction].append(d)
    inutiles = []
    for fonction, politiques in sorted(roles.items()):
        for p in politiques:
            for decl in declarations(p):
                for action in liste(decl["Action"]):
                    if _exception(fonction, action):
                        continue
                    for ressource in liste(decl["Resource"]):
                        if not any(
                            correspond(action, d.action, casse=False)
                            and correspond(ressource, d.ressource)
                            for d in faites[fonction]
                        ):
                            inutiles.append(f"{fonction}: {action} sur {ressource}")
    assert not inutiles, (
        "droits accordés qu'aucun appel de la suite e2e n'a exercés (retirez-les, ou dites "
        f"pourquoi dans {EXCEPTIONS.name}; fichiers e2e de la session: "
        f"{', '.join(appels()[1])}):" + _lignes(sorted(inutiles))
    )


def test_chaque_exception_sert_encore() -> None:
    """An entry of the list names an action its function is granted and never exercised."""
    roles, _ = contexte()
    faites = {(d.fonction, d.action) for d in demandes()}
    perimees = []
    for fonction, actions in exceptions()["non_exerces"].items():
        concernees = roles if fonction == "*" else {fonction: roles.get(fonction, [])}
        for action in actions:
            accordee = [
                f
                for f, politiques in concernees.items()
                if any(
                    correspond(a, action, casse=False)
                    for p in politiques
                    for decl in declarations(p)
                    for a in liste(decl["Action"])
                )
            ]
            if not accordee:
                perimees.append(f"{fonction}: {action} n'est accordée à aucune fonction visée")
            elif fonction != "*" and (fonction, action) in faites:
                perimees.append(f"{fonction}: {action} est exercée (retirez l'exception)")
    assert not perimees, f"{EXCEPTIONS.name}: exceptions périmées:" + _lignes(perimees)
