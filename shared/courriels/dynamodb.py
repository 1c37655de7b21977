"""DynamoDB adapters of `Reservations` and `JournalCourriels` on the single table
(docs/dynamodb.md). boto3 is imported lazily through `shared.dynamo`.

- claim: `CleEnvoi.pk` / `CleEnvoi.sk` (e.g. `DOSSIER#{numeroAsp}` / `ENVOI#{identite}`,
  or the guichet's `CAMPAGNE#{id}` / `RAPPEL#…`),
  owned by one send (`proprietaire`), confirmed with `messageId`/`envoyeLe` in the same
  transaction as the journal records, deleted only while unconfirmed and still its own;
- journal: `DOSSIER#{numeroAsp}` (or `DEPOT#{idDepot}`) / `COURRIEL#{instant UTC}#{id}`,
  written and read through `item_courriel` / `courriel_depuis_item`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.courriels.contrat import (
    PEREMPTION_RESERVATION,
    PREFIXE_COURRIEL,
    CleEnvoi,
    CourrielEnvoye,
    courriel_depuis_item,
    item_courriel,
)
from shared.dynamo import TableDynamo, condition_echouee, iso, vers_dynamo
from shared.pannes_aws import reessayer

logger = logging.getLogger(__name__)

TAILLE_TRANSACTION = 100  # DynamoDB's limit of items per transaction


def _cle(cle: CleEnvoi) -> dict[str, Any]:
    return vers_dynamo({"PK": cle.pk, "SK": cle.sk})


class ReservationsDynamo(TableDynamo):
    """Implements `Reservations`."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def reserver(self, cle: CleEnvoi, objet: str, le: datetime, proprietaire: str) -> bool:
        try:
            self.client.put_item(
                TableName=self.table,
                Item=vers_dynamo(
                    {
                        "PK": cle.pk,
                        "SK": cle.sk,
                        "type": "ENVOI",
                        "objet": objet,
                        "reserveLe": iso(le),
                        "proprietaire": proprietaire,
                    }
                ),
                # Free; or unconfirmed and this send's own (the SDK's retry of an applied
                # write) or older than any live send (a run that died before SES).
                ConditionExpression=(
                    "attribute_not_exists(PK) OR (attribute_not_exists(envoyeLe) AND "
                    "(proprietaire = :p OR reserveLe < :perime))"
                ),
                ExpressionAttributeValues=vers_dynamo(
                    {":p": proprietaire, ":perime": iso(le - PEREMPTION_RESERVATION)}
                ),
            )
        except Exception as erreur:
            if condition_echouee(erreur):
                return False
            raise
        return True

    def confirmer(
        self,
        cle: CleEnvoi,
        message_id: str,
        envoye_le: datetime,
        consignes: Sequence[CourrielEnvoye],
    ) -> None:
        items = [vers_dynamo(item_courriel(c)) for c in consignes]
        # Beyond one transaction (100 items), the extra records first: upserts of fixed keys,
        # harmless if the confirmation then fails and a later send rewrites them.
        avec = items[len(items) - min(len(items), TAILLE_TRANSACTION - 1) :]
        avant = items[: len(items) - len(avec)]
        for debut in range(0, len(avant), TAILLE_TRANSACTION):
            self._transaction([self._put(i) for i in avant[debut : debut + TAILLE_TRANSACTION]])
        confirmation = {
            "Update": {
                "TableName": self.table,
                "Key": _cle(cle),
                "UpdateExpression": "SET envoyeLe = :le, messageId = :id",
                "ExpressionAttributeValues": {
                    ":le": {"S": iso(envoye_le)},
                    ":id": {"S": message_id},
                },
            }
        }
        self._transaction([confirmation, *(self._put(i) for i in avec)])

    def _put(self, item: dict[str, Any]) -> dict[str, Any]:
        return {"Put": {"TableName": self.table, "Item": item}}

    def _transaction(self, operations: list[dict[str, Any]]) -> None:
        # The same SET and the same records: replayed as is after a passing failure.
        reessayer(lambda: self.client.transact_write_items(TransactItems=operations))

    def liberer(self, cle: CleEnvoi, proprietaire: str) -> None:
        try:
            self.client.delete_item(
                TableName=self.table,
                Key=_cle(cle),
                ConditionExpression="attribute_not_exists(envoyeLe) AND proprietaire = :p",
                ExpressionAttributeValues=vers_dynamo({":p": proprietaire}),
            )
        except Exception as erreur:
            if not condition_echouee(erreur):
                raise
            logger.warning("Réservation confirmée ou reprise, conservée: %s", cle.identite)

    def reservation(self, cle: CleEnvoi) -> dict[str, Any] | None:
        return self._lire({"PK": cle.pk, "SK": cle.sk})


class JournalCourrielsDynamo(TableDynamo):
    """Implements `JournalCourriels`."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def _partition(self, pk: str) -> list[CourrielEnvoye]:
        return [
            courriel_depuis_item(item)
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefixe)",
                ExpressionAttributeValues={
                    ":pk": {"S": pk},
                    ":prefixe": {"S": PREFIXE_COURRIEL},
                },
            )
        ]

    def courriels_du_dossier(self, numero_asp: str) -> list[CourrielEnvoye]:
        return self._partition(f"DOSSIER#{numero_asp}")

    def courriels_du_depot(self, id_depot: str) -> list[CourrielEnvoye]:
        return self._partition(f"DEPOT#{id_depot}")
