"""The API contract of every route: bodies and query strings parsed by pydantic models, one
error shape `{"code", "message"}` in French, public views as JSON, opaque cursors.

A route, in short::

    @bp.route("/choses", methods=["POST"], authorizer=cognito)
    @contrat("Créer une chose", corps=f"{MODELES}:CreerChose",
             reponses={201: f"{MODELES}:VueChose"}, groupe="editeurs")
    def creer() -> Any:
        from services.x.api_modeles import CreerChose, VueChose

        qui = exiger(bp.current_request, GROUPE_EDITEURS)
        demande = corps(bp.current_request, CreerChose)        # 400 / 413 / 422 in French
        chose = creer_chose(demande)   # may raise Conflit("CHOSE_EXISTANTE", "La chose …")
        return reponse(VueChose(...), 201)

`contrat` documents the route (the OpenAPI document is generated from it, infra/openapi.py)
and is its error edge: a use case's `Refus` (shared/refus.py) leaves as the status of its
nature (`STATUTS_REFUS`, the one mapping) and its body, so that routes catch nothing. It
names its models lazily ("module:Nom", MODELES = "services.x.api_modeles"), the route
imports them in its body: a Blueprint's import stays light (every Lambda's cold start);
`intergiciel_erreurs` (installed on the app) renders `ErreurApi` and rewrites every error
the framework produces in its own English shape.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Any, Generic, TypeVar, cast

from chalice.app import ChaliceUnhandledError, Response
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from shared.api_messages import erreurs_champs, resume
from shared.horloge import PARIS
from shared.refus import MESSAGE_CURSEUR_INVALIDE, NatureRefus, Refus

TAILLE_MAX_CORPS = 64 * 1024  # our request bodies are a few fields; files go to S3


class ErreurApi(ChaliceUnhandledError):
    """A 4xx/5xx answered as `{"code", "message", ...}`. Chalice lets it through its view
    error handling so that `intergiciel_erreurs` renders it."""

    def __init__(self, statut: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.statut = statut
        self.code = code
        self.message = message
        self.details = details

    def corps(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.details}


# The one mapping of a refusal's nature to its HTTP status, for every route of every
# service (docs/codes-erreur.md lists each code with the status it gets here).
STATUTS_REFUS: Mapping[NatureRefus, int] = MappingProxyType(
    {
        NatureRefus.INVALIDE: 422,
        NatureRefus.INTROUVABLE: 404,
        NatureRefus.INTERDIT: 403,
        NatureRefus.CONFLIT: 409,
        NatureRefus.INTERNE: 500,
    }
)


def erreur_du_refus(refus: Refus) -> ErreurApi:
    """The API's error for a use case's refusal: its nature's status, its body."""
    details = {} if refus.erreurs is None else {"erreurs": [dict(e) for e in refus.erreurs]}
    return ErreurApi(STATUTS_REFUS[refus.nature], refus.code, refus.message, **details)


# ---------------------------------------------------------------- models


# defer_build on every base: a model's validator is built at its first use, not when its
# module is imported (a cold start imports every route's models, and uses one or two).


class ModeleRequete(BaseModel):
    """Base of request bodies: camelCase names, exact JSON types, unknown fields refused."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        defer_build=True,
    )


class ModeleParametres(BaseModel):
    """Base of query strings: values arrive as text, so types are converted (`limite=10`),
    but unknown parameters are refused and bounds apply."""

    model_config = ConfigDict(
        extra="forbid",
        strict=False,
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        defer_build=True,
    )


class ModeleVue(BaseModel):
    """Base of response bodies: the public view, never a storage record. Unknown fields are
    refused: every key a client receives is declared, hence in docs/openapi.json."""

    model_config = ConfigDict(
        extra="forbid",
        alias_generator=to_camel,
        populate_by_name=True,
        frozen=True,
        defer_build=True,
    )


def _en_paris(instant: datetime) -> str:
    return instant.astimezone(PARIS).isoformat()


# An instant shown to people and clients: ISO 8601 with the Paris offset.
Instant = Annotated[
    datetime,
    PlainSerializer(_en_paris, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _nombre_json(valeur: Any) -> Any:
    # Strict mode still reads "20" as a Decimal: a number must be a JSON number.
    if isinstance(valeur, str | bool):
        raise PydanticCustomError("decimal_type", "Input should be a valid decimal")
    if isinstance(valeur, int | float):
        return Decimal(str(valeur))  # 5.5 as written, not as the float's binary value
    return valeur


# A decimal number sent as a JSON number (never as text), e.g. a VAT rate.
Nombre = Annotated[
    Decimal, BeforeValidator(_nombre_json), WithJsonSchema({"type": "number"}, mode="validation")
]

T = TypeVar("T")


class Page(ModeleVue, Generic[T]):
    """One page of a list; `curseurSuivant` (opaque) asks for the next one, null at the end."""

    elements: list[T]
    curseur_suivant: str | None = None


class Erreur(BaseModel):
    """The error shape of every 4xx and 5xx."""

    model_config = ConfigDict(defer_build=True)  # built at its first use (cold start)

    code: str = Field(description="Code stable (voir docs/codes-erreur.md).")
    message: str = Field(description="Explication en français.")


class ErreurChamp(BaseModel):
    model_config = ConfigDict(defer_build=True)

    champ: str
    code: str
    message: str


class ErreurRequete(Erreur):
    """A 422: REQUETE_INVALIDE lists every problem of the request, field by field; a
    business rule's refusal (NUMERO_ANS_INCONNU…) has only its code and message."""

    erreurs: list[ErreurChamp] = Field(default_factory=list)


