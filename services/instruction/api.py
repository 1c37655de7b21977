"""Instruction: the state machine's tasks, the éditeur's answers (queue), the
gestionnaires' desk under `/gestion/` and the éditeur's dossiers under `/dossiers` (I1–I5).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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
    from services.instruction.bootstrap import Composants

bp = Blueprint(__name__)

# The routes' models, named for their contracts and imported by each route (cold start).
MODELES = "services.instruction.api_modeles"

QUEUE_REPONSES = "segurnum-instruction-reponses"


def _composants() -> Composants:
    from services.instruction.bootstrap import composants

    return composants()


def _type(type_demande: str) -> Any:
    from shared.campagnes import TypeDemande

    try:
        return TypeDemande(type_demande)
    except ValueError:
        raise ErreurApi(
            404,
            "DEMANDE_INTROUVABLE",
            f"Type de demande « {type_demande[:40]} » inconnu: AVANCE ou SOLDE.",
        ) from None


# --- the state machine's tasks -------------------------------------------------------------


@contextmanager
def _pannes_passageres() -> Iterator[None]:
    """An AWS failure left after the SDK's retries that is only a busy or failing service
    leaves the task as ErreurTransitoire, which the state machine's Retry names: as a
    ClientError it was a failure for good (EN_ERREUR_TECHNIQUE, or the execution lost when
    it happened while recording that very state)."""
    from services.instruction.application.instruction import ErreurTransitoire
    from shared.pannes_aws import est_transitoire

    try:
        yield
    except ErreurTransitoire:
        raise
    except Exception as exc:
        if est_transitoire(exc):
            raise ErreurTransitoire(f"Service AWS momentanément indisponible: {exc}") from exc
        raise


@bp.lambda_function(name="instruction_attendre")
@observe
def instruction_attendre(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """waitForTaskToken tasks: record the token; the workflow resumes on a decision, the
    éditeur's answer, the payment signal or a relance."""
    from services.instruction.application.instruction import Tache

    tache = Tache.model_validate(event)
    with _pannes_passageres():
        _composants().instruction.attendre(tache)
    return {"statut": str(tache.statut)}


