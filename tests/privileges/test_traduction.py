"""Each noted call becomes what IAM checks: the action(s) AWS asks for it and their ARNs."""

from __future__ import annotations

from typing import Any

from tests.privileges.iam import Resolveur
from tests.privileges.traduction import Demande, Traducteur

CLE = "arn:aws:kms:eu-west-3:123456789012:key/cle-Cle"
MODELE: dict[str, Any] = {
    "Resources": {
        "Cle": {"Type": "AWS::KMS::Key", "Properties": {}},
        "CleAlias": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": "alias/essai", "TargetKeyId": {"Ref": "Cle"}},
        },
        "Chiffre": {
            "Type": "AWS::S3::Bucket",
            "Properties": {
                "BucketName": {"Fn::Sub": "chiffre-${AWS::AccountId}"},
                "BucketEncryption": {
                    "ServerSideEncryptionConfiguration": [
                        {
                            "ServerSideEncryptionByDefault": {
                                "SSEAlgorithm": "aws:kms",
                                "KMSMasterKeyID": {"Ref": "Cle"},
                            }
                        }
                    ]
                },
            },
        },
        "Clair": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "clair"}},
        "SecretChiffre": {
            "Type": "AWS::SecretsManager::Secret",
            "Properties": {"Name": "sc", "KmsKeyId": {"Ref": "Cle"}},
        },
        "File": {
            "Type": "AWS::SQS::Queue",
            "Properties": {"QueueName": "f", "KmsMasterKeyId": {"Fn::GetAtt": ["Cle", "Arn"]}},
        },
        "Machine": {
            "Type": "AWS::Serverless::StateMachine",
            "Properties": {"Name": "m", "DefinitionUri": "statemachines/instruction.asl.json"},
        },
    }
}
CHIFFRE = "chiffre-123456789012"


def _demandes(service: str, operation: str, **ids: str) -> set[tuple[str, str]]:
    traducteur = Traducteur(MODELE, Resolveur(MODELE, {}))
    appel = {"fonction": "F", "service": service, "operation": operation, "identifiants": ids}
    demandes = traducteur.demandes(appel)
    assert all(isinstance(d, Demande) and d.fonction == "F" for d in demandes)
    return {(d.action, d.ressource) for d in demandes}


def test_s3_lecture_ecriture_et_liste() -> None:
    objet = "arn:aws:s3:::clair/a/b.json"
    assert _demandes("s3", "HeadObject", Bucket="clair", Key="a/b.json") == {
        ("s3:GetObject", objet)
    }
    assert _demandes("s3", "GetObject", Bucket="clair", Key="a/b.json", VersionId="v") == {
        ("s3:GetObjectVersion", objet)
    }
    assert _demandes("s3", "HeadBucket", Bucket="clair") == {
        ("s3:ListBucket", "arn:aws:s3:::clair")
    }


def test_un_bucket_chiffre_par_une_cle_du_modele_demande_kms() -> None:
    objet = f"arn:aws:s3:::{CHIFFRE}/k"
    assert _demandes("s3", "PutObject", Bucket=CHIFFRE, Key="k") == {
        ("s3:PutObject", objet),
        ("kms:GenerateDataKey", CLE),
    }
    assert _demandes("s3", "GetObject", Bucket=CHIFFRE, Key="k") == {
        ("s3:GetObject", objet),
        ("kms:Decrypt", CLE),
    }
    assert _demandes("s3", "CopyObject", Bucket="clair", Key="c", CopySource=f"{CHIFFRE}/k") == {
        ("s3:GetObject", objet),
        ("kms:Decrypt", CLE),
        ("s3:PutObject", "arn:aws:s3:::clair/c"),
    }


def test_une_file_chiffree_par_une_cle_du_modele_demande_kms() -> None:
    file = "arn:aws:sqs:eu-west-3:123456789012:f"
    url = "http://127.0.0.1:1/123456789012/f"
    assert _demandes("sqs", "SendMessage", QueueUrl=url) == {
        ("sqs:SendMessage", file),
        ("kms:GenerateDataKey", CLE),
        ("kms:Decrypt", CLE),
    }
    assert _demandes("sqs", "GetQueueUrl", QueueName="f") == {("sqs:GetQueueUrl", file)}


def test_une_transaction_est_autorisee_element_par_element() -> None:
    table = "arn:aws:dynamodb:eu-west-3:123456789012:table/t"
    assert _demandes("dynamodb", "TransactWriteItems", TransactItems="ConditionCheck/t,Put/t") == {
        ("dynamodb:ConditionCheckItem", table),
        ("dynamodb:PutItem", table),
    }
    assert _demandes("dynamodb", "Query", TableName="t", IndexName="GSI2") == {
        ("dynamodb:Query", f"{table}/index/GSI2")
    }


def test_jeton_de_tache_alias_kms_et_secret() -> None:
    assert _demandes("stepfunctions", "SendTaskSuccess", taskToken="present") == {
        ("states:SendTaskSuccess", "arn:aws:states:eu-west-3:123456789012:stateMachine:m")
    }
    assert _demandes("kms", "Decrypt", KeyId="alias/essai") == {("kms:Decrypt", CLE)}
    assert _demandes("secretsmanager", "GetSecretValue", SecretId="s") == {
        (
            "secretsmanager:GetSecretValue",
            "arn:aws:secretsmanager:eu-west-3:123456789012:secret:s-AbCdEf",
        )
    }


def test_un_secret_chiffre_par_une_cle_du_modele_demande_kms() -> None:
    """Secrets Manager decrypts a secret under a customer key with the caller's rights."""
    arn_secret = "arn:aws:secretsmanager:eu-west-3:123456789012:secret:sc-AbCdEf"
    attendu = {("secretsmanager:GetSecretValue", arn_secret), ("kms:Decrypt", CLE)}
    assert _demandes("secretsmanager", "GetSecretValue", SecretId="sc") == attendu
    assert _demandes("secretsmanager", "GetSecretValue", SecretId=arn_secret) == attendu
