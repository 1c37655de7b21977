"""Le dépôt d'un fichier de demandes et les dossiers qu'il crée: règles pures, sans I/O.

Cycle de vie d'un dépôt (D2–D5):

    CREE ──json reçu──▶ JSON_RECU ──simulation──▶ SIMULE ──import demandé──▶ IMPORT_EN_COURS
                                             └──▶ REJETE
    IMPORT_EN_COURS ──lignes écrites (file d'import)──▶ IMPORTE ──▶ TERMINE

Un nouveau fichier déposé dans le même dépôt remplace la simulation tant que l'import
n'a pas commencé (SIMULE et REJETE ne sont pas définitifs). Toute règle violée lève une
`ErreurMetier` (un `Refus`, shared/refus.py) portant un code stable, un message en
français et sa nature; l'API seule en tire le statut HTTP.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shared.campagnes import Campagne, TypeDemande
from shared.contrats import LIBELLES_STATUT, STATUTS_MODIFIABLES, StatutDossier
from shared.depot import StatutDepot as StatutDepot  # the guichet reads it (shared contract)
from shared.guichet import message_fermeture, message_non_ouvert
from shared.horloge import exiger_fuseau
from shared.refus import NatureRefus, Refus

# --- Erreurs métier ----------------------------------------------------------------------


class ErreurMetier(Refus):
    """Une règle métier refuse l'action: code stable, message en français, nature."""


class DonneeInvalide(ErreurMetier):
    """La demande est lisible mais refusée par une règle."""

    nature = NatureRefus.INVALIDE


class Introuvable(ErreurMetier):
    nature = NatureRefus.INTROUVABLE


class AccesInterdit(ErreurMetier):
    nature = NatureRefus.INTERDIT


class Conflit(ErreurMetier):
    """L'état de la ressource ne permet pas l'action."""

    nature = NatureRefus.CONFLIT


# --- Valeurs choisies au dépôt -------------------------------------------------------------

TAUX_TVA_AUTORISES: tuple[Decimal, ...] = (
    Decimal("20"),
    Decimal("10"),
    Decimal("5.5"),
    Decimal("2.1"),
    Decimal("0"),
)
TAILLE_MAX_JSON = 20 * 1024 * 1024  # 20 Mo binaires (spec §5)
NOM_FICHIER_PAR_DEFAUT = "demandes.json"
_NOM_FICHIER = re.compile(r"[^/\\\x00-\x1f\x7f]{1,95}\.json", re.IGNORECASE)
_PREFIXE_JSON = "json/"
_CLE_JSON = re.compile(r"json/(?P<siret>[0-9]{14})/(?P<id>[A-Za-z0-9-]{1,64})/(?P<nom>[^/]+)")
_CLE_ZIP = re.compile(r"pieces/(?P<siret>[0-9]{14})/(?P<id>[A-Za-z0-9-]{1,64})/(?P<nom>[^/]+\.zip)")
_COULOIR = re.compile(r"[A-Z0-9]{2,4}")


def _texte_taux(taux: Decimal) -> str:
    return format(taux.normalize(), "f").replace(".", ",")


def lire_taux_tva(valeur: object) -> Decimal:
    """Le taux choisi au dépôt: 20, 10, 5,5, 2,1 ou 0; tout autre taux est refusé (422).

    Un nombre JSON lu en float (5.5) est relu depuis son écriture décimale, jamais calculé.
    """
    message = f"Le taux de TVA {valeur!s} n'est pas autorisé: choisissez 20, 10, 5,5, 2,1 ou 0."
    if isinstance(valeur, bool) or not isinstance(valeur, (Decimal, int, str, float)):
        raise DonneeInvalide("TAUX_TVA_INVALIDE", message)
    try:
        taux = Decimal(str(valeur).strip())
    except InvalidOperation as exc:
        raise DonneeInvalide("TAUX_TVA_INVALIDE", message) from exc
    for autorise in TAUX_TVA_AUTORISES:
        if taux.is_finite() and taux == autorise:
            return autorise
    raise DonneeInvalide("TAUX_TVA_INVALIDE", message)


def lire_type_demande(valeur: object) -> TypeDemande:
    texte = str(valeur).strip().upper() if isinstance(valeur, str) else ""
    try:
        return TypeDemande(texte)
    except ValueError as exc:
        raise DonneeInvalide(
            "TYPE_DEMANDE_INVALIDE",
            f"Le type de demande {valeur!s} est inconnu: choisissez AVANCE ou SOLDE.",
        ) from exc


