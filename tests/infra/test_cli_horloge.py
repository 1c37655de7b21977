"""`segurnum local` shows the platform's clock in Paris time (the deadlines' time)."""

from __future__ import annotations

from datetime import UTC, datetime

from infra.cli import heure_affichee


def test_l_horloge_est_affichee_a_l_heure_de_paris() -> None:
    hiver = datetime(2024, 2, 28, 12, 59, 30, tzinfo=UTC)
    assert heure_affichee(hiver) == (
        "28/02/2024 13:59:30 heure de Paris (2024-02-28T13:59:30+01:00)"
    )
    ete = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert heure_affichee(ete).startswith("01/06/2024 10:00:00 heure de Paris")
