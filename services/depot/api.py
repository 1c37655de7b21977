"""Dépôt: the éditeurs' routes and the handlers of uploaded files (D1–D7, G3)."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Response

from services.depot.bootstrap import composants
from shared.api import (
    contrat,
    corps,
    decoder_curseur,
    encoder_curseur,
    numero_asp_du_chemin,
    parametres,
)
from shared.observabilite import observe
from shared.web import GROUPE_EDITEURS, cognito, exiger, reponse

bp = Blueprint(__name__)

# The routes' models, named for their contracts and imported by each route (cold start).
MODELES = "services.depot.api_modeles"


def _traiter_lot(event: Any, traiter: Any) -> dict[str, Any]:
    """Partial batch response: a failed record goes back to the queue, not the batch."""
    from shared.evenements_s3 import objets_recus
    from shared.lots_sqs import Message, traiter_lot

    def record_handler(message: Message) -> None:
        for objet in objets_recus(message.body):
            traiter(objet)

    # Before the batch: a missing setting fails the invocation loudly, not each record.
    composants()
    return traiter_lot(event.to_dict(), record_handler)


def _json_recu(objet: Any) -> None:
    # The use case brings S3's event time onto the platform clock itself.
    composants().traiter_json(
        objet.bucket, objet.cle, objet.recu_le, version_id=objet.version, etag=objet.etag
    )


# One file per invocation: a maximal file's simulation never shares the timeout.
@bp.on_sqs_message(queue="segurnum-depot-json", batch_size=1, name="depot_json")
@observe
def depot_json(event: Any) -> dict[str, Any]:
    return _traiter_lot(event, _json_recu)


def _zip_recu(objet: Any) -> None:
    from services.depot.application.pieces_complementaires import analyser_cle_complements
    from shared.horloge import horloge

    if analyser_cle_complements(objet.cle) is not None:
        composants().traiter_complements(
            objet.bucket, objet.cle, objet.taille, objet.etag, horloge().depuis_aws(objet.recu_le)
        )
        return
    composants().traiter_zip(
        objet.bucket, objet.cle, objet.taille, objet.etag, horloge().depuis_aws(objet.recu_le)
    )


@bp.on_sqs_message(queue="segurnum-depot-zip", batch_size=1, name="depot_zip")
@observe
def depot_zip(event: Any) -> dict[str, Any]:
    return _traiter_lot(event, _zip_recu)


MARGE_IMPORT_MS = 60_000  # a run stops (and asks again) a minute before its timeout


@bp.on_sqs_message(queue="segurnum-depot-import", batch_size=1, name="depot_import")
@observe
def depot_import(event: Any) -> dict[str, Any]:
    """The import of a dépôt (POST /depots/{id}/import): resumable, one run at a time."""
    from services.depot.adapters.sqs import import_demande
    from shared.lots_sqs import Message, traiter_lot

    contexte = event.context

    def continuer() -> bool:
        reste = getattr(contexte, "get_remaining_time_in_millis", None)
        return reste is None or int(reste()) > MARGE_IMPORT_MS

    def record_handler(message: Message) -> None:
        id_depot, auteur = import_demande(message.body)
        composants().importer.executer(id_depot, auteur, continuer)

    composants()  # before the batch, as _traiter_lot
    return traiter_lot(event.to_dict(), record_handler)


@bp.route("/depots", methods=["POST"], authorizer=cognito)
@contrat(
    "Ouvrir un dépôt: le POST présigné du fichier JSON des demandes",
    corps=f"{MODELES}:DemarrerDepotRequete",
    reponses={201: f"{MODELES}:VueDepotDemarre"},
    groupe=GROUPE_EDITEURS,
    erreurs=(409,),
)
def demarrer_depot() -> Any:
    """D2: type, numéro ANS, taux de TVA → the dépôt and a presigned POST for the JSON."""
    from services.depot.api_modeles import DemarrerDepotRequete
    from services.depot.vues import vue_depot_demarre

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    demande = corps(bp.current_request, DemarrerDepotRequete)

    def action() -> Any:
        demarre = composants().demarrer(
            str(qui.siret),
            demande.type_demande,
            demande.numero_ans,
            demande.taux_tva,
            demande.nom_fichier,
            demande.modification,
        )
        return reponse(vue_depot_demarre(demarre), 201)

    return action()


@bp.route("/depots", methods=["GET"], authorizer=cognito)
@contrat(
    "Les dépôts de l'éditeur, du plus récent au plus ancien (paginé)",
    parametres=f"{MODELES}:ListeParametres",
    reponses={200: f"{MODELES}:PageDepots"},
    groupe=GROUPE_EDITEURS,
)
def lister_depots() -> Any:
    from services.depot.api_modeles import ListeParametres, PageDepots
    from services.depot.vues import vue_depot

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    p = parametres(bp.current_request, ListeParametres)
    siret = str(qui.siret)
    # The cursor is the GSI query's LastEvaluatedKey: checked to stay in the caller's partition.
    depart = decoder_curseur(
        p.curseur, ("PK", "SK", "GSI1PK", "GSI1SK"), {"GSI1PK": f"EDITEUR#{siret}"}
    )
    depots, suite = composants().consultation.page_depots(siret, p.limite, depart)
    page = PageDepots(
        elements=[vue_depot(d) for d in depots],
        curseur_suivant=encoder_curseur(suite),
    )
    return reponse(page)


@bp.route("/depots/{id_depot}", methods=["GET"], authorizer=cognito)
@contrat(
    "Un dépôt: statut, compte rendu, ZIP reçus, dossiers et pièces manquantes",
    reponses={200: f"{MODELES}:VueDepotDetaille"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404,),
)
def lire_depot(id_depot: str) -> Any:
    """Status, compte rendu (§6) and, once imported, the ZIPs and incomplete dossiers."""
    from services.depot.vues import vue_depot_detaille

    qui = exiger(bp.current_request, GROUPE_EDITEURS)

    def action() -> Any:
        c = composants()
        depot, compte_rendu = c.consultation.depot_et_compte_rendu(id_depot, str(qui.siret))
        pieces = c.consulter_pieces(id_depot, str(qui.siret))
        return reponse(vue_depot_detaille(depot, compte_rendu, pieces))

    return action()


@bp.route("/depots/{id_depot}/fichier-annote", methods=["GET"], authorizer=cognito)
@contrat(
    "Le fichier déposé, annoté ligne par ligne (idFichier, codeTraitement…)",
    groupe=GROUPE_EDITEURS,
    erreurs=(404, 409),
)
def fichier_annote(id_depot: str) -> Any:
    qui = exiger(bp.current_request, GROUPE_EDITEURS)

    def action() -> Any:
        contenu = composants().consultation.lire_fichier_annote(id_depot, str(qui.siret))
        return Response(
            body=contenu,
            status_code=200,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{id_depot}-annote.json"',
            },
        )

    return action()


@bp.route("/depots/{id_depot}/import", methods=["POST"], authorizer=cognito)
@contrat(
    "Importer les lignes importables: un dossier par ligne",
    reponses={200: f"{MODELES}:VueDepot", 202: f"{MODELES}:VueDepot"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404, 409),
)
def importer(id_depot: str) -> Any:
    """D4: one dossier per importable line, written from the import queue (202 at once)."""
    from services.depot.vues import vue_depot

    qui = exiger(bp.current_request, GROUPE_EDITEURS)

    def action() -> Any:
        depot = composants().demander_import(id_depot, str(qui.siret), qui.auteur)
        # 202: the import runs from its queue; GET /depots/{id} shows its progress.
        return reponse(vue_depot(depot), 202)

    return action()


@bp.route("/depots/{id_depot}/pieces", methods=["POST"], authorizer=cognito)
@contrat(
    "Le POST présigné d'un ZIP de pièces justificatives (200 Mo au plus)",
    corps=f"{MODELES}:Vide",
    reponses={201: f"{MODELES}:VueEnvoiPieces"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404, 409),
)
def autoriser_pieces(id_depot: str) -> Any:
    """D5: a presigned POST for the ZIP of pièces (≤ 200 MB), shaped like POST /depots'."""
    from services.depot.api_modeles import Vide, VueEnvoiPieces
    from services.depot.vues import vue_envoi

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    corps(bp.current_request, Vide, facultatif=True)

    def action() -> Any:
        envoi = vue_envoi(composants().autoriser_zip(id_depot, str(qui.siret)))
        return reponse(VueEnvoiPieces(id_depot=id_depot, envoi=envoi), 201)

    return action()


