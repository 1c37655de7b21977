"""D3 on the platform: a JSON arrived in the dépôts bucket (S3 → SQS → handler).

The handler calls `TraiterJsonRecu` once per S3 record, with the key already URL-decoded.
The file is simulated with the platform's records; the compte rendu, the annotated file
and the importable lines are stored next to it, and the dépôt gets a summary.
Idempotent: a record seen twice (multipart uploads fire twice, SQS redelivers) changes
nothing; a newer upload to the same dépôt replaces the simulation, until the import starts.
"""

from __future__ import annotations

import logging
from datetime import datetime
from enum import StrEnum
from typing import Any

from services.depot.application.lignes import LigneAImporter, encoder_lignes
from services.depot.application.ports import (
    Annotateur,
    ContexteDepot,
    Depots,
    RegistrePlateforme,
    Simulateur,
    Stockage,
    VersionPerimee,
)
from services.depot.domain.depot import (
    RAPPORT_COMPTE_RENDU,
    RAPPORT_FICHIER_ANNOTE,
    RAPPORT_LIGNES,
    TAILLE_MAX_JSON,
    Depot,
    FichierRecu,
    ResumeSimulation,
    StatutDepot,
    analyser_cle_json,
    json_canonique,
)
from shared.campagnes import campagne
from shared.horloge import Horloge

logger = logging.getLogger(__name__)

TENTATIVES = 3


class IssueReception(StrEnum):
    IGNORE = "IGNORE"  # not a dépôt's JSON, unknown dépôt, another SIRET, object gone
    DEJA_TRAITE = "DEJA_TRAITE"  # this very upload was already simulated
    PERIME = "PERIME"  # an older upload than the one already simulated
    APRES_IMPORT = "APRES_IMPORT"  # the dépôt is imported: the file replaces nothing
    SIMULE = "SIMULE"
    REJETE = "REJETE"  # simulated, and rejected as a whole


def _entier(valeur: object, defaut: int) -> int:
    return valeur if isinstance(valeur, int) and not isinstance(valeur, bool) else defaut


