"""The ASL follows the domain's transition table; no JSONata, no Assign (moto runs it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from services.instruction.domain.instruction import DECISIONS_GESTIONNAIRE, TRANSITIONS
from shared.statuts import Attendu, StatutDemande

ASL = Path(__file__).resolve().parents[3] / "infra" / "statemachines" / "instruction.asl.json"


def _asl() -> dict[str, Any]:
    return json.loads(ASL.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_le_choix_decision_suit_la_table_des_transitions() -> None:
    etats = _asl()["States"]
    choix = {c["StringEquals"]: c["Next"] for c in etats["Decision"]["Choices"]}
    attendus = {
        str(t.vers): t.etat_asl
        for t in TRANSITIONS
        if t.depuis is StatutDemande.EN_COURS and t.acteur is Attendu.GESTIONNAIRE
    }
    assert choix == attendus
    assert set(choix) == {str(s) for s in DECISIONS_GESTIONNAIRE}
    assert etats["Decision"]["Default"] == "EnCours"


def test_chaque_transition_mene_a_un_etat_existant_et_les_attentes_sont_nommees() -> None:
    etats = _asl()["States"]
    for t in TRANSITIONS:
        assert t.etat_asl in etats, t
    # The éditeur's answer returns to EnCours; the payment signal leads to Payee.
    assert etats["AttenteEditeur"]["Next"] == "EnCours"
    assert etats["AttenteEditeur"]["Parameters"]["Payload"]["attendu"] == "EDITEUR"
    assert etats["DemanderVersement"]["Next"] == "Payee"
    assert etats["DemanderVersement"]["Parameters"]["Payload"]["attendu"] == "PAIEMENT"
    assert etats["Payee"]["Parameters"]["Payload"]["statut"] == "PAYEE"


def test_toute_tache_est_rattrapee_vers_en_erreur_et_la_reprise_y_retourne() -> None:
    etats = _asl()["States"]
    taches = [n for n, e in etats.items() if e["Type"] == "Task" and n != "EnErreur"]
    reprise = {c["StringEquals"]: c["Next"] for c in etats["Reprise"]["Choices"]}
    for nom in taches:
        (rattrapage,) = etats[nom]["Catch"]
        assert rattrapage["ErrorEquals"] == ["States.ALL"]
        echec = etats[rattrapage["Next"]]
        assert echec == {
            "Type": "Pass",
            "Result": nom,
            "ResultPath": "$.etapeEchouee",
            "Next": "EnErreur",
        }
        assert reprise[nom] == nom
        assert "ErreurTransitoire" in etats[nom]["Retry"][0]["ErrorEquals"]
    assert etats["EnErreur"]["Parameters"]["Payload"]["statut"] == "EN_ERREUR_TECHNIQUE"
    assert etats["EnErreur"]["Next"] == "Reprise"


def test_en_erreur_tient_une_panne_passagere_de_plusieurs_minutes() -> None:
    """Recording EN_ERREUR_TECHNIQUE is the last step with no Catch: a throttled service
    there must be waited out (about 8 minutes), or the execution is lost."""
    (essai,) = _asl()["States"]["EnErreur"]["Retry"]
    assert "ErreurTransitoire" in essai["ErrorEquals"]
    attente = sum(
        essai["IntervalSeconds"] * essai["BackoffRate"] ** n for n in range(essai["MaxAttempts"])
    )
    assert attente >= 480


def test_ni_jsonata_ni_assign() -> None:
    texte = ASL.read_text(encoding="utf-8")
    assert "JSONata" not in texte and '"Assign"' not in texte and "QueryLanguage" not in texte
