"""Ports of the dépôt service: what the use cases need from the platform.

`RegistrePlateforme` is what the simulation asks of the platform's records. Offline
(`segurnum simuler`) there is none: those rules are left to the platform (spec §4b).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from services.depot.domain.depot import Depot, Dossier
from shared.campagnes import Campagne, TypeDemande
from shared.enrolement import EnrolementEditeur, ReferencementAns
from shared.envois import EnvoiAutorise as EnvoiAutorise  # one record, every service
from shared.historique import EntreeHistorique
from shared.messages import ReponseEditeur


@dataclass(frozen=True)
class ContexteDepot:
    """Everything chosen at deposit time or known about the éditeur, for one simulation."""

    type_demande: TypeDemande
    taux_tva: Decimal  # one of 20, 10, 5.5, 2.1, 0 (checked before, a usage error otherwise)
    couloir: str  # MS1 / MS2: from the référentiel ANS on the platform, from --couloir offline
    campagne: Campagne
    # Platform: the numéro ANS chosen at deposit and the enrolled SIRET. Offline: None,
    # then numeroAns is checked for its format only and the SIRET for its key only.
    numero_ans_attendu: str | None = None
    siret_attendu: str | None = None
    # When the JSON was received (S3 event time). None: the guichet rule is not applied.
    recu_le: datetime | None = None
    # Offline the dateCommande is compared with this (or now); platform: recu_le.
    date_depot: datetime | None = None


class RegistrePlateforme(Protocol):
    """Lookups in batches (one call per 100 keys on the platform): the simulation of a file
    asks for everything it needs at once."""

    def editeur_enrole(self, siret: str, numero_ans: str) -> bool: ...

    def dossiers_connus(self, numeros_asp: Iterable[str]) -> dict[str, Dossier]:
        """numeroASP -> the dossier, for those that exist: its header only (statut, owner,
        dates, numeroDossier; `Dossiers.lire_plusieurs(resume=True)`)."""
        ...

    def detenteurs_finess(
        self, campagne_id: str, couloir: str, finess: Iterable[str]
    ) -> dict[str, str]:
        """FINESS -> numeroASP of the claim holding it (its dossier may be in creation)."""
        ...

    def numeros_dossier_utilises(self, siret: str, numeros: Iterable[str]) -> set[str]:
        """Those of these numeroDossier this éditeur already used."""
        ...


# --- Ports of the platform flow (dépôt → simulation → import) ------------------------------
# Added for the use cases of `demarrage`, `reception`, `importation` and `consultation`.


class VersionPerimee(Exception):
    """Optimistic locking: the item changed since it was read (adapters raise it)."""


# One entry of the référentiel ANS (E1), as the enrolment service writes it.
Referencement = ReferencementAns


class Enrolements(Protocol):
    """Read side of the enrolment records (written by the enrolment service; on the table:
    shared/enrolement_table.py `LecteurEnrolements`). Deposits are open only when the
    enrolment is `valide` (a gestionnaire validated the demande)."""

    def enrolement(self, siret: str, numero_ans: str) -> EnrolementEditeur | None: ...

    def referencement(self, numero_ans: str) -> Referencement | None: ...


class Depots(Protocol):
    def ajouter(self, depot: Depot) -> Depot:
        """Stores a new dépôt (version 0 → 1); never overwrites an existing one."""
        ...

    def retirer_orphelin(self, id_depot: str) -> None:
        """Deletes the dépôt if it is still CREE (nothing uploaded, nothing imported): what a
        `POST /depots` that failed after its write leaves, which its éditeur never got."""
        ...

    def lire(self, id_depot: str) -> Depot | None: ...

    def enregistrer(self, depot: Depot) -> Depot:
        """Writes the dépôt if its stored version is still `depot.version`; returns it with
        version + 1. Raises VersionPerimee otherwise."""
        ...

    def lister(self, siret: str) -> list[Depot]:
        """The éditeur's dépôts, newest first."""
        ...

    def page(
        self, siret: str, limite: int, depart: dict[str, Any] | None
    ) -> tuple[list[Depot], dict[str, Any] | None]:
        """At most `limite` of the éditeur's dépôts, newest first, from `depart` (the store's
        opaque resume key), and the key to resume from (None at the end)."""
        ...


