"""The courriel contract: what is sent, the ports, the claim key and the journal record.

Pure (no boto3, no jinja2): the application layers of every service import it.

A courriel is described by an `Avis` (template name, subject, data), rendered by a
`Redaction` into a `Contenu` (subject, text and HTML bodies), sent by an `Expediteur`.
`EnvoiUnique.envoyer_une_fois` does it at most once per `CleEnvoi` and records each
courriel sent as a `CourrielEnvoye` on the dossiers (and dépôts) it concerns:
`DOSSIER#{numeroAsp}` / `COURRIEL#{instant UTC}#{id}` (docs/dynamodb.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shared.horloge import PARIS, exiger_fuseau

PREFIXE_COURRIEL = "COURRIEL#"
PREFIXE_ENVOI = "ENVOI#"


# --- What is sent ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Avis:
    """A courriel to write: its template (`modeles/{modele}.{txt,html}.j2`), its subject and
    the data the template shows."""

    modele: str
    objet: str
    contexte: Mapping[str, Any]


@dataclass(frozen=True)
class Contenu:
    """A rendered courriel: subject, text body, HTML body."""

    objet: str
    texte: str
    html: str


@dataclass(frozen=True)
class Courriel:
    destinataires: tuple[str, ...]
    objet: str
    texte: str
    html: str

    @property
    def destinataire(self) -> str:
        return ", ".join(self.destinataires)


# --- The claim: one courriel per identity --------------------------------------------------------


@dataclass(frozen=True)
class CleEnvoi:
    """The key of the "sent once" claim, created with `attribute_not_exists(PK)`.

    `pour_dossier(numeroAsp, identite)` gives `DOSSIER#{numeroAsp}` / `ENVOI#{identite}`,
    e.g. identite `AVANCE#DECIDEE#{instant of the decision}`: the identity must name the
    occurrence when a transition can happen twice (A_MODIFIER after A_MODIFIER)."""

    pk: str
    sk: str

    @classmethod
    def pour_dossier(cls, numero_asp: str, identite: str) -> CleEnvoi:
        return cls(f"DOSSIER#{numero_asp}", f"{PREFIXE_ENVOI}{identite}")

    @classmethod
    def pour_editeur(cls, siret: str, identite: str) -> CleEnvoi:
        return cls(f"EDITEUR#{siret}", f"{PREFIXE_ENVOI}{identite}")

    @property
    def identite(self) -> str:
        return f"{self.pk}|{self.sk}"


# --- The journal record ---------------------------------------------------------------------


def date_envoi_affichee(instant: datetime) -> str:
    """« 09/11/2022 15:52:01 », Paris time (the seed's « Date d'envoi »)."""
    return f"{exiger_fuseau(instant).astimezone(PARIS):%d/%m/%Y %H:%M:%S}"


class CourrielEnvoye(BaseModel):
    """One courriel sent, as recorded on a dossier (or a dépôt) and listed by both sides
    (« Courriels automatiquement envoyés »). Written by `item_courriel`, read by
    `courriel_depuis_item`: the item is the contract."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    envoye_le: datetime  # tz-aware; stored with the Paris offset
    destinataires: tuple[str, ...]
    objet: str
    corps: str  # the text body
    message_id: str
    cle_envoi: str | None = None  # the claim it was sent under (CleEnvoi.identite)
    numero_asp: str | None = None  # the dossier it is recorded on…
    id_depot: str | None = None  # …or the dépôt

    @field_validator("envoye_le")
    @classmethod
    def _avec_fuseau(cls, valeur: datetime) -> datetime:
        return exiger_fuseau(valeur).astimezone(PARIS)

    @property
    def destinataire(self) -> str:
        return ", ".join(self.destinataires)

    @property
    def date_envoi(self) -> str:
        return date_envoi_affichee(self.envoye_le)

    @property
    def pk(self) -> str:
        if self.numero_asp:
            return f"DOSSIER#{self.numero_asp}"
        if self.id_depot:
            return f"DEPOT#{self.id_depot}"
        raise ValueError("un courriel est consigné sur un dossier ou un dépôt")

    @property
    def sk(self) -> str:
        return f"{PREFIXE_COURRIEL}{self.envoye_le.astimezone(UTC).isoformat()}#{self.id}"

    def vue(self) -> dict[str, Any]:
        """The public view (both sides' accordéon)."""
        return {
            "id": self.id,
            "dateEnvoi": self.date_envoi,
            "envoyeLe": self.envoye_le.isoformat(),
            "destinataire": self.destinataire,
            "objet": self.objet,
            "corps": self.corps,
        }


