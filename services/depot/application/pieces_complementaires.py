"""Pièces complémentaires (issue 9, I1 and the éditeur's side): a demande waiting in
EN_ATTENTE_PIECES resumes once the pièces its gestionnaire asked for are received and OK.

    AutoriserComplementaires ──presigned POST──▶ S3
        `pieces/{siret}/complements/{numeroAsp}/{uuid}.zip` ──SQS (ZIP queue)──▶
    TraiterComplementsRecus: same ZIP rules as a dépôt's ZIP (`verifier_archive`,
        `rapprocher`), against the pièces asked (`piecesDemandees` of the instruction
        state); OK → pièces stored with the dossier's, ReponseEditeur
        PIECES_COMPLEMENTAIRES_RECUES → the instruction resumes the demande.

The ZIPs of a dossier are followed like a dépôt's (`SuiviZips`), under the identifier
`COMPLEMENTS-{numeroAsp}`: one record per key, a (key, ETag) processed once, only issued
keys processed. A retry of an interrupted run redoes idempotent steps only (copies and
pièce records overwrite; a second ReponseEditeur is ignored by the instruction once the
demande no longer waits).
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from lecteur_zip import verifier_archive
from services.depot.application.pieces import (
    DUREE_ENVOI,
    TAILLE_MAX_ZIP,
    CopiePieces,
    Debut,
    PieceRecue,
    PiecesDossiers,
    SourcesZip,
    StatutZip,
    SuiviZips,
    ZipDepose,
    cle_piece,
)
from services.depot.application.ports import (
    Dossiers,
    EnvoiAutorise,
    ReponsesInstruction,
    Stockage,
)
from services.depot.domain.depot import Conflit, Dossier, Introuvable
from services.depot.domain.reconciliation import normaliser_nom, rapprocher
from shared.etat_instruction import EtatInstruction
from shared.horloge import Horloge, exiger_fuseau
from shared.messages import ActionEditeur, ReponseEditeur
from shared.statuts import LIBELLES_DEMANDE, StatutDemande

logger = logging.getLogger(__name__)

_CLE = re.compile(
    r"pieces/(?P<siret>[0-9]{14})/complements/(?P<numero>[A-Z0-9]{1,32})/[0-9a-f]{32}\.zip"
)


def cle_complements(siret: str, numero_asp: str, identifiant: str) -> str:
    """Under `pieces/`: the ZIP queue receives it (the bucket's notification)."""
    return f"pieces/{siret}/complements/{numero_asp}/{identifiant}.zip"


def analyser_cle_complements(cle: str) -> tuple[str, str] | None:
    """(siret, numeroAsp) of a ZIP of pièces complémentaires, or None."""
    trouve = _CLE.fullmatch(cle)
    return None if trouve is None else (trouve["siret"], trouve["numero"])


def suivi_complements(numero_asp: str) -> str:
    """The identifier the dossier's ZIPs of pièces complémentaires are followed under."""
    return f"COMPLEMENTS-{numero_asp}"


class EtatsInstruction(Protocol):
    """The instruction states of a dossier's demandes (shared contract, read only)."""

    def demandes(self, numero_asp: str) -> list[EtatInstruction]: ...


def _dossier_de(dossiers: Dossiers, numero_asp: str, siret: str) -> Dossier:
    dossier = dossiers.lire(numero_asp)
    if dossier is None or dossier.siret != siret:
        # Another éditeur's dossier: exactly like an unknown one.
        raise Introuvable("DOSSIER_INTROUVABLE", f"Le dossier {numero_asp} n'existe pas.")
    return dossier


def _en_attente(etats: Sequence[EtatInstruction]) -> list[EtatInstruction]:
    return [e for e in etats if e.statut is StatutDemande.EN_ATTENTE_PIECES]


def _etats_en_clair(etats: Sequence[EtatInstruction]) -> str:
    if not etats:
        return "aucune de ses demandes n'est en instruction"
    return ", ".join(
        f"la demande {'de solde' if e.type_demande == 'SOLDE' else 'd’avance'} est « "
        f"{LIBELLES_DEMANDE[e.statut]} »"
        for e in etats
    )


@dataclass(frozen=True)
class EtatComplements:
    """`GET /dossiers/{n}/pieces-complementaires`: what is asked, and the ZIPs sent."""

    numero_asp: str
    attendues: tuple[EtatInstruction, ...]
    zips: tuple[ZipDepose, ...]


class AutoriserComplementaires:
    """`POST /dossiers/{n}/pieces-complementaires`: a presigned POST for one ZIP."""

    def __init__(
        self,
        dossiers: Dossiers,
        etats: EtatsInstruction,
        stockage: Stockage,
        zips: SuiviZips,
        horloge: Horloge,
    ) -> None:
        self._dossiers = dossiers
        self._etats = etats
        self._stockage = stockage
        self._zips = zips
        self._horloge = horloge

    def __call__(self, numero_asp: str, siret: str) -> EnvoiAutorise:
        dossier = _dossier_de(self._dossiers, numero_asp, siret)
        etats = self._etats.demandes(dossier.numero_asp)
        if not _en_attente(etats):
            raise Conflit(
                "PIECES_COMPLEMENTAIRES_NON_ATTENDUES",
                f"Le dossier {dossier.numero_asp} n'attend pas de pièces complémentaires "
                f"({_etats_en_clair(etats)}): un ZIP n'est accepté que pour une demande « "
                f"{LIBELLES_DEMANDE[StatutDemande.EN_ATTENTE_PIECES]} ».",
            )
        cle = cle_complements(dossier.siret, dossier.numero_asp, uuid.uuid4().hex)
        envoi = self._stockage.autoriser_envoi(cle, TAILLE_MAX_ZIP, DUREE_ENVOI)
        self._zips.enregistrer_attente(
            suivi_complements(dossier.numero_asp), cle, self._horloge.maintenant()
        )
        return envoi


class ConsulterComplementaires:
    def __init__(self, dossiers: Dossiers, etats: EtatsInstruction, zips: SuiviZips) -> None:
        self._dossiers = dossiers
        self._etats = etats
        self._zips = zips

    def __call__(self, numero_asp: str, siret: str) -> EtatComplements:
        dossier = _dossier_de(self._dossiers, numero_asp, siret)
        return EtatComplements(
            dossier.numero_asp,
            tuple(_en_attente(self._etats.demandes(dossier.numero_asp))),
            tuple(self._zips.lister(suivi_complements(dossier.numero_asp))),
        )


def _erreur(fichier: str | None, code: str, message: str) -> dict[str, str | None]:
    return {"fichier": fichier, "code": code, "message": message}


class TraiterComplementsRecus:
    """The S3 event (via the ZIP queue) of a ZIP of pièces complémentaires."""

    def __init__(
        self,
        dossiers: Dossiers,
        etats: EtatsInstruction,
        zips: SuiviZips,
        pieces: PiecesDossiers,
        sources: SourcesZip,
        copie: CopiePieces,
        reponses: ReponsesInstruction,
        horloge: Horloge,
    ) -> None:
        self._dossiers = dossiers
        self._etats = etats
        self._zips = zips
        self._pieces = pieces
        self._sources = sources
        self._copie = copie
        self._reponses = reponses
        self._horloge = horloge

    def __call__(self, bucket: str, key: str, taille: int, etag: str, recu_le: datetime) -> str:
        """The ZIP's statut: OK, REJETE, or IGNORE (not ours, duplicate, not issued)."""
        etag = etag.strip('"')
        analyse = analyser_cle_complements(key)
        if analyse is None:
            return "IGNORE"
        siret, numero = analyse
        dossier = self._dossiers.lire(numero)
        if dossier is None or dossier.siret != siret:
            logger.warning("Archive %s ignorée: dossier inconnu ou d'un autre éditeur.", key)
            return "IGNORE"
        suivi = suivi_complements(numero)
        debut = self._zips.commencer(
            suivi, key, etag, taille, exiger_fuseau(recu_le).astimezone(UTC)
        )
        if debut in (Debut.DEJA_TRAITE, Debut.NON_AUTORISE):
            logger.info("Archive %s ignorée (%s).", key, debut)
            return "IGNORE"

        attente = _en_attente(self._etats.demandes(numero))
        resultat = verifier_archive(self._sources.ouvrir(bucket, key, taille, etag))
        maintenant = self._horloge.maintenant()
        if not attente and debut is Debut.REPRISE:
            # The run before answered the instruction (the demande resumed), then stopped.
            noms = tuple(resultat.noms) if resultat is not None else ()
            self._zips.terminer(suivi, key, etag, StatutZip.OK, (), noms, maintenant)
            return str(StatutZip.OK)
        # {nom asked: [(0, pointer)]}: the same reconciliation as a dépôt's ZIP
        attendues: dict[str, list[tuple[int, str]]] = {}
        for etat in attente:
            for j, nom in enumerate(etat.pieces_demandees):
                attendues.setdefault(normaliser_nom(nom), []).append(
                    (0, f"/{etat.type_demande}/piecesDemandees/{j}")
                )
        rapprochement = rapprocher(resultat, attendues)
        demandees = ", ".join(f"« {n} »" for n in attendues) or "aucune"
        erreurs: list[dict[str, str | None]] = []
        for probleme in rapprochement.erreurs_pieces_json():
            if probleme.get("code") == "PIECE_NON_REFERENCEE":
                probleme = _erreur(
                    probleme.get("fichier"),
                    "PIECE_NON_DEMANDEE",
                    f"La pièce « {probleme.get('fichier')} » n'est pas une des pièces "
                    f"complémentaires demandées ({demandees}): retirez-la de l'archive.",
                )
            erreurs.append(probleme)
        presents = {m.nom for m in rapprochement.pieces_a_conserver}
        completes = [
            e for e in attente if all(normaliser_nom(n) in presents for n in e.pieces_demandees)
        ]
        if not attente:
            erreurs.append(
                _erreur(
                    None,
                    "PIECES_COMPLEMENTAIRES_NON_ATTENDUES",
                    f"Le dossier {numero} n'attend plus de pièces complémentaires: archive "
                    "non prise en compte.",
                )
            )
        elif rapprochement.accepte and attente and not completes:
            for nom in attendues:
                if nom not in presents:
                    erreurs.append(
                        _erreur(
                            nom,
                            "PIECE_MANQUANTE",
                            f"La pièce complémentaire demandée « {nom} » n'est pas dans "
                            "l'archive: déposez une archive avec toutes les pièces demandées.",
                        )
                    )
        if erreurs or not rapprochement.accepte:
            self._zips.terminer(suivi, key, etag, StatutZip.REJETE, erreurs, (), maintenant)
            return str(StatutZip.REJETE)

        for membre in rapprochement.pieces_a_conserver:
            destination = cle_piece(numero, membre.nom)
            self._copie.copier(bucket, key, etag, membre, destination)
            for etat in attente:
                if membre.nom in {normaliser_nom(n) for n in etat.pieces_demandees}:
                    self._pieces.enregistrer(
                        PieceRecue(
                            numero, etat.type_demande, membre.nom, destination, key, maintenant
                        )
                    )
        for etat in completes:
            self._reponses.envoyer(
                ReponseEditeur(
                    numeroAsp=numero,
                    typeDemande=etat.type_demande,
                    action=ActionEditeur.PIECES_COMPLEMENTAIRES_RECUES,
                    qui=f"éditeur {siret}",
                    instant=maintenant,
                    details={
                        "archive": key.rsplit("/", 1)[-1],
                        "pieces": sorted(presents),
                    },
                )
            )
        conservees = tuple(m.nom for m in rapprochement.pieces_a_conserver)
        self._zips.terminer(suivi, key, etag, StatutZip.OK, erreurs, conservees, maintenant)
        return str(StatutZip.OK)
