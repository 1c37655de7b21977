"""A refusal through the edge: a route's contract (shared.api.contrat) and the app's
middleware answer each refusal class with the status and body the service's own mapping
(`_metier`, the enrolment's table) answered before there was one."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.app import Chalice
from chalice.test import Client

from shared.api import contrat, intergiciel_erreurs
from shared.refus import NatureRefus


def _reponse(refus: Exception) -> tuple[int, dict[str, Any]]:
    app = Chalice(app_name="essai")

    @app.route("/essai")
    @contrat("Essai")
    def essai() -> Any:
        raise refus

    app.register_middleware(intergiciel_erreurs, "http")
    with Client(app) as client:
        reponse = client.http.get("/essai")
    return reponse.status_code, json.loads(reponse.body)


def _cas_rendus() -> list[tuple[Exception, int, dict[str, Any]]]:
    """One refusal of each class, and the (status, body) the API answered before."""
    from services.depot.domain.depot import AccesInterdit, Conflit, DonneeInvalide, Introuvable
    from services.enrolment.application.instruction import DejaDecidee, DemandeIntrouvable
    from services.enrolment.application.ports import CurseurInvalide
    from services.enrolment.application.referentiel import ReferencementIntrouvable
    from services.enrolment.application.soumission import NonEnrole
    from services.enrolment.domain.anti_robot import AntiRobotInvalide, VerdictAntiRobot
    from services.enrolment.domain.erreurs import DemandeInvalide, Probleme
    from services.instruction.domain.instruction import ActionImpossible
    from services.paiement.domain.sepa import FichierSepaInvalide
    from services.paiement.domain.versement import ErreurPaiement

    def simple(code: str) -> dict[str, Any]:
        return {"code": code, "message": "m"}

    siret = Probleme("siret", "SIRET_INVALIDE", "Le SIRET x.")
    email = Probleme("email", "EMAIL_INVALIDE", "L'email y.")
    deja = (
        "la vérification anti-robot a déjà servi : chaque envoi de la demande en demande "
        "une nouvelle. Refaites la vérification anti-robot, puis renvoyez la demande."
    )
    return [
        (DonneeInvalide("TAUX_TVA_INVALIDE", "m"), 422, simple("TAUX_TVA_INVALIDE")),
        (Introuvable("DEPOT_INTROUVABLE", "m"), 404, simple("DEPOT_INTROUVABLE")),
        (AccesInterdit("DEPOT_AUTRE_EDITEUR", "m"), 403, simple("DEPOT_AUTRE_EDITEUR")),
        (Conflit("DEPOT_OCCUPE", "m"), 409, simple("DEPOT_OCCUPE")),
        (ActionImpossible("DECISION_INCONNUE", "m"), 422, simple("DECISION_INCONNUE")),
        (
            ActionImpossible("DEMANDE_INTROUVABLE", "m", NatureRefus.INTROUVABLE),
            404,
            simple("DEMANDE_INTROUVABLE"),
        ),
        (
            ActionImpossible("ACTION_NON_ATTENDUE", "m", NatureRefus.CONFLIT),
            409,
            simple("ACTION_NON_ATTENDUE"),
        ),
        (ErreurPaiement("ETAT_INCOMPATIBLE", "m"), 409, simple("ETAT_INCOMPATIBLE")),
        (
            ErreurPaiement("VERSEMENT_INCONNU", "m", NatureRefus.INTROUVABLE),
            404,
            simple("VERSEMENT_INCONNU"),
        ),
        (
            FichierSepaInvalide("en-tête de groupe absent"),
            500,
            {
                "code": "FICHIER_SEPA_INVALIDE",
                "message": "Le fichier de virements ne respecte pas le schéma "
                "pain.001.001.09: en-tête de groupe absent",
            },
        ),
        (
            DemandeInvalide([siret, email]),
            422,
            {
                "code": "DEMANDE_INVALIDE",
                "message": "La demande contient 2 erreurs: Le SIRET x. L'email y.",
                "erreurs": [
                    {"champ": "siret", "code": "SIRET_INVALIDE", "message": "Le SIRET x."},
                    {"champ": "email", "code": "EMAIL_INVALIDE", "message": "L'email y."},
                ],
            },
        ),
        (
            DemandeInvalide([siret]),
            422,
            {
                "code": "DEMANDE_INVALIDE",
                "message": "La demande contient 1 erreur: Le SIRET x.",
                "erreurs": [{"champ": "siret", "code": "SIRET_INVALIDE", "message": "Le SIRET x."}],
            },
        ),
        (
            AntiRobotInvalide(VerdictAntiRobot.DEJA_UTILISE),
            422,
            {
                "code": "ANTI_ROBOT_INVALIDE",
                "message": f"Demande refusée avant examen (jetonAntiRobot) : {deja}",
                "erreurs": [
                    {"champ": "jetonAntiRobot", "code": "ANTI_ROBOT_INVALIDE", "message": deja}
                ],
            },
        ),
        (
            ReferencementIntrouvable("1234"),
            404,
            {
                "code": "REFERENCEMENT_INCONNU",
                "message": "Le numéro de référencement « 1234 » n'est pas dans le référentiel ANS.",
            },
        ),
        (
            DemandeIntrouvable("ENR00000001M0" + "X" * 40),
            404,
            {
                "code": "DEMANDE_INTROUVABLE",
                "message": "La demande d'enrôlement ENR00000001M0" + "X" * 27 + " n'existe pas.",
            },
        ),
        (
            DejaDecidee("ENR00000001M0"),
            409,
            {
                "code": "DEMANDE_DEJA_DECIDEE",
                "message": "La demande d'enrôlement ENR00000001M0 a déjà été décidée: sa "
                "décision ne change plus.",
            },
        ),
        (
            NonEnrole(),
            403,
            {
                "code": "NON_ENROLE",
                "message": "Cette démarche est réservée aux éditeurs déjà enrôlés.",
            },
        ),
        (
            CurseurInvalide("abc"),
            422,
            {
                "code": "CURSEUR_INVALIDE",
                "message": "Le curseur de pagination n'est pas valide: reprenez la liste depuis "
                "le début (sans « curseur »), puis suivez « curseurSuivant ».",
            },
        ),
    ]


@pytest.mark.parametrize(
    ("refus", "statut", "corps"),
    [pytest.param(r, s, c, id=f"{type(r).__name__}-{c['code']}") for r, s, c in _cas_rendus()],
)
def test_la_reponse_de_chaque_refus(refus: Exception, statut: int, corps: dict[str, Any]) -> None:
    assert _reponse(refus) == (statut, corps)


def test_une_autre_exception_reste_une_erreur_interne() -> None:
    statut, corps = _reponse(KeyError("x"))
    assert statut == 500 and corps["code"] == "ERREUR_INTERNE"


def test_le_contrat_garde_le_nom_et_le_document_de_la_route() -> None:
    @contrat("Essai", erreurs=(409,))
    def ma_route(numero: str) -> str:
        return numero

    assert ma_route.__name__ == "ma_route" and ma_route(numero="7") == "7"
    assert ma_route.__contrat__.erreurs == (409,)  # type: ignore[attr-defined]
