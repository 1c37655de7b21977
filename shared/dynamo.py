"""What every DynamoDB adapter of the single table needs: (de)serialisation, instants,
error codes, and a base repository (table from settings, client from the factory)."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from shared import aws
from shared.settings import settings

LOT_LECTURE = 100  # BatchGetItem: at most 100 keys per call
ESSAIS_LOT = 8


@lru_cache(maxsize=1)
def _serialiseurs() -> tuple[Any, Any]:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer  # lazy: cold start

    return TypeSerializer(), TypeDeserializer()


def vers_dynamo(valeurs: Mapping[str, Any]) -> dict[str, Any]:
    """A plain item to DynamoDB's typed form; None values are left out (omitted = null)."""
    serialiseur = _serialiseurs()[0]
    return {k: serialiseur.serialize(v) for k, v in valeurs.items() if v is not None}


def depuis_dynamo(item: Mapping[str, Any]) -> dict[str, Any]:
    deserialiseur = _serialiseurs()[1]
    return {k: deserialiseur.deserialize(v) for k, v in item.items()}


def iso(instant: datetime) -> str:
    """Instants are stored in UTC ISO 8601: they sort as text."""
    return instant.astimezone(UTC).isoformat()


def instant(texte: Any) -> datetime:
    return datetime.fromisoformat(str(texte))


def instant_ou_rien(texte: Any) -> datetime | None:
    return instant(texte) if texte else None


def code_erreur(erreur: Exception) -> str:
    reponse = getattr(erreur, "response", None)
    if not isinstance(reponse, dict):
        return ""
    return str(reponse.get("Error", {}).get("Code", ""))


def condition_echouee(erreur: Exception) -> bool:
    return code_erreur(erreur) == "ConditionalCheckFailedException"


class TableDynamo:
    """Base of the repositories: `table` and `client` may be given (tests), else settings."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        self._table = table
        self._client = client

    @property
    def table(self) -> str:
        return self._table or settings().table_donnees

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("dynamodb")

    def _lire(self, cle: Mapping[str, str]) -> dict[str, Any] | None:
        reponse = self.client.get_item(
            TableName=self.table, Key=vers_dynamo(cle), ConsistentRead=True
        )
        item = reponse.get("Item")
        return depuis_dynamo(item) if item else None

    def _ecrire(self, item: Mapping[str, Any]) -> None:
        self.client.put_item(TableName=self.table, Item=vers_dynamo(item))

    def _creer(self, item: Mapping[str, Any]) -> bool:
        """put_item if the key is free; False when it is taken (nothing written)."""
        try:
            self.client.put_item(
                TableName=self.table,
                Item=vers_dynamo(item),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except Exception as erreur:
            if condition_echouee(erreur):
                return False
            raise
        return True

    def _requete(self, **arguments: Any) -> Iterator[dict[str, Any]]:
        """Every item of a query, page after page."""
        suite: dict[str, Any] = {}
        while True:
            reponse = self.client.query(TableName=self.table, **arguments, **suite)
            for item in reponse.get("Items", []):
                yield depuis_dynamo(item)
            dernier = reponse.get("LastEvaluatedKey")
            if not dernier:
                return
            suite = {"ExclusiveStartKey": dernier}

    def _lire_lot(
        self, cles: Iterable[Mapping[str, str]], champs: Iterable[str] | None = None
    ) -> dict[tuple[str, ...], dict[str, Any]]:
        """The items of these keys (absent ones are left out), keyed by their key values in
        the order of each key's attributes: BatchGetItem, 100 keys per call, consistent;
        the keys DynamoDB leaves unprocessed are asked again after a short backoff.
        `champs`: only these attributes (and the key's) are read."""
        uniques = {tuple(cle.values()): dict(cle) for cle in cles}
        noms = list(next(iter(uniques.values())).keys()) if uniques else []
        demande: dict[str, Any] = {"ConsistentRead": True}
        if champs is not None:
            tous = list(dict.fromkeys([*noms, *champs]))
            demande["ProjectionExpression"] = ", ".join(f"#p{i}" for i in range(len(tous)))
            demande["ExpressionAttributeNames"] = {f"#p{i}": nom for i, nom in enumerate(tous)}
        trouves: dict[tuple[str, ...], dict[str, Any]] = {}
        restantes = [vers_dynamo(cle) for cle in uniques.values()]
        essai = 0
        while restantes:
            lot, restantes = restantes[:LOT_LECTURE], restantes[LOT_LECTURE:]
            reponse = self.client.batch_get_item(
                RequestItems={self.table: {"Keys": lot, **demande}}
            )
            for brut in reponse.get("Responses", {}).get(self.table, []):
                item = depuis_dynamo(brut)
                trouves[tuple(str(item[nom]) for nom in noms)] = item
            non_traitees = reponse.get("UnprocessedKeys", {}).get(self.table, {}).get("Keys")
            if non_traitees:
                essai += 1
                if essai > ESSAIS_LOT:
                    raise RuntimeError("BatchGetItem: clés toujours non traitées")
                time.sleep(random.uniform(0, 0.05 * 2**essai))  # jitter, as DynamoDB advises
                restantes = list(non_traitees) + restantes
        return trouves