# ---------------------------------------------------------------- parsing

M = TypeVar("M", bound=BaseModel)


def _invalide(erreur: ValidationError, ou: str) -> ErreurApi:
    details = erreurs_champs(erreur.errors(include_url=False, include_input=False))
    return ErreurApi(422, "REQUETE_INVALIDE", resume(details, ou), erreurs=details)


def corps(request: Any, modele: type[M], *, facultatif: bool = False) -> M:
    """The request body as `modele`: 400 not JSON, 413 too large, 422 every problem listed.
    `facultatif`: an empty body stands for `{}`."""
    brut: bytes | str | None = request.raw_body
    if not brut or not brut.strip():
        if facultatif:
            return modele.model_validate({})
        raise ErreurApi(400, "CORPS_ABSENT", "Le corps de la requête doit être un objet JSON.")
    if len(brut) > TAILLE_MAX_CORPS:
        raise ErreurApi(
            413,
            "CORPS_TROP_VOLUMINEUX",
            f"Le corps de la requête dépasse {TAILLE_MAX_CORPS // 1024} Ko.",
        )
    try:
        # pydantic's JSON parser bounds the nesting depth (no RecursionError).
        return modele.model_validate_json(brut)
    except ValidationError as exc:
        premiere = exc.errors(include_url=False, include_input=False)[0]
        if premiere["type"] == "json_invalid":
            raise ErreurApi(
                400,
                "JSON_ILLISIBLE",
                "Le corps de la requête n'est pas un JSON valide (ou est imbriqué trop "
                "profondément).",
            ) from None
        if premiere["type"] in ("model_type", "model_attributes_type") and not premiere["loc"]:
            raise ErreurApi(
                400, "JSON_ILLISIBLE", "Le corps de la requête doit être un objet JSON."
            ) from None
        raise _invalide(exc, "le corps de la requête") from None


def parametres(request: Any, modele: type[M]) -> M:
    """The query string as `modele` (each parameter once), 422 every problem listed."""
    brut = request.query_params
    valeurs: dict[str, str] = {}
    repetes: list[str] = []
    if brut:
        for nom in brut:
            tous = brut.getlist(nom) if hasattr(brut, "getlist") else [brut[nom]]
            if len(tous) > 1:
                repetes.append(nom)
            valeurs[nom] = tous[-1]
    try:
        resultat = modele.model_validate(valeurs)
    except ValidationError as exc:
        raise _invalide(exc, "les paramètres de la requête") from None
    if repetes:
        details = [
            {"champ": nom, "code": "PARAMETRE_REPETE", "message": "à donner une seule fois"}
            for nom in repetes
        ]
        raise ErreurApi(
            422,
            "REQUETE_INVALIDE",
            resume(details, "les paramètres de la requête"),
            erreurs=details,
        )
    return resultat


# A numéro ASP in a route's path: anything else names no dossier (404, never echoed whole).
MOTIF_NUMERO_ASP = r"[A-Z0-9]{1,32}"


def numero_asp_du_chemin(numero_asp: str) -> str:
    """The path's numéro ASP, or 404 DOSSIER_INTROUVABLE (every service's dossier routes)."""
    import re

    if not re.fullmatch(MOTIF_NUMERO_ASP, numero_asp):
        raise ErreurApi(404, "DOSSIER_INTROUVABLE", f"Le dossier {numero_asp[:40]} n'existe pas.")
    return numero_asp


# ---------------------------------------------------------------- answers


def _json_par_defaut(valeur: Any) -> Any:
    if isinstance(valeur, datetime):
        return _en_paris(valeur) if valeur.tzinfo else valeur.isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, BaseModel):
        return valeur.model_dump(mode="json", by_alias=True)
    return str(valeur)  # Decimal, enums, identifiers: their text


