"""DynamoDB repositories of the enrolment service: the référentiel ANS and the enrolments.

Item shapes (docs/dynamodb.md) are the contract with the other services, which read
them with their own adapters:
- `ANS#{numeroAns}` / `ANS`: couloir, typeLogiciel, vague, solution, siret;
- `EDITEUR#{siret}` / `ENROLEMENT#{numeroAns}` (GSI1 `ENROLEMENT` / `{numeroAns}#{siret}`):
  statut (VALIDE once validated), email, raisonSociale, iban, bic, version.

Until the enrolment domain lands, the records are plain dataclasses defined here; the
test fixture `tests/fixtures/enrolements.py` writes through these repositories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from shared.contrats import (
    ReferencementAns,
    cle_ans,
    cle_enrolement,
    item_referencement,
    referencement_depuis_item,
)
from shared.dynamo import TableDynamo


@dataclass(frozen=True)
class EnrolementEditeur:
    siret: str
    numero_ans: str
    statut: str  # EN_ATTENTE, VALIDE, REJETE
    email: str
    raison_sociale: str
    iban: str | None = None
    bic: str | None = None
    cree_le: datetime | None = None


_Table = TableDynamo


class ReferentielAnsRepository(_Table):
    def enregistrer(self, referencement: ReferencementAns) -> None:
        self._ecrire(item_referencement(referencement))

    def trouver(self, numero_ans: str) -> ReferencementAns | None:
        item = self._lire(cle_ans(numero_ans))
        return None if item is None else referencement_depuis_item(item)


class EnrolementRepository(_Table):
    def enregistrer(self, enrolement: EnrolementEditeur) -> None:
        cree_le = (enrolement.cree_le or datetime.now(UTC)).astimezone(UTC).isoformat()
        self._ecrire(
            {
                **cle_enrolement(enrolement.siret, enrolement.numero_ans),
                "GSI1PK": "ENROLEMENT",
                "GSI1SK": f"{enrolement.numero_ans}#{enrolement.siret}",
                "type": "ENROLEMENT",
                "siret": enrolement.siret,
                "numeroAns": enrolement.numero_ans,
                "statut": enrolement.statut,
                "email": enrolement.email,
                "raisonSociale": enrolement.raison_sociale,
                "iban": enrolement.iban,
                "bic": enrolement.bic,
                "creeLe": cree_le,
                "version": 1,
            }
        )

    def trouver(self, siret: str, numero_ans: str) -> EnrolementEditeur | None:
        item = self._lire(cle_enrolement(siret, numero_ans))
        if item is None:
            return None
        return EnrolementEditeur(
            siret=siret,
            numero_ans=numero_ans,
            statut=str(item.get("statut", "")),
            email=str(item.get("email", "")),
            raison_sociale=str(item.get("raisonSociale", "")),
            iban=item.get("iban"),
            bic=item.get("bic"),
            cree_le=datetime.fromisoformat(str(item["creeLe"])) if item.get("creeLe") else None,
        )
