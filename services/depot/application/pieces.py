"""Pièces justificatives on the platform (issue 4, item 4; format MS v1 §5, §6).

    AutoriserZip ──presigned POST──▶ S3 `pieces/{siret}/{idDepot}/{uuid}.zip` ──SQS──▶
    TraiterZipRecu: EN_ATTENTE → EN_COURS_DE_VERIFICATION → OK | REJETE (erreursPieces)

An accepted ZIP's pièces are copied per dossier to the documents bucket and recorded on the
dossier; a dossier whose expected pièces are all present goes INCOMPLET → EN_COURS and its
instruction starts. `Terminer` closes the dépôt and lists what remains incomplete.

Idempotence: one ZIP record per key; a (key, ETag) already OK or REJETE is not processed
again; a retry of an interrupted run redoes only idempotent steps (copies overwrite the
same object, pièce records are upserts, the dossier transition is guarded by its version,
the instruction start is named `{numeroAsp}-{typeDemande}-{version}`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from lecteur_zip import (
    MO,
    MembreArchive,
    SourceAleatoire,
    verifier_archive,
)
from services.depot.application.acces import depot_de
from services.depot.application.ports import (
    Depots,
    Dossiers,
    EnvoiAutorise,
    Stockage,
    VersionPerimee,
)
from services.depot.domain.depot import (
    Conflit,
    Depot,
    Dossier,
    StatutDepot,
    analyser_cle_zip,
    cle_zip,
)
from services.depot.domain.reconciliation import normaliser_nom, rapprocher
from shared.campagnes import TypeDemande
from shared.horloge import Horloge, exiger_fuseau
from shared.messages import InstructionDemandee
from shared.statuts import StatutDemande

logger = logging.getLogger(__name__)

TAILLE_MAX_ZIP = 200 * MO
DUREE_ENVOI = timedelta(minutes=15)
TENTATIVES = 5


def cle_piece(numero_asp: str, nom_fichier: str) -> str:
    """Where a pièce of a dossier is kept in the documents bucket."""
    return f"dossiers/{numero_asp}/pieces/{nom_fichier}"


# --- The ZIP records of a dépôt ------------------------------------------------------------


class StatutZip(StrEnum):
    EN_ATTENTE = "EN_ATTENTE"
    EN_COURS_DE_VERIFICATION = "EN_COURS_DE_VERIFICATION"
    OK = "OK"
    REJETE = "REJETE"


@dataclass(frozen=True)
class ZipDepose:
    """One ZIP of a dépôt, as `GET /depots/{id}` shows it (list `zips`)."""

    id_depot: str
    cle: str
    statut: StatutZip
    autorise_le: datetime | None = None
    recu_le: datetime | None = None
    etag: str | None = None
    taille: int | None = None
    verifie_le: datetime | None = None
    erreurs_pieces: tuple[Mapping[str, str | None], ...] = ()
    pieces: tuple[str, ...] = ()  # names kept (OK only)

    @property
    def nom(self) -> str:
        return self.cle.rsplit("/", 1)[-1]


class Debut(StrEnum):
    NOUVEAU = "NOUVEAU"  # first processing of this (key, ETag)
    REPRISE = "REPRISE"  # a previous run for this (key, ETag) did not finish
    DEJA_TRAITE = "DEJA_TRAITE"  # OK or REJETE already: a duplicate event
    NON_AUTORISE = "NON_AUTORISE"  # no upload of this key was authorised for the dépôt


class SuiviZips(Protocol):
    """The ZIP records of the dépôts."""

    def enregistrer_attente(self, id_depot: str, cle: str, le: datetime) -> None:
        """Creates the record EN_ATTENTE (the upload was authorised)."""
        ...

    def commencer(
        self, id_depot: str, cle: str, etag: str, taille: int, recu_le: datetime
    ) -> Debut:
        """Atomically: if this key was authorised for the dépôt (its EN_ATTENTE record)
        and this (cle, etag) is not already OK or REJETE, set it EN_COURS_DE_VERIFICATION
        and say whether a previous run for the same ETag had started."""
        ...

    def terminer(
        self,
        id_depot: str,
        cle: str,
        etag: str,
        statut: StatutZip,
        erreurs_pieces: Sequence[Mapping[str, str | None]],
        pieces: Sequence[str],
        le: datetime,
    ) -> None: ...

    def lister(self, id_depot: str) -> list[ZipDepose]:
        """The dépôt's ZIPs, oldest authorisation first."""
        ...


@dataclass(frozen=True)
class PieceRecue:
    numero_asp: str
    type_demande: TypeDemande
    nom_fichier: str  # NFC
    cle_document: str
    cle_zip: str
    recue_le: datetime


