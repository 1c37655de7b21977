"""moto's DynamoDB at the cost of DynamoDB: per call, independent of what is stored.

moto 5.2.5 makes two calls grow with the whole table:
- `DynamoDBBackend.transact_write_items` deep-copies every table it touches before each
  transaction, to roll back on failure (40 imports of 90-FINESS demandes: 330 s, 12 GB);
- `Table.query` on the table's own key sorts every item of the table to find one
  partition;
- `Item.project` (a ProjectionExpression) converts the whole item once per projected path.
The replacements keep moto's semantics: the transaction snapshots only the items it
touches (before touching each) and puts exactly those back on failure; the query reads
only the partition asked for. Both replace private moto code (moto pinned): `verifier()`
fails loudly when the patched functions are not the ones these replacements were
written from.
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import json
import threading
from collections.abc import Callable
from typing import Any

VERSION_MOTO = "5.2.5"
# sha256 of the source of each patched function in moto 5.2.5.
EMPREINTES = {
    "DynamoDBBackend.transact_write_items": (
        "81db2cb7d94e39c90b3a2077e1f4bb41a449c558ef9b1b1e2910fdaa39978ad4"
    ),
    "Table.query": "002b4d00be6df07cf37f6cbe0132e5eb89455ae12a8e79b23db3fb492450f21e",
    "Item.project": "f411e6d8b56886f45f401edc20c2fd6d4e671136d9cf7ff21c434479b1e84a79",
}

_verrou = threading.Lock()
_verrou_requete = threading.RLock()  # the partition is lent to one query at a time
_originales: dict[str, Callable[..., Any]] = {}


class MotoModifie(RuntimeError):
    """moto changed the code the local runtime patches: pin moto or adapt this module."""


def empreinte(fonction: Callable[..., Any]) -> str:
    return hashlib.sha256(inspect.getsource(fonction).encode("utf-8")).hexdigest()


def _cibles() -> dict[str, tuple[Any, str]]:
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import Item
    from moto.dynamodb.models.table import Table

    return {
        "DynamoDBBackend.transact_write_items": (DynamoDBBackend, "transact_write_items"),
        "Table.query": (Table, "query"),
        "Item.project": (Item, "project"),
    }


def verifier() -> None:
    """Raises MotoModifie unless moto's patched functions are exactly the known ones."""
    import moto

    if moto.__version__ != VERSION_MOTO:
        raise MotoModifie(
            f"moto {moto.__version__} installé, le runtime local corrige moto {VERSION_MOTO}: "
            "épinglez moto ou adaptez infra/local/dynamodb_moto.py."
        )
    for nom, (classe, attribut) in _cibles().items():
        fonction = _originales.get(nom) or getattr(classe, attribut, None)
        if fonction is None or empreinte(fonction) != EMPREINTES[nom]:
            raise MotoModifie(
                f"moto {nom} a changé: le runtime local ne peut plus le corriger sans risque. "
                "Épinglez moto ou adaptez infra/local/dynamodb_moto.py."
            )


def _transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
    """moto's transact_write_items, with a rollback of the touched items only."""
    from moto.dynamodb.exceptions import (
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.models import ConditionalCheckFailed, get_filter_expression

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    # (table, hash, range) -> the item before this transaction touched it (None: absent)
    avant: dict[tuple[str, Any, Any], Any] = {}

    def retablir() -> None:
        for (nom_table, cle_hash, cle_range), item in reversed(list(avant.items())):
            table = self.tables.get(nom_table)
            if table is None:
                continue
            if cle_range is None:
                if item is None:
                    table.items.pop(cle_hash, None)
                else:
                    table.items[cle_hash] = item
            elif item is None:
                partition = table.items.get(cle_hash)
                if partition is not None:
                    partition.pop(cle_range, None)
                    if not partition:
                        del table.items[cle_hash]
            else:
                table.items[cle_hash][cle_range] = item

    target_items: set[tuple[str, str]] = set()
    conditions: dict[tuple[str, str, str], Any] = {}

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values = op.get("ReturnValuesOnConditionCheckFailure")
            table = self.get_table(table_name)
            if op_type == "Put":
                attrs = op["Item"]
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]
            check_unicity(table_name, key)
            current = self.get_item(table_name, key)
            if op_type != "ConditionCheck":
                cle_hash, cle_range = self.get_keys_value(table, key)
                avant.setdefault((table_name, cle_hash, cle_range), copy.deepcopy(current))
            if condition_expression is not None:
                cle_condition = (
                    condition_expression,
                    json.dumps(expression_attribute_names, sort_keys=True),
                    json.dumps(expression_attribute_values, sort_keys=True),
                )
                condition_op = conditions.get(cle_condition)
                if condition_op is None:  # parsed once per transaction (100 claims: once)
                    condition_op = conditions[cle_condition] = get_filter_expression(
                        condition_expression,
                        expression_attribute_names,
                        expression_attribute_values,
                    )
                if not condition_op.expr(current):
                    if return_values == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)
            # The condition was just checked against the current item (moto checks it a
            # second time, parsing it again): the operation itself runs without it.
            if op_type == "Put":
                self.put_item(table_name, op["Item"])
            elif op_type == "Delete":
                self.delete_item(table_name, key)
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            retablir()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:  # moto reports any failure as a reason
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        retablir()
        raise TransactionCanceledException(errors)


def _query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    """A query on the table's own key reads that partition only (moto sorts the table)."""
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    originale = _originales["Table.query"]
    if index_name or hash_key is None:
        return originale(self, hash_key, *args, **kwargs)
    partition = self.items.get(hash_key)
    if partition is None:
        elements: list[Any] = []
    elif self.range_key_attr:
        elements = sorted(partition.values(), key=lambda item: item.range_key)
    else:
        elements = [partition]
    with _verrou_requete:
        self.all_items = lambda: elements  # read by the original, for this call only
        try:
            return originale(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items


def _project(self: Any, projection_expressions: list[list[str]]) -> Any:
    """moto's Item.project without converting the whole item once per path (moto does):
    a top-level attribute is copied as it is, a nested path converts its attribute only."""
    from botocore.utils import merge_dicts
    from moto.dynamodb.models.dynamo_type import Item, deserializer, serializer
    from moto.dynamodb.models.utilities import find_nested_key

    entiers: dict[str, Any] = {}
    imbriques: dict[str, Any] = {}
    for expr in projection_expressions:
        racine = expr[0].split("[", 1)[0]
        if racine not in self.attrs:
            continue
        if len(expr) == 1 and racine == expr[0]:
            entiers[racine] = self.attrs[racine]
        else:
            regulier = {racine: deserializer.deserialize(self.attrs[racine].to_regular_json())}
            merge_dicts(imbriques, find_nested_key(expr, regulier))
    attrs: dict[str, Any] = serializer.serialize(imbriques)["M"] if imbriques else {}
    attrs.update(entiers)  # a whole attribute wins over paths into it; Item copies it
    return Item(hash_key=self.hash_key, range_key=self.range_key, attrs=attrs)


def installer() -> None:
    verifier()
    with _verrou:
        cibles = _cibles()
        remplacements = {
            "DynamoDBBackend.transact_write_items": _transact_write_items,
            "Table.query": _query,
            "Item.project": _project,
        }
        for nom, (classe, attribut) in cibles.items():
            if nom not in _originales:
                _originales[nom] = getattr(classe, attribut)
                setattr(classe, attribut, remplacements[nom])


def desinstaller() -> None:
    with _verrou:
        cibles = _cibles()
        for nom, originale in _originales.items():
            classe, attribut = cibles[nom]
            setattr(classe, attribut, originale)
        _originales.clear()
