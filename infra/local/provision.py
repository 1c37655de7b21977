"""Provision moto from infra/resources.yaml (CloudFormation in moto skips Scheduler, SES,
S3 notifications and TTL, so each resource type is created here with boto3)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from infra.local import cfn
from shared.aws import client

ROLE_LAMBDA = "segurnum-lambda-local"


def fonctions_chalice() -> dict[str, dict[str, Any]]:
    """Every Lambda of the Chalice app: logical id → name, handler, SQS queue (if any)."""
    from chalice.utils import to_cfn_resource_name

    from infra.app import app

    fonctions: dict[str, dict[str, Any]] = {}
    for f in app.pure_lambda_functions:
        fonctions[to_cfn_resource_name(f.name)] = {"nom": f.name, "handler": f.handler_string}
    for source in app.event_sources:
        queue = getattr(source, "queue", None)
        fonctions[to_cfn_resource_name(source.name)] = {
            "nom": source.name,
            "handler": source.handler_string,
            "queue": queue,
            "batch_size": getattr(source, "batch_size", 1),
        }
    return fonctions


def _zip_vide() -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as z:
        z.writestr("lisezmoi.txt", "Le code est exécuté en processus par le runtime local.")
    return tampon.getvalue()


class Provisionneur:
    def __init__(self) -> None:
        self.fonctions = fonctions_chalice()
        self.resolveur = cfn.Resolveur({k: v["nom"] for k, v in self.fonctions.items()})
        self.physiques: dict[str, str] = {}

    def _props(self, id_logique: str) -> dict[str, Any]:
        brut = cfn.ressources()[id_logique].get("Properties", {})
        return dict(self.resolveur.resoudre(brut))

    def tout(self) -> dict[str, str]:
        """Create everything; returns the environment the functions get (Globals)."""
        self.roles()
        self.tables()
        self.referentiel()
        self.queues()
        self.kms()
        self.ses()
        self.cognito()
        self.signature()
        self.secrets()
        # Functions and their SQS mappings before the bucket notifications (the s3:TestEvent
        # a notification sends is then delivered like any message).
        self.lambdas()
        self.buckets()
        self.state_machines()
        self.schedules()
        return self.environnement()

    def environnement(self) -> dict[str, str]:
        variables = {}
        brut = cfn.modele()["Globals"]["Function"]["Environment"]["Variables"]
        for cle, valeur in brut.items():
            if (
                isinstance(valeur, cfn._Tag)
                and valeur.nom == "Ref"
                and valeur.valeur in self.physiques
            ):
                variables[cle] = self.physiques[valeur.valeur]
            else:
                variables[cle] = str(self.resolveur.resoudre(valeur))
        return variables

    def roles(self) -> None:
        iam = client("iam")
        confiance = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            }
        )
        iam.create_role(RoleName=ROLE_LAMBDA, AssumeRolePolicyDocument=confiance)
        for id_logique in cfn.ressources("AWS::IAM::Role"):
            props = self._props(id_logique)
            iam.create_role(
                RoleName=id_logique,
                AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"]),
            )

    def tables(self) -> None:
        ddb = client("dynamodb")
        for id_logique in cfn.ressources("AWS::DynamoDB::Table"):
            props = self._props(id_logique)
            args = {
                k: props[k]
                for k in (
                    "TableName",
                    "AttributeDefinitions",
                    "KeySchema",
                    "BillingMode",
                    "GlobalSecondaryIndexes",
                )
                if k in props
            }
            ddb.create_table(**args)
            ttl = props.get("TimeToLiveSpecification")
            if ttl:
                ddb.update_time_to_live(TableName=props["TableName"], TimeToLiveSpecification=ttl)

    def referentiel(self) -> None:
        """The référentiel ANS shipped with the platform (on AWS: `segurnum referentiel`)."""
        from services.enrolment.adapters.dynamodb import ReferentielAnsRepository
        from services.enrolment.application.referentiel import (
            ChargerReferentiel,
            donnees_initiales,
        )
        from shared.horloge import HorlogeCourante

        (table,) = [
            self._props(i)["TableName"]
            for i in cfn.ressources("AWS::DynamoDB::Table")
            if self._props(i)["TableName"].endswith("-donnees")
        ]
        ChargerReferentiel(ReferentielAnsRepository(table), HorlogeCourante())(
            donnees_initiales(), "plateforme locale"
        )

    def kms(self) -> None:
        """Keys and aliases; `!Ref` of a key resolves to its id (bucket encryption…)."""
        kms = client("kms")
        for id_logique in cfn.ressources("AWS::KMS::Key"):
            props = cfn.ressources()[id_logique].get("Properties", {})
            cle = kms.create_key(Description=str(props.get("Description", id_logique)))
            self.resolveur.fonctions[id_logique] = cle["KeyMetadata"]["KeyId"]
        for id_logique in cfn.ressources("AWS::KMS::Alias"):
            props = self._props(id_logique)
            kms.create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])

    def queues(self) -> None:
        sqs = client("sqs")
        files = cfn.ressources("AWS::SQS::Queue")
        # Dead-letter queues first: the others point at them.
        ordre = sorted(files, key=lambda i: "RedrivePolicy" in files[i].get("Properties", {}))
        for id_logique in ordre:
            props = self._props(id_logique)
            attributs = {}
            for cle in ("VisibilityTimeout", "MessageRetentionPeriod"):
                if cle in props:
                    attributs[cle] = str(props[cle])
            if "RedrivePolicy" in props:
                attributs["RedrivePolicy"] = json.dumps(props["RedrivePolicy"])
            sqs.create_queue(QueueName=props["QueueName"], Attributes=attributs)
        for id_logique in cfn.ressources("AWS::SQS::QueuePolicy"):
            props = self._props(id_logique)
            for url in props["Queues"]:
                sqs.set_queue_attributes(
                    QueueUrl=url, Attributes={"Policy": json.dumps(props["PolicyDocument"])}
                )

    def buckets(self) -> None:
        s3 = client("s3")
        for id_logique in cfn.ressources("AWS::S3::Bucket"):
            props = self._props(id_logique)
            nom = props["BucketName"]
            s3.create_bucket(
                Bucket=nom, CreateBucketConfiguration={"LocationConstraint": cfn.REGION}
            )
            if props.get("CorsConfiguration"):
                # The portal's browser uploads (presigned POST): locally the portal is served
                # on 127.0.0.1 at a port chosen at start, so any port of this host.
                regles = [
                    {
                        "AllowedMethods": r["AllowedMethods"],
                        "AllowedOrigins": ["http://127.0.0.1:*", "http://localhost:*"],
                        "AllowedHeaders": r.get("AllowedHeaders", []),
                        "MaxAgeSeconds": r.get("MaxAge", 600),
                    }
                    for r in props["CorsConfiguration"]["CorsRules"]
                ]
                s3.put_bucket_cors(Bucket=nom, CORSConfiguration={"CORSRules": regles})
            if props.get("VersioningConfiguration"):
                s3.put_bucket_versioning(
                    Bucket=nom, VersioningConfiguration=props["VersioningConfiguration"]
                )
            notifications = props.get("NotificationConfiguration", {}).get("QueueConfigurations")
            if notifications:
                s3.put_bucket_notification_configuration(
                    Bucket=nom,
                    NotificationConfiguration={
                        "QueueConfigurations": [
                            {
                                "QueueArn": n["Queue"],
                                "Events": [n["Event"]],
                                "Filter": {"Key": {"FilterRules": n["Filter"]["S3Key"]["Rules"]}},
                            }
                            for n in notifications
                        ]
                    },
                )

    def ses(self) -> None:
        for id_logique in cfn.ressources("AWS::SES::EmailIdentity"):
            identite = self._props(id_logique)["EmailIdentity"]
            client("sesv2").create_email_identity(EmailIdentity=identite)
            # moto's SES v2 sends through the v1 backend, which wants a verified sender.
            client("ses").verify_email_identity(EmailAddress=identite)

    def signature(self) -> None:
        """The documents' signing pair: self-signed, made once and kept (on AWS the deploy
        step puts the platform's pair in the secret; docs/documents.md)."""
        from shared.secrets_aws import assurer_materiel_local

        assurer_materiel_local()

    def secrets(self) -> None:
        """The secrets AWS generates (GenerateSecretString: the anti-robot challenges' HMAC
        key): the same names, a random value of this runtime's own, kept once made."""
        from shared.secrets_aws import assurer_cle_locale

        for id_logique in cfn.ressources("AWS::SecretsManager::Secret"):
            props = self._props(id_logique)
            if "GenerateSecretString" in props:
                assurer_cle_locale(props["Name"], props.get("Description", ""))

    def cognito(self) -> None:
        idp = client("cognito-idp")
        for id_logique in cfn.ressources("AWS::Cognito::UserPool"):
            props = self._props(id_logique)
            schema = [
                {
                    "Name": a["Name"],
                    "AttributeDataType": a["AttributeDataType"],
                    "Mutable": a.get("Mutable", True),
                }
                for a in props.get("Schema", [])
            ]
            pool = idp.create_user_pool(
                PoolName=props["UserPoolName"],
                UsernameAttributes=props.get("UsernameAttributes", []),
                AutoVerifiedAttributes=props.get("AutoVerifiedAttributes", []),
                Schema=schema,
                Policies=props.get("Policies", {}),
            )["UserPool"]
            self.physiques[id_logique] = pool["Id"]
            self.resolveur.fonctions[id_logique] = pool["Id"]  # so !Ref UserPool resolves
        for id_logique in cfn.ressources("AWS::Cognito::UserPoolClient"):
            props = self._props(id_logique)
            if "COGNITO" not in props.get("SupportedIdentityProviders", ["COGNITO"]):
                # The gestionnaires' ProConnect client: no ProConnect locally, where the
                # local accounts sign in through the portal's client (the pool's only one).
                continue
            cli = idp.create_user_pool_client(
                UserPoolId=props["UserPoolId"],
                ClientName=props["ClientName"],
                ExplicitAuthFlows=props["ExplicitAuthFlows"],
                # moto puts in the IdToken only the attributes the client may read, as
                # Cognito does: without them a gestionnaire's name never reaches the API.
                ReadAttributes=props.get("ReadAttributes", []),
                WriteAttributes=props.get("WriteAttributes", []),
                GenerateSecret=False,
            )["UserPoolClient"]
            self.physiques[id_logique] = cli["ClientId"]
        for id_logique in cfn.ressources("AWS::Cognito::UserPoolGroup"):
            props = self._props(id_logique)
            idp.create_group(GroupName=props["GroupName"], UserPoolId=props["UserPoolId"])

    def lambdas(self) -> None:
        lam = client("lambda")
        role = f"arn:aws:iam::{cfn.COMPTE}:role/{ROLE_LAMBDA}"
        code = _zip_vide()
        for f in self.fonctions.values():
            lam.create_function(
                FunctionName=f["nom"],
                Runtime="python3.11",
                Role=role,
                Handler=f["handler"],
                Code={"ZipFile": code},
                Timeout=900,
                MemorySize=1024,
            )
        # Environment after the pool exists (its id is only known now).
        env = self.environnement()
        for f in self.fonctions.values():
            lam.update_function_configuration(FunctionName=f["nom"], Environment={"Variables": env})
            if f.get("queue"):
                # Disabled in moto: moto would deliver inside SendMessage, the sender waiting
                # for the handler; infra/local/releveur.py delivers them (as Lambda does).
                lam.create_event_source_mapping(
                    EventSourceArn=f"arn:aws:sqs:{cfn.REGION}:{cfn.COMPTE}:{f['queue']}",
                    FunctionName=f["nom"],
                    BatchSize=f.get("batch_size", 1),
                    Enabled=False,
                )

    def state_machines(self) -> None:
        sfn = client("stepfunctions")
        for id_logique in cfn.ressources("AWS::Serverless::StateMachine"):
            props = self._props(id_logique)
            definition = (cfn.STATEMACHINES / props["DefinitionUri"]).read_text(encoding="utf-8")
            for cle, valeur in props.get("DefinitionSubstitutions", {}).items():
                definition = definition.replace("${" + cle + "}", str(valeur))
            sfn.create_state_machine(
                name=props["Name"],
                definition=definition,
                roleArn=f"arn:aws:iam::{cfn.COMPTE}:role/{ROLE_LAMBDA}",
            )

    def schedules(self) -> None:
        sch = client("scheduler")
        for id_logique in cfn.ressources("AWS::Scheduler::Schedule"):
            props = self._props(id_logique)
            sch.create_schedule(
                Name=props["Name"],
                GroupName=props.get("GroupName", "default"),
                ScheduleExpression=props["ScheduleExpression"],
                ScheduleExpressionTimezone=props.get("ScheduleExpressionTimezone", "UTC"),
                FlexibleTimeWindow=props["FlexibleTimeWindow"],
                State=props.get("State", "ENABLED"),
                Target=props["Target"],
            )