class PiecesDossiers(Protocol):
    """The pièces stored per dossier, and the completion of a dossier."""

    def recues(self, numero_asp: str, type_demande: TypeDemande) -> dict[str, str]:
        """The pièces already stored for that demande of the dossier: name (NFC) → key of
        the ZIP it came from (a resumed run skips what it already copied and recorded)."""
        ...

    def enregistrer(self, piece: PieceRecue) -> None:
        """Upsert of the pièce record (a retry rewrites the same record)."""
        ...

    def completer(self, dossier: Dossier, type_demande: TypeDemande, le: datetime) -> Dossier:
        """INCOMPLET → EN_COURS for that demande (the avance: the dossier's statut; the
        solde: `solde.statut`), if the stored version is still `dossier.version`; returns
        the dossier as written (version + 1). Raises VersionPerimee otherwise."""
        ...

    def noter_manquantes(
        self, numero_asp: str, type_demande: TypeDemande, manquantes: Sequence[str]
    ) -> None:
        """Records `piecesManquantes` on the dossier (informative: derived data)."""
        ...


class SourcesZip(Protocol):
    def ouvrir(self, bucket: str, cle: str, taille: int, etag: str) -> SourceAleatoire:
        """The uploaded archive as a ranged source pinned to that ETag."""
        ...


class CopiePieces(Protocol):
    def copier(
        self, bucket: str, cle_zip: str, etag: str, membre: MembreArchive, cle_destination: str
    ) -> None:
        """Copies one accepted member to the documents bucket at `cle_destination`."""
        ...


class Instruction(Protocol):
    def demarrer(self, demande: InstructionDemandee) -> None:
        """Starts the instruction of a complete dossier; a duplicate starts nothing."""
        ...


# --- What a dossier expects -----------------------------------------------------------------


def _type_depot(depot: Depot) -> TypeDemande:
    return depot.type_demande


def pieces_attendues(dossier: Dossier, type_demande: TypeDemande) -> list[tuple[str, str]]:
    """[(nomFichier NFC, pointer inside the demande)] expected for that demande.

    The pointer is relative to the demande (`/piecesJustificatives/{j}/nomFichier`): its
    index in the deposited file is not kept on the dossier; `numLigne` names the line.
    """
    if type_demande is TypeDemande.SOLDE:
        solde = dossier.solde or {}
        pieces: Any = solde.get("pieces") or []
    else:
        pieces = dossier.pieces
    attendues: list[tuple[str, str]] = []
    for j, piece in enumerate(pieces):
        nom = piece.get("nomFichier") if isinstance(piece, Mapping) else None
        if isinstance(nom, str) and nom:
            attendues.append((normaliser_nom(nom), f"/piecesJustificatives/{j}/nomFichier"))
    return attendues


def statut_demande(dossier: Dossier, type_demande: TypeDemande) -> str:
    if type_demande is TypeDemande.SOLDE:
        return str((dossier.solde or {}).get("statut", StatutDemande.INCOMPLET))
    return str(dossier.statut)


def _montant_finance(dossier: Dossier, type_demande: TypeDemande) -> str:
    if type_demande is TypeDemande.SOLDE:
        montants: Any = (dossier.solde or {}).get("montants") or {}
    else:
        montants = dossier.montants
    return str(montants.get("montantFinance", "0.00"))


@dataclass(frozen=True)
class DossierIncomplet:
    numero_asp: str
    num_ligne: int
    pieces_manquantes: tuple[str, ...]


@dataclass(frozen=True)
class EtatDossier:
    numero_asp: str
    num_ligne: int
    statut: str
    pieces_manquantes: tuple[str, ...]


def _dossiers_du_depot(
    depot: Depot, dossiers: Dossiers, resume: bool = False
) -> list[tuple[int, Dossier]]:
    """The dépôt's dossiers, read in batches (not one read per dossier)."""
    numeros = depot.numeros_asp.values()
    lus = dossiers.lire_plusieurs(numeros, resume=resume) if numeros else {}
    trouves: list[tuple[int, Dossier]] = []
    for num_ligne, numero in sorted(depot.numeros_asp.items()):
        dossier = lus.get(numero)
        if dossier is None:
            logger.error("Dossier %s du dépôt %s introuvable.", numero, depot.id)
            continue
        trouves.append((num_ligne, dossier))
    return trouves


def manquantes_enregistrees(dossier: Dossier, type_demande: TypeDemande) -> tuple[str, ...] | None:
    """The pièces still expected, as recorded on the dossier (None: not recorded)."""
    if type_demande is TypeDemande.SOLDE:
        brutes = (dossier.solde or {}).get("piecesManquantes")
        return None if brutes is None else tuple(str(n) for n in brutes)
    return dossier.pieces_manquantes


