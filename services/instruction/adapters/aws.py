"""DynamoDB and Step Functions adapters of the instruction service."""

from __future__ import annotations

import json
import uuid
from typing import Any

from shared.aws import client
from shared.contrats import cle_dossier
from shared.dynamo import TableDynamo, condition_echouee, depuis_dynamo, vers_dynamo


class DossiersDynamo(TableDynamo):
    def _histo(
        self, numero_asp: str, qui: str, action: str, motif: str, instant: str
    ) -> dict[str, Any]:
        item = {
            "PK": f"DOSSIER#{numero_asp}",
            "SK": f"HISTO#{instant}#{uuid.uuid4().hex[:8]}",
            "qui": qui,
            "action": action,
            "motif": motif,
            "instant": instant,
        }
        return {"Put": {"TableName": self.table, "Item": vers_dynamo(item)}}

    def _changer_statut(
        self, numero_asp: str, statut: str, qui: str, motif: str, instant: str, **attributs: str
    ) -> None:
        """The new status (and its GSI2 key) with a history entry, in one transaction."""
        valeurs = {
            ":s": statut,
            ":g": f"STATUT#{statut}",
            ":n": numero_asp,
            ":i": instant,
            ":un": 1,
            **{f":{nom}": valeur for nom, valeur in attributs.items()},
        }
        poses = "".join(f", {nom} = :{nom}" for nom in attributs)
        self.client.transact_write_items(
            TransactItems=[
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": vers_dynamo(cle_dossier(numero_asp)),
                        "UpdateExpression": "SET statut = :s, GSI2PK = :g, GSI2SK = :n, "
                        f"modifieLe = :i{poses} ADD version :un",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeValues": vers_dynamo(valeurs),
                    }
                },
                self._histo(numero_asp, qui, f"STATUT_{statut}", motif, instant),
            ]
        )

    def enregistrer_attente(
        self, numero_asp: str, statut: str, attendu: str, jeton: str, instant: str
    ) -> None:
        self._changer_statut(
            numero_asp, statut, "instruction", "", instant, attendu=attendu, jeton=jeton
        )

    def appliquer_statut(
        self, numero_asp: str, statut: str, qui: str, motif: str, instant: str
    ) -> None:
        self._changer_statut(numero_asp, statut, qui, motif, instant)

    def consommer_jeton(self, numero_asp: str, attendu: str, jeton_attendu: str) -> bool:
        try:
            self.client.update_item(
                TableName=self.table,
                Key=vers_dynamo(cle_dossier(numero_asp)),
                UpdateExpression="REMOVE jeton, attendu",
                ConditionExpression="jeton = :j AND attendu = :a",
                ExpressionAttributeValues=vers_dynamo({":j": jeton_attendu, ":a": attendu}),
            )
        except Exception as erreur:
            if condition_echouee(erreur):
                return False
            raise
        return True

    def lire(self, numero_asp: str) -> dict[str, Any] | None:
        return self._lire(cle_dossier(numero_asp))

    def historique(self, numero_asp: str) -> list[dict[str, Any]]:
        return list(
            self._requete(
                KeyConditionExpression="PK = :p AND begins_with(SK, :h)",
                ExpressionAttributeValues=vers_dynamo(
                    {":p": f"DOSSIER#{numero_asp}", ":h": "HISTO#"}
                ),
            )
        )

    def lister(self, statut: str | None, limite: int) -> list[dict[str, Any]]:
        if statut:
            reponse = self.client.query(
                TableName=self.table,
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :g",
                ExpressionAttributeValues=vers_dynamo({":g": f"STATUT#{statut}"}),
                Limit=limite,
            )
        else:
            reponse = self.client.scan(
                TableName=self.table,
                FilterExpression="SK = :d",
                ExpressionAttributeValues=vers_dynamo({":d": "DOSSIER"}),
            )
        return [depuis_dynamo(i) for i in reponse.get("Items", [])][:limite]


class WorkflowStepFunctions:
    def reprendre(self, jeton: str, sortie: dict[str, Any]) -> None:
        client("stepfunctions").send_task_success(taskToken=jeton, output=json.dumps(sortie))
