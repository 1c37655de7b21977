"""What a décision cites is campaign data (G1): a campaign without its programme, its legal
basis or its voies de recours is not loaded, and each couloir gets the texts it rests on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.campagnes import CAMPAGNE_MS_VAGUE1, FICHIER_PAR_DEFAUT, campagne, charger_campagnes


def _brute() -> dict[str, object]:
    (brute,) = json.loads(FICHIER_PAR_DEFAUT.read_text(encoding="utf-8"))
    return dict(brute)


def test_la_vague_1_du_medico_social_nomme_son_programme_ses_textes_et_ses_recours() -> None:
    ms = campagne(CAMPAGNE_MS_VAGUE1)
    assert "système ouvert et non sélectif (SONS)" in ms.programme
    assert "médico-social" in ms.programme and "MSSanté" not in ms.programme
    commun = "le code de la santé publique, notamment son article L. 1111-24"
    ms1, ms2 = ms.bases_legales_du_couloir("MS1"), ms.bases_legales_du_couloir("MS2")
    assert ms1[0] == ms2[0] == commun
    assert "arrêté du 2 février 2022" in ms1[1] and len(ms1) == 2
    assert "arrêté du 7 septembre 2022" in ms2[1] and "Protection de l'enfance" in ms2[1]
    assert ms.recours.delai_mois == 2
    assert "Agence de services et de paiement" in ms.recours.autorite
    assert ms.recours.juridiction.startswith("le tribunal administratif")


@pytest.mark.parametrize(
    ("champ", "valeur", "message"),
    [
        ("programme", None, "« programme » manquant"),
        ("programme", " ", "« programme » manquant"),
        ("basesLegales", None, "« basesLegales » manquant"),
        ("basesLegales", [], "« basesLegales » manquant"),
        ("basesLegales", [{"texte": ""}], "« texte » manquant"),
        ("basesLegales", [{"couloirs": ["MS1"], "texte": "un arrêté"}], "couloir MS2"),
        ("recours", None, "« recours » manquant"),
        ("recours", {"autorite": "l'ASP", "juridiction": "le TA", "delaiMois": 0}, "delaiMois"),
        ("recours", {"juridiction": "le TA", "delaiMois": 2}, "« autorite » manquant"),
        ("recours", {"autorite": "l'ASP", "delaiMois": 2}, "« juridiction » manquant"),
    ],
)
def test_une_campagne_sans_ses_mentions_n_est_pas_chargee(
    tmp_path: Path, champ: str, valeur: object, message: str
) -> None:
    brute = _brute()
    if valeur is None:
        del brute[champ]
    else:
        brute[champ] = valeur
    fichier = tmp_path / "campagnes.json"
    fichier.write_text(json.dumps([brute]), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        charger_campagnes(fichier)