@dataclass(frozen=True)
class ObjetLu:
    contenu: bytes  # at most `limite` + 1 bytes when a limit was asked
    etag: str  # without quotes
    version_id: str | None
    taille: int  # the object's real size


class Stockage(Protocol):
    """The dépôts bucket: presigned uploads, reading what was uploaded, writing reports."""

    def autoriser_envoi(
        self, cle: str, taille_max: int, expiration: timedelta
    ) -> EnvoiAutorise: ...

    def lire(
        self, cle: str, version_id: str | None = None, limite: int | None = None
    ) -> ObjetLu | None:
        """The object (or that version of it); None when absent."""
        ...

    def ecrire(self, cle: str, contenu: bytes, type_contenu: str = "application/json") -> None: ...


class Compteur(Protocol):
    def suivant(self, nom: str) -> int:
        """Atomically increments the counter `nom` and returns the new value (1, 2, …)."""
        ...

    def reserver(self, nom: str, nombre: int) -> int:
        """Atomically takes `nombre` consecutive values of `nom`; returns the first."""
        ...


class FileImport(Protocol):
    """The queue the import runs from (out of the API request)."""

    def demander(self, id_depot: str, auteur: str) -> None: ...


class ReponsesInstruction(Protocol):
    """The instruction service's queue (`segurnum-instruction-reponses`): the éditeur
    answered an A_MODIFIER (its M imported) or an EN_ATTENTE_PIECES (pièces received).
    At least once: the instruction ignores a message for a demande not waiting for it."""

    def envoyer(self, reponse: ReponseEditeur) -> None: ...


@dataclass(frozen=True)
class Bail:
    """The run of an import that may write for a dépôt: every write of the run checks, in
    the same transaction, that the dépôt still names this token (a run whose lease
    expired, replaced by another, writes nothing more)."""

    id_depot: str
    jeton: str


@dataclass(frozen=True)
class ReservationLigne:
    """The import claim `DEPOT#{idDepot}` / `LIGNE#{numLigne}`: what that line created."""

    id_depot: str
    num_ligne: int


class TypeIssue(StrEnum):
    ECRIT = "ECRIT"
    LIGNE_DEJA_IMPORTEE = "LIGNE_DEJA_IMPORTEE"  # the line claim exists: reuse its numeroASP
    FINESS_DEJA_DETENU = "FINESS_DEJA_DETENU"
    NUMERO_DOSSIER_UTILISE = "NUMERO_DOSSIER_UTILISE"
    VERSION_PERIMEE = "VERSION_PERIMEE"  # the dossier changed since it was read
    DOSSIER_EXISTANT = "DOSSIER_EXISTANT"  # numeroASP already taken (counter out of sync)
    BAIL_PERDU = "BAIL_PERDU"  # another run of the import holds the dépôt now


@dataclass(frozen=True)
class IssueEcriture:
    type: TypeIssue
    numero_asp: str | None = None  # LIGNE_DEJA_IMPORTEE: the dossier that line created
    finess: str | None = None  # FINESS_DEJA_DETENU: the FINESS claimed meanwhile


