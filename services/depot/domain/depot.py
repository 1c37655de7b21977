"""The dépôt of a file of demandes and the dossiers it creates: pure rules, no I/O.

A dépôt's life cycle (D2–D5):

    CREE ──json reçu──▶ JSON_RECU ──simulation──▶ SIMULE ──import demandé──▶ IMPORT_EN_COURS
                                             └──▶ REJETE
    IMPORT_EN_COURS ──lignes écrites (file d'import)──▶ IMPORTE ──▶ TERMINE

A new file deposited in the same dépôt replaces the simulation as long as the import has
not started (SIMULE and REJETE are not final). Every broken rule raises an
`ErreurMetier` (a `Refus`, shared/refus.py) carrying a stable code, a French message and
its nature; only the API derives the HTTP status from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shared.campagnes import Campagne, TypeDemande
from shared.depot import StatutDepot as StatutDepot  # the guichet reads it (shared contract)
from shared.dossier import Dossier as Dossier  # the record the dépôt writes
from shared.enregistrement import json_canonique as json_canonique  # the dépôt's names
from shared.enregistrement import lire_json as lire_json
from shared.guichet import message_fermeture, message_non_ouvert
from shared.horloge import exiger_fuseau
from shared.refus import NatureRefus, Refus
from shared.statuts import LIBELLES_COMPTE_RENDU, StatutDemande

# --- Business refusals ---------------------------------------------------------------------


class ErreurMetier(Refus):
    """A business rule refuses the action: stable code, French message, nature."""


class DonneeInvalide(ErreurMetier):
    """The demande is readable but refused by a rule."""

    nature = NatureRefus.INVALIDE


class Introuvable(ErreurMetier):
    nature = NatureRefus.INTROUVABLE


class AccesInterdit(ErreurMetier):
    nature = NatureRefus.INTERDIT


class Conflit(ErreurMetier):
    """The resource's state does not allow the action."""

    nature = NatureRefus.CONFLIT


# --- Values chosen at dépôt ----------------------------------------------------------------

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
    """The rate chosen at dépôt: 20, 10, 5,5, 2,1 or 0; any other rate is refused (422).

    A JSON number read as a float (5.5) is read again from its decimal writing, never computed.
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
    """The deposited JSON's name (S3 key): no folder, no control characters, no slash."""
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
    """The S3 key of a dépôt's JSON: bound to the éditeur and to the dépôt."""
    return f"{_PREFIXE_JSON}{siret}/{id_depot}/{nom_fichier}"


def cle_zip(siret: str, id_depot: str, identifiant: str) -> str:
    """The S3 key of a ZIP of pièces: bound to the éditeur and to the dépôt."""
    return f"pieces/{siret}/{id_depot}/{identifiant}.zip"


@dataclass(frozen=True)
class CleDepot:
    """What an upload S3 key says: the éditeur, the dépôt, the file name."""

    siret: str
    id_depot: str
    nom_fichier: str


def _analyser(motif: re.Pattern[str], cle: str) -> CleDepot | None:
    correspondance = motif.fullmatch(cle)
    if correspondance is None:
        return None
    return CleDepot(correspondance["siret"], correspondance["id"], correspondance["nom"])


def analyser_cle_json(cle: str) -> CleDepot | None:
    """The (already decoded) key of a deposited JSON, or None if it is not one."""
    return _analyser(_CLE_JSON, cle)


def analyser_cle_zip(cle: str) -> CleDepot | None:
    """The (already decoded) key of a ZIP of pièces, or None if it is not one."""
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
    """`FIN` + couloir + 6 digits: FINMS1000001 for the first dossier of couloir MS1."""
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


# --- The guichet --------------------------------------------------------------------------


def verifier_guichet(campagne: Campagne, type_demande: TypeDemande, instant: datetime) -> None:
    """Refuses (422) when the guichet of this type is closed at this instant, with the
    message the guichet shows (shared/guichet.py)."""
    exiger_fuseau(instant)
    if campagne.fenetre_ouverte(type_demande, instant):
        return
    if instant < campagne.ouverture:
        raise DonneeInvalide("GUICHET_NON_OUVERT", message_non_ouvert(campagne, type_demande))
    raise DonneeInvalide("GUICHET_FERME", message_fermeture(campagne, type_demande))


# --- The dépôt ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FichierRecu:
    """The JSON received: its key, and the fingerprint that makes its processing idempotent."""

    cle: str
    nom: str
    empreinte: str  # S3 versionId (versioned bucket), otherwise the ETag
    recu_le: datetime  # S3 receipt time, in the platform's time
    taille: int
    version_id: str | None = None  # the S3 version read (versioned bucket)


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
    """An import's progress and the lease of the run that carries it out.

    `premier_numero`: the first of the numéros ASP reserved at once for the C lines (the
    n-th C line of the file gets premier_numero + n - 1, on every retry).
    `jeton` / `bail_jusqu_a` (epoch seconds): one run writes at a time; an interrupted
    run gives way when its lease expires."""

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
    modification: bool = False  # opened after the avance's deadline, for M files
    fichier: FichierRecu | None = None
    simulation: ResumeSimulation | None = None
    import_commence_le: datetime | None = None
    importe_le: datetime | None = None
    termine_le: datetime | None = None
    numeros_asp: Mapping[int, str] = field(default_factory=dict)  # numLigne -> numeroASP
    lignes_rejetees_a_l_import: int = 0
    cle_json: str | None = None  # the S3 key signed for the JSON: the only one processed
    import_en_cours: ImportEnCours | None = None
    version: int = 0  # 0: not yet stored

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
        """Is the key received the one signed for this dépôt's JSON (spec: the only one
        processed)? A dépôt stored before the key was kept accepts its prefix."""
        return self.cle_json is None or cle == self.cle_json

    def deja_recu(self, empreinte: str) -> bool:
        return self.fichier is not None and self.fichier.empreinte == empreinte

    def recevoir_json(self, fichier: FichierRecu) -> Depot:
        """A (new) file: replaces the previous simulation, never after the import."""
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
        """SIMULE → IMPORT_EN_COURS: no file replaces this one any more."""
        self.verifier_import_possible()
        if self.statut is StatutDepot.IMPORT_EN_COURS:
            return self  # already asked: the retry carries on with the same import
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


# --- The dossiers a dépôt creates ---------------------------------------------------------


def libelle_statut(statut: str) -> str:
    try:
        return LIBELLES_COMPTE_RENDU[StatutDemande(statut)]
    except ValueError:
        return statut.lower()


@dataclass(frozen=True)
class RefusLigne:
    """Why an importable line is finally rejected at import."""

    code: str
    chemin: str
    message: str


def chemins_finess(demande: Mapping[str, Any], index: int) -> dict[str, str]:
    """finessGeo -> RFC 6901 pointer of its first occurrence in the demande."""
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
