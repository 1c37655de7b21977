"""Enrôlement (E1–E5): the référentiel ANS, the public demande d'enrôlement and its
follow-up, the éditeur's enrôlement complémentaire and bank details, the gestionnaires'
instruction (`/gestion/enrolements`) and référentiel loading.

Thin routes: bodies checked by the use cases (every problem at once), heavy imports in
the handlers (cold start of the whole app).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint

from shared.api import ErreurApi, contrat, corps, parametres, reponse
from shared.observabilite import observe
from shared.web import GROUPE_EDITEURS, GROUPE_GESTIONNAIRES, cognito, exiger

if TYPE_CHECKING:
    from services.enrolment.api_modeles import VueConfirmation, VueResumeDemande
    from services.enrolment.bootstrap import Composants

bp = Blueprint(__name__)

# The routes' models, named for their contracts and imported by each route (cold start).
MODELES = "services.enrolment.api_modeles"


def _brut(request: Any) -> dict[str, Any]:
    """The body as a JSON object: 400 / 413 in French like every route (shared.api)."""
    from services.enrolment.api_modeles import ObjetJson

    return dict(corps(request, ObjetJson).contenu)


def _composants() -> Composants:
    from services.enrolment.bootstrap import composants

    return composants()


def _numero_demande(numero: str) -> str:
    from services.enrolment.api_modeles import MOTIF_NUMERO_DEMANDE

    if not re.fullmatch(MOTIF_NUMERO_DEMANDE, numero):
        raise ErreurApi(
            404, "DEMANDE_INTROUVABLE", f"La demande d'enrôlement {numero[:40]} n'existe pas."
        )
    return numero


def _confirmation(confirmation: Any) -> VueConfirmation:
    from services.enrolment.api_modeles import VueConfirmation
    from services.enrolment.domain.demande import LIBELLES_STATUT

    return VueConfirmation(
        numero=confirmation.numero,
        statut=confirmation.statut.value,
        libelle_statut=LIBELLES_STATUT[confirmation.statut],
        jeton_suivi=confirmation.jeton_suivi,
    )


# --- public: E1, E2, E3 ------------------------------------------------------------------


@bp.route("/referencements/{numero_ans}", methods=["GET"])
@contrat(
    "Rechercher un référencement ANS: sa DSR (couloir, type de logiciel, vague), sa solution",
    reponses={200: f"{MODELES}:VueReferencement"},
    erreurs=(404,),
)
def referencement(numero_ans: str) -> Any:
    from services.enrolment.api_modeles import MOTIF_NUMERO_ANS, VueReferencement
    from services.enrolment.domain.referentiel import vue_referencement

    if not re.fullmatch(MOTIF_NUMERO_ANS, numero_ans):
        from services.enrolment.domain.referentiel import message_numero_ans

        raise ErreurApi(422, "NUMERO_ANS_INVALIDE", message_numero_ans(numero_ans[:40]))
    trouve = _composants().rechercher(numero_ans)
    return reponse(VueReferencement.model_validate(vue_referencement(trouve)))


@bp.route("/enrolements/documents", methods=["POST"])
@contrat(
    "Téléverser un document de la demande: un POST présigné (png, jpg, jpeg, pdf; 4 Mo)",
    corps=f"{MODELES}:TeleversementRequete",
    reponses={201: f"{MODELES}:VueTeleversement"},
)
def televerser() -> Any:
    from services.enrolment.api_modeles import TeleversementRequete, VueEnvoi, VueTeleversement

    demande = corps(bp.current_request, TeleversementRequete)
    t = _composants().televerser(demande.type_document, demande.nom_fichier)
    envoi = VueEnvoi(
        url=t.envoi.url,
        champs=t.envoi.champs,
        expire_le=t.envoi.expire_le,
        taille_max=t.envoi.taille_max,
    )
    return reponse(VueTeleversement(reference=t.reference, envoi=envoi), 201)


@bp.route("/enrolements/defi", methods=["GET"])
@contrat(
    "Un défi anti-robot (ALTCHA, preuve de travail) à résoudre avant de demander l'enrôlement",
    reponses={200: f"{MODELES}:VueDefi"},
)
def defi() -> Any:
    from services.enrolment.api_modeles import VueDefi

    # no-store: a challenge serves once; a cache would hand the same one to everyone.
    vue = VueDefi.model_validate(_composants().anti_robot.defi())
    return reponse(vue, entetes={"Cache-Control": "no-store"})


@bp.route("/enrolements", methods=["POST"])
@contrat(
    "Demander l'enrôlement (E2): chaque problème listé; numéro ENR####M0 et accusé de réception",
    corps=f"{MODELES}:EnrolementRequete",
    reponses={201: f"{MODELES}:VueConfirmation"},
)
def soumettre() -> Any:
    brut = _brut(bp.current_request)
    solution = brut.pop("jetonAntiRobot", "")
    solution = solution if isinstance(solution, str) else ""
    confirmation = _composants().soumettre(brut, solution)
    return reponse(_confirmation(confirmation), 201)


@bp.route("/enrolements/{numero}", methods=["GET"])
@contrat(
    "Suivre sa demande d'enrôlement avec son numéro et son jeton de suivi",
    parametres=f"{MODELES}:SuiviParametres",
    reponses={200: f"{MODELES}:VueSuivi"},
    erreurs=(404,),
)
def suivre(numero: str) -> Any:
    from services.enrolment.api_modeles import SuiviParametres, VueSuivi

    p = parametres(bp.current_request, SuiviParametres)
    vue = _composants().suivre(_numero_demande(numero), p.jeton)
    return reponse(VueSuivi.model_validate(vue))


# --- éditeurs: E5, bank details ------------------------------------------------------------


@bp.route("/enrolements/complementaire", methods=["POST"], authorizer=cognito)
@contrat(
    "Enrôlement complémentaire (E5): un autre référencement pour l'éditeur enrôlé",
    corps=f"{MODELES}:ComplementaireRequete",
    reponses={201: f"{MODELES}:VueConfirmation"},
    groupe=GROUPE_EDITEURS,
)
def complementaire() -> Any:
    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    brut = _brut(bp.current_request)
    siret = str(qui.siret)
    confirmation = _composants().complementaire(brut, siret)
    return reponse(_confirmation(confirmation), 201)


@bp.route("/enrolements/coordonnees-bancaires", methods=["POST"], authorizer=cognito)
@contrat(
    "Changer de coordonnées bancaires (IBAN, BIC, RIB): validées par un gestionnaire",
    corps=f"{MODELES}:CoordonneesRequete",
    reponses={201: f"{MODELES}:VueConfirmation"},
    groupe=GROUPE_EDITEURS,
)
def coordonnees() -> Any:
    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    brut = _brut(bp.current_request)
    siret = str(qui.siret)
    confirmation = _composants().changement(brut, siret)
    return reponse(_confirmation(confirmation), 201)


@bp.route("/editeurs/moi", methods=["GET"], authorizer=cognito)
@contrat(
    "L'identité de l'éditeur vue par la plateforme",
    reponses={200: f"{MODELES}:VueMoi"},
    groupe="editeurs",
)
def moi() -> Any:
    """The éditeur's own identity (a route reserved to the group `editeurs`)."""
    from services.enrolment.api_modeles import VueMoi

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    return reponse(
        VueMoi(siret=qui.siret, utilisateur=qui.utilisateur, groupes=sorted(qui.groupes))
    )


