"""Paiement (P1–P3): versements from the instruction's decisions (queue), SEPA lots
(schedule and gestionnaire), bank returns (presigned upload → S3 → SQS), suivi financier.
Thin: parsing, authorisation and views here; the work in application/ (docs/paiement.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint

from shared.api import (
    ErreurApi,
    contrat,
    corps,
    decoder_curseur,
    encoder_curseur,
    numero_asp_du_chemin,
    parametres,
    reponse,
)
from shared.observabilite import observe
from shared.web import GROUPE_EDITEURS, GROUPE_GESTIONNAIRES, cognito, exiger

if TYPE_CHECKING:
    from services.paiement.api_modeles import VueLot, VueSuivi
    from services.paiement.bootstrap import Composants

bp = Blueprint(__name__)

# The routes' models, named for their contracts and imported by each route (cold start).
MODELES = "services.paiement.api_modeles"

QUEUE_VERSEMENTS = "segurnum-paiement-versements"
QUEUE_RETOURS = "segurnum-paiement-retours"
QUEUE_COORDONNEES = "segurnum-paiement-coordonnees"  # shared.messages.QUEUE_COORDONNEES
_ID_RETOUR = re.compile(r"RET[0-9]{14}[0-9A-F]{8}")


def _composants() -> Composants:
    from services.paiement.bootstrap import composants

    return composants()


def _mesurer_lot(resultat: Any) -> None:
    """The dashboard's « lots SEPA émis » (docs/exploitation.md): a lot and its versements."""
    if resultat.lot is None:
        return
    from aws_lambda_powertools.metrics import MetricUnit

    from shared.observabilite import metrics

    metrics.add_metric(name="LotsSepaEmis", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="VersementsEnLot", unit=MetricUnit.Count, value=resultat.lot.nombre)


def _lot_sqs(event: Any, traiter: Callable[[str], None]) -> dict[str, Any]:
    """Partial batch response: a failed record goes back to the queue, not the batch."""
    from shared.lots_sqs import traiter_lot

    # Before the batch: a missing setting fails the invocation loudly, not each record.
    _composants()
    return traiter_lot(event.to_dict(), lambda message: traiter(message.body))


@bp.on_sqs_message(queue=QUEUE_VERSEMENTS, batch_size=10, name="paiement_versements")
@observe
def paiement_versements(event: Any) -> dict[str, Any]:
    """Instruction → paiement: one versement per decided demande (idempotent)."""
    from services.paiement.application.suites import demander_versement
    from shared.messages import VersementDemande

    def traiter(corps_message: str) -> None:
        c = _composants()
        demander_versement(
            c.paiement, c.suites, VersementDemande.model_validate_json(corps_message)
        )

    return _lot_sqs(event, traiter)


@bp.on_sqs_message(queue=QUEUE_COORDONNEES, batch_size=10, name="paiement_coordonnees")
@observe
def paiement_coordonnees(event: Any) -> dict[str, Any]:
    """Enrolment → paiement: new bank details validated, the éditeur's rejected versements
    re-issued with them (idempotent)."""
    from services.paiement.application.versements import coordonnees_validees
    from shared.messages import CoordonneesBancairesValidees

    def traiter(corps_message: str) -> None:
        coordonnees_validees(
            _composants().paiement, CoordonneesBancairesValidees.model_validate_json(corps_message)
        )

    return _lot_sqs(event, traiter)


@bp.on_sqs_message(queue=QUEUE_RETOURS, batch_size=1, name="paiement_retour")
@observe
def paiement_retour(event: Any) -> dict[str, Any]:
    """A pain.002 uploaded under paiements/retours/ (S3 → SQS): processed, then each paid
    versement gets its avis, its courriel and the instruction's signal."""
    from services.paiement.application.suites import recevoir_retour
    from shared.evenements_s3 import objets_recus
    from shared.horloge import horloge

    def traiter(corps_message: str) -> None:
        c = _composants()
        for objet in objets_recus(corps_message):
            recevoir_retour(c.paiement, c.suites, objet.cle, horloge().depuis_aws(objet.recu_le))

    return _lot_sqs(event, traiter)


