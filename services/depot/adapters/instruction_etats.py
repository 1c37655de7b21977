"""DynamoDB reader of the instruction states of a dossier's demandes (items
`DOSSIER#{n}` / `DEMANDE#{type}`, written by the instruction service), through the shared
contract: the dépôt needs the pièces complémentaires asked (`piecesDemandees`)."""

from __future__ import annotations

from shared.contrats import cle_dossier
from shared.dynamo import TableDynamo, vers_dynamo
from shared.etat_instruction import EtatInstruction, etat_depuis_item


class EtatsInstructionDynamo(TableDynamo):
    """Implements `EtatsInstruction` (one query on the dossier's partition)."""

    def demandes(self, numero_asp: str) -> list[EtatInstruction]:
        items = self._requete(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
            ExpressionAttributeValues=vers_dynamo(
                {":pk": cle_dossier(numero_asp)["PK"], ":sk": "DEMANDE#"}
            ),
        )
        return [etat_depuis_item(item) for item in items]