# --- gestionnaires: E4, référentiel --------------------------------------------------------


@bp.route("/gestion/enrolements", methods=["GET"], authorizer=cognito)
@contrat(
    "Les demandes d'enrôlement, les plus anciennes d'abord, page par page",
    parametres=f"{MODELES}:ListeParametres",
    reponses={200: f"{MODELES}:PageDemandes"},
    groupe=GROUPE_GESTIONNAIRES,
)
def gestion_lister_enrolements() -> Any:
    from services.enrolment.api_modeles import ListeParametres, PageDemandes

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    p = parametres(bp.current_request, ListeParametres)
    page = _composants().lister(p.statut, p.curseur, p.limite)
    return reponse(
        PageDemandes(
            elements=[_resume(d) for d in page.demandes], curseur_suivant=page.curseur_suivant
        )
    )


def _resume(demande: Any) -> VueResumeDemande:
    from services.enrolment.api_modeles import VueResumeDemande
    from services.enrolment.domain.demande import vue_suivi

    vue = vue_suivi(demande)
    return VueResumeDemande.model_validate(
        {
            **{k: v for k, v in vue.items() if k not in ("decideeLe", "motif")},
            "siret": demande.siret,
            "raisonSociale": demande.raison_sociale,
            "couloir": demande.couloir,
        }
    )