class Dossiers(Protocol):
    """Dossiers and their claims. Each write is one all-or-nothing transaction."""

    def lire(self, numero_asp: str) -> Dossier | None: ...

    def lister(self, siret: str) -> list[Dossier]: ...

    def historique(self, numero_asp: str) -> list[EntreeHistorique]: ...

    def ligne_importee(self, reservation: ReservationLigne) -> str | None:
        """The numeroASP created by that line of that dépôt, if any."""
        ...

    def detenteur_finess(self, campagne_id: str, couloir: str, finess: str) -> str | None:
        """The numeroASP holding this FINESS claim, if any."""
        ...

    def numero_dossier_utilise(self, siret: str, numero_dossier: str) -> str | None:
        """The numeroASP holding this éditeur's numeroDossier claim, if any."""
        ...

    def lire_plusieurs(
        self, numeros_asp: Iterable[str], resume: bool = False
    ) -> dict[str, Dossier]:
        """numeroASP -> dossier, for those that exist (batched reads). `resume`: the
        header only (statut, owner, dates, pièces still expected, the solde's statut):
        demande, FINESS, amounts and pièces are left empty."""
        ...

    def detenteurs_finess(
        self, campagne_id: str, couloir: str, finess: Iterable[str]
    ) -> dict[str, str]:
        """FINESS -> numeroASP holding its claim, for those claimed (batched reads)."""
        ...

    def numeros_dossier_utilises(self, siret: str, numeros: Iterable[str]) -> dict[str, str]:
        """numeroDossier -> numeroASP holding it, for those claimed (batched reads)."""
        ...

    def lignes_importees(self, id_depot: str) -> dict[int, str]:
        """numLigne -> numeroASP, every line of that dépôt already written (one query)."""
        ...

    def creer(
        self,
        dossier: Dossier,
        reservation: ReservationLigne,
        entree: EntreeHistorique,
        bail: Bail | None = None,
    ) -> IssueEcriture:
        """All or nothing: the dossier, its FINESS claims, its numeroDossier claim, the
        line claim and the history entry. Beyond what one transaction holds, the first
        FINESS claims (in sorted order) are taken before, in transactions of their own,
        and released if the dossier is not written: a dossier never exists without its
        claims, and claims outlive a failed write only while its run is interrupted."""
        ...

    def modifier(
        self,
        avant: Dossier,
        apres: Dossier,
        reservation: ReservationLigne,
        entree: EntreeHistorique,
        bail: Bail | None = None,
    ) -> IssueEcriture:
        """`apres` replaces `avant` (condition: stored version is `avant.version`;
        `apres.version` is the new one), FINESS claims of `apres` not in `avant` are
        created, those no longer held are released, the numeroDossier claim follows, plus
        the line claim and the history entry: one transaction, with the same overflow
        rule as `creer` for the new claims (and releases past it done right after)."""
        ...


# --- What the use cases need from the simulation (services/depot/application/simulation.py)


class CompteRenduSimule(Protocol):
    def to_dict(self) -> dict[str, Any]:
        """The §6 JSON document."""
        ...


class LigneSimulee(Protocol):
    """An importable line as the simulation hands it over."""

    @property
    def num_ligne(self) -> int: ...

    @property
    def index(self) -> int: ...

    @property
    def demande(self) -> Mapping[str, Any]: ...

    @property
    def finess(self) -> Sequence[str]: ...

    @property
    def numero_dossier(self) -> str: ...

    @property
    def numero_asp(self) -> str | None: ...

    @property
    def type_action(self) -> str: ...

    @property
    def montants(self) -> object: ...


class ResultatSimule(Protocol):
    @property
    def compte_rendu(self) -> CompteRenduSimule: ...

    @property
    def lignes_importables(self) -> Sequence[LigneSimulee]: ...


class Simulateur(Protocol):
    def __call__(
        self,
        contenu: bytes,
        nom_fichier: str,
        contexte: ContexteDepot,
        registre: RegistrePlateforme | None,
    ) -> ResultatSimule: ...


class Annotateur(Protocol):
    def __call__(
        self, contenu: bytes, compte_rendu: Any, id_fichier: str, simulation: bool = False
    ) -> bytes:
        """The deposited file with idFichier and, per line, codeTraitement /
        libelleTraitement (`simulation`: "importable" rather than "importée")."""
        ...
