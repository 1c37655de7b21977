"""The guichet's HTTP contract: the public view of `GET /guichet`."""

from __future__ import annotations

from pydantic import Field

from shared.api import Instant, ModeleVue


class VueFenetre(ModeleVue):
    type_demande: str
    ouverture: Instant
    echeance: Instant
    ouvert: bool
    statut: str
    temps_restant: int | None = Field(description="Secondes jusqu'à l'échéance (null si fermé).")
    temps_restant_texte: str | None = Field(description="« 6 jours 3 heures » (null si fermé).")
    message: str


class VueCampagne(ModeleVue):
    id: str
    libelle: str
    couloirs: list[str]
    guichets: dict[str, VueFenetre]


class VueGuichet(ModeleVue):
    instant: Instant
    campagnes: list[VueCampagne]
