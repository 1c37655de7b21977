"""The OpenAPI models of the enrolment bodies (services/enrolment/api_modeles.py) describe
the same fields as the domain's forms that check them (domain/formulaire.py)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

from services.enrolment import api_modeles as api
from services.enrolment.domain import formulaire as domaine
from services.enrolment.domain.documents import TypeDocument
from services.enrolment.domain.referentiel import FichierReferentiel


def _champs(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Field name → the nested fields (or the allowed values) of a JSON schema."""
    if "$ref" in schema:
        return _champs(defs[schema["$ref"].rsplit("/", 1)[1]], defs)
    for variante in schema.get("anyOf", []):
        if variante.get("type") != "null":
            return _champs(variante, defs)
    if schema.get("type") == "array" and "items" in schema:
        return _champs(schema["items"], defs)
    if "properties" in schema:
        return {nom: _champs(sous, defs) for nom, sous in schema["properties"].items()}
    if "enum" in schema:
        return {"enum": sorted(map(str, schema["enum"]))}
    if "const" in schema:
        return {"enum": [str(schema["const"])]}
    return {}


def _forme(modele: type[BaseModel]) -> dict[str, Any]:
    schema = modele.model_json_schema(by_alias=True)
    return _champs(schema, schema.get("$defs", {}))


@pytest.mark.parametrize(
    ("requete", "formulaire", "en_plus"),
    [
        (api.EnrolementRequete, domaine.FormulaireEnrolement, {"jetonAntiRobot"}),
        (api.ComplementaireRequete, domaine.FormulaireComplementaire, set()),
        (api.CoordonneesRequete, domaine.FormulaireCoordonneesBancaires, set()),
        (api.ReferentielRequete, FichierReferentiel, set()),
    ],
)
def test_memes_champs_que_le_domaine(
    requete: type[BaseModel], formulaire: type[BaseModel], en_plus: set[str]
) -> None:
    documente = _forme(requete)
    for nom in en_plus:
        documente.pop(nom)
    attendu = _forme(formulaire)
    # The domain checks the type de voie against its list; the document says "RUE, …".
    for forme in (documente, attendu):
        adresse = forme.get("demandeur", {}).get("adresse", {})
        adresse.pop("typeVoie", None)
    assert documente == attendu


def test_types_de_document() -> None:
    assert set(api.TYPES_DOCUMENT.__args__) == {t.value for t in TypeDocument}