def en_json(contenu: Any) -> str:
    if isinstance(contenu, BaseModel):
        contenu = contenu.model_dump(mode="json", by_alias=True)
    return json.dumps(contenu, ensure_ascii=False, default=_json_par_defaut)


def reponse(
    vue: BaseModel | Mapping[str, Any] | list[Any],
    statut: int = 200,
    entetes: Mapping[str, Any] | None = None,
) -> Response:
    """A JSON answer from a view model (or a JSON-ready dict)."""
    return Response(
        body=en_json(vue),
        status_code=statut,
        headers={"Content-Type": "application/json; charset=utf-8", **(entetes or {})},
    )


def reponse_erreur(statut: int, code: str, message: str, **details: Any) -> Response:
    return reponse({"code": code, "message": message, **details}, statut)


# ---------------------------------------------------------------- cursors


def encoder_curseur(cle: Mapping[str, Any] | None) -> str | None:
    """DynamoDB's LastEvaluatedKey (typed form) as an opaque text; None at the end."""
    if not cle:
        return None
    texte = json.dumps(cle, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(texte).decode().rstrip("=")


def decoder_curseur(
    texte: str | None, attributs: Collection[str], attendu: Mapping[str, str] | None = None
) -> dict[str, Any] | None:
    """The ExclusiveStartKey a cursor stands for, checked: exactly `attributs`, each a
    string or number of DynamoDB's typed form, and the values of `attendu` (e.g. the
    caller's own partition). Anything else is a 422, never a DynamoDB error."""
    if texte is None:
        return None
    try:
        if len(texte) > 2048:
            raise ValueError
        cle = json.loads(base64.urlsafe_b64decode(texte + "=" * (-len(texte) % 4)))
        if not isinstance(cle, dict) or set(cle) != set(attributs):
            raise ValueError
        for valeur in cle.values():
            if not (isinstance(valeur, dict) and len(valeur) == 1):
                raise ValueError
            ((genre, contenu),) = valeur.items()
            if genre not in ("S", "N") or not isinstance(contenu, str) or not contenu:
                raise ValueError
            if genre == "N":
                Decimal(contenu)
        for nom, valeur in (attendu or {}).items():
            if cle[nom] != {"S": valeur}:
                raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError, ArithmeticError):
        raise ErreurApi(422, "CURSEUR_INVALIDE", MESSAGE_CURSEUR_INVALIDE) from None
    return cle


# ---------------------------------------------------------------- documentation


# A route's model, named lazily: "module:Nom" (imported only when the OpenAPI document is
# built), so that importing a Blueprint does not define every route's models (cold start).
Modele = type[BaseModel] | str


def resoudre(modele: Modele) -> type[BaseModel]:
    """The model class a contract names ("services.x.api_modeles:Nom", or the class)."""
    if not isinstance(modele, str):
        return modele
    import importlib

    module, _, nom = modele.partition(":")
    classe = getattr(importlib.import_module(module), nom)
    if not (isinstance(classe, type) and issubclass(classe, BaseModel)):
        raise TypeError(f"{modele} n'est pas un modèle pydantic")
    return classe


@dataclass(frozen=True)
class Contrat:
    resume: str
    corps: Modele | None = None
    parametres: Modele | None = None
    reponses: Mapping[int, Modele | None] = field(default_factory=dict)
    groupe: str | None = None
    erreurs: Collection[int] = ()
    contenu: str = "application/json"  # of the 2xx answer

    def resolu(self) -> Contrat:
        """The same contract with its models imported (for the OpenAPI document)."""
        return Contrat(
            self.resume,
            None if self.corps is None else resoudre(self.corps),
            None if self.parametres is None else resoudre(self.parametres),
            {s: None if m is None else resoudre(m) for s, m in self.reponses.items()},
            self.groupe,
            self.erreurs,
            self.contenu,
        )


F = TypeVar("F", bound=Callable[..., Any])


