"""The fast path's key sets and the published pydantic models describe the same objects:
a field added to one and not the other would make them disagree (unknown field rules)."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from services.depot.domain import modeles
from services.depot.domain.validation import champs


def _alias(modele: type[BaseModel]) -> frozenset[str]:
    return frozenset(champ.alias or nom for nom, champ in modele.model_fields.items())


@pytest.mark.parametrize(
    ("cles", "modele"),
    [
        (champs.CLES_COMMANDE, modeles.Commande),
        (champs.CLES_BENEFICIAIRE, modeles.Beneficiaire),
        (champs.CLES_ETABLISSEMENT, modeles.EtablissementClient),
        (champs.CLES_PIECE, modeles.PieceJustificative),
        (champs.CLES_SCENARIO, modeles.ScenarioInstallation),
        (champs.CLES_DEMANDE, modeles.Demande),
        (champs.CLES_FICHIER, modeles.FichierDemandes),
    ],
)
def test_memes_champs(cles: frozenset[str], modele: type[BaseModel]) -> None:
    assert cles == _alias(modele)