class TraiterJsonRecu:
    def __init__(
        self,
        depots: Depots,
        stockage: Stockage,
        registre: RegistrePlateforme,
        horloge: Horloge,
        simuler: Simulateur,
        annoter: Annotateur | None = None,
    ) -> None:
        self._depots = depots
        self._stockage = stockage
        self._registre = registre
        self._horloge = horloge
        self._simuler = simuler
        self._annoter = annoter

    def __call__(
        self,
        bucket: str,
        cle: str,
        event_time: datetime,
        *,
        version_id: str | None = None,
        etag: str | None = None,
    ) -> IssueReception:
        """`cle` URL-decoded; `event_time` the S3 record's eventTime (with its zone);
        `version_id` / `etag` from the record when present (they make replays cheap)."""
        trace = {"bucket": bucket, "cle": cle}
        analysee = analyser_cle_json(cle)
        if analysee is None:
            logger.info("Objet ignoré: ce n'est pas le JSON d'un dépôt.", extra=trace)
            return IssueReception.IGNORE
        for _ in range(TENTATIVES):
            depot = self._depots.lire(analysee.id_depot)
            if depot is None:
                logger.warning("JSON reçu pour un dépôt inconnu: ignoré.", extra=trace)
                return IssueReception.IGNORE
            if depot.siret != analysee.siret:
                logger.warning("JSON reçu sous le SIRET d'un autre éditeur: ignoré.", extra=trace)
                return IssueReception.IGNORE
            if not depot.cle_attendue(cle):
                # Only the key signed for this dépôt counts, whatever else lands in its prefix.
                logger.warning(
                    "Objet ignoré: ce n'est pas la clé signée pour le JSON du dépôt.",
                    extra={**trace, "cleAttendue": depot.cle_json},
                )
                return IssueReception.IGNORE
            if (version_id and depot.deja_recu(version_id)) or (etag and depot.deja_recu(etag)):
                return IssueReception.DEJA_TRAITE
            try:
                return self._traiter(depot, cle, analysee.nom_fichier, event_time, version_id, etag)
            except VersionPerimee:
                logger.info("Dépôt modifié pendant la simulation: nouvel essai.", extra=trace)
        raise VersionPerimee(f"dépôt {analysee.id_depot}: trop d'écritures concurrentes")

    def _traiter(
        self,
        depot: Depot,
        cle: str,
        nom_fichier: str,
        event_time: datetime,
        version_id: str | None,
        etag: str | None,
    ) -> IssueReception:
        trace = {"idDepot": depot.id, "cle": cle}
        if depot.import_commence and (version_id or etag):
            # Not this file's replay (checked before): a new file can no longer replace it.
            logger.warning("JSON reçu après l'import du dépôt: ignoré.", extra=trace)
            return IssueReception.APRES_IMPORT
        objet = self._stockage.lire(cle, version_id=version_id, limite=TAILLE_MAX_JSON)
        if objet is None:
            logger.warning("Le JSON annoncé n'existe plus: ignoré.", extra=trace)
            return IssueReception.IGNORE
        if version_id is None and etag and etag.strip('"') != objet.etag:
            # Without versions, the key now holds a newer upload: its own event will come.
            logger.info("Événement d'un envoi remplacé depuis: ignoré.", extra=trace)
            return IssueReception.PERIME
        empreinte = version_id or objet.version_id or objet.etag
        if depot.deja_recu(empreinte):
            return IssueReception.DEJA_TRAITE
        recu_le = self._horloge.depuis_aws(event_time)
        if depot.fichier is not None and recu_le < depot.fichier.recu_le:
            logger.info("Envoi plus ancien que le fichier déjà simulé: ignoré.", extra=trace)
            return IssueReception.PERIME
        if depot.import_commence:
            logger.warning("JSON reçu après l'import du dépôt: ignoré.", extra=trace)
            return IssueReception.APRES_IMPORT
        depot = depot.recevoir_json(
            FichierRecu(
                cle=cle,
                nom=nom_fichier,
                empreinte=empreinte,
                recu_le=recu_le,
                taille=objet.taille,
                version_id=version_id or objet.version_id,
            )
        )
        contexte = ContexteDepot(
            type_demande=depot.type_demande,
            taux_tva=depot.taux_tva,
            couloir=depot.couloir,
            campagne=campagne(depot.campagne),
            numero_ans_attendu=depot.numero_ans,
            siret_attendu=depot.siret,
            recu_le=recu_le,
            date_depot=recu_le,
        )
        resultat = self._simuler(objet.contenu, nom_fichier, contexte, self._registre)
        compte_rendu: dict[str, Any] = {"idFichier": depot.id, **resultat.compte_rendu.to_dict()}
        lignes = [LigneAImporter.depuis(ligne) for ligne in resultat.lignes_importables]

        self._stockage.ecrire(depot.cle_rapport(RAPPORT_LIGNES), encoder_lignes(lignes))
        self._stockage.ecrire(
            depot.cle_rapport(RAPPORT_COMPTE_RENDU), json_canonique(compte_rendu).encode("utf-8")
        )
        if self._annoter is not None:
            try:
                annote = self._annoter(
                    objet.contenu, resultat.compte_rendu, depot.id, simulation=True
                )
            except Exception:  # the report matters more than its annotated copy
                logger.exception("Fichier annoté impossible à produire.", extra=trace)
            else:
                self._stockage.ecrire(depot.cle_rapport(RAPPORT_FICHIER_ANNOTE), annote)

        erreurs_fichier = compte_rendu.get("erreursFichier") or []
        resume = ResumeSimulation(
            nombre_lignes=_entier(compte_rendu.get("nombreLignes"), 0),
            lignes_importables=len(lignes),
            lignes_rejetees=_entier(compte_rendu.get("lignesRejetees"), 0),
            erreurs_fichier=len(erreurs_fichier) if isinstance(erreurs_fichier, list) else 1,
            simule_le=self._horloge.maintenant(),
        )
        depot = self._depots.enregistrer(depot.enregistrer_simulation(resume))
        logger.info(
            "JSON simulé.",
            extra={**trace, "statut": str(depot.statut), "importables": len(lignes)},
        )
        return (
            IssueReception.REJETE if depot.statut is StatutDepot.REJETE else IssueReception.SIMULE
        )
