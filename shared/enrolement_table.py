"""The one reader of the enrolment records on the table, for every service.

The item's shape is `shared/enrolement.py`'s; this adds the reads (by key, in batches, all
of a SIRET) so that no service writes its own get_item on the enrolment's key. The IBAN
stays encrypted unless a `Chiffrement` is given (paiement's checks, gestionnaires' views).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from shared.chiffrement import Chiffrement
from shared.dynamo import TableDynamo
from shared.enrolement import (
    EnrolementEditeur,
    ReferencementAns,
    cle_ans,
    cle_enrolement,
    enrolement_depuis_item,
    referencement_depuis_item,
)


class LecteurEnrolements(TableDynamo):
    """Enrolments and référencements as the enrolment service wrote them (read-only)."""

    def __init__(
        self,
        table: str | None = None,
        client: Any | None = None,
        dechiffrement: Chiffrement | None = None,
    ) -> None:
        super().__init__(table, client)
        self._dechiffrement = dechiffrement

    def enrolement(self, siret: str, numero_ans: str) -> EnrolementEditeur | None:
        item = self._lire(cle_enrolement(siret, numero_ans))
        return None if item is None else enrolement_depuis_item(item, self._dechiffrement)

    def enrolements(
        self, cles: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], EnrolementEditeur]:
        """(siret, numeroAns) -> the enrolment, for those that exist (batched reads)."""
        lus = self._lire_lot(cle_enrolement(siret, ans) for siret, ans in cles)
        trouves: dict[tuple[str, str], EnrolementEditeur] = {}
        for item in lus.values():
            enrolement = enrolement_depuis_item(item, self._dechiffrement)
            trouves[(enrolement.siret, enrolement.numero_ans)] = enrolement
        return trouves

    def du_siret(self, siret: str) -> list[EnrolementEditeur]:
        """Every enrolment of the éditeur, in numéro ANS order."""
        return [
            enrolement_depuis_item(item, self._dechiffrement)
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :e)",
                ExpressionAttributeValues={
                    ":pk": {"S": f"EDITEUR#{siret}"},
                    ":e": {"S": "ENROLEMENT#"},
                },
                ConsistentRead=True,
            )
        ]

    def email(self, siret: str, numero_ans: str) -> str | None:
        """The dépositaire's address, where every courriel of that enrolment goes."""
        enrolement = self.enrolement(siret, numero_ans)
        return (enrolement.email.strip() or None) if enrolement else None

    def referencement(self, numero_ans: str) -> ReferencementAns | None:
        item = self._lire(cle_ans(numero_ans))
        return None if item is None else referencement_depuis_item(item)
