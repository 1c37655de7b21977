from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.campagnes import TypeDemande, campagne
from shared.horloge import PARIS, HorlogeDecalee, heure_paris


def test_heure_naive_lue_a_paris() -> None:
    assert heure_paris("2024-02-28T14:00").utcoffset() == timedelta(hours=1)
    assert heure_paris("2024-07-01T14:00").utcoffset() == timedelta(hours=2)


def test_horloge_decalee_traduit_les_instants_aws() -> None:
    h = HorlogeDecalee(datetime(2024, 2, 28, 13, 0, tzinfo=PARIS))
    reel = datetime.now(UTC)
    assert abs(h.depuis_aws(reel) - h.maintenant()) < timedelta(seconds=1)
    with pytest.raises(ValueError):
        h.regler(datetime(2024, 2, 28, 13, 0))


def test_fenetre_avance_exclut_14h00() -> None:
    c = campagne("MS-VAGUE1")
    assert c.fenetre_ouverte(TypeDemande.AVANCE, heure_paris("2024-02-28T13:59:59"))
    assert not c.fenetre_ouverte(TypeDemande.AVANCE, heure_paris("2024-02-28T14:00:00"))
    # The same instant written in UTC: 13:00Z is 14:00 in Paris (winter).
    assert not c.fenetre_ouverte(TypeDemande.AVANCE, datetime(2024, 2, 28, 13, 0, tzinfo=UTC))
    assert c.fenetre_ouverte(TypeDemande.SOLDE, heure_paris("2024-12-19T13:59:59"))
    assert not c.fenetre_ouverte(TypeDemande.SOLDE, heure_paris("2024-12-19T14:00:00"))


def test_un_instant_aws_garde_le_decalage_de_son_epoque() -> None:
    h = HorlogeDecalee(datetime(2024, 2, 28, 13, 59, 59, tzinfo=PARIS))
    recu_reel = datetime.now(UTC)
    h.regler(datetime(2024, 2, 28, 14, 5, tzinfo=PARIS))
    recu = h.depuis_aws(recu_reel)
    assert recu < datetime(2024, 2, 28, 14, 0, tzinfo=PARIS)
    assert h.maintenant() >= datetime(2024, 2, 28, 14, 5, tzinfo=PARIS)