def _etats(depot: Depot, dossiers: Dossiers, pieces: PiecesDossiers) -> list[EtatDossier]:
    type_demande = _type_depot(depot)
    etats: list[EtatDossier] = []
    for num_ligne, dossier in _dossiers_du_depot(depot, dossiers, resume=True):
        manquantes = manquantes_enregistrees(dossier, type_demande)
        if manquantes is None:  # an older dossier: from its pièces and pièce records
            dossier = dossiers.lire(dossier.numero_asp) or dossier
            recues = pieces.recues(dossier.numero_asp, type_demande)
            manquantes = tuple(
                dict.fromkeys(
                    nom for nom, _ in pieces_attendues(dossier, type_demande) if nom not in recues
                )
            )
        etats.append(
            EtatDossier(
                dossier.numero_asp, num_ligne, statut_demande(dossier, type_demande), manquantes
            )
        )
    return etats


# --- Use cases ------------------------------------------------------------------------------


class AutoriserZip:
    """`POST /depots/{id}/pieces`: a presigned POST for one ZIP (≤ 200 MB)."""

    def __init__(
        self, depots: Depots, stockage: Stockage, zips: SuiviZips, horloge: Horloge
    ) -> None:
        self._depots = depots
        self._stockage = stockage
        self._zips = zips
        self._horloge = horloge

    def __call__(self, id_depot: str, siret: str) -> EnvoiAutorise:
        depot = depot_de(self._depots, id_depot, siret)
        if depot.statut is StatutDepot.TERMINE:
            raise Conflit(
                "DEPOT_TERMINE",
                "Ce dépôt est terminé : il n'accepte plus de pièces. Pour compléter un dossier "
                "incomplet, ouvrez un nouveau dépôt (POST /depots) avec une ligne de "
                "modification (typeAction M) pour ce dossier, puis déposez son ZIP de pièces.",
            )
        if depot.statut is not StatutDepot.IMPORTE:
            raise Conflit(
                "DEPOT_NON_IMPORTE",
                "Les pièces justificatives se déposent après l'import des demandes : "
                "importez d'abord le fichier de ce dépôt.",
            )
        cle = cle_zip(depot.siret, depot.id, uuid.uuid4().hex)
        envoi = self._stockage.autoriser_envoi(cle, TAILLE_MAX_ZIP, DUREE_ENVOI)
        self._zips.enregistrer_attente(depot.id, cle, self._horloge.maintenant())
        return envoi


class IssueZip(StrEnum):
    IGNORE = "IGNORE"  # not a ZIP key, unknown dépôt, dépôt not imported
    DOUBLON = "DOUBLON"  # (key, ETag) already processed
    OK = "OK"
    REJETE = "REJETE"


@dataclass(frozen=True)
class ResultatZip:
    issue: IssueZip
    erreurs_pieces: tuple[Mapping[str, str | None], ...] = ()
    pieces_conservees: tuple[str, ...] = ()
    completes: tuple[str, ...] = ()  # numeroASP that became complete (instruction started)
    incomplets: tuple[DossierIncomplet, ...] = ()
    erreurs_lignes: Mapping[int, list[dict[str, str]]] = field(default_factory=dict)


def _ecrit_par_nous(relu: Dossier, avant: Dossier, type_demande: TypeDemande, le: datetime) -> bool:
    """The dossier as our completion writes it: EN_COURS, the next version, our instant
    (to the microsecond: no other writer has it)."""
    return (
        relu.version == avant.version + 1
        and relu.modifie_le == le
        and statut_demande(relu, type_demande) == StatutDemande.EN_COURS
    )