@bp.route("/depots/{id_depot}/terminer", methods=["POST"], authorizer=cognito)
@contrat(
    "Terminer le dépôt: la liste des dossiers encore incomplets",
    corps=f"{MODELES}:Vide",
    reponses={200: f"{MODELES}:VueTerminer"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404, 409),
)
def terminer(id_depot: str) -> Any:
    from services.depot.api_modeles import Vide
    from services.depot.vues import vue_terminer

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    corps(bp.current_request, Vide, facultatif=True)
    return reponse(vue_terminer(composants().terminer(id_depot, str(qui.siret))))


# The éditeur's dossiers moved to the instruction blueprint: GET /dossiers, /dossiers/{n}.
# The pièces complémentaires of a dossier are ZIPs: the dépôt's, under /dossiers/{n}/.


@bp.route("/dossiers/{numero_asp}/pieces-complementaires", methods=["POST"], authorizer=cognito)
@contrat(
    "Le POST présigné du ZIP des pièces complémentaires demandées (200 Mo au plus)",
    corps=f"{MODELES}:Vide",
    reponses={201: f"{MODELES}:VueEnvoiComplementaires"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404, 409),
)
def autoriser_pieces_complementaires(numero_asp: str) -> Any:
    """Only while a demande of the dossier waits in EN_ATTENTE_PIECES; checked at
    reception with the ZIP rules of a dépôt, against the pièces asked."""
    from services.depot.api_modeles import Vide, VueEnvoiComplementaires
    from services.depot.vues import vue_envoi

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    corps(bp.current_request, Vide, facultatif=True)
    numero = numero_asp_du_chemin(numero_asp)

    def action() -> Any:
        envoi = vue_envoi(composants().autoriser_complements(numero, str(qui.siret)))
        return reponse(VueEnvoiComplementaires(numero_asp=numero, envoi=envoi), 201)

    return action()


@bp.route("/dossiers/{numero_asp}/pieces-complementaires", methods=["GET"], authorizer=cognito)
@contrat(
    "Les pièces complémentaires demandées et les ZIP envoyés, avec leur statut et erreurs",
    reponses={200: f"{MODELES}:VuePiecesComplementaires"},
    groupe=GROUPE_EDITEURS,
    erreurs=(404,),
)
def lire_pieces_complementaires(numero_asp: str) -> Any:
    from services.depot.vues import vue_pieces_complementaires

    qui = exiger(bp.current_request, GROUPE_EDITEURS)
    numero = numero_asp_du_chemin(numero_asp)

    def action() -> Any:
        etat = composants().consulter_complements(numero, str(qui.siret))
        return reponse(vue_pieces_complementaires(etat))

    return action()
