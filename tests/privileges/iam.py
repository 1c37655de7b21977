"""The least-privilege check's parts: the packaged template's roles (intrinsics resolved
with the local runtime's fake account and region) and a small evaluator of Allow
statements (tests/privileges/traduction.py turns each noted call into what IAM checks).

The evaluator is written here: policyuniverse parses and expands policies but does not say
whether a request is allowed, iam-ape evaluates an account's authorization details (not a
template), and the platform's policies use only Allow statements with `*` wildcards (no
Deny, NotAction, NotResource nor Condition: the evaluator refuses them rather than guess).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from infra.local.cfn import COMPTE, REGION

RACINE = Path(__file__).resolve().parents[2]
MODELE = RACINE / "build" / "sam" / "sam.yaml"
APPELS = RACINE / "build" / "appels-aws"
EXCEPTIONS = RACINE / "infra" / "iam_exceptions.yaml"
PARTITION = "aws"
PILE = "segurnum"  # the stack's name: Lambda names each function <stack>-<logical id>-<suffix>


def arn(service: str, reste: str) -> str:
    """An ARN in the local runtime's account and region."""
    return f"arn:{PARTITION}:{service}:{REGION}:{COMPTE}:{reste}"


# --- the evaluator -----------------------------------------------------------------------------


@cache
def _motif(modele: str, casse: bool) -> re.Pattern[str]:
    # IAM wildcards: `*` any run of characters (`:` and `/` included), `?` one character;
    # nothing else is special (fnmatch's `[...]` would be).
    corps = re.escape(modele).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(corps, 0 if casse else re.IGNORECASE)


def correspond(modele: str, valeur: str, casse: bool = True) -> bool:
    """Whether an IAM pattern matches: actions ignore case, resources do not."""
    return _motif(modele, casse).fullmatch(valeur) is not None


def liste(valeur: Any) -> list[str]:
    return [valeur] if isinstance(valeur, str) else list(valeur)


def declarations(politique: dict[str, Any]) -> list[dict[str, Any]]:
    brutes = politique.get("Statement", [])
    resultat = [brutes] if isinstance(brutes, dict) else list(brutes)
    for d in resultat:
        inconnues = set(d) - {"Sid", "Effect", "Action", "Resource"}
        if d.get("Effect") != "Allow" or inconnues:
            raise ValueError(f"déclaration non évaluée (seuls Allow/Action/Resource le sont): {d}")
    return resultat


def autorise(politiques: list[dict[str, Any]], action: str, ressource: str) -> bool:
    """Whether one of the policies' Allow statements grants `action` on `ressource`."""
    return any(
        any(correspond(a, action, casse=False) for a in liste(d["Action"]))
        and any(correspond(r, ressource) for r in liste(d["Resource"]))
        for p in politiques
        for d in declarations(p)
    )


def actions_accordees(politiques: list[dict[str, Any]]) -> set[str]:
    """Every action the policies name (a pattern stays a pattern)."""
    return {a for p in politiques for d in declarations(p) for a in liste(d["Action"])}


# --- the packaged template -----------------------------------------------------------------------


class _Chargeur(yaml.SafeLoader):
    pass


def _court(loader: yaml.SafeLoader, suffixe: str, node: yaml.Node) -> dict[str, Any]:
    # `chalice package` writes the long form; short tags are read the same way anyway.
    nom = "Ref" if suffixe == "Ref" else f"Fn::{suffixe}"
    if isinstance(node, yaml.ScalarNode):
        valeur: Any = loader.construct_scalar(node)
        if nom == "Fn::GetAtt":
            valeur = valeur.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        valeur = loader.construct_sequence(node, deep=True)
    else:
        valeur = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {nom: valeur}


_Chargeur.add_multi_constructor("!", _court)


def charger_modele(chemin: Path = MODELE) -> dict[str, Any]:
    if not chemin.exists():
        raise AssertionError(f"{chemin} absent: lancez `make package` d'abord")
    modele: dict[str, Any] = yaml.load(chemin.read_text(encoding="utf-8"), Loader=_Chargeur)
    return modele


