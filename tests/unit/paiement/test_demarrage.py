"""A paiement function does not start without the payer (nor with a wrong one): its cold
start fails loudly, naming the variable, before any lot or versement is touched."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from shared.settings import ReglageInvalide, ReglageManquant, recharger

VARIABLES_PAYEUR = ("SEGURNUM_PAYEUR_NOM", "SEGURNUM_PAYEUR_IBAN", "SEGURNUM_PAYEUR_BIC")
SQS_VIDE: dict[str, Any] = {"Records": []}


@pytest.fixture
def sans_payeur(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    from services.paiement.bootstrap import composants

    monkeypatch.setenv("SEGURNUM_EXPEDITEUR", "ne-pas-repondre@segurnum.localhost")
    monkeypatch.setenv("SEGURNUM_URL_PORTAIL", "https://segurnum.localhost")
    monkeypatch.setenv("SEGURNUM_BUCKET_DOCUMENTS", "segurnum-documents-123456789012")
    for variable in VARIABLES_PAYEUR:
        monkeypatch.delenv(variable, raising=False)
    recharger()
    composants.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    recharger()
    composants.cache_clear()


def test_le_lot_ne_part_pas_sans_payeur(sans_payeur: pytest.MonkeyPatch) -> None:
    from services.paiement import api

    with pytest.raises(ReglageManquant) as erreur:
        api.paiement_lancer_lot({"declencheur": "gestionnaire"}, None)
    assert erreur.value.variables == VARIABLES_PAYEUR


@pytest.mark.parametrize(
    "handler", ["paiement_versements", "paiement_coordonnees", "paiement_retour"]
)
def test_chaque_handler_sqs_echoue_avant_son_lot(
    sans_payeur: pytest.MonkeyPatch, handler: str
) -> None:
    """Before the batch: not each record failing on its own and going back to its queue."""
    from services.paiement import api

    with pytest.raises(ReglageManquant, match="SEGURNUM_PAYEUR_IBAN"):
        getattr(api, handler)(SQS_VIDE, None)


def test_un_iban_faux_arrete_le_demarrage(sans_payeur: pytest.MonkeyPatch) -> None:
    from services.paiement import api

    sans_payeur.setenv("SEGURNUM_PAYEUR_NOM", "Agence de services et de paiement")
    sans_payeur.setenv("SEGURNUM_PAYEUR_IBAN", "FR0510071750000000100000001")
    sans_payeur.setenv("SEGURNUM_PAYEUR_BIC", "TESTFRP0XXX")
    recharger()
    with pytest.raises(ReglageInvalide) as erreur:
        api.paiement_lancer_lot({"declencheur": "gestionnaire"}, None)
    assert erreur.value.variables == ("SEGURNUM_PAYEUR_IBAN",)
    assert "IBAN (ISO 13616)" in str(erreur.value)
