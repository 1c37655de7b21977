"""What the paiement service receives from the instruction service.

`DemandeDecidee` is the hand-off of a decided demande (DECIDEE): once the instruction
service sends it, it belongs in shared/contrats.py (the lead moves it there when wiring).
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
