"""DynamoDB adapters of `Reservations`, `JournalCourriels` and `Confirmation` on the single table
(docs/dynamodb.md). boto3 is imported lazily through `shared.dynamo`.

- claim: `CleEnvoi.pk` / `CleEnvoi.sk` (e.g. `DOSSIER#{numeroAsp}` / `ENVOI#{identite}`,
  or the guichet's `CAMPAGNE#{id}` / `RAPPEL#…`), created with `attribute_not_exists(PK)`,
  confirmed with `messageId`/`envoyeLe`, deleted only while unconfirmed;
- journal: `DOSSIER#{numeroAsp}` (or `DEPOT#{idDepot}`) / `COURRIEL#{instant UTC}#{id}`,
  written and read through `item_courriel` / `courriel_depuis_item`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from shared.courriels.contrat import (
    PREFIXE_COURRIEL,
    CleEnvoi,
    CourrielEnvoye,
    courriel_depuis_item,
    item_courriel,
)
from shared.dynamo import TableDynamo, condition_echouee, iso, vers_dynamo

logger = logging.getLogger(__name__)

TAILLE_LOT = 25  # BatchWriteItem
ESSAIS_LOT = 8


def _cle(cle: CleEnvoi) -> dict[str, Any]:
    return vers_dynamo({"PK": cle.pk, "SK": cle.sk})


def _reservation(cle: CleEnvoi, objet: str, le: datetime) -> dict[str, Any]:
    return {"PK": cle.pk, "SK": cle.sk, "type": "ENVOI", "objet": objet, "reserveLe": iso(le)}


class ReservationsDynamo(TableDynamo):
    """Implements `Reservations`."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def reserver(self, cle: CleEnvoi, objet: str, le: datetime) -> bool:
        return self._creer(_reservation(cle, objet, le))

    def confirmer(self, cle: CleEnvoi, message_id: str, envoye_le: datetime) -> None:
        self.client.update_item(
            TableName=self.table,
            Key=_cle(cle),
            UpdateExpression="SET envoyeLe = :le, messageId = :id",
            ExpressionAttributeValues={":le": {"S": iso(envoye_le)}, ":id": {"S": message_id}},
        )

    def liberer(self, cle: CleEnvoi) -> None:
        try:
            self.client.delete_item(
                TableName=self.table,
                Key=_cle(cle),
                ConditionExpression="attribute_not_exists(envoyeLe)",
            )
        except Exception as erreur:
            if not condition_echouee(erreur):
                raise
            logger.warning("Réservation déjà confirmée, conservée: %s", cle.identite)

    def reservation(self, cle: CleEnvoi) -> dict[str, Any] | None:
        return self._lire({"PK": cle.pk, "SK": cle.sk})


class JournalCourrielsDynamo(TableDynamo):
    """Implements `JournalCourriels` and `Confirmation` (claims and records share the table)."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def consigner(self, courriels: Sequence[CourrielEnvoye]) -> None:
        self._ecrire_par_lots([item_courriel(c) for c in courriels])

    def confirmer_et_consigner(
        self,
        cle: CleEnvoi,
        objet: str,
        reserve_le: datetime,
        message_id: str,
        envoye_le: datetime,
        courriels: Sequence[CourrielEnvoye],
    ) -> None:
        """The claim written again whole, confirmed, in the records' BatchWriteItem: one
        request for a courriel's records (the claim's first: a failure leaves it as it was,
        unconfirmed, never released). An UpdateItem and a BatchWriteItem before."""
        confirmee = {
            **_reservation(cle, objet, reserve_le),
            "envoyeLe": iso(envoye_le),
            "messageId": message_id,
        }
        self._ecrire_par_lots([confirmee, *(item_courriel(c) for c in courriels)])

    def _ecrire_par_lots(self, items: Sequence[Mapping[str, Any]]) -> None:
        for debut in range(0, len(items), TAILLE_LOT):
            demandes: dict[str, Any] = {
                self.table: [
                    {"PutRequest": {"Item": vers_dynamo(i)}}
                    for i in items[debut : debut + TAILLE_LOT]
                ]
            }
            for essai in range(ESSAIS_LOT):
                reponse = self.client.batch_write_item(RequestItems=demandes)
                demandes = reponse.get("UnprocessedItems") or {}
                if not demandes:
                    break
                time.sleep(min(1.0, 0.05 * 2**essai))
            else:
                raise RuntimeError(f"{len(demandes.get(self.table, []))} écritures non traitées")

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