class TraiterZipRecu:
    """The S3 event (via SQS) of an uploaded ZIP: check, reconcile, store, complete."""

    def __init__(
        self,
        depots: Depots,
        dossiers: Dossiers,
        zips: SuiviZips,
        pieces: PiecesDossiers,
        sources: SourcesZip,
        copie: CopiePieces,
        instruction: Instruction,
        horloge: Horloge,
    ) -> None:
        self._depots = depots
        self._dossiers = dossiers
        self._zips = zips
        self._pieces = pieces
        self._sources = sources
        self._copie = copie
        self._instruction = instruction
        self._horloge = horloge

    def __call__(
        self, bucket: str, key: str, taille: int, etag: str, recu_le: datetime
    ) -> ResultatZip:
        etag = etag.strip('"')
        analyse = analyser_cle_zip(key)
        if analyse is None:
            logger.warning("Objet %s ignoré: ce n'est pas une archive de pièces.", key)
            return ResultatZip(IssueZip.IGNORE)
        depot = self._depots.lire(analyse.id_depot)
        if depot is None or depot.siret != analyse.siret:
            logger.warning("Archive %s ignorée: dépôt inconnu ou d'un autre éditeur.", key)
            return ResultatZip(IssueZip.IGNORE)
        if depot.statut not in (StatutDepot.IMPORTE, StatutDepot.TERMINE):
            logger.warning("Archive %s ignorée: le dépôt n'est pas importé.", key)
            return ResultatZip(IssueZip.IGNORE)
        debut = self._zips.commencer(
            depot.id, key, etag, taille, exiger_fuseau(recu_le).astimezone(UTC)
        )
        if debut is Debut.DEJA_TRAITE:
            logger.info("Archive %s (ETag %s) déjà traitée: rien à refaire.", key, etag)
            return ResultatZip(IssueZip.DOUBLON)
        if debut is Debut.NON_AUTORISE:
            # Only the keys issued by POST /depots/{id}/pieces count, whatever else lands.
            logger.warning("Archive %s ignorée: aucun envoi de cette clé n'a été autorisé.", key)
            return ResultatZip(IssueZip.IGNORE)

        type_demande = _type_depot(depot)
        concernes = _dossiers_du_depot(depot, self._dossiers)
        attendues: dict[str, list[tuple[int, str]]] = {}
        par_nom: dict[str, list[str]] = {}
        deja_recues: set[str] = set()
        recues_par_dossier: dict[str, set[str]] = {}
        faites: set[tuple[str, str]] = set()  # (numeroAsp, name) this ZIP's earlier run did
        for num_ligne, dossier in concernes:
            recues = self._pieces.recues(dossier.numero_asp, type_demande)
            recues_par_dossier[dossier.numero_asp] = set(recues)
            if debut is Debut.REPRISE:
                faites |= {(dossier.numero_asp, n) for n, zip_ in recues.items() if zip_ == key}
            deja_recues.update(n for n, zip_ in recues.items() if zip_ != key)
            for nom, chemin in pieces_attendues(dossier, type_demande):
                attendues.setdefault(nom, []).append((num_ligne, chemin))
                par_nom.setdefault(nom, []).append(dossier.numero_asp)

        resultat = verifier_archive(self._sources.ouvrir(bucket, key, taille, etag))
        rapprochement = rapprocher(resultat, attendues, deja_recues)
        maintenant = self._horloge.maintenant()
        erreurs = rapprochement.erreurs_pieces_json()

        if not rapprochement.accepte:
            self._zips.terminer(depot.id, key, etag, StatutZip.REJETE, erreurs, (), maintenant)
            return ResultatZip(
                IssueZip.REJETE,
                erreurs_pieces=tuple(erreurs),
                incomplets=tuple(self._incomplets(depot)),
                erreurs_lignes=rapprochement.erreurs_par_ligne(),
            )

        apportees: dict[str, set[str]] = {}
        for membre in rapprochement.pieces_a_conserver:
            for numero in dict.fromkeys(par_nom.get(membre.nom, [])):
                recues_par_dossier.setdefault(numero, set()).add(membre.nom)
                apportees.setdefault(numero, set()).add(membre.nom)
                if (numero, membre.nom) in faites:
                    continue  # copied and recorded by this ZIP's interrupted run
                destination = cle_piece(numero, membre.nom)
                self._copie.copier(bucket, key, etag, membre, destination)
                self._pieces.enregistrer(
                    PieceRecue(numero, type_demande, membre.nom, destination, key, maintenant)
                )

        completes: list[str] = []
        incomplets: list[DossierIncomplet] = []
        for num_ligne, dossier in concernes:
            recues_dossier = recues_par_dossier.get(dossier.numero_asp, set())
            manquantes = tuple(
                dict.fromkeys(
                    nom
                    for nom, _ in pieces_attendues(dossier, type_demande)
                    if nom not in recues_dossier
                )
            )
            if manquantes:
                if dossier.numero_asp in apportees:
                    self._pieces.noter_manquantes(dossier.numero_asp, type_demande, manquantes)
                if statut_demande(dossier, type_demande) == StatutDemande.INCOMPLET:
                    incomplets.append(DossierIncomplet(dossier.numero_asp, num_ligne, manquantes))
                continue
            if dossier.numero_asp not in apportees:
                continue  # complete before this ZIP: nothing changes for it
            if self._completer(dossier, type_demande, maintenant, debut):
                completes.append(dossier.numero_asp)
            else:  # complete, beyond INCOMPLET already: nothing missing any more
                self._pieces.noter_manquantes(dossier.numero_asp, type_demande, ())

        conservees = tuple(m.nom for m in rapprochement.pieces_a_conserver)
        self._zips.terminer(depot.id, key, etag, StatutZip.OK, erreurs, conservees, maintenant)
        return ResultatZip(
            IssueZip.OK,
            erreurs_pieces=tuple(erreurs),
            pieces_conservees=conservees,
            completes=tuple(completes),
            incomplets=tuple(incomplets),
            erreurs_lignes=rapprochement.erreurs_par_ligne(),
        )

    def _completer(
        self, dossier: Dossier, type_demande: TypeDemande, maintenant: datetime, debut: Debut
    ) -> bool:
        """INCOMPLET → EN_COURS, then the instruction; True when it was started."""
        for _ in range(TENTATIVES):
            statut = statut_demande(dossier, type_demande)
            if statut == StatutDemande.INCOMPLET:
                try:
                    dossier = self._pieces.completer(dossier, type_demande, maintenant)
                except VersionPerimee:
                    relu = self._dossiers.lire(dossier.numero_asp)
                    if relu is None:
                        return False
                    if not _ecrit_par_nous(relu, dossier, type_demande, maintenant):
                        dossier = relu
                        continue
                    # Our write applied though its answer was lost (the SDK's retry then
                    # found the version moved): it is this run's completion to follow up.
                    dossier = relu
            elif not (statut == StatutDemande.EN_COURS and debut is Debut.REPRISE):
                return False  # already beyond INCOMPLET: its instruction is not ours to start
            self._instruction.demarrer(
                InstructionDemandee(
                    numeroAsp=dossier.numero_asp,
                    siret=dossier.siret,
                    typeDemande=str(type_demande),
                    montantFinance=_montant_finance(dossier, type_demande),
                    version=dossier.version,
                )
            )
            return True
        raise Conflit(
            "DOSSIER_DISPUTE",
            f"Le dossier {dossier.numero_asp} change trop souvent en ce moment : réessayez.",
        )

    def _incomplets(self, depot: Depot) -> list[DossierIncomplet]:
        return [
            DossierIncomplet(e.numero_asp, e.num_ligne, e.pieces_manquantes)
            for e in _etats(depot, self._dossiers, self._pieces)
            if e.pieces_manquantes and e.statut == StatutDemande.INCOMPLET
        ]