def contrat(
    resume: str,
    *,
    corps: Modele | None = None,
    parametres: Modele | None = None,
    reponses: Mapping[int, Modele | None] | None = None,
    groupe: str | None = None,
    erreurs: Collection[int] = (),
    contenu: str = "application/json",
) -> Callable[[F], F]:
    """Documents a route for the OpenAPI document (place it under `@bp.route`), and is
    its error edge: a `Refus` the route lets through leaves as the error of its nature
    (`erreur_du_refus`), an AWS failure still passing after the retries as a 503. Every
    route has a contract (infra/openapi.py refuses a route without one), so every route
    maps them the same way, here only.
    Models are classes or, better for the cold start, "module:Nom" names (`resoudre`).
    `reponses`: the 2xx answers and their view model; `erreurs`: the 4xx it may answer
    beyond those every route can (400, 401, 403, 405, 415, 422, 500)."""

    def decorer(fonction: F) -> F:
        @functools.wraps(fonction)
        def route(*args: Any, **kwargs: Any) -> Any:
            try:
                return fonction(*args, **kwargs)
            except Refus as refus:
                # An ErreurApi passes through Chalice's view error handling (a Refus,
                # which cannot import chalice, would be its 500) to intergiciel_erreurs.
                raise erreur_du_refus(refus) from None
            except Exception as exc:
                if not _passagere(exc):
                    raise
                # An AWS call still throttled or failing after the SDK's and the use case's
                # retries: the client should retry (our writes recognise their own replay),
                # not read it as our bug (Chalice's 500).
                from shared.observabilite import logger

                logger.warning("Panne AWS passagère: 503", exc_info=True)
                return reponse(
                    {"code": "SERVICE_INDISPONIBLE", "message": MESSAGE_INDISPONIBLE},
                    503,
                    {"Retry-After": str(ATTENTE_INDISPONIBLE)},
                )

        route.__contrat__ = Contrat(  # type: ignore[attr-defined]
            resume, corps, parametres, dict(reponses or {200: None}), groupe, erreurs, contenu
        )
        return cast(F, route)

    return decorer


MESSAGE_INDISPONIBLE = (
    "Un service de la plateforme est momentanément surchargé: réessayez la même requête dans "
    "quelques secondes (elle ne sera pas enregistrée deux fois)."
)
ATTENTE_INDISPONIBLE = 5  # seconds, in Retry-After


def _passagere(exc: BaseException) -> bool:
    from shared.pannes_aws import est_transitoire  # botocore's classification, loaded late

    return isinstance(exc, Exception) and est_transitoire(exc)


# ---------------------------------------------------------------- the app's middleware

_MESSAGES_CADRE = {
    400: ("REQUETE_INVALIDE", "La requête n'est pas valide."),
    401: ("NON_AUTHENTIFIE", "Authentification requise: jeton absent, invalide ou expiré."),
    403: ("ACCES_INTERDIT", "Accès interdit à cette ressource."),
    404: ("RESSOURCE_INTROUVABLE", "Cette ressource n'existe pas."),
    405: ("METHODE_NON_AUTORISEE", "Cette méthode n'est pas permise sur cette route."),
    409: ("CONFLIT", "La requête est en conflit avec l'état de la ressource."),
    413: ("CORPS_TROP_VOLUMINEUX", "Le corps de la requête est trop volumineux."),
    415: (
        "TYPE_DE_CONTENU_NON_PRIS_EN_CHARGE",
        "Le corps de la requête doit être envoyé en application/json.",
    ),
    429: ("TROP_DE_REQUETES", "Trop de requêtes: réessayez dans un instant."),
    500: ("ERREUR_INTERNE", "Erreur interne de la plateforme: réessayez plus tard."),
}


def erreur_cadre(statut: int) -> tuple[str, str]:
    """Code and French message for an error the framework (or the gateway) produces."""
    if statut in _MESSAGES_CADRE:
        return _MESSAGES_CADRE[statut]
    return _MESSAGES_CADRE[500] if statut >= 500 else _MESSAGES_CADRE[400]


def _francise(reponse_: Response) -> Response:
    corps_ = reponse_.body
    if reponse_.status_code < 400 or not (isinstance(corps_, dict) and "Code" in corps_):
        return reponse_
    code, message = erreur_cadre(reponse_.status_code)
    if reponse_.status_code == 405 and (permises := reponse_.headers.get("Allow")):
        message = f"Cette méthode n'est pas permise sur cette route; méthodes permises: {permises}."
    entetes = {k: v for k, v in reponse_.headers.items() if k.lower() != "content-type"}
    return reponse({"code": code, "message": message}, reponse_.status_code, entetes)


def intergiciel_erreurs(event: Any, get_response: Callable[[Any], Response]) -> Response:
    """Chalice HTTP middleware: `ErreurApi` → its JSON; the framework's own errors
    (`{"Code", "Message"}` in English: 405, 415, ChaliceViewError, unhandled 500, whose
    trace Chalice has logged) → the same shape in French."""
    try:
        return _francise(get_response(event))
    except ErreurApi as exc:
        return reponse(exc.corps(), exc.statut)
    except Exception:  # a middleware's own failure: logged with its trace, answered in French
        from shared.observabilite import logger

        logger.exception("Erreur interne")
        return reponse({"code": "ERREUR_INTERNE", "message": erreur_cadre(500)[1]}, 500)
