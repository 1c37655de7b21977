"""The packaged template's roles: one per function, from its own policy file, and no
`"Resource": "*"` but for the actions AWS defines on no resource (infra/iam_exceptions.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from chalice.utils import to_cfn_resource_name

from infra.local.provision import fonctions_chalice
from tests.privileges.iam import (
    EXCEPTIONS,
    RACINE,
    charger_modele,
    fonctions,
    liste,
    politiques_identite,
)

CHALICE = RACINE / "infra" / ".chalice"


def _etoile() -> set[str]:
    contenu = yaml.safe_load(EXCEPTIONS.read_text(encoding="utf-8"))
    return {a.lower() for a in contenu["ressource_etoile"]}


def sur_toute_ressource(modele: dict[str, Any]) -> list[str]:
    """(policy, action) of each statement on `"Resource": "*"` whose action has resources."""
    permises = _etoile()
    fautives = []
    for nom, document in politiques_identite(modele):
        brutes = document["Statement"]
        for decl in [brutes] if isinstance(brutes, dict) else brutes:
            if "*" in liste(decl.get("Resource", [])):
                fautives += [
                    f"{nom}: {a}"
                    for a in liste(decl.get("Action", []))
                    if a.lower() not in permises
                ]
    return fautives


def test_aucune_declaration_sur_toute_ressource_hors_actions_sans_ressource() -> None:
    fautives = sur_toute_ressource(charger_modele())
    assert not fautives, (
        '"Resource": "*" pour des actions qui ont des ressources (nommez leurs ARN, ou, si '
        f"AWS n'en définit aucune, ajoutez-les à ressource_etoile de {EXCEPTIONS.name}):\n  "
        + "\n  ".join(fautives)
    )


def test_le_controle_voit_une_ressource_etoile() -> None:
    def role(*declarations: dict[str, Any]) -> dict[str, Any]:
        document = {"Statement": list(declarations)}
        return {
            "Type": "AWS::IAM::Role",
            "Properties": {"Policies": [{"PolicyName": "p", "PolicyDocument": document}]},
        }

    ses = {"Effect": "Allow", "Action": ["ses:SendEmail"], "Resource": "*"}
    xray = {"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": ["*"]}
    joker = {"Effect": "Allow", "Action": "xray:*", "Resource": "*"}
    modele = {"Resources": {"A": role(ses, xray), "B": role(joker)}}
    assert sur_toute_ressource(modele) == ["A/p: ses:SendEmail", "B/p: xray:*"]


def test_chaque_fonction_a_son_propre_fichier_de_politique() -> None:
    config = json.loads((CHALICE / "config.json").read_text(encoding="utf-8"))
    etape = config["stages"]["dev"]
    assert etape["autogen_policy"] is False
    fichiers = {"APIHandler": etape["iam_policy_file"]}
    for f in fonctions_chalice().values():
        propre = etape["lambda_functions"].get(f["nom"], {}).get("iam_policy_file")
        assert propre, f"{f['nom']}: pas d'iam_policy_file à elle (elle aurait celle de l'API)"
        fichiers[to_cfn_resource_name(f["nom"])] = propre
    assert len(set(fichiers.values())) == len(fichiers), fichiers
    for fichier in fichiers.values():
        assert (CHALICE / fichier).exists(), fichier
    inutilises = {p.name for p in CHALICE.glob("policy-*.json")} - set(fichiers.values())
    assert not inutilises, f"fichiers de politique d'aucune fonction: {inutilises}"


def test_chaque_fonction_du_modele_a_son_role() -> None:
    modele = charger_modele()
    roles = fonctions(modele)
    attendues = {"APIHandler"} | {
        to_cfn_resource_name(f["nom"]) for f in fonctions_chalice().values()
    }
    assert set(roles) == attendues
    assert len(set(roles.values())) == len(roles), "deux fonctions partagent un rôle"


def test_les_roles_de_la_machine_et_du_planificateur_sont_cibles() -> None:
    """The state machine invokes its two functions only; the scheduler its three targets
    and its DLQ (SAM expands LambdaInvokePolicy to the function's ARN)."""
    ressources = charger_modele()["Resources"]
    machine = ressources["InstructionStateMachine"]["Properties"]["Policies"]
    assert machine == [
        {"LambdaInvokePolicy": {"FunctionName": {"Ref": "InstructionAttendre"}}},
        {"LambdaInvokePolicy": {"FunctionName": {"Ref": "InstructionEtape"}}},
    ]
    (politique,) = ressources["SchedulerRole"]["Properties"]["Policies"]
    cibles = {
        (a, json.dumps(r, sort_keys=True))
        for d in politique["PolicyDocument"]["Statement"]
        for a in liste(d["Action"])
        for r in (d["Resource"] if isinstance(d["Resource"], list) else [d["Resource"]])
    }
    assert cibles == {
        ("lambda:InvokeFunction", json.dumps({"Fn::GetAtt": [f, "Arn"]}))
        for f in (
            "DepotFermerGuichet",
            "DepotRappelGuichet",
            "PaiementLancerLot",
            "InstructionReconcilier",
        )
    } | {("sqs:SendMessage", json.dumps({"Fn::GetAtt": ["SchedulerDLQ", "Arn"]}))}


def test_le_modele_empaquete_est_celui_des_sources() -> None:
    """The check reads build/sam: it must come from the policy files as they are now."""
    sam = RACINE / "build" / "sam" / "sam.yaml"
    plus_recente = max(p.stat().st_mtime for p in CHALICE.glob("*.json"))
    assert sam.stat().st_mtime >= plus_recente, "build/sam/sam.yaml est ancien: make package"
    assert Path(RACINE / "infra" / "resources.yaml").stat().st_mtime <= sam.stat().st_mtime, (
        "build/sam/sam.yaml est antérieur à infra/resources.yaml: make package"
    )
