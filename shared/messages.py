"""Messages between services: each one model, validated by the sender and the receiver.

- `InstructionDemandee` (dépôt → instruction state machine, StartExecution);
- `ReponseEditeur` (dépôt → instruction, queue `segurnum-instruction-reponses`);
- `VersementDemande` (instruction → paiement, queue `segurnum-paiement-versements`);
- `VersementEffectue` (paiement → instruction, the output of SendTaskSuccess on the
  token the request carried);
- `CoordonneesBancairesValidees` (enrolment → paiement, queue
  `segurnum-paiement-coordonnees`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from shared.campagnes import TypeDemande


class ActionEditeur(StrEnum):
    MODIFICATION_IMPORTEE = "MODIFICATION_IMPORTEE"  # typeAction M of that demande imported
    PIECES_COMPLEMENTAIRES_RECUES = "PIECES_COMPLEMENTAIRES_RECUES"  # ZIP checked OK


class ReponseEditeur(BaseModel):
    """Dépôt → instruction (queue `segurnum-instruction-reponses`): the éditeur answered
    an A_MODIFIER or EN_ATTENTE_PIECES; instruction resumes that demande's execution."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    numeroAsp: str
    typeDemande: TypeDemande
    action: ActionEditeur
    qui: str
    instant: datetime
    details: dict[str, Any] = Field(default_factory=dict)


class VersementDemande(BaseModel):
    """Instruction → paiement (queue `segurnum-paiement-versements`): pay this demande.

    `jeton` is the instruction's task token: paiement answers with SendTaskSuccess(jeton,
    VersementEffectue JSON) once paid (SendTaskFailure only if it can never pay).
    `cleIdempotence` is stable for a demande: a redelivered message pays nothing twice.
    `montant` is what to pay now: the avance (30 %) or the solde; paiement computes its
    own from `montantFinance` (the solde from the avance actually paid), never from it.

    The receiver ignores attributes it does not know (a sender deployed first may add
    one); the patterns are the receiver's checks."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    numeroAsp: str = Field(pattern=r"^[A-Z0-9]{1,20}$")
    typeDemande: TypeDemande
    siret: str = Field(pattern=r"^[0-9]{14}$")
    numeroAns: str = Field(min_length=1)
    couloir: str
    campagne: str
    # Decimal, two places: the montant financé TTC of the demande
    montantFinance: str = Field(pattern=r"^[0-9]+(\.[0-9]{1,2})?$")
    montant: str
    decideeLe: AwareDatetime  # when the versement was validated (the decision)
    jeton: str
    demandeLe: AwareDatetime
    cleIdempotence: str


class VersementEffectue(BaseModel):
    """Paiement → instruction: the output of SendTaskSuccess on `VersementDemande.jeton`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    idVersement: str
    montant: str
    payeLe: datetime
    reference: str = ""


class InstructionDemandee(BaseModel):
    """Input of the instruction state machine: a dossier is complete, instruct it.

    Emitted by the dépôt service when a dossier has all its pièces (StartExecution,
    name `{numeroAsp}-{typeDemande}-{version}` so a duplicate event starts nothing twice).
    """

    model_config = ConfigDict(frozen=True)

    numeroAsp: str
    siret: str
    typeDemande: str  # AVANCE / SOLDE
    montantFinance: str  # Decimal as a string, two places
    version: int = 1


QUEUE_COORDONNEES = "segurnum-paiement-coordonnees"  # env SEGURNUM_QUEUE_COORDONNEES


class CoordonneesBancairesValidees(BaseModel):
    """Enrolment → paiement (queue `segurnum-paiement-coordonnees`): a gestionnaire
    validated new bank details for every enrolment record of `siret` (written before this
    is sent). Paiement re-issues the éditeur's REJETE versements with them; a message
    received twice re-issues nothing twice (a re-issued versement is no longer REJETE).
    No IBAN travels here: paiement reads it from the record."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    siret: str
    valideesLe: datetime
    numeroDemande: str  # the ENR####M0 demande that changed them