@dataclass
class Resolveur:
    """Ref, Fn::GetAtt, Fn::Sub, Fn::Join with the local runtime's account and region;
    `physiques` gives the local runtime's ids for what AWS names at creation (user pool)."""

    modele: dict[str, Any]
    physiques: dict[str, str]

    def _ressource(self, id_logique: str) -> dict[str, Any]:
        ressource: dict[str, Any] = self.modele["Resources"][id_logique]
        return ressource

    def ref(self, nom: str) -> str:
        pseudo = {
            "AWS::AccountId": COMPTE,
            "AWS::Region": REGION,
            "AWS::Partition": PARTITION,
            "AWS::StackName": PILE,
        }
        if nom in pseudo:
            return pseudo[nom]
        if nom in self.physiques:
            return self.physiques[nom]
        if nom in self.modele.get("Parameters", {}):
            # A template parameter: the value the local runtime gives it (the calls recorded
            # were made with it).
            from infra.local.cfn import PARAMETRES_LOCAUX

            return PARAMETRES_LOCAUX[nom]
        r = self._ressource(nom)
        props = r.get("Properties", {})
        t = r["Type"]
        if t == "AWS::SQS::Queue":
            return (
                f"https://sqs.{REGION}.amazonaws.com/{COMPTE}/{self.resoudre(props['QueueName'])}"
            )
        nommee = str(self.resoudre(props.get("Name", "")))
        if t in ("AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine"):
            return arn("states", f"stateMachine:{nommee}")
        if t == "AWS::SecretsManager::Secret":
            # AWS appends six random characters to a secret's name in its ARN.
            return arn("secretsmanager", f"secret:{nommee}-AbCdEf")
        if t == "AWS::KMS::Key":
            return f"cle-{nom}"
        if t == "AWS::Serverless::Function":
            return nom
        for cle in ("TableName", "BucketName", "Name", "EmailIdentity", "UserPoolName"):
            if cle in props:
                return str(self.resoudre(props[cle]))
        raise KeyError(f"Ref {nom} ({t}): non résolu par tests/privileges/iam.py")

    def get_att(self, nom: str, attribut: str) -> str:
        r = self._ressource(nom)
        t = r["Type"]
        if attribut == "Arn":
            service = {
                "AWS::DynamoDB::Table": "dynamodb:{r}:{c}:table/{n}",
                "AWS::SQS::Queue": "sqs:{r}:{c}:{q}",
                "AWS::KMS::Key": "kms:{r}:{c}:key/{n}",
                "AWS::Cognito::UserPool": "cognito-idp:{r}:{c}:userpool/{n}",
                "AWS::S3::Bucket": "s3:::{n}",
                "AWS::Serverless::Function": "lambda:{r}:{c}:function:{n}",
                "AWS::IAM::Role": "iam::{c}:role/{i}",
                "AWS::SNS::Topic": "sns:{r}:{c}:{i}",
            }.get(t)
            if service is not None:
                props = r.get("Properties", {})
                return f"arn:{PARTITION}:" + service.format(
                    r=REGION,
                    c=COMPTE,
                    n=self.ref(nom) if "{n}" in service else "",
                    q=self.resoudre(props.get("QueueName", "")),
                    i=nom,
                )
        if t == "AWS::SQS::Queue" and attribut == "QueueName":
            return str(self.resoudre(r["Properties"]["QueueName"]))
        raise KeyError(f"GetAtt {nom}.{attribut} ({t}): non résolu par tests/privileges/iam.py")

    def resoudre(self, valeur: Any) -> Any:
        if isinstance(valeur, list):
            return [self.resoudre(v) for v in valeur]
        if not isinstance(valeur, dict):
            return valeur
        if set(valeur) == {"Ref"}:
            return self.ref(valeur["Ref"])
        if set(valeur) == {"Fn::GetAtt"}:
            cible = valeur["Fn::GetAtt"]
            cible = cible.split(".", 1) if isinstance(cible, str) else cible
            return self.get_att(cible[0], cible[1])
        if set(valeur) == {"Fn::Join"}:
            separateur, morceaux = valeur["Fn::Join"]
            return separateur.join(str(self.resoudre(m)) for m in morceaux)
        if set(valeur) == {"Fn::Sub"}:
            gabarit, variables = (
                (valeur["Fn::Sub"], {})
                if isinstance(valeur["Fn::Sub"], str)
                else (valeur["Fn::Sub"][0], self.resoudre(valeur["Fn::Sub"][1]))
            )

            def remplacer(m: re.Match[str]) -> str:
                nom = m.group(1)
                if nom in variables:
                    return str(variables[nom])
                if "." in nom and not nom.startswith("AWS::"):
                    return self.get_att(*nom.split(".", 1))
                return self.ref(nom)

            return re.sub(r"\$\{([^}!]+)\}", remplacer, gabarit)
        return {k: self.resoudre(v) for k, v in valeur.items()}


def fonctions(modele: dict[str, Any]) -> dict[str, str]:
    """Each Lambda of the template (logical id) → its role's logical id."""
    resultat = {}
    for id_logique, r in modele["Resources"].items():
        if r.get("Type") == "AWS::Serverless::Function":
            role = r["Properties"]["Role"]
            resultat[id_logique] = role["Fn::GetAtt"][0]
    return resultat


def politiques_du_role(modele: dict[str, Any], role: str, resolveur: Resolveur) -> list[Any]:
    brutes = modele["Resources"][role]["Properties"].get("Policies", [])
    return [resolveur.resoudre(p["PolicyDocument"]) for p in brutes]


def politiques_identite(modele: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every identity policy document the template declares (roles, policies, and the
    inline statements of SAM functions and state machines), unresolved."""
    for id_logique, r in modele["Resources"].items():
        t, props = r.get("Type"), r.get("Properties", {})
        if t == "AWS::IAM::Role":
            for p in props.get("Policies", []):
                yield f"{id_logique}/{p.get('PolicyName', '')}", p["PolicyDocument"]
        elif t in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            yield id_logique, props["PolicyDocument"]
        elif t in ("AWS::Serverless::Function", "AWS::Serverless::StateMachine"):
            politiques = props.get("Policies", [])
            for i, p in enumerate(politiques if isinstance(politiques, list) else [politiques]):
                if isinstance(p, dict) and "Statement" in p:
                    yield f"{id_logique}/{i}", p
