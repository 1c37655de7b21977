"""The solde's décision d'attribution has its own file: it never overwrites the avance's."""

from __future__ import annotations

from services.instruction.adapters.documents import cle_decision
from shared.campagnes import TypeDemande


def test_la_decision_du_solde_ne_remplace_pas_celle_de_l_avance() -> None:
    avance = cle_decision("FINMS1000001", TypeDemande.AVANCE)
    solde = cle_decision("FINMS1000001", TypeDemande.SOLDE)
    assert avance == "dossiers/FINMS1000001/decision/decision_attribution_FINMS1000001.pdf"
    assert solde == "dossiers/FINMS1000001/decision/decision_attribution_FINMS1000001_solde.pdf"
    assert cle_decision("FINMS1000001") == avance
