"""Routes of the local runtime only (never deployed): set the platform clock, fire schedules."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint
from pydantic import Field

from shared.api import ErreurApi, Instant, ModeleRequete, ModeleVue, contrat, corps, reponse
from shared.horloge import horloge

bp = Blueprint(__name__)


class ReglerHorloge(ModeleRequete):
    instant: str = Field(
        max_length=40,
        description="Heure de Paris, ISO 8601: 2024-02-28T13:59:59 (ou avec décalage).",
    )


class VueHorloge(ModeleVue):
    maintenant: Instant
    echeances_declenchees: list[Any] | None = None


@bp.route("/_local/horloge", methods=["GET"])
@contrat("Plateforme locale: l'heure de la plateforme", reponses={200: VueHorloge})
def lire_horloge() -> Any:
    return reponse(VueHorloge(maintenant=horloge().maintenant()))


@bp.route("/_local/horloge", methods=["POST"])
@contrat(
    "Plateforme locale: régler l'horloge et déclencher les échéances dues",
    corps=ReglerHorloge,
    reponses={200: VueHorloge},
)
def regler_horloge() -> Any:
    demande = corps(bp.current_request, ReglerHorloge)
    try:
        bp.runtime.regler_horloge(demande.instant)  # type: ignore[attr-defined]
    except ValueError:
        raise ErreurApi(
            422,
            "INSTANT_INVALIDE",
            "« instant » attendu au format ISO 8601, par exemple 2024-02-28T13:59:59.",
        ) from None
    tires = bp.runtime.planificateur.tick()  # type: ignore[attr-defined]
    return reponse(VueHorloge(maintenant=horloge().maintenant(), echeances_declenchees=tires))
