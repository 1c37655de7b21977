"""The OpenAPI 3.1 document of the platform, generated from the routes' contracts
(`shared.api.contrat`) and their pydantic models: served at GET /openapi.json and kept in
docs/openapi.json (`segurnum openapi`; a test fails when the copy is stale)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from shared.api import Contrat, Erreur, ErreurRequete

FICHIER = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
VERSION = "1"  # of the API contract; the platform's own version is on GET /sante
_LOCAL = "/_local/"  # the local runtime's own routes: never deployed, never documented

_DESCRIPTIONS = {
    200: "Succès.",
    201: "Créé.",
    202: "Accepté: le traitement continue en arrière-plan.",
    400: "Corps absent ou qui n'est pas un objet JSON.",
    401: "Jeton absent, invalide ou expiré.",
    403: "Accès interdit (autre groupe, ressource d'un autre éditeur).",
    404: "Introuvable.",
    405: "Méthode non permise sur cette route.",
    409: "Conflit avec l'état de la ressource.",
    413: "Corps trop volumineux.",
    415: "Type de contenu non pris en charge (application/json attendu).",
    422: "Requête invalide: chaque problème, champ par champ.",
    500: "Erreur interne.",
    503: "Un service de la plateforme est momentanément surchargé: réessayer (Retry-After).",
}


def _erreurs(contrat: Contrat, authentifie: bool) -> list[int]:
    codes = {422, 500, 503}
    if contrat.corps is not None:
        codes |= {400, 413, 415}
    if authentifie:
        codes |= {401, 403}
    return sorted((codes | set(contrat.erreurs)) - set(contrat.reponses))


Refs = dict[tuple[type[BaseModel], JsonSchemaMode], str]


def _modeles(contrat: Contrat) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    modeles: list[tuple[type[BaseModel], JsonSchemaMode]] = []
    if contrat.corps is not None:
        modeles.append((contrat.corps, "validation"))
    modeles += [(vue, "serialization") for vue in contrat.reponses.values() if vue is not None]
    return modeles


def _sans_refs(schema: Any, definitions: dict[str, Any]) -> Any:
    """A query parameter's schema with its enums inlined (a parameter has no $defs)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/$defs/"):
            return _sans_refs(definitions[ref.removeprefix("#/$defs/")], definitions)
        return {k: _sans_refs(v, definitions) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_sans_refs(v, definitions) for v in schema]
    return schema


def _operation(
    nom: str, chemin: str, contrat: Contrat, authentifie: bool, refs: Refs
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": nom, "summary": contrat.resume}
    if contrat.groupe:
        operation["description"] = f"Réservé au groupe Cognito « {contrat.groupe} »."
        operation["tags"] = [contrat.groupe]
    parametres: list[dict[str, Any]] = [
        {"name": p, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
        for p in re.findall(r"{(\w+)}", chemin)
    ]
    if contrat.parametres is not None:
        schema = contrat.parametres.model_json_schema(by_alias=True)
        requis = set(schema.get("required", []))
        definitions = schema.get("$defs", {})
        for nom_p, sous in schema["properties"].items():
            sous = {k: v for k, v in _sans_refs(sous, definitions).items() if k != "title"}
            description = sous.pop("description", None)
            parametre = {"name": nom_p, "in": "query", "required": nom_p in requis, "schema": sous}
            if description:
                parametre["description"] = description
            parametres.append(parametre)
    if parametres:
        operation["parameters"] = parametres
    if contrat.corps is not None:
        requis_corps = bool(contrat.corps.model_json_schema().get("required"))
        operation["requestBody"] = {
            "required": requis_corps,
            "content": {
                "application/json": {"schema": {"$ref": refs[(contrat.corps, "validation")]}}
            },
        }
    reponses: dict[str, Any] = {}
    for statut, vue in sorted(contrat.reponses.items()):
        if vue is None:
            schema_vue: dict[str, Any] = {"type": "object"}
        else:
            schema_vue = {"$ref": refs[(vue, "serialization")]}
        reponses[str(statut)] = {
            "description": _DESCRIPTIONS.get(statut, "Réponse."),
            "content": {contrat.contenu: {"schema": schema_vue}},
        }
    for statut in _erreurs(contrat, authentifie):
        modele = ErreurRequete if statut == 422 else Erreur
        reponses.setdefault(
            str(statut),
            {
                "description": _DESCRIPTIONS.get(statut, "Erreur."),
                "content": {
                    "application/json": {"schema": {"$ref": refs[(modele, "serialization")]}}
                },
            },
        )
    operation["responses"] = reponses
    if authentifie:
        operation["security"] = [{"cognito": []}]
    return operation


def document(app: Any) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route of `app` (but the local runtime's own)."""
    routes: list[tuple[str, str, Any, Contrat]] = []
    sans_contrat: list[str] = []
    for chemin in sorted(app.routes):
        if chemin.startswith(_LOCAL):
            continue
        for methode, entree in sorted(app.routes[chemin].items()):
            contrat = getattr(entree.view_function, "__contrat__", None)
            if isinstance(contrat, Contrat):
                # the models a contract names lazily are imported here, not at cold start
                routes.append((chemin, methode, entree, contrat.resolu()))
            else:
                sans_contrat.append(f"{methode} {chemin}")
    if sans_contrat:
        raise ValueError(f"Routes sans contrat (shared.api.contrat): {', '.join(sans_contrat)}")
    modeles: list[tuple[type[BaseModel], JsonSchemaMode]] = [
        (Erreur, "serialization"),
        (ErreurRequete, "serialization"),
    ]
    for *_, contrat in routes:
        modeles += _modeles(contrat)
    noms, schemas = models_json_schema(
        list(dict.fromkeys(modeles)), by_alias=True, ref_template="#/components/schemas/{model}"
    )
    refs: Refs = {
        (m, mode): str(v["$ref"])
        for (m, mode), v in noms.items()
        if isinstance(m, type) and issubclass(m, BaseModel)
    }
    # The operationId is the handler's name: code generators (the portal's client, a
    # Python client) need each one once, so two handlers of one name are refused here.
    noms_vus: dict[str, str] = {}
    doublons: list[str] = []
    for chemin, methode, entree, _ in routes:
        route = f"{methode} {chemin}"
        if entree.view_name in noms_vus:
            doublons.append(f"{entree.view_name} ({noms_vus[entree.view_name]}, {route})")
        noms_vus.setdefault(entree.view_name, route)
    if doublons:
        raise ValueError(f"operationId en double (nom du handler): {', '.join(doublons)}")
    chemins: dict[str, dict[str, Any]] = {}
    for chemin, methode, entree, contrat in routes:
        authentifie = entree.authorizer is not None
        chemins.setdefault(chemin, {})[methode.lower()] = _operation(
            entree.view_name, chemin, contrat, authentifie, refs
        )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Ségur numérique, couloir médico-social: API de la plateforme",
            "version": VERSION,
            "description": (
                'Toutes les erreurs ont la forme {"code", "message"} en français '
                "(docs/codes-erreur.md)."
            ),
        },
        "paths": chemins,
        "components": {
            "schemas": schemas.get("$defs", {}),
            "securitySchemes": {
                "cognito": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "L'IdToken Cognito de l'utilisateur (groupe editeurs ou "
                    "gestionnaires).",
                }
            },
        },
    }


@lru_cache(maxsize=1)
def document_de(app: Any) -> dict[str, Any]:
    return document(app)


def en_texte(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def ecrire(chemin: Path = FICHIER) -> Path:
    from infra.app import app

    chemin.write_text(en_texte(document(app)), encoding="utf-8")
    return chemin
