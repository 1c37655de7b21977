"""Read infra/resources.yaml (CloudFormation short tags included) and resolve intrinsics
for the local runtime: the same declarations, with moto's account and region."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

RESOURCES = Path(__file__).resolve().parent.parent / "resources.yaml"
STATEMACHINES = RESOURCES.parent
COMPTE = "123456789012"
REGION = "eu-west-3"

# The template's parameters as the local runtime sets them: its own values, set here
# explicitly (on AWS the operators give theirs, docs/deploiement.md). The payer is a test
# account no bank holds (bank code 99999, "LOCAL" in the account number; a BIC whose
# location code ends in 0 is a test BIC in ISO 9362); the addresses are under .localhost.
PARAMETRES_LOCAUX = {
    "PayeurNom": "Agence de paiement de test (runtime local)",
    "PayeurIban": "FR4499999000010000LOCAL0188",
    "PayeurBic": "TESTFRP0XXX",
    "Expediteur": "ne-pas-repondre@segurnum.localhost",
    "UrlPortail": "https://segurnum.localhost",
    # ProConnect is not reached locally (the local accounts sign in): explicit placeholders.
    "ProConnectEmetteur": "https://proconnect.localhost/api/v2",
    "ProConnectClientId": "segurnum-local",
    "ProConnectClientSecret": "secret-local",
    # The portal's domain only reaches the buckets' CORS, which provision.py replaces with
    # 127.0.0.1's origins; the certificate and the CloudFront web ACL are not provisioned.
    "PortailDomaine": "127.0.0.1",
    "PortailCertificatArn": f"arn:aws:acm:us-east-1:{COMPTE}:certificate/local",
    "PortailWebAclArn": f"arn:aws:wafv2:us-east-1:{COMPTE}:global/webacl/local/0",
}


class _Tag:
    def __init__(self, nom: str, valeur: Any) -> None:
        self.nom = nom
        self.valeur = valeur


class _Chargeur(yaml.SafeLoader):
    pass


def _constructeur(loader: yaml.SafeLoader, suffixe: str, node: yaml.Node) -> _Tag:
    if isinstance(node, yaml.ScalarNode):
        valeur: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        valeur = loader.construct_sequence(node, deep=True)
    else:
        valeur = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return _Tag(suffixe, valeur)


_Chargeur.add_multi_constructor("!", _constructeur)


@cache
def modele() -> dict[str, Any]:
    return yaml.load(RESOURCES.read_text(encoding="utf-8"), Loader=_Chargeur)


def ressources(type_cfn: str | None = None) -> dict[str, dict[str, Any]]:
    tout: dict[str, dict[str, Any]] = modele()["Resources"]
    # Entries without a Type override what Chalice generates: not resources of their own.
    return {
        k: v for k, v in tout.items() if "Type" in v and (type_cfn is None or v["Type"] == type_cfn)
    }


def nom_fonction(id_logique: str, fonctions: dict[str, str]) -> str:
    """Chalice's logical id (CamelCase) back to the function name it was made from."""
    return fonctions[id_logique]


class Resolveur:
    """Resolves !Ref, !GetAtt and !Sub the way CloudFormation would, for moto."""

    def __init__(self, fonctions: dict[str, str]) -> None:
        # fonctions: chalice logical id → physical Lambda function name
        self.fonctions = fonctions

    def ref(self, id_logique: str) -> str:
        pseudo = {"AWS::AccountId": COMPTE, "AWS::Region": REGION, "AWS::Partition": "aws"}
        if id_logique in pseudo:
            return pseudo[id_logique]
        if id_logique in self.fonctions:
            return self.fonctions[id_logique]
        if id_logique in modele().get("Parameters", {}):
            if id_logique not in PARAMETRES_LOCAUX:
                raise KeyError(f"!Ref {id_logique}: give the parameter its local value")
            return PARAMETRES_LOCAUX[id_logique]
        ressource = ressources()[id_logique]
        props = ressource.get("Properties", {})
        type_cfn = ressource["Type"]
        if type_cfn == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{COMPTE}/{props['QueueName']}"
        if type_cfn in ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"):
            return f"arn:aws:states:{REGION}:{COMPTE}:stateMachine:{props['Name']}"
        if type_cfn == "AWS::Cognito::UserPoolIdentityProvider":
            return str(props["ProviderName"])
        nom = (
            props.get("TableName")
            or props.get("BucketName")
            or props.get("Name")
            or props.get("AliasName")  # a KMS alias: its Ref is its name
        )
        if nom is None:
            raise KeyError(f"!Ref {id_logique}: the local runtime resolves this elsewhere")
        return str(self.resoudre(nom))

    def get_att(self, id_logique: str, attribut: str) -> str:
        if id_logique in self.fonctions and attribut == "Arn":
            return f"arn:aws:lambda:{REGION}:{COMPTE}:function:{self.fonctions[id_logique]}"
        ressource = ressources()[id_logique]
        props = ressource.get("Properties", {})
        type_cfn = ressource["Type"]
        if type_cfn == "AWS::SQS::Queue":
            return {
                "Arn": f"arn:aws:sqs:{REGION}:{COMPTE}:{props['QueueName']}",
                "QueueName": props["QueueName"],
            }[attribut]
        if type_cfn == "AWS::IAM::Role" and attribut == "Arn":
            return f"arn:aws:iam::{COMPTE}:role/{id_logique}"
        if type_cfn == "AWS::DynamoDB::Table" and attribut == "Arn":
            return f"arn:aws:dynamodb:{REGION}:{COMPTE}:table/{props['TableName']}"
        raise KeyError(f"!GetAtt {id_logique}.{attribut} is not known to the local runtime")

    def resoudre(self, valeur: Any) -> Any:
        if isinstance(valeur, _Tag):
            if valeur.nom == "Ref":
                return self.ref(valeur.valeur)
            if valeur.nom == "GetAtt":
                cible = (
                    valeur.valeur
                    if isinstance(valeur.valeur, list)
                    else valeur.valeur.split(".", 1)
                )
                return self.get_att(cible[0], cible[1])
            if valeur.nom == "Sub":

                def remplacer(m: re.Match[str]) -> str:
                    nom = m.group(1)
                    if "." in nom and not nom.startswith("AWS::"):
                        ident, att = nom.split(".", 1)
                        return self.get_att(ident, att)
                    return self.ref(nom)

                return re.sub(r"\$\{([^}]+)\}", remplacer, valeur.valeur)
            raise KeyError(f"intrinsic !{valeur.nom} is not supported by the local runtime")
        if isinstance(valeur, dict):
            return {k: self.resoudre(v) for k, v in valeur.items()}
        if isinstance(valeur, list):
            return [self.resoudre(v) for v in valeur]
        return valeur

    def variables_globales(self) -> dict[str, str]:
        brut = modele()["Globals"]["Function"]["Environment"]["Variables"]
        return {k: str(self.resoudre(v)) for k, v in brut.items()}