@bp.route("/gestion/enrolements/{numero}", methods=["GET"], authorizer=cognito)
@contrat(
    "Une demande d'enrôlement: formulaire, IBAN, documents (GET présignés), décision",
    reponses={200: f"{MODELES}:VueDemande"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404,),
)
def gestion_lire(numero: str) -> Any:
    from services.enrolment.api_modeles import VueDemande

    exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    vue = _composants().lire(_numero_demande(numero), None)
    return reponse(VueDemande.model_validate(vue))


@bp.route("/gestion/enrolements/{numero}/decision", methods=["POST"], authorizer=cognito)
@contrat(
    "Valider (compte créé ou étendu, courriels) ou rejeter (motif envoyé) une demande",
    corps=f"{MODELES}:DecisionRequete",
    reponses={200: f"{MODELES}:VueDemande"},
    groupe=GROUPE_GESTIONNAIRES,
    erreurs=(404, 409),
)
def gestion_decider_enrolement(numero: str) -> Any:
    from services.enrolment.api_modeles import DecisionRequete, VueDemande

    qui = exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    numero = _numero_demande(numero)
    decision = corps(bp.current_request, DecisionRequete)
    c = _composants()
    par = qui.auteur
    c.decider(numero, decision.decision, decision.motif, par)
    return reponse(VueDemande.model_validate(c.lire(numero, None)))


@bp.route("/gestion/referentiel", methods=["POST"], authorizer=cognito)
@contrat(
    "Charger une version du référentiel ANS (mise à jour, rien n'est supprimé, historique)",
    corps=f"{MODELES}:ReferentielRequete",
    reponses={200: f"{MODELES}:VueVersionReferentiel"},
    groupe=GROUPE_GESTIONNAIRES,
)
def gestion_referentiel() -> Any:
    from services.enrolment.api_modeles import REFERENCEMENTS_MAX_API, VueVersionReferentiel

    qui = exiger(bp.current_request, GROUPE_GESTIONNAIRES)
    brut = _brut(bp.current_request)
    entrees = brut.get("referencements")
    if isinstance(entrees, list) and len(entrees) > REFERENCEMENTS_MAX_API:
        # The documented bound of this route (its body cap); the use case itself takes
        # more from the operator's command.
        message = (
            f"Le champ « referencements » : au plus {REFERENCEMENTS_MAX_API} référencements "
            "par requête sont permis ; chargez un référentiel plus grand avec la commande "
            "« segurnum referentiel »."
        )
        raise ErreurApi(
            422,
            "DEMANDE_INVALIDE",
            f"La demande contient 1 erreur: {message}",
            erreurs=[{"champ": "referencements", "code": "TROP_LONG", "message": message}],
        )
    bilan = _composants().charger(brut, qui.auteur)
    return reponse(
        VueVersionReferentiel(
            version=bilan.version,
            source=bilan.source,
            chargee_le=bilan.chargee_le,
            chargee_par=bilan.chargee_par,
            ajoutes=list(bilan.ajoutes),
            modifies=list(bilan.modifies),
            inchanges=bilan.inchanges,
            absents=list(bilan.absents),
        )
    )


# --- Cognito: the groups of a gestionnaire signed in with ProConnect -------------------------

# What a handler that does not build the composition root requires instead of REGLAGES
# (tests/infra/test_reglages.py): the trigger reads its pool from Cognito's event, and the
# template leaves it SEGURNUM_USER_POOL_ID empty (the pool's LambdaConfig names it).
REGLAGES_PROPRES: dict[str, tuple[str, ...]] = {"enrolment_jeton_connexion": ()}


@bp.lambda_function(name="enrolment_jeton_connexion")
@observe
def enrolment_jeton_connexion(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Cognito's pre token generation trigger (infra/resources.yaml, UserPool LambdaConfig):
    a ProConnect agent gets the `gestionnaires` group when the allow-list names its email
    or organisation, no group otherwise; the pool's own users are left untouched."""
    from services.enrolment.adapters.habilitations import habilitations_livrees
    from services.enrolment.domain.habilitations import revendications

    return revendications(event, habilitations_livrees())