def item_courriel(courriel: CourrielEnvoye) -> dict[str, Any]:
    """The DynamoDB item (plain values) of a journal record."""
    return {
        "PK": courriel.pk,
        "SK": courriel.sk,
        "type": "COURRIEL",
        "id": courriel.id,
        "dateEnvoi": courriel.envoye_le.isoformat(),  # Paris offset: 2022-11-09T15:52:01+01:00
        "destinataire": courriel.destinataire,
        "destinataires": list(courriel.destinataires),
        "objet": courriel.objet,
        "corps": courriel.corps,
        "messageId": courriel.message_id,
        "cleEnvoi": courriel.cle_envoi,
        "numeroAsp": courriel.numero_asp,
        "idDepot": courriel.id_depot,
    }


def courriel_depuis_item(item: Mapping[str, Any]) -> CourrielEnvoye:
    return CourrielEnvoye(
        id=str(item["id"]),
        envoye_le=datetime.fromisoformat(str(item["dateEnvoi"])),
        destinataires=tuple(str(d) for d in item.get("destinataires") or ()),
        objet=str(item["objet"]),
        corps=str(item.get("corps", "")),
        message_id=str(item.get("messageId", "")),
        cle_envoi=str(item["cleEnvoi"]) if item.get("cleEnvoi") else None,
        numero_asp=str(item["numeroAsp"]) if item.get("numeroAsp") else None,
        id_depot=str(item["idDepot"]) if item.get("idDepot") else None,
    )


# --- Ports ------------------------------------------------------------------------------------


class Redaction(Protocol):
    def rediger(self, avis: Avis) -> Contenu:
        """The subject, text and HTML bodies of an avis (French templates)."""
        ...


class Expediteur(Protocol):
    def envoyer(self, courriel: Courriel) -> str:
        """Sends the courriel; returns the message id. Raises when it was not accepted."""
        ...


class Reservations(Protocol):
    """The "sent once" claims."""

    def reserver(self, cle: CleEnvoi, objet: str, le: datetime) -> bool:
        """Creates the claim; False (nothing written) when it exists: sent or being sent."""
        ...

    def confirmer(self, cle: CleEnvoi, message_id: str, envoye_le: datetime) -> None:
        """The message left: the claim is kept for good."""
        ...

    def liberer(self, cle: CleEnvoi) -> None:
        """Deletes an unconfirmed claim (sending failed): a retry may send it."""
        ...


class Confirmation(Protocol):
    """A store keeping both claims and journal: the claim (`reserver`'s `objet` and `le`)
    confirmed and the records written in one request, not two."""

    def confirmer_et_consigner(
        self,
        cle: CleEnvoi,
        objet: str,
        reserve_le: datetime,
        message_id: str,
        envoye_le: datetime,
        courriels: Sequence[CourrielEnvoye],
    ) -> None:
        """Raises when the records were not all written (the claim is then confirmed
        apart)."""
        ...


class JournalCourriels(Protocol):
    def consigner(self, courriels: Sequence[CourrielEnvoye]) -> None:
        """Writes the records (one per dossier or dépôt concerned)."""
        ...

    def courriels_du_dossier(self, numero_asp: str) -> list[CourrielEnvoye]:
        """The courriels recorded on a dossier, oldest first (one Query)."""
        ...

    def courriels_du_depot(self, id_depot: str) -> list[CourrielEnvoye]: ...


class StatutEnvoi(StrEnum):
    ENVOYE = "ENVOYE"
    DEJA_ENVOYE = "DEJA_ENVOYE"  # the claim existed: nothing sent
    NON_CONSIGNE = "NON_CONSIGNE"  # sent, claim confirmed, but the journal write failed


@dataclass(frozen=True)
class Envoi:
    statut: StatutEnvoi
    message_id: str | None = None
    consignes: tuple[CourrielEnvoye, ...] = ()

    @property
    def envoye(self) -> bool:
        return self.statut is not StatutEnvoi.DEJA_ENVOYE


class EnvoiImpossible(RuntimeError):
    """The courriel was not sent; its claim was released, so a retry sends it."""


class EnvoiUnique(Protocol):
    """What a use case needs to send a courriel once and record it (`envoi.Courrier`)."""

    def envoyer_une_fois(
        self,
        cle: CleEnvoi,
        destinataires: Sequence[str],
        avis: Avis,
        *,
        dossiers: Sequence[str] = (),
        depots: Sequence[str] = (),
    ) -> Envoi: ...
