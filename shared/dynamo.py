"""What every DynamoDB adapter of the single table needs: (de)serialisation, instants,
error codes, and a base repository (table from settings, client from the factory)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from decimal import Clamped, Context, Decimal, Inexact, Overflow, Rounded, Underflow
from typing import Any

from shared import aws

# The records' instants (UTC ISO 8601, they sort as text), under this module's names.
from shared.enregistrement import instant_lu
from shared.enregistrement import instant_ou_rien as instant_ou_rien
from shared.enregistrement import iso as iso
from shared.settings import settings

instant = instant_lu  # the name the adapters use

LOT_LECTURE = 100  # BatchGetItem: at most 100 keys per call
ESSAIS_LOT = 8

# DynamoDB's typed form, as boto3.dynamodb.types writes and reads it (same number context,
# same refusals), without importing boto3 (~20 ms of every cold start: botocore suffices).
# Binary values (none stored here) are read as bytes.
_CONTEXTE_NOMBRES = Context(
    Emin=-128, Emax=126, prec=38, traps=[Clamped, Overflow, Inexact, Rounded, Underflow]
)


def _nombre(valeur: int | Decimal) -> str:
    texte = str(_CONTEXTE_NOMBRES.create_decimal(valeur))
    if texte in ("Infinity", "NaN"):
        raise TypeError("Infinity and NaN not supported")
    return texte


def _est_nombre(valeur: Any) -> bool:
    if isinstance(valeur, float):
        raise TypeError("Float types are not supported. Use Decimal types instead.")
    return isinstance(valeur, int | Decimal)  # a bool is caught before, as boto3 does


def valeur_dynamo(valeur: Any) -> dict[str, Any]:
    """One value in DynamoDB's typed form (boto3's TypeSerializer.serialize)."""
    if valeur is None:
        return {"NULL": True}
    if isinstance(valeur, bool):
        return {"BOOL": valeur}
    if _est_nombre(valeur):
        return {"N": _nombre(valeur)}
    if isinstance(valeur, str):
        return {"S": valeur}
    if isinstance(valeur, bytes | bytearray):
        return {"B": valeur}
    if isinstance(valeur, Set):
        if all(_est_nombre(v) for v in valeur):
            return {"NS": [_nombre(v) for v in valeur]}
        if all(isinstance(v, str) for v in valeur):
            return {"SS": list(valeur)}
        if all(isinstance(v, bytes | bytearray) for v in valeur):
            return {"BS": list(valeur)}
    if isinstance(valeur, Mapping):
        return {"M": {k: valeur_dynamo(v) for k, v in valeur.items()}}
    if isinstance(valeur, list | tuple):
        return {"L": [valeur_dynamo(v) for v in valeur]}
    raise TypeError(f'Unsupported type "{type(valeur)}" for value "{valeur}"')


def valeur_python(valeur: Mapping[str, Any]) -> Any:
    """One typed value as Python (boto3's TypeDeserializer.deserialize): N → Decimal."""
    if not valeur:
        raise TypeError("Value must be a nonempty dictionary whose key is a valid dynamodb type.")
    genre, contenu = next(iter(valeur.items()))
    if genre == "S" or genre == "BOOL" or genre == "B":
        return contenu
    if genre == "N":
        return _CONTEXTE_NOMBRES.create_decimal(contenu)
    if genre == "M":
        return {k: valeur_python(v) for k, v in contenu.items()}
    if genre == "L":
        return [valeur_python(v) for v in contenu]
    if genre == "NULL":
        return None
    if genre == "SS" or genre == "BS":
        return set(contenu)
    if genre == "NS":
        return {_CONTEXTE_NOMBRES.create_decimal(n) for n in contenu}
    raise TypeError(f"Dynamodb type {genre} is not supported")


def vers_dynamo(valeurs: Mapping[str, Any]) -> dict[str, Any]:
    """A plain item to DynamoDB's typed form; None values are left out (omitted = null)."""
    return {k: valeur_dynamo(v) for k, v in valeurs.items() if v is not None}


def depuis_dynamo(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: valeur_python(v) for k, v in item.items()}


def code_erreur(erreur: Exception) -> str:
    reponse = getattr(erreur, "response", None)
    if not isinstance(reponse, dict):
        return ""
    return str(reponse.get("Error", {}).get("Code", ""))


def condition_echouee(erreur: Exception) -> bool:
    return code_erreur(erreur) == "ConditionalCheckFailedException"


def _relire(lecture: Callable[[], Any]) -> Any:
    """A read, tried again after a passing failure (throttling at the deadline rush, a 5xx):
    a read is always safe to replay, and one throttled GetItem must not fail the route or
    the handler that had done the rest of its work."""
    from shared.pannes_aws import reessayer  # botocore's classification, loaded at first read

    return reessayer(lecture)


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
        reponse = _relire(
            lambda: self.client.get_item(
                TableName=self.table, Key=vers_dynamo(cle), ConsistentRead=True
            )
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
            reponse = _relire(
                lambda: self.client.query(TableName=self.table, **arguments, **suite)  # noqa: B023
            )
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
        if champs is not None:  # attribute names, or paths "a.b" into maps
            segments: dict[str, str] = {}
            chemins = []
            for chemin in dict.fromkeys([*noms, *champs]):
                parties = []
                for nom in chemin.split("."):
                    alias = segments.setdefault(nom, f"#p{len(segments)}")
                    parties.append(alias)
                chemins.append(".".join(parties))
            demande["ProjectionExpression"] = ", ".join(chemins)
            demande["ExpressionAttributeNames"] = {a: nom for nom, a in segments.items()}
        trouves: dict[tuple[str, ...], dict[str, Any]] = {}
        restantes = [vers_dynamo(cle) for cle in uniques.values()]
        essai = 0
        while restantes:
            lot, restantes = restantes[:LOT_LECTURE], restantes[LOT_LECTURE:]
            reponse = _relire(
                lambda: self.client.batch_get_item(
                    RequestItems={self.table: {"Keys": lot, **demande}}  # noqa: B023
                )
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
