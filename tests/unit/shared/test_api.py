"""The API contract's helpers: bodies, query strings, errors in French, cursors, views."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

import pytest
from chalice.app import MultiDict, Response
from pydantic import Field

from shared.api import (
    ErreurApi,
    Instant,
    ModeleParametres,
    ModeleRequete,
    ModeleVue,
    Nombre,
    Page,
    corps,
    decoder_curseur,
    encoder_curseur,
    intergiciel_erreurs,
    parametres,
    reponse,
)


class Demande(ModeleRequete):
    type_demande: Literal["AVANCE", "SOLDE"]
    numero_ans: str = Field(max_length=10)
    taux_tva: Nombre
    modification: bool = False


class Liste(ModeleParametres):
    limite: int = Field(100, ge=1, le=1000)
    curseur: str | None = None


class Requete:
    def __init__(self, corps_brut: bytes | str | None = None, query: Any = None) -> None:
        self.raw_body = corps_brut
        self.query_params = None if query is None else MultiDict(query)


def _erreur(action: Any) -> ErreurApi:
    with pytest.raises(ErreurApi) as exc:
        action()
    return exc.value


def test_corps_valide() -> None:
    brut = b'{"typeDemande": "AVANCE", "numeroAns": "1234567890", "tauxTva": 5.5}'
    demande = corps(Requete(brut), Demande)
    assert demande.taux_tva == Decimal("5.5")
    assert demande.modification is False


def test_chaque_probleme_est_liste_en_francais() -> None:
    brut = json.dumps(
        {"typeDemande": "avance", "tauxTva": "20", "modification": "false", "inconnu": 1}
    )
    erreur = _erreur(lambda: corps(Requete(brut), Demande))
    assert (erreur.statut, erreur.code) == (422, "REQUETE_INVALIDE")
    par_champ = {e["champ"]: e for e in erreur.details["erreurs"]}
    assert par_champ["typeDemande"]["code"] == "VALEUR_NON_PERMISE"
    assert "'AVANCE', 'SOLDE'" in par_champ["typeDemande"]["message"]
    assert par_champ["tauxTva"]["code"] == "TYPE_INVALIDE"
    assert par_champ["modification"]["code"] == "TYPE_INVALIDE"
    assert par_champ["inconnu"]["code"] == "CHAMP_INCONNU"
    assert par_champ["numeroAns"]["code"] == "CHAMP_ABSENT"
    assert "5 erreurs" in erreur.message and "tauxTva" in erreur.message


def test_bornes_de_longueur() -> None:
    brut = json.dumps({"typeDemande": "AVANCE", "numeroAns": "1" * 11, "tauxTva": 20})
    erreur = _erreur(lambda: corps(Requete(brut), Demande))
    assert erreur.details["erreurs"] == [
        {"champ": "numeroAns", "code": "TROP_LONG", "message": "au plus 10 caractères sont permis"}
    ]


@pytest.mark.parametrize(
    ("brut", "statut", "code"),
    [
        (None, 400, "CORPS_ABSENT"),
        (b"  ", 400, "CORPS_ABSENT"),
        (b"pas du json", 400, "JSON_ILLISIBLE"),
        (b"[]", 400, "JSON_ILLISIBLE"),
        (b"[" * 100_000 + b"]" * 100_000, 413, "CORPS_TROP_VOLUMINEUX"),
        (b"[" * 5_000 + b"]" * 5_000, 400, "JSON_ILLISIBLE"),
        (b'{"a": ' + b"[" * 5_000 + b"]" * 5_000 + b"}", 400, "JSON_ILLISIBLE"),
    ],
)
def test_corps_illisible(brut: bytes | None, statut: int, code: str) -> None:
    erreur = _erreur(lambda: corps(Requete(brut), Demande))
    assert (erreur.statut, erreur.code) == (statut, code)


def test_corps_facultatif() -> None:
    assert corps(Requete(None), Liste, facultatif=True) == Liste()


@pytest.mark.parametrize(
    ("query", "champ", "code"),
    [
        ({"limite": "abc"}, "limite", "TYPE_INVALIDE"),
        ({"limite": "0"}, "limite", "HORS_BORNES"),
        ({"limite": "1001"}, "limite", "HORS_BORNES"),
        ({"autre": "1"}, "autre", "CHAMP_INCONNU"),
        ({"limite": ["1", "2"]}, "limite", "PARAMETRE_REPETE"),
    ],
)
def test_parametres_invalides(query: dict[str, Any], champ: str, code: str) -> None:
    multi = {k: v if isinstance(v, list) else [v] for k, v in query.items()}
    erreur = _erreur(lambda: parametres(Requete(query=multi), Liste))
    assert erreur.statut == 422
    assert erreur.details["erreurs"][0]["champ"] == champ
    assert erreur.details["erreurs"][0]["code"] == code


def test_parametres_valides() -> None:
    assert parametres(Requete(query={"limite": ["7"]}), Liste).limite == 7
    assert parametres(Requete(), Liste).limite == 100


def test_curseur_aller_retour() -> None:
    cle = {"PK": {"S": "EDITEUR#1"}, "SK": {"S": "DEPOT#2"}}
    texte = encoder_curseur(cle)
    assert texte is not None and "=" not in texte
    assert decoder_curseur(texte, ["PK", "SK"], {"PK": "EDITEUR#1"}) == cle
    assert encoder_curseur(None) is None and decoder_curseur(None, ["PK"]) is None


@pytest.mark.parametrize(
    "texte",
    [
        "!!!",
        "e30",  # {}
        encoder_curseur({"PK": {"S": "EDITEUR#2"}, "SK": {"S": "DEPOT#2"}}),  # not the caller's
        encoder_curseur({"PK": {"S": "EDITEUR#1"}, "XX": {"S": "DEPOT#2"}}),
        encoder_curseur({"PK": {"S": "EDITEUR#1"}, "SK": {"B": "AAAA"}}),
        encoder_curseur({"PK": {"S": "EDITEUR#1"}, "SK": {"N": "abc"}}),
        "A" * 5000,
    ],
)
def test_curseur_forge(texte: str | None) -> None:
    erreur = _erreur(lambda: decoder_curseur(texte, ["PK", "SK"], {"PK": "EDITEUR#1"}))
    assert (erreur.statut, erreur.code) == (422, "CURSEUR_INVALIDE")


class VueChose(ModeleVue):
    nom_long: str
    cree_le: Instant


def test_vue_en_camel_case_et_heure_de_paris() -> None:
    vue = VueChose(nom_long="x", cree_le=datetime(2024, 2, 28, 13, 0, tzinfo=UTC))
    corps_ = json.loads(reponse(vue, 201).body)
    assert corps_ == {"nomLong": "x", "creeLe": "2024-02-28T14:00:00+01:00"}
    page = Page[VueChose](elements=[vue], curseur_suivant=None)
    assert json.loads(reponse(page).body)["curseurSuivant"] is None


@pytest.mark.parametrize(
    ("statut", "code"),
    [
        (401, "NON_AUTHENTIFIE"),
        (403, "ACCES_INTERDIT"),
        (404, "RESSOURCE_INTROUVABLE"),
        (405, "METHODE_NON_AUTORISEE"),
        (415, "TYPE_DE_CONTENU_NON_PRIS_EN_CHARGE"),
        (500, "ERREUR_INTERNE"),
    ],
)
def test_erreurs_du_cadre_en_francais(statut: int, code: str) -> None:
    anglais = Response(body={"Code": "X", "Message": "English"}, status_code=statut)
    rendu = intergiciel_erreurs(None, lambda _: anglais)
    corps_ = json.loads(rendu.body)
    assert rendu.status_code == statut and corps_["code"] == code
    assert "English" not in corps_["message"]


def test_erreur_api_rendue() -> None:
    def leve(_: Any) -> Response:
        raise ErreurApi(409, "DEPOT_DEJA_IMPORTE", "Déjà importé.")

    rendu = intergiciel_erreurs(None, leve)
    assert rendu.status_code == 409
    assert json.loads(rendu.body) == {"code": "DEPOT_DEJA_IMPORTE", "message": "Déjà importé."}


def test_exception_inattendue_rendue_en_500() -> None:
    def leve(_: Any) -> Response:
        raise RuntimeError("boom")

    rendu = intergiciel_erreurs(None, leve)
    assert rendu.status_code == 500 and json.loads(rendu.body)["code"] == "ERREUR_INTERNE"
