"""DynamoDB and Step Functions adapters of the instruction service."""

from __future__ import annotations

import json
import uuid
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from shared.aws import client
from shared.contrats import cle_dossier
from shared.settings import settings

_deserialiseur = TypeDeserializer()


def _py(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserialiseur.deserialize(v) for k, v in item.items()}


class DossiersDynamo:
    def __init__(self) -> None:
        self.table = settings().table_donnees
        self.ddb = client("dynamodb")

    def _histo(
        self, numero_asp: str, qui: str, action: str, motif: str, instant: str
    ) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self.table,
                "Item": {
                    "PK": {"S": f"DOSSIER#{numero_asp}"},
                    "SK": {"S": f"HISTO#{instant}#{uuid.uuid4().hex[:8]}"},
                    "qui": {"S": qui},
                    "action": {"S": action},
                    "motif": {"S": motif},
                    "instant": {"S": instant},
                },
            }
        }

    def enregistrer_attente(
        self, numero_asp: str, statut: str, attendu: str, jeton: str, instant: str
    ) -> None:
        self.ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": {k: {"S": v} for k, v in cle_dossier(numero_asp).items()},
                        "UpdateExpression": "SET statut = :s, attendu = :a, jeton = :j, "
                        "GSI2PK = :g, GSI2SK = :n, modifieLe = :i ADD version :un",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeValues": {
                            ":s": {"S": statut},
                            ":a": {"S": attendu},
                            ":j": {"S": jeton},
                            ":g": {"S": f"STATUT#{statut}"},
                            ":n": {"S": numero_asp},
                            ":i": {"S": instant},
                            ":un": {"N": "1"},
                        },
                    }
                },
                self._histo(numero_asp, "instruction", f"STATUT_{statut}", "", instant),
            ]
        )

    def consommer_jeton(self, numero_asp: str, attendu: str, jeton_attendu: str) -> bool:
        ddb = self.ddb
        try:
            ddb.update_item(
                TableName=self.table,
                Key={k: {"S": v} for k, v in cle_dossier(numero_asp).items()},
                UpdateExpression="REMOVE jeton, attendu",
                ConditionExpression="jeton = :j AND attendu = :a",
                ExpressionAttributeValues={":j": {"S": jeton_attendu}, ":a": {"S": attendu}},
            )
        except ddb.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def lire(self, numero_asp: str) -> dict[str, Any] | None:
        reponse = self.ddb.get_item(
            TableName=self.table,
            Key={k: {"S": v} for k, v in cle_dossier(numero_asp).items()},
            ConsistentRead=True,
        )
        item = reponse.get("Item")
        return _py(item) if item else None

    def historique(self, numero_asp: str) -> list[dict[str, Any]]:
        reponse = self.ddb.query(
            TableName=self.table,
            KeyConditionExpression="PK = :p AND begins_with(SK, :h)",
            ExpressionAttributeValues={":p": {"S": f"DOSSIER#{numero_asp}"}, ":h": {"S": "HISTO#"}},
        )
        return [_py(i) for i in reponse.get("Items", [])]

    def appliquer_statut(
        self, numero_asp: str, statut: str, qui: str, motif: str, instant: str
    ) -> None:
        self.ddb.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": {k: {"S": v} for k, v in cle_dossier(numero_asp).items()},
                        "UpdateExpression": "SET statut = :s, GSI2PK = :g, GSI2SK = :n, "
                        "modifieLe = :i ADD version :un",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeValues": {
                            ":s": {"S": statut},
                            ":g": {"S": f"STATUT#{statut}"},
                            ":n": {"S": numero_asp},
                            ":i": {"S": instant},
                            ":un": {"N": "1"},
                        },
                    }
                },
                self._histo(numero_asp, qui, f"STATUT_{statut}", motif, instant),
            ]
        )

    def lister(self, statut: str | None, limite: int) -> list[dict[str, Any]]:
        if statut:
            reponse = self.ddb.query(
                TableName=self.table,
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :g",
                ExpressionAttributeValues={":g": {"S": f"STATUT#{statut}"}},
                Limit=limite,
            )
            return [_py(i) for i in reponse.get("Items", [])]
        reponse = self.ddb.scan(
            TableName=self.table,
            FilterExpression="SK = :d",
            ExpressionAttributeValues={":d": {"S": "DOSSIER"}},
        )
        return [_py(i) for i in reponse.get("Items", [])][:limite]


class WorkflowStepFunctions:
    def reprendre(self, jeton: str, sortie: dict[str, Any]) -> None:
        client("stepfunctions").send_task_success(taskToken=jeton, output=json.dumps(sortie))
