"""The pièces listed on a dossier are dated on the platform's clock: S3 stamps real time,
which differs from the platform's when its clock is set (local runtime, demo)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.instruction.adapters.documents import DocumentsS3
from shared.horloge import HorlogeDecalee, heure_paris, horloge, installer_horloge


class _S3:
    """Just what `DocumentsS3.lister` calls: a paginator and presigned URLs."""

    def __init__(self, modifie_le: datetime) -> None:
        self.modifie_le = modifie_le

    def get_paginator(self, nom: str) -> Any:
        cle = "dossiers/FINMS1000001/pieces/devis.pdf"
        objets = [{"Key": cle, "LastModified": self.modifie_le}]
        return type("P", (), {"paginate": lambda _self, **_: iter([{"Contents": objets}])})()

    def generate_presigned_url(self, *args: Any, **kwargs: Any) -> str:
        return "https://s3.local/devis.pdf"


@pytest.fixture
def horloge_reglee() -> Iterator[HorlogeDecalee]:
    avant = horloge()
    decalee = HorlogeDecalee(heure_paris("2024-02-20T10:00"))
    installer_horloge(decalee)
    yield decalee
    installer_horloge(avant)


def test_piece_datee_a_l_heure_de_la_plateforme(horloge_reglee: HorlogeDecalee) -> None:
    reel = datetime.now(UTC)
    [piece] = DocumentsS3(bucket="b", client_s3=_S3(reel)).lister("FINMS1000001")
    attendu = horloge_reglee.depuis_aws(reel)
    assert piece.depose_le == attendu
    assert abs(piece.depose_le - heure_paris("2024-02-20T10:00")) < timedelta(minutes=1)