@bp.lambda_function(name="instruction_etape")
@observe
def instruction_etape(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Steps of their own: courriel, décision d'attribution, payment recorded."""
    from services.instruction.application.instruction import Tache

    tache = Tache.model_validate(event)
    with _pannes_passageres():
        _composants().instruction.etape(tache)
    return {"statut": str(tache.statut)}


@bp.lambda_function(name="instruction_reconcilier")
@observe
def instruction_reconcilier(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Scheduled (every 15 minutes): hands back to Step Functions every consumed token whose
    SendTaskSuccess never arrived (the decision taken, the execution still waiting)."""
    from services.instruction.application.instruction import rejouer_reprises

    bilan = rejouer_reprises(_composants().instruction)
    return {"rejouees": bilan.rejouees, "enEchec": bilan.en_echec, "sansSuite": bilan.sans_suite}


@bp.on_sqs_message(queue=QUEUE_REPONSES, batch_size=1, name="instruction_reponses")
@observe
def instruction_reponses(event: Any) -> dict[str, Any]:
    """Dépôt → instruction: an éditeur answered (M imported, pièces complémentaires OK)."""
    from shared.lots_sqs import Message, traiter_lot
    from shared.messages import ReponseEditeur

    def traiter(message: Message) -> None:
        _composants().instruction.repondre(ReponseEditeur.model_validate_json(message.body))

    # Before the batch: a missing setting fails the invocation loudly, not each record.
    _composants()
    return traiter_lot(event.to_dict(), traiter)


# --- the gestionnaire's desk ---------------------------------------------------------------

CURSEUR = ("PK", "SK")


@bp.route("/gestion/dossiers", methods=["GET"], authorizer=cognito)
@contrat(
    "Les demandes en instruction, filtrées, page par page",
    parametres=f"{MODELES}:ListeDemandesParametres",
    reponses={200: f"{MODELES}:PageDemandes"},
    groupe=GROUPE_GESTIONNAIRES,
)
def gestion_lister_demandes() -> Any:
    from services.instruction.adapters.aws import INDEX, InstructionsDynamo
    from services.instruction.api_modeles import ListeDemandesParametres, PageDemandes
    from services.instruction.application.ports import Filtres
    from services.instruction.vues import vue_resume_demande

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    p = parametres(bp.current_request, ListeDemandesParametres)
    filtres = Filtres(p.statut, p.type_demande, p.couloir, p.siret, p.numero_ans)
    index, partition, _, _ = InstructionsDynamo.requete_liste(filtres)
    cle_index = INDEX[index]
    curseur = decoder_curseur(p.curseur, (*CURSEUR, *cle_index), {cle_index[0]: partition})
    etats, suivant = _composants().consultation.demandes(filtres, p.limite, curseur)
    return reponse(
        PageDemandes(
            elements=[vue_resume_demande(e) for e in etats],
            curseur_suivant=encoder_curseur(suivant),
        )
    )


@bp.route("/gestion/dossiers/{numero_asp}", methods=["GET"], authorizer=cognito)
@contrat(
    "Un dossier: demandes et instruction, pièces, décision, courriels, historique",
    reponses={200: f"{MODELES}:VueDossier"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404,),
)
def gestion_dossier(numero_asp: str) -> Any:
    from services.instruction.vues import vue_dossier

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    numero = numero_asp_du_chemin(numero_asp)
    complet = _composants().consultation.dossier(numero)
    return reponse(vue_dossier(complet, gestionnaire=True))


@bp.route(
    "/gestion/dossiers/{numero_asp}/{type_demande}/decision",
    methods=["POST"],
    authorizer=cognito,
)
@contrat(
    "Décider d'une demande: reprend son instruction",
    corps=f"{MODELES}:DecisionRequete",
    reponses={200: f"{MODELES}:VueDemande"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404, 409),
)
def gestion_decider_demande(numero_asp: str, type_demande: str) -> Any:
    from services.instruction.api_modeles import DecisionRequete
    from services.instruction.vues import vue_demande

    qui = exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    numero, type_ = numero_asp_du_chemin(numero_asp), _type(type_demande)
    demande = corps(bp.current_request, DecisionRequete)
    c = _composants()
    etat = c.instruction.decider(
        numero, type_, demande.decision, demande.motif, demande.pieces_demandees, qui.auteur
    )
    return reponse(_vue_demande(c, etat, vue_demande))


@bp.route(
    "/gestion/dossiers/{numero_asp}/{type_demande}/relancer",
    methods=["POST"],
    authorizer=cognito,
)
@contrat(
    "Relancer une demande en erreur technique à l'étape qui a échoué",
    reponses={200: f"{MODELES}:VueDemande"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404, 409),
)
def gestion_relancer(numero_asp: str, type_demande: str) -> Any:
    from services.instruction.vues import vue_demande

    qui = exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    numero, type_ = numero_asp_du_chemin(numero_asp), _type(type_demande)
    c = _composants()
    etat = c.instruction.relancer(numero, type_, qui.auteur)
    return reponse(_vue_demande(c, etat, vue_demande))


def _vue_demande(c: Any, etat: Any, vue_demande: Any) -> Any:
    dossier = c.instructions.lire_dossier(etat.numero_asp)
    if dossier is None or etat.type_demande not in dossier.demandes:
        raise ErreurApi(404, "DOSSIER_INTROUVABLE", f"Le dossier {etat.numero_asp} n'existe pas.")
    return vue_demande(dossier.demandes[etat.type_demande], etat, True)


# --- the éditeur's dossiers --------------------------------------------------------------


@bp.route("/dossiers", methods=["GET"], authorizer=cognito)
@contrat(
    "Les dossiers de l'éditeur, page par page, avec le statut de chaque demande",
    parametres=f"{MODELES}:ListeDossiersParametres",
    reponses={200: f"{MODELES}:PageDossiers"},
    groupe=GROUPE_EDITEURS,
)
def editeur_lister() -> Any:
    from services.instruction.api_modeles import ListeDossiersParametres, PageDossiers
    from services.instruction.vues import vue_resume_dossier

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    assert qui.siret is not None  # exiger checked it
    p = parametres(bp.current_request, ListeDossiersParametres)
    curseur = decoder_curseur(
        p.curseur, ("PK", "SK", "GSI1PK", "GSI1SK"), {"GSI1PK": f"EDITEUR#{qui.siret}"}
    )
    dossiers, suivant = _composants().consultation.dossiers_editeur(qui.siret, p.limite, curseur)
    return reponse(
        PageDossiers(
            elements=[vue_resume_dossier(d) for d in dossiers],
            curseur_suivant=encoder_curseur(suivant),
        )
    )


@bp.route("/dossiers/{numero_asp}", methods=["GET"], authorizer=cognito)
@contrat(
    "Un dossier de l'éditeur: statut de chaque demande, motif, pièces et décision, "
    "courriels, historique",
    reponses={200: f"{MODELES}:VueDossier"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404,),
)
def editeur_dossier(numero_asp: str) -> Any:
    from services.instruction.vues import vue_dossier

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    numero = numero_asp_du_chemin(numero_asp)
    complet = _composants().consultation.dossier(numero, qui.siret)
    return reponse(vue_dossier(complet, gestionnaire=False))