@dataclass(frozen=True)
class EtatPiecesDepot:
    """What `GET /depots/{id}` adds about pièces: the ZIPs and each dossier's state."""

    zips: tuple[ZipDepose, ...]
    dossiers: tuple[EtatDossier, ...]


class ConsulterPieces:
    def __init__(
        self, depots: Depots, dossiers: Dossiers, zips: SuiviZips, pieces: PiecesDossiers
    ) -> None:
        self._depots = depots
        self._dossiers = dossiers
        self._zips = zips
        self._pieces = pieces

    def __call__(self, id_depot: str, siret: str) -> EtatPiecesDepot:
        depot = depot_de(self._depots, id_depot, siret)
        return EtatPiecesDepot(
            tuple(self._zips.lister(depot.id)),
            tuple(_etats(depot, self._dossiers, self._pieces)),
        )


@dataclass(frozen=True)
class ResultatTerminer:
    depot: Depot
    incomplets: tuple[DossierIncomplet, ...]


class Terminer:
    """`POST /depots/{id}/terminer`: closes the dépôt, reports what remains incomplete."""

    def __init__(
        self, depots: Depots, dossiers: Dossiers, pieces: PiecesDossiers, horloge: Horloge
    ) -> None:
        self._depots = depots
        self._dossiers = dossiers
        self._pieces = pieces
        self._horloge = horloge

    def __call__(self, id_depot: str, siret: str) -> ResultatTerminer:
        for _ in range(TENTATIVES):
            depot = depot_de(self._depots, id_depot, siret)
            termine = depot.terminer(self._horloge.maintenant())
            if termine is not depot:
                try:
                    depot = self._depots.enregistrer(termine)
                except VersionPerimee:
                    continue
            incomplets = tuple(
                DossierIncomplet(e.numero_asp, e.num_ligne, e.pieces_manquantes)
                for e in _etats(depot, self._dossiers, self._pieces)
                if e.statut == StatutDemande.INCOMPLET
            )
            return ResultatTerminer(depot, incomplets)
        raise Conflit("DEPOT_DISPUTE", "Le dépôt change trop souvent en ce moment : réessayez.")
