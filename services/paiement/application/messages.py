"""What the paiement service reads from the instruction's hand-off message.

The instruction service sends `VersementDemande` (shared/dossier.py, queue
`segurnum-paiement-versements`); this model validates the same JSON body and keeps only
what paiement needs. The amount to pay is computed here from `montantFinance` (the solde
from the avance actually paid), never taken from the message's `montant`.
"""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class DemandeDecidee(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    numeroAsp: str = Field(pattern=r"^[A-Z0-9]{1,20}$")
    siret: str = Field(pattern=r"^[0-9]{14}$")
    numeroAns: str = Field(min_length=1)
    typeDemande: str = Field(pattern=r"^(AVANCE|SOLDE)$")
    montantFinance: str = Field(pattern=r"^[0-9]+(\.[0-9]{1,2})?$")  # montant financé TTC
    decideeLe: AwareDatetime  # date de validation du versement
    # The instruction's task token: answered (SendTaskSuccess) once the versement is paid.
    jeton: str | None = None