def lire_nom_fichier(nom: str | None) -> str:
    """Le nom du JSON déposé (clé S3): sans dossier, caractères de contrôle ni slash."""
    if nom is None or nom == "":
        return NOM_FICHIER_PAR_DEFAUT
    if not _NOM_FICHIER.fullmatch(nom) or nom.strip() != nom:
        raise DonneeInvalide(
            "NOM_FICHIER_INVALIDE",
            f"Le nom de fichier « {nom} » n'est pas accepté: il doit finir par .json, "
            "compter au plus 100 caractères et ne contenir ni « / », ni « \\ », "
            "ni caractère de contrôle.",
        )
    return nom


def cle_json(siret: str, id_depot: str, nom_fichier: str) -> str:
    """La clé S3 du JSON d'un dépôt: liée à l'éditeur et au dépôt."""
    return f"{_PREFIXE_JSON}{siret}/{id_depot}/{nom_fichier}"


def cle_zip(siret: str, id_depot: str, identifiant: str) -> str:
    """La clé S3 d'un ZIP de pièces: liée à l'éditeur et au dépôt."""
    return f"pieces/{siret}/{id_depot}/{identifiant}.zip"


@dataclass(frozen=True)
class CleDepot:
    """Ce qu'une clé S3 d'envoi dit: l'éditeur, le dépôt, le nom du fichier."""

    siret: str
    id_depot: str
    nom_fichier: str


def _analyser(motif: re.Pattern[str], cle: str) -> CleDepot | None:
    correspondance = motif.fullmatch(cle)
    if correspondance is None:
        return None
    return CleDepot(correspondance["siret"], correspondance["id"], correspondance["nom"])


def analyser_cle_json(cle: str) -> CleDepot | None:
    """La clé (déjà décodée) d'un JSON déposé, ou None si elle n'en est pas une."""
    return _analyser(_CLE_JSON, cle)


def analyser_cle_zip(cle: str) -> CleDepot | None:
    """La clé (déjà décodée) d'un ZIP de pièces, ou None si elle n'en est pas une."""
    return _analyser(_CLE_ZIP, cle)


