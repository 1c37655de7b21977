"""lignes.json: the fast encoding gives the bytes of json_canonique, Decimal or not."""

from __future__ import annotations

from decimal import Decimal

from services.depot.application.lignes import LigneAImporter, decoder_lignes, encoder_lignes
from services.depot.domain.depot import json_canonique
from tests.fixtures.depot.generateur import fichier_valide
from tests.unit.depot.aide_format import simuler_doc


def test_les_lignes_de_la_simulation_s_ecrivent_comme_json_canonique() -> None:
    resultat = simuler_doc(fichier_valide(3, etablissements=4, beneficiaires=2, seed=5))
    lignes = [LigneAImporter.depuis(ligne) for ligne in resultat.lignes_importables]
    assert len(lignes) == 3
    attendu = json_canonique([ligne.to_dict() for ligne in lignes]).encode("utf-8")
    assert encoder_lignes(lignes) == attendu
    assert decoder_lignes(attendu) == lignes


def test_un_decimal_garde_sa_valeur_exacte() -> None:
    ligne = LigneAImporter(
        num_ligne=1,
        index=0,
        type_action="C",
        numero_asp=None,
        numero_dossier="D1",
        demande={"commande": {"montantSegur": Decimal("18750.10")}, "nom": "Éhpad « Été »"},
        finess=("750712184",),
        montants={"montantFinance": "18750.10"},
    )
    contenu = encoder_lignes([ligne])
    assert contenu == json_canonique([ligne.to_dict()]).encode("utf-8")
    assert b'"montantSegur":18750.10' in contenu
    assert decoder_lignes(contenu)[0].demande["commande"]["montantSegur"] == Decimal("18750.10")
