"""The OpenAPI 3.1 document: generated from the routes' contracts, served, kept in docs/."""

from __future__ import annotations

import json

import requests

from infra.local.runtime import RuntimeLocal
from infra.openapi import FICHIER, document, en_texte


def test_docs_openapi_a_jour() -> None:
    """docs/openapi.json is the generated document: run `segurnum openapi` after a change."""
    from infra.app import app

    attendu = en_texte(document(app))
    assert FICHIER.read_text(encoding="utf-8") == attendu, (
        "docs/openapi.json est périmé: régénérez-le avec « segurnum openapi »."
    )


def test_chaque_route_a_son_contrat() -> None:
    from infra.app import app

    doc = document(app)  # raises when a route has no shared.api.contrat
    routes = {
        (chemin, methode.lower())
        for chemin, methodes in app.routes.items()
        if not chemin.startswith("/_local/")
        for methode in methodes
    }
    documentees = {(c, m) for c, ops in doc["paths"].items() for m in ops}
    assert routes == documentees
    for chemin, operations in doc["paths"].items():
        for methode, operation in operations.items():
            assert operation["summary"], (chemin, methode)
            for statut, reponse in operation["responses"].items():
                # The health page's 503 carries the state of each resource, by design.
                if int(statut) >= 400 and (chemin, statut) != ("/sante", "503"):
                    ref = reponse["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith(("/Erreur", "/ErreurRequete")), (chemin, statut)


def test_document_valide_et_servi(runtime: RuntimeLocal) -> None:
    from jsonschema import Draft202012Validator

    reponse = requests.get(f"{runtime.url_api}/openapi.json", timeout=30)
    assert reponse.status_code == 200
    doc = reponse.json()
    assert doc == json.loads(FICHIER.read_text(encoding="utf-8"))
    assert doc["openapi"] == "3.1.0"
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