def _segment(empreinte: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", empreinte)[:128] or "_"


def cle_rapport(id_depot: str, empreinte: str, nom: str) -> str:
    """Reports of one received file: `comptes-rendus/{idDepot}/{empreinte}/{nom}`.

    One folder per received version: a report never describes another upload's file.
    """
    return f"comptes-rendus/{id_depot}/{_segment(empreinte)}/{nom}"


RAPPORT_COMPTE_RENDU = "compte-rendu.json"
RAPPORT_FICHIER_ANNOTE = "annote.json"
RAPPORT_LIGNES = "lignes.json"


def numero_asp(couloir: str, rang: int) -> str:
    """`FIN` + couloir + 6 chiffres: FINMS1000001 pour le premier dossier du couloir MS1."""
    if not _COULOIR.fullmatch(couloir):
        raise ValueError(f"couloir invalide: {couloir!r}")
    if not 1 <= rang <= 999_999:
        raise ErreurMetier(
            "NUMEROTATION_EPUISEE",
            f"La numérotation des dossiers du couloir {couloir} est épuisée.",
            NatureRefus.INTERNE,
        )
    return f"FIN{couloir}{rang:06d}"


def prefixe_numero_asp(couloir: str) -> str:
    return f"FIN{couloir}"


# --- JSON exact (montants en Decimal, jamais en float) ---------------------------------


def json_canonique(valeur: object) -> str:
    """JSON compact à clés triées; un Decimal s'écrit tel quel, sans passer par un float."""
    if valeur is None:
        return "null"
    if valeur is True:
        return "true"
    if valeur is False:
        return "false"
    if isinstance(valeur, str):
        return json.dumps(valeur, ensure_ascii=False)
    if isinstance(valeur, int):
        return str(valeur)
    if isinstance(valeur, Decimal):
        if not valeur.is_finite():
            raise ValueError("un nombre JSON est fini")
        return format(valeur, "f")
    if isinstance(valeur, float):
        if not math.isfinite(valeur):
            raise ValueError("un nombre JSON est fini")
        return repr(valeur)
    if isinstance(valeur, Mapping):
        paires = sorted((str(k), v) for k, v in valeur.items())
        return "{" + ",".join(f"{json_canonique(k)}:{json_canonique(v)}" for k, v in paires) + "}"
    if isinstance(valeur, (list, tuple)):
        return "[" + ",".join(json_canonique(v) for v in valeur) + "]"
    raise TypeError(f"valeur non sérialisable en JSON: {type(valeur).__name__}")


def lire_json(texte: str | bytes) -> Any:
    """L'inverse de `json_canonique`: les nombres décimaux redeviennent des Decimal."""
    return json.loads(texte, parse_float=Decimal)


# --- Le guichet ---------------------------------------------------------------------------


def verifier_guichet(campagne: Campagne, type_demande: TypeDemande, instant: datetime) -> None:
    """Refuse (422) quand le guichet de ce type est fermé à cet instant, avec le message que
    le guichet affiche (shared/guichet.py)."""
    exiger_fuseau(instant)
    if campagne.fenetre_ouverte(type_demande, instant):
        return
    if instant < campagne.ouverture:
        raise DonneeInvalide("GUICHET_NON_OUVERT", message_non_ouvert(campagne, type_demande))
    raise DonneeInvalide("GUICHET_FERME", message_fermeture(campagne, type_demande))


# --- Le dépôt -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FichierRecu:
    """Le JSON reçu: sa clé, et l'empreinte qui rend son traitement idempotent."""

    cle: str
    nom: str
    empreinte: str  # versionId S3 (bucket versionné), sinon ETag
    recu_le: datetime  # heure de réception S3, à l'heure de la plateforme
    taille: int
    version_id: str | None = None  # la version S3 lue (bucket versionné)


@dataclass(frozen=True)
class ResumeSimulation:
    nombre_lignes: int
    lignes_importables: int
    lignes_rejetees: int
    erreurs_fichier: int
    simule_le: datetime

    @property
    def rejete_en_entier(self) -> bool:
        return self.erreurs_fichier > 0


@dataclass(frozen=True)
class ImportEnCours:
    """L'avancement d'un import et le bail de l'exécution qui le mène.

    `premier_numero`: le premier des numéros ASP réservés d'un coup pour les lignes C
    (la n-ième ligne C du fichier reçoit premier_numero + n - 1, à chaque reprise).
    `jeton` / `bail_jusqu_a` (secondes epoch): une seule exécution écrit à la fois; une
    exécution interrompue rend la main quand son bail expire."""

    lignes_a_traiter: int = 0
    lignes_traitees: int = 0
    premier_numero: int | None = None
    jeton: str | None = None
    bail_jusqu_a: float = 0.0

    def bail_libre(self, maintenant: float, jeton: str) -> bool:
        return self.jeton in (None, jeton) or self.bail_jusqu_a <= maintenant


def _maintenant_utc(instant: datetime) -> datetime:
    return exiger_fuseau(instant).astimezone(UTC)


@dataclass(frozen=True)
class Depot:
    id: str
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    type_demande: TypeDemande
    taux_tva: Decimal
    statut: StatutDepot
    cree_le: datetime
    modification: bool = False  # ouvert après l'échéance de l'avance, pour des M
    fichier: FichierRecu | None = None
    simulation: ResumeSimulation | None = None
    import_commence_le: datetime | None = None
    importe_le: datetime | None = None
    termine_le: datetime | None = None
    numeros_asp: Mapping[int, str] = field(default_factory=dict)  # numLigne -> numeroASP
    lignes_rejetees_a_l_import: int = 0
    cle_json: str | None = None  # la clé S3 signée pour le JSON: la seule traitée
    import_en_cours: ImportEnCours | None = None
    version: int = 0  # 0: pas encore enregistré

    @classmethod
    def creer(
        cls,
        *,
        id_depot: str,
        siret: str,
        numero_ans: str,
        couloir: str,
        campagne: str,
        type_demande: TypeDemande,
        taux_tva: object,
        cree_le: datetime,
        modification: bool = False,
        cle_json: str | None = None,
    ) -> Depot:
        return cls(
            id=id_depot,
            siret=siret,
            numero_ans=numero_ans,
            couloir=couloir,
            campagne=campagne,
            type_demande=type_demande,
            taux_tva=lire_taux_tva(taux_tva),
            statut=StatutDepot.CREE,
            cree_le=_maintenant_utc(cree_le),
            modification=modification,
            cle_json=cle_json,
        )

    @property
    def json_recu_le(self) -> datetime | None:
        return self.fichier.recu_le if self.fichier else None

    def cle_rapport(self, nom: str) -> str:
        if self.fichier is None:
            raise Conflit("FICHIER_ABSENT", "Aucun fichier n'a encore été reçu pour ce dépôt.")
        return cle_rapport(self.id, self.fichier.empreinte, nom)

    @property
    def import_commence(self) -> bool:
        return self.import_commence_le is not None or self.statut in (
            StatutDepot.IMPORT_EN_COURS,
            StatutDepot.IMPORTE,
            StatutDepot.TERMINE,
        )

    def verifier_proprietaire(self, siret: str) -> None:
        if siret != self.siret:
            raise AccesInterdit("DEPOT_AUTRE_EDITEUR", "Ce dépôt appartient à un autre éditeur.")

    def cle_attendue(self, cle: str) -> bool:
        """La clé reçue est-elle celle signée pour le JSON de ce dépôt (spec: seule traitée)?
        Un dépôt enregistré avant que la clé ne soit retenue accepte son préfixe."""
        return self.cle_json is None or cle == self.cle_json

    def deja_recu(self, empreinte: str) -> bool:
        return self.fichier is not None and self.fichier.empreinte == empreinte

    def recevoir_json(self, fichier: FichierRecu) -> Depot:
        """Un (nouveau) fichier: remplace la simulation précédente, jamais après l'import."""
        if self.import_commence:
            raise Conflit(
                "DEPOT_DEJA_IMPORTE",
                "Ce dépôt a déjà été importé: un nouveau fichier doit faire l'objet "
                "d'un nouveau dépôt.",
            )
        return replace(
            self,
            statut=StatutDepot.JSON_RECU,
            fichier=replace(fichier, recu_le=exiger_fuseau(fichier.recu_le)),
            simulation=None,
        )

    def enregistrer_simulation(self, resume: ResumeSimulation) -> Depot:
        if self.statut is not StatutDepot.JSON_RECU:
            raise Conflit(
                "SIMULATION_HORS_SEQUENCE",
                f"Une simulation ne s'enregistre qu'après réception du fichier "
                f"(statut du dépôt: {self.statut}).",
            )
        statut = StatutDepot.REJETE if resume.rejete_en_entier else StatutDepot.SIMULE
        return replace(self, statut=statut, simulation=resume)

    def verifier_import_possible(self) -> None:
        if self.statut in (StatutDepot.IMPORTE, StatutDepot.TERMINE):
            raise Conflit(
                "DEPOT_DEJA_IMPORTE",
                "Ce dépôt a déjà été importé: ses dossiers sont créés.",
            )
        if self.statut in (StatutDepot.CREE, StatutDepot.JSON_RECU) or self.simulation is None:
            raise Conflit(
                "SIMULATION_ABSENTE",
                "Le fichier de ce dépôt n'a pas encore été simulé: l'import n'est possible "
                "qu'après la simulation.",
            )
        if self.statut is StatutDepot.REJETE:
            raise DonneeInvalide(
                "FICHIER_REJETE",
                "Le fichier a été rejeté en entier par la simulation: corrigez-le et "
                "déposez-le à nouveau avant d'importer.",
            )
        if self.simulation.lignes_importables < 1:
            raise DonneeInvalide(
                "AUCUNE_LIGNE_IMPORTABLE",
                "Aucune ligne du fichier n'est importable: corrigez les erreurs du compte "
                "rendu et déposez le fichier à nouveau.",
            )

    def commencer_import(self, instant: datetime) -> Depot:
        """SIMULE → IMPORT_EN_COURS: plus aucun fichier ne remplace celui-ci."""
        self.verifier_import_possible()
        if self.statut is StatutDepot.IMPORT_EN_COURS:
            return self  # déjà demandé: la reprise continue le même import
        return replace(
            self,
            statut=StatutDepot.IMPORT_EN_COURS,
            import_commence_le=self.import_commence_le or _maintenant_utc(instant),
            import_en_cours=self.import_en_cours or ImportEnCours(),
        )

    def avancer_import(self, avancement: ImportEnCours) -> Depot:
        if self.statut is not StatutDepot.IMPORT_EN_COURS:
            raise Conflit(
                "IMPORT_HORS_SEQUENCE",
                f"L'import n'est pas en cours (statut du dépôt: {self.statut}).",
            )
        return replace(self, import_en_cours=avancement)

    def marquer_importe(
        self, numeros_asp: Mapping[int, str], lignes_rejetees: int, instant: datetime
    ) -> Depot:
        if self.statut is not StatutDepot.IMPORT_EN_COURS:
            raise Conflit(
                "IMPORT_HORS_SEQUENCE",
                f"L'import ne peut pas s'achever dans le statut {self.statut}.",
            )
        return replace(
            self,
            statut=StatutDepot.IMPORTE,
            numeros_asp=dict(numeros_asp),
            lignes_rejetees_a_l_import=lignes_rejetees,
            importe_le=_maintenant_utc(instant),
            import_en_cours=None,
        )

    def terminer(self, instant: datetime) -> Depot:
        if self.statut is StatutDepot.TERMINE:
            return self
        if self.statut is not StatutDepot.IMPORTE:
            raise Conflit(
                "DEPOT_NON_IMPORTE",
                "Le dépôt ne peut être terminé qu'après l'import de ses demandes.",
            )
        return replace(self, statut=StatutDepot.TERMINE, termine_le=_maintenant_utc(instant))


# --- Les dossiers créés par un dépôt ------------------------------------------------------


@dataclass(frozen=True)
class Dossier:
    """Un dossier tel que le service dépôt l'écrit: une demande d'avance et son éventuel solde.

    `demande` est la demande déposée (objet JSON, montants en Decimal); `solde` la demande
    de solde rattachée (même forme, avec ses montants et ses pièces).
    """

    numero_asp: str
    siret: str
    numero_ans: str
    couloir: str
    campagne: str
    type_demande: TypeDemande
    statut: StatutDossier
    numero_dossier: str
    demande: Mapping[str, Any]
    finess: tuple[str, ...]
    montants: Mapping[str, str]
    taux_tva: Decimal
    pieces: tuple[Mapping[str, str], ...]
    id_depot: str
    num_ligne: int
    depose_le: datetime  # réception du JSON de l'avance
    cree_le: datetime
    modifie_le: datetime
    solde: Mapping[str, Any] | None = None
    version: int = 1
    # The avance's pièces still expected (names NFC), kept up to date by the import and the
    # ZIPs (the solde's: `solde["piecesManquantes"]`). None: not recorded (older dossiers).
    pieces_manquantes: tuple[str, ...] | None = None

    @property
    def modifiable(self) -> bool:
        return self.statut in STATUTS_MODIFIABLES

    def verifier_proprietaire(self, siret: str) -> None:
        if siret != self.siret:
            raise AccesInterdit(
                "DOSSIER_AUTRE_EDITEUR",
                f"Le dossier {self.numero_asp} appartient à un autre éditeur.",
            )


def libelle_statut(statut: str) -> str:
    try:
        return LIBELLES_STATUT[StatutDossier(statut)]
    except ValueError:
        return statut.lower()


@dataclass(frozen=True)
class RefusLigne:
    """Pourquoi une ligne importable est finalement rejetée à l'import."""

    code: str
    chemin: str
    message: str


def chemins_finess(demande: Mapping[str, Any], index: int) -> dict[str, str]:
    """finessGeo -> pointeur RFC 6901 de sa première occurrence dans la demande."""
    chemins: dict[str, str] = {}
    beneficiaires = demande.get("beneficiaires")
    if not isinstance(beneficiaires, list):
        return chemins
    for b, beneficiaire in enumerate(beneficiaires):
        etablissements = (
            beneficiaire.get("etablissementsClients") if isinstance(beneficiaire, dict) else None
        )
        if not isinstance(etablissements, list):
            continue
        for e, etablissement in enumerate(etablissements):
            finess = etablissement.get("finessGeo") if isinstance(etablissement, dict) else None
            if isinstance(finess, str) and finess not in chemins:
                chemins[finess] = (
                    f"/demandes/{index}/beneficiaires/{b}/etablissementsClients/{e}/finessGeo"
                )
    return chemins


def refus_finess_detenu(finess: str, chemin: str, statut_detenteur: str | None) -> RefusLigne:
    if statut_detenteur is None:
        precision = "un autre dossier"
    else:
        precision = f"un autre dossier, au statut « {libelle_statut(statut_detenteur)} »"
    return RefusLigne(
        "FINESS_DEJA_FINANCE",
        chemin,
        f"L'établissement FINESS {finess} est déjà financé dans cette campagne par "
        f"{precision}: un établissement n'est financé qu'une fois.",
    )
