"""D1–D2: start a dépôt. The éditeur is enrolled for the numéro ANS, the guichet is open,
the taux de TVA is one of the allowed ones; the answer carries a presigned POST for the JSON.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.depot.application.ports import Depots, Enrolements, EnvoiAutorise, Stockage
from services.depot.domain.depot import (
    TAILLE_MAX_JSON,
    AccesInterdit,
    Depot,
    DonneeInvalide,
    cle_json,
    lire_nom_fichier,
    lire_taux_tva,
    lire_type_demande,
    verifier_guichet,
)
from shared.campagnes import Campagne, TypeDemande, campagne_du_couloir
from shared.horloge import Horloge

logger = logging.getLogger(__name__)

EXPIRATION_ENVOI = timedelta(minutes=15)


@dataclass(frozen=True)
class DepotDemarre:
    depot: Depot
    envoi: EnvoiAutorise


def _campagne(couloir: str, instant: datetime) -> Campagne:
    try:
        return campagne_du_couloir(couloir, instant)
    except KeyError as exc:
        raise DonneeInvalide(
            "CAMPAGNE_INCONNUE", f"Aucune campagne de financement ne couvre le couloir {couloir}."
        ) from exc


class DemarrerDepot:
    def __init__(
        self,
        depots: Depots,
        enrolements: Enrolements,
        stockage: Stockage,
        horloge: Horloge,
        nouvel_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._depots = depots
        self._enrolements = enrolements
        self._stockage = stockage
        self._horloge = horloge
        self._nouvel_id = nouvel_id

    def __call__(
        self,
        siret: str,
        type_demande: object,
        numero_ans: str,
        taux_tva: object,
        nom_fichier: str | None = None,
        modification: bool = False,
    ) -> DepotDemarre:
        """`modification=True` opens an AVANCE dépôt after the avance deadline, for
        typeAction M lines only (the simulation rejects the C lines by the guichet rule)."""
        type_ = lire_type_demande(type_demande)
        taux = lire_taux_tva(taux_tva)
        nom = lire_nom_fichier(nom_fichier)
        referencement = self._enrolements.referencement(numero_ans)
        if referencement is None:
            raise DonneeInvalide(
                "NUMERO_ANS_INCONNU",
                f"Le numéro de référencement ANS {numero_ans} est inconnu du référentiel.",
            )
        enrolement = self._enrolements.enrolement(siret, numero_ans)
        if enrolement is None or not enrolement.valide:
            raise AccesInterdit(
                "EDITEUR_NON_ENROLE",
                f"Votre structure (SIRET {siret}) n'est pas enrôlée pour le référencement "
                f"ANS {numero_ans}: déposez d'abord une demande d'enrôlement.",
            )
        maintenant = self._horloge.maintenant()
        campagne = _campagne(referencement.couloir, maintenant)
        if modification and type_ is TypeDemande.AVANCE and maintenant >= campagne.ouverture:
            pass  # modifications of an avance: allowed after the deadline (G3)
        else:
            verifier_guichet(campagne, type_, maintenant)
        id_depot = self._nouvel_id()
        cle = cle_json(siret, id_depot, nom)
        depot = Depot.creer(
            id_depot=id_depot,
            siret=siret,
            numero_ans=numero_ans,
            couloir=referencement.couloir,
            campagne=campagne.id,
            type_demande=type_,
            taux_tva=taux,
            cree_le=maintenant,
            modification=modification,
            cle_json=cle,  # the only key this dépôt's JSON is taken from
        )
        # Signed before the write: once the dépôt is stored nothing else may fail.
        envoi = self._stockage.autoriser_envoi(cle, TAILLE_MAX_JSON, EXPIRATION_ENVOI)
        try:
            depot = self._depots.ajouter(depot)
        except Exception:
            # The write may have been applied though it answered an error: the éditeur
            # never gets this dépôt's id, so it must not stay in their list.
            try:
                self._depots.retirer_orphelin(id_depot)
            except Exception:  # the original failure is the one to report
                logger.exception("Dépôt %s peut-être orphelin.", id_depot)
            raise
        return DepotDemarre(depot, envoi)
