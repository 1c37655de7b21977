"""docs/openapi.json for the tools that read it: valid for an independent validator, one
operationId per operation (code generators need it), every view closed (`extra="forbid"`:
a key a client receives is a key the document declares)."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.app import Blueprint, Chalice
from openapi_spec_validator import validate
from pydantic import BaseModel

from infra.openapi import FICHIER, document
from shared.api import Contrat, ModeleVue, contrat


def test_docs_openapi_valide_pour_un_validateur_independant() -> None:
    validate(json.loads(FICHIER.read_text(encoding="utf-8")))


def test_chaque_operation_id_une_seule_fois() -> None:
    doc = json.loads(FICHIER.read_text(encoding="utf-8"))
    ids = [op["operationId"] for ops in doc["paths"].values() for op in ops.values()]
    assert ids, "aucune opération"
    doublons = sorted({i for i in ids if ids.count(i) > 1})
    assert doublons == []


def test_deux_handlers_du_meme_nom_refuses() -> None:
    """Two blueprints may each name a handler `lister`: the generator says which routes."""
    app = Chalice(app_name="essai")
    for nom in ("choses", "machins"):
        bp = Blueprint(f"essai.{nom}")

        @bp.route(f"/{nom}", methods=["GET"])
        @contrat(f"Les {nom}")
        def lister() -> Any:
            return {}

        app.register_blueprint(bp)
    with pytest.raises(ValueError, match=r"lister \(GET /choses, GET /machins\)"):
        document(app)


# ---------------------------------------------------------------- views: extra="forbid"


def _modeles(annotation: Any) -> Iterator[type[BaseModel]]:
    """The pydantic models an annotation names (in lists, dicts, unions, Annotated…)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _modeles(argument)


def _atteignables(racines: list[type[BaseModel]]) -> set[type[BaseModel]]:
    vus: set[type[BaseModel]] = set()
    a_voir = list(racines)
    while a_voir:
        modele = a_voir.pop()
        if modele in vus:
            continue
        vus.add(modele)
        for champ in modele.model_fields.values():
            a_voir.extend(_modeles(champ.annotation))
    return vus


def _ouverts(racines: list[type[BaseModel]]) -> list[str]:
    return sorted(
        m.__name__ for m in _atteignables(racines) if m.model_config.get("extra") != "forbid"
    )


def _vues_des_reponses() -> list[type[BaseModel]]:
    from infra.app import app

    vues: list[type[BaseModel]] = []
    for methodes in app.routes.values():
        for entree in methodes.values():
            contrat_ = getattr(entree.view_function, "__contrat__", None)
            if isinstance(contrat_, Contrat):
                vues += [v for v in contrat_.resolu().reponses.values() if v is not None]
    return vues


def test_chaque_vue_des_reponses_refuse_les_champs_inconnus() -> None:
    vues = _vues_des_reponses()
    atteintes = _atteignables(vues)
    # The walk goes down the fields: the compte rendu's lines are reached through the dépôt.
    assert {"VueDepotDetaille", "VueCompteRendu", "VueLigneCompteRendu"} <= {
        m.__name__ for m in atteintes
    }
    assert _ouverts(vues) == []


def test_une_vue_ouverte_est_signalee() -> None:
    """The walk finds an open model however deep (list, union, dict value)."""
    from pydantic import ConfigDict

    class Ouverte(BaseModel):
        model_config = ConfigDict(extra="allow")

    class Ignore(BaseModel):
        x: int = 0

    class Milieu(ModeleVue):
        feuilles: dict[str, list[Ouverte | None]]

    class Racine(ModeleVue):
        milieu: list[Milieu] | None = None
        autre: typing.Annotated[Ignore, "doc"] | int = 0

    assert _ouverts([Racine]) == ["Ignore", "Ouverte"]


def test_le_document_ferme_les_vues() -> None:
    """extra="forbid" shows in the document (additionalProperties false): schemathesis
    then fails on any undeclared key of an answer."""
    doc = json.loads(FICHIER.read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    for nom in ("VueDepot", "VueDepotDetaille", "VueCompteRendu", "VueImportEnCours"):
        assert schemas[nom]["additionalProperties"] is False, nom
    cr = schemas["VueDepotDetaille"]["properties"]["compteRendu"]
    assert {"$ref": "#/components/schemas/VueCompteRendu"} in cr["anyOf"]
