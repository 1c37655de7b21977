"""A DynamoDB client over a dict, for the record round trips: the readers of every service
are given it and read exactly the typed items the writers produced (no moto: unit tests)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from shared.dynamo import depuis_dynamo, vers_dynamo


class TableEnMemoire:
    """put_item, transact_write_items (Put, Update with SET / ADD / REMOVE, Delete; the
    conditions and the idempotency token are not evaluated: the round trips are about
    shapes), get_item, batch_get_item (with ProjectionExpression) and query with
    `= :pk AND begins_with(SK, :prefixe)` on the table or a GSI: what the writers and
    readers under test call."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], dict[str, Any]] = {}

    def poser(self, item: Mapping[str, Any]) -> None:
        """What a writer's put_item stores (None attributes left out, as `vers_dynamo`)."""
        self.items[(str(item["PK"]), str(item["SK"]))] = vers_dynamo(item)

    def put_item(self, TableName: str, Item: Mapping[str, Any], **_: Any) -> dict[str, Any]:
        self.poser(depuis_dynamo(Item))
        return {}

    def transact_write_items(
        self, TransactItems: list[Mapping[str, Any]], **_: Any
    ) -> dict[str, Any]:
        for operation in TransactItems:
            ((genre, corps),) = operation.items()
            if genre == "Put":
                self.put_item(**corps)
            elif genre == "Delete":
                cle = depuis_dynamo(corps["Key"])
                self.items.pop((str(cle["PK"]), str(cle["SK"])), None)
            elif genre == "Update":
                self._mettre_a_jour(corps)
        return {}

    def _mettre_a_jour(self, corps: Mapping[str, Any]) -> None:
        cle = depuis_dynamo(corps["Key"])
        item = depuis_dynamo(self.items.get((str(cle["PK"]), str(cle["SK"])), vers_dynamo(cle)))
        noms = corps.get("ExpressionAttributeNames", {})
        valeurs = depuis_dynamo(corps.get("ExpressionAttributeValues", {}))
        clauses = re.split(r"\b(SET|ADD|REMOVE)\b", corps["UpdateExpression"])
        for mot, texte in zip(clauses[1::2], clauses[2::2], strict=True):
            for morceau in (m.strip() for m in texte.split(",") if m.strip()):
                if mot == "SET":
                    chemin, valeur = (x.strip() for x in morceau.split("="))
                    _poser(item, [noms.get(n, n) for n in chemin.split(".")], valeurs[valeur])
                elif mot == "ADD":
                    nom, valeur = morceau.split()
                    nom = noms.get(nom, nom)
                    item[nom] = item.get(nom, 0) + valeurs[valeur]
                else:
                    item.pop(noms.get(morceau, morceau), None)
        self.poser(item)

    def get_item(self, TableName: str, Key: Mapping[str, Any], **_: Any) -> dict[str, Any]:
        cle = depuis_dynamo(Key)
        item = self.items.get((str(cle["PK"]), str(cle["SK"])))
        return {"Item": item} if item is not None else {}

    def batch_get_item(self, RequestItems: Mapping[str, Any]) -> dict[str, Any]:
        ((table, demande),) = RequestItems.items()
        noms = demande.get("ExpressionAttributeNames", {})
        chemins = [
            [noms.get(p, p) for p in chemin.strip().split(".")]
            for chemin in demande.get("ProjectionExpression", "").split(",")
            if chemin.strip()
        ]
        trouves = []
        for cle in demande["Keys"]:
            lue = depuis_dynamo(cle)
            item = self.items.get((str(lue["PK"]), str(lue["SK"])))
            if item is not None:
                trouves.append(_projeter(item, chemins) if chemins else item)
        return {"Responses": {table: trouves}, "UnprocessedKeys": {}}

    def query(
        self,
        TableName: str,
        KeyConditionExpression: str,
        ExpressionAttributeValues: Mapping[str, Any],
        IndexName: str | None = None,
        **_: Any,
    ) -> dict[str, Any]:
        trouve = re.fullmatch(
            r"(\w+) = (:\w+) AND begins_with\((\w+), (:\w+)\)", KeyConditionExpression
        )
        assert trouve, KeyConditionExpression
        pk, valeur_pk, sk, valeur_sk = trouve.groups()
        valeurs = depuis_dynamo(ExpressionAttributeValues)
        items = [
            item
            for item in self.items.values()
            if depuis_dynamo(item).get(pk) == valeurs[valeur_pk]
            and str(depuis_dynamo(item).get(sk, "")).startswith(str(valeurs[valeur_sk]))
        ]
        items.sort(key=lambda i: str(depuis_dynamo(i)[sk]))
        return {"Items": items}


def _poser(item: dict[str, Any], chemin: list[str], valeur: Any) -> None:
    for nom in chemin[:-1]:
        item = item[nom]
    item[chemin[-1]] = valeur


def _projeter(item: Mapping[str, Any], chemins: list[list[str]]) -> dict[str, Any]:
    projete: dict[str, Any] = {}
    for chemin in chemins:
        source: Any = item
        cible = projete
        for i, nom in enumerate(chemin):
            if i:  # inside a map
                source = source.get("M", {})
            if nom not in source:
                break
            if i == len(chemin) - 1:
                cible[nom] = source[nom]
            else:
                cible = cible.setdefault(nom, {"M": {}})["M"]
                source = source[nom]
    return projete