@bp.lambda_function(name="paiement_lancer_lot")
@observe
def paiement_lancer_lot(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Target of the working-day schedule: the A_PAYER versements in one SEPA file."""
    from services.paiement.application.lots import lancer_lot
    from services.paiement.domain.calendrier import jour_ouvre
    from shared.horloge import PARIS, horloge

    aujourd_hui = horloge().maintenant().astimezone(PARIS).date()
    if event.get("declencheur") == "planification" and not jour_ouvre(aujourd_hui):
        return {"lot": None, "message": f"{aujourd_hui:%d/%m/%Y} est férié: pas de lot."}
    resultat = lancer_lot(_composants().paiement)
    _mesurer_lot(resultat)
    return {
        "lot": resultat.lot.id if resultat.lot else None,
        "message": resultat.message,
        "anomalies": [a.code for a in resultat.anomalies],
    }


# --- views ---------------------------------------------------------------------------------


def _introuvable(numero_asp: str) -> ErreurApi:
    return ErreurApi(404, "DOSSIER_INTROUVABLE", f"Le dossier {numero_asp[:40]} n'existe pas.")


def _vue_lot(c: Any, lot: Any) -> VueLot:
    from services.paiement.api_vues import vue_lot

    return vue_lot(lot, c.fichiers.url)


def _suivi(numero_asp: str, siret: str | None) -> VueSuivi:
    """The éditeur (`siret`) sees only its own dossiers: another's is unknown (404)."""
    from services.paiement.api_modeles import VueSuivi
    from services.paiement.api_vues import vue_ligne

    c = _composants()
    versements = c.versements.du_dossier(numero_asp)
    proprietaire = versements[0].siret if versements else None
    if proprietaire is None:
        dossier = c.editeurs.dossier(numero_asp)
        proprietaire = dossier.siret if dossier is not None else None
    if proprietaire is None or (siret is not None and proprietaire != siret):
        raise _introuvable(numero_asp)
    from services.paiement.domain.suivi import suivi_financier

    lignes = suivi_financier(versements)
    return VueSuivi(
        numero_asp=numero_asp, versements=[vue_ligne(li, c.fichiers.url) for li in lignes]
    )


@bp.route("/dossiers/{numero_asp}/versements", methods=["GET"], authorizer=cognito)
@contrat(
    "Le suivi financier d'un dossier de l'éditeur: l'avance et le solde, avis de paiement",
    reponses={200: f"{MODELES}:VueSuivi"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404,),
)
def editeur_versements(numero_asp: str) -> Any:
    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    return reponse(_suivi(numero_asp_du_chemin(numero_asp), str(qui.siret)))


@bp.route("/gestion/dossiers/{numero_asp}/versements", methods=["GET"], authorizer=cognito)
@contrat(
    "Le suivi financier d'un dossier: l'avance et le solde, avis de paiement",
    reponses={200: f"{MODELES}:VueSuivi"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404,),
)
def gestion_versements(numero_asp: str) -> Any:
    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    return reponse(_suivi(numero_asp_du_chemin(numero_asp), None))


@bp.route(
    "/gestion/dossiers/{numero_asp}/versements/{type_versement}/reemettre",
    methods=["POST"],
    authorizer=cognito,
)
@contrat(
    "Réémettre un versement rejeté, une fois les coordonnées bancaires changées et validées",
    corps=f"{MODELES}:Vide",
    reponses={200: f"{MODELES}:VueLigneSuivi"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404, 409),
)
def gestion_reemettre(numero_asp: str, type_versement: str) -> Any:
    from services.paiement.api_modeles import Vide
    from services.paiement.api_vues import vue_ligne
    from services.paiement.application.versements import reemettre
    from services.paiement.domain.suivi import ligne_suivi
    from services.paiement.domain.versement import TypeVersement

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    numero = numero_asp_du_chemin(numero_asp)
    if type_versement not in TypeVersement.__members__:
        raise ErreurApi(
            404,
            "VERSEMENT_INCONNU",
            f"Type de versement « {type_versement[:40]} » inconnu: AVANCE ou SOLDE.",
        )
    corps(bp.current_request, Vide, facultatif=True)
    c = _composants()
    versement = reemettre(c.paiement, numero, TypeVersement(type_versement))
    return reponse(vue_ligne(ligne_suivi(versement), c.fichiers.url))


@bp.route("/gestion/paiements/lots", methods=["POST"], authorizer=cognito)
@contrat(
    "Lancer un lot: les versements à payer dans un fichier de virements SEPA (pain.001)",
    corps=f"{MODELES}:Vide",
    reponses={201: f"{MODELES}:VueLancement", 200: f"{MODELES}:VueLancement"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(409,),
)
def gestion_lancer_lot() -> Any:
    """201 with the new lot; 200 with lot null when there is nothing to pay (no file) or
    another run holds the lock."""
    from services.paiement.api_modeles import Vide, VueLancement
    from services.paiement.api_vues import vue_anomalie
    from services.paiement.application.lots import lancer_lot

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    corps(bp.current_request, Vide, facultatif=True)
    c = _composants()
    resultat = lancer_lot(c.paiement)
    _mesurer_lot(resultat)
    vue = VueLancement(
        lot=_vue_lot(c, resultat.lot) if resultat.lot else None,
        message=resultat.message,
        repris=[_vue_lot(c, lot) for lot in resultat.repris],
        anomalies=[vue_anomalie(a) for a in resultat.anomalies],
    )
    return reponse(vue, 201 if resultat.lot else 200)


@bp.route("/gestion/paiements/lots", methods=["GET"], authorizer=cognito)
@contrat(
    "Les fichiers de virements SEPA, du plus récent au plus ancien (paginé)",
    parametres=f"{MODELES}:ListeLotsParametres",
    reponses={200: f"{MODELES}:PageLots"},
    groupe=GROUPE_GESTIONNAIRES,
)
def gestion_lots() -> Any:
    from services.paiement.api_modeles import ListeLotsParametres, PageLots

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    p = parametres(bp.current_request, ListeLotsParametres)
    depart = decoder_curseur(p.curseur, ("PK", "SK", "GSI1PK", "GSI1SK"), {"GSI1PK": "LOTS"})
    c = _composants()
    lots, suite = c.versements.page_lots(p.limite, depart)
    return reponse(
        PageLots(
            elements=[_vue_lot(c, lot) for lot in lots], curseur_suivant=encoder_curseur(suite)
        )
    )


@bp.route("/gestion/paiements/retours", methods=["POST"], authorizer=cognito)
@contrat(
    "Déposer un retour bancaire (pain.002): le POST présigné du fichier, traité à réception",
    corps=f"{MODELES}:Vide",
    reponses={201: f"{MODELES}:VueRetourDemande"},
    groupe=GROUPE_GESTIONNAIRES,
)
def gestion_demander_retour() -> Any:
    from services.paiement.api_modeles import Vide, VueRetourDemande
    from services.paiement.api_vues import vue_envoi
    from services.paiement.application.suites import autoriser_retour

    qui = exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    corps(bp.current_request, Vide, facultatif=True)
    c = _composants()
    retour, envoi = autoriser_retour(c.paiement, c.suites, qui.auteur)
    return reponse(VueRetourDemande(id_retour=retour.id, envoi=vue_envoi(envoi)), 201)


@bp.route("/gestion/paiements/retours/{id_retour}", methods=["GET"], authorizer=cognito)
@contrat(
    "Un retour bancaire: attendu, traité (payés, rejetés, anomalies) ou illisible",
    reponses={200: f"{MODELES}:VueRetour"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404,),
)
def gestion_retour(id_retour: str) -> Any:
    from services.paiement.api_vues import vue_retour

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    retour = (
        _composants().suites.retours.lire_retour(id_retour)
        if _ID_RETOUR.fullmatch(id_retour)
        else None
    )
    if retour is None:
        raise ErreurApi(
            404, "RETOUR_INTROUVABLE", f"Le retour bancaire {id_retour[:40]} n'existe pas."
        )
    return reponse(vue_retour(retour))
