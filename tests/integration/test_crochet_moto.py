"""The local runtime depends on a private moto method: fail loudly if it changes."""

from __future__ import annotations

import pytest

from infra.local import shim


def test_le_crochet_prive_de_moto_existe() -> None:
    classe = shim.verifier_crochet()
    assert hasattr(classe, shim.CROCHET)


def test_message_clair_si_moto_renomme_le_crochet(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.awslambda.models import LambdaFunction

    monkeypatch.delattr(LambdaFunction, shim.CROCHET)
    with pytest.raises(shim.CrochetMotoIntrouvable, match="_invoke_lambda a disparu"):
        shim.installer()


def test_message_clair_si_la_signature_change(monkeypatch: pytest.MonkeyPatch) -> None:
    from moto.awslambda.models import LambdaFunction

    monkeypatch.setattr(LambdaFunction, shim.CROCHET, lambda self, charge: None)
    with pytest.raises(shim.CrochetMotoIntrouvable, match="signature"):
        shim.verifier_crochet()
