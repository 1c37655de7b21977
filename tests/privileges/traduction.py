"""Each AWS call the local runtime noted (infra/local/appels_aws.py) as IAM authorizes it:
its action(s) and resource ARN, with the template's account, region and resources (the
KMS key a bucket or a queue is encrypted with, the state machine that issues task tokens).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from tests.privileges.iam import PARTITION, RACINE, Resolveur, arn


@dataclass(frozen=True)
class Demande:
    """One authorization IAM makes for a call: (function, action, resource ARN)."""

    fonction: str
    action: str
    ressource: str


def _file(ids: dict[str, str]) -> str:
    nom = ids.get("QueueName") or ids["QueueUrl"].rstrip("/").rsplit("/", 1)[1]
    return arn("sqs", nom)


def _objet(bucket: str, cle: str) -> str:
    return f"arn:{PARTITION}:s3:::{bucket}/{cle}"


# Operations whose IAM action is not `<prefix>:<operation>` (S3's in particular).
S3_ACTIONS = {
    "HeadObject": "GetObject",
    "GetObject": "GetObject",
    "PutObject": "PutObject",
    "DeleteObject": "DeleteObject",
    "ListObjectsV2": "ListBucket",
    "ListObjects": "ListBucket",
    "HeadBucket": "ListBucket",
}
SQS_ACTIONS = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage"}
TRANSACTION = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


@dataclass
class Traducteur:
    """A noted call → the authorizations IAM makes for it."""

    modele: dict[str, Any]
    resolveur: Resolveur

    def cle_kms(self, cle: str) -> str:
        """A key id or alias (as the code passes it) → the key's ARN in the template."""
        if cle.startswith("arn:"):
            return cle
        for r in self.modele["Resources"].values():
            if r.get("Type") == "AWS::KMS::Alias":
                props = self.resolveur.resoudre(r["Properties"])
                if props["AliasName"] == cle:
                    return arn("kms", f"key/{props['TargetKeyId']}")
        raise AssertionError(f"clé KMS {cle}: aucun alias du modèle ne la désigne")

    def _cle_de(self, type_cfn: str, propriete: str, nom: str) -> str | None:
        """The ARN of the template's KMS key a bucket, a queue or a secret is encrypted with, if any
        (AWS then asks KMS with the caller's rights; moto does not ask)."""
        for r in self.modele["Resources"].values():
            props = r.get("Properties", {})
            if r.get("Type") != type_cfn or self.resolveur.resoudre(props.get(propriete)) != nom:
                continue
            if type_cfn == "AWS::SQS::Queue":
                brute = props.get("KmsMasterKeyId")
            elif type_cfn == "AWS::SecretsManager::Secret":
                brute = props.get("KmsKeyId")
            else:
                regles = props.get("BucketEncryption", {}).get(
                    "ServerSideEncryptionConfiguration", []
                )
                brute = next(
                    (
                        regle["ServerSideEncryptionByDefault"].get("KMSMasterKeyID")
                        for regle in regles
                        if regle["ServerSideEncryptionByDefault"].get("SSEAlgorithm") == "aws:kms"
                    ),
                    None,
                )
            if isinstance(brute, dict):  # a key of the template (an AWS managed key needs no grant)
                cle = str(self.resolveur.resoudre(brute))
                return cle if cle.startswith("arn:") else arn("kms", f"key/{cle}")
        return None

    def _s3(self, op: str, ids: dict[str, str]) -> list[tuple[str, str]]:
        def cle(bucket: str) -> str | None:
            return self._cle_de("AWS::S3::Bucket", "BucketName", bucket)

        if op == "CopyObject":
            source = unquote(ids["CopySource"]).lstrip("/")
            chemin, _, version = source.partition("?versionId=")
            demandes = [
                (
                    "s3:GetObjectVersion" if version else "s3:GetObject",
                    f"arn:{PARTITION}:s3:::{chemin}",
                ),
                ("s3:PutObject", _objet(ids["Bucket"], ids["Key"])),
            ]
            lue, ecrite = cle(chemin.split("/", 1)[0]), cle(ids["Bucket"])
            demandes += [("kms:Decrypt", lue)] if lue else []
            return demandes + ([("kms:GenerateDataKey", ecrite)] if ecrite else [])
        action = S3_ACTIONS[op]
        if action == "ListBucket":
            return [("s3:ListBucket", f"arn:{PARTITION}:s3:::{ids['Bucket']}")]
        if action == "GetObject" and "VersionId" in ids:
            action = "GetObjectVersion"
        demandes = [(f"s3:{action}", _objet(ids["Bucket"], ids["Key"]))]
        chiffrement = cle(ids["Bucket"])
        # SSE-KMS: a write makes a data key, a read decrypts it (a HEAD reads no data).
        kms = {"PutObject": "GenerateDataKey", "GetObject": "Decrypt"}.get(op)
        return demandes + ([(f"kms:{kms}", chiffrement)] if chiffrement and kms else [])

    @cached_property
    def machine_des_jetons(self) -> str:
        """A task token is opaque: IAM checks it against the state machine whose execution
        issued it; the template's only machine that waits for tokens."""
        machines = [
            self.resolveur.ref(i)
            for i, r in self.modele["Resources"].items()
            if r.get("Type") == "AWS::Serverless::StateMachine"
            and ".waitForTaskToken"
            in (RACINE / "infra" / r["Properties"]["DefinitionUri"]).read_text()
        ]
        assert len(machines) == 1, f"machines à jetons: {machines} (une seule attendue)"
        return machines[0]

    def demandes(self, appel: dict[str, Any]) -> list[Demande]:
        f, service, op = appel["fonction"], appel["service"], appel["operation"]
        ids: dict[str, str] = appel["identifiants"]

        def d(action: str, ressource: str) -> Demande:
            return Demande(f, action, ressource)

        if service == "dynamodb":
            if "TransactItems" in ids:
                demandes = []
                for element in ids["TransactItems"].split(","):
                    genre, table = element.split("/", 1)
                    demandes.append(
                        d(f"dynamodb:{TRANSACTION[genre]}", arn("dynamodb", f"table/{table}"))
                    )
                return demandes
            if "TableNames" in ids:
                return [
                    d(f"dynamodb:{op}", arn("dynamodb", f"table/{t}"))
                    for t in ids["TableNames"].split(",")
                ]
            table = arn("dynamodb", f"table/{ids['TableName']}")
            if "IndexName" in ids:
                table += f"/index/{ids['IndexName']}"
            return [d(f"dynamodb:{op}", table)]
        if service == "s3":
            return [d(a, r) for a, r in self._s3(op, ids)]
        if service == "sqs":
            file = _file(ids)
            action = SQS_ACTIONS.get(op, op)
            # A queue encrypted with a key of the template: the sender makes the data key
            # and reads it, the receiver reads it (SQS asks KMS with the caller's rights).
            cle = self._cle_de("AWS::SQS::Queue", "QueueName", file.rsplit(":", 1)[1])
            kms = {"SendMessage": ["GenerateDataKey", "Decrypt"], "ReceiveMessage": ["Decrypt"]}
            return [d(f"sqs:{action}", file)] + [
                d(f"kms:{a}", cle) for a in kms.get(action, []) if cle
            ]
        if service == "stepfunctions":
            if "taskToken" in ids:
                return [d(f"states:{op}", self.machine_des_jetons)]
            if "executionArn" in ids:
                return [d(f"states:{op}", ids["executionArn"])]
            return [d(f"states:{op}", ids["stateMachineArn"])]
        if service == "sesv2":
            identite = ids.get("EmailIdentity") or ids["FromEmailAddress"]
            return [d(f"ses:{op}", arn("ses", f"identity/{identite}"))]
        if service == "cognito-idp":
            return [d(f"cognito-idp:{op}", arn("cognito-idp", f"userpool/{ids['UserPoolId']}"))]
        if service == "kms":
            return [d(f"kms:{op}", self.cle_kms(ids["KeyId"]))]
        if service == "secretsmanager":
            secret = ids["SecretId"]
            # An ARN ends with the six characters AWS appends to the name.
            nom = secret.split(":secret:", 1)[1][:-7] if secret.startswith("arn:") else secret
            if not secret.startswith("arn:"):
                secret = arn("secretsmanager", f"secret:{secret}-AbCdEf")
            # A secret under a key of the template: Secrets Manager decrypts it with the
            # caller's rights (moto does not ask).
            cle = self._cle_de("AWS::SecretsManager::Secret", "Name", nom)
            lecture = [d("kms:Decrypt", cle)] if cle and op == "GetSecretValue" else []
            return [d(f"secretsmanager:{op}", secret), *lecture]
        raise AssertionError(
            f"appel {service}.{op} de {f}: action IAM inconnue de tests/privileges"
        )
