"""A versement's conditional write after a passing failure is tried again in place; when
that failure came after the write was applied (its answer lost), the retry's refused
condition is recognised as our own write, not reported as « changed since »: a lot never
leaves a versement claimed for it but out of its file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from services.paiement.adapters.dynamodb import VersementsDynamo
from services.paiement.domain.versement import EtatVersement, TypeVersement, Versement
from shared.montant import Montant
from tests.fixtures.erreurs_aws import erreur_aws

LE = datetime(2024, 2, 20, 9, tzinfo=UTC)


class DynamoDB:
    """One item, its version condition checked; `ambigue`: the next write is applied, then
    answered with a 500."""

    def __init__(self, version: int) -> None:
        self.item: dict[str, Any] | None = None
        self.version = version
        self.ambigue = False
        self.ecritures = 0

    def put_item(self, **arguments: Any) -> dict[str, Any]:
        self.ecritures += 1
        attendue = int(arguments["ExpressionAttributeValues"][":attendue"]["N"])
        if attendue != self.version:
            raise erreur_aws("ConditionalCheckFailedException", 400)
        self.item = arguments["Item"]
        self.version = int(self.item["version"]["N"])
        if self.ambigue:
            self.ambigue = False
            raise erreur_aws("InternalServerError", 500)
        return {}

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        (table,) = RequestItems
        return {"Responses": {table: [self.item] if self.item else []}}


def _versement() -> Versement:
    return Versement(
        numero_asp="FINMS1000001",
        siret="55203253400646",
        numero_ans="ANS1",
        type=TypeVersement.AVANCE,
        montant_finance=Montant(Decimal("1000.00")),
        montant=Montant(Decimal("300.00")),
        etat=EtatVersement.A_PAYER,
        valide_le=LE,
        version=3,
    )


def test_une_ecriture_appliquee_puis_perdue_se_reconnait() -> None:
    ddb = DynamoDB(version=3)
    ddb.ambigue = True
    ancien = _versement()
    nouveau = replace(ancien, etat=EtatVersement.MIS_EN_PAIEMENT, lot="LOT1")
    ecrit = VersementsDynamo("t", ddb).remplacer(ancien, nouveau)
    assert ecrit is not None and ecrit.lot == "LOT1" and ecrit.version == 4
    assert ddb.ecritures == 2


def test_un_versement_change_par_un_autre_reste_refuse() -> None:
    ddb = DynamoDB(version=5)  # another run wrote it since it was read
    ancien = _versement()
    assert VersementsDynamo("t", ddb).remplacer(ancien, replace(ancien, lot="LOT1")) is None
    assert ddb.ecritures == 1
