"""`GET /guichet`'s public view holds every state of the windows: open, and closed (no time
left), so that the route never answers 500 once a deadline has passed."""

from __future__ import annotations

import pytest

from services.guichet.api_modeles import VueGuichet
from services.guichet.application.guichet import etat_guichet
from shared.horloge import heure_paris


@pytest.mark.parametrize(
    ("instant", "ouvert"),
    [("2024-02-20T10:00", True), ("2024-02-28T14:00", False), ("2025-03-01T10:00", False)],
)
def test_vue_guichet_ouvert_ou_ferme(instant: str, ouvert: bool) -> None:
    vue = VueGuichet.model_validate(etat_guichet(heure_paris(instant)))
    avance = vue.campagnes[0].guichets["AVANCE"]
    assert avance.ouvert is ouvert
    assert (avance.temps_restant is not None) is ouvert
    assert (avance.temps_restant_texte is not None) is ouvert
