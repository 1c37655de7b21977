"""Le guichet d'une campagne (G1, G2): l'état de ses fenêtres à un instant, ce que l'on
compte à la fermeture et ce que disent les courriels de fermeture et de rappel.

Pur: ni I/O ni horloge, l'instant est toujours donné (avec son fuseau). Les échéances
sont des heures de Paris; une durée se calcule en temps réel (UTC), jamais en heures
murales: la veille du passage à l'heure d'été ne compte que 23 heures.

Le message de fermeture est celui du refus au dépôt (`verifier_guichet`): une seule
formulation, « Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00. »
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from services.depot.domain.depot import DonneeInvalide, StatutDepot, verifier_guichet
from shared.campagnes import Campagne, TypeDemande
from shared.contrats import LIBELLES_STATUT, StatutDossier
from shared.courriels.contrat import Avis  # le contenu d'un courriel: modèle, objet, données
from shared.horloge import PARIS, exiger_fuseau

LIBELLE_DEMANDES = {
    TypeDemande.AVANCE: "demandes d'avance",
    TypeDemande.SOLDE: "demandes de solde",
}


def libelle_guichet(type_demande: TypeDemande) -> str:
    """« Le guichet des demandes d'avance »."""
    return f"Le guichet des {LIBELLE_DEMANDES[type_demande]}"


# --- Dates et durées -----------------------------------------------------------------------


def date_heure_paris(instant: datetime) -> str:
    """« 28/02/2024 à 14h00 », à l'heure de Paris."""
    local = exiger_fuseau(instant).astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H}h{local:%M}"


def date_paris(instant: datetime) -> str:
    return f"{exiger_fuseau(instant).astimezone(PARIS):%d/%m/%Y}"


def iso_paris(instant: datetime) -> str:
    """ISO 8601 avec le décalage de Paris: 2024-02-28T14:00:00+01:00."""
    return exiger_fuseau(instant).astimezone(PARIS).isoformat()


def secondes_entre(debut: datetime, fin: datetime) -> int:
    """Secondes écoulées (arrondies vers le bas), en temps réel.

    Deux datetimes au même `tzinfo` se soustraient en heures murales en Python: on passe
    par UTC pour que le changement d'heure compte.
    """
    ecart = exiger_fuseau(fin).astimezone(UTC) - exiger_fuseau(debut).astimezone(UTC)
    return int(ecart.total_seconds() // 1)


def _unite(nombre: int, singulier: str) -> str:
    return f"{nombre} {singulier}" if nombre == 1 else f"{nombre} {singulier}s"


def duree_en_texte(secondes: int) -> str:
    """« 6 jours 3 heures », « 2 heures 5 minutes », « 45 minutes », « moins d'une minute ».

    Deux unités au plus, arrondi vers le bas: le temps restant n'est jamais surestimé.
    """
    if secondes < 60:
        return "moins d'une minute"
    jours, reste = divmod(secondes, 86_400)
    heures, reste = divmod(reste, 3_600)
    minutes = reste // 60
    if jours:
        parties = [_unite(jours, "jour"), _unite(heures, "heure") if heures else ""]
    elif heures:
        parties = [_unite(heures, "heure"), _unite(minutes, "minute") if minutes else ""]
    else:
        parties = [_unite(minutes, "minute")]
    return " ".join(p for p in parties if p)


# --- L'état des fenêtres (GET /guichet) ----------------------------------------------------


class StatutFenetre(StrEnum):
    A_VENIR = "A_VENIR"
    OUVERT = "OUVERT"
    FERME = "FERME"


def message_refus(campagne: Campagne, type_demande: TypeDemande, instant: datetime) -> str | None:
    """Le message du refus au dépôt à cet instant, ou None si le guichet est ouvert."""
    try:
        verifier_guichet(campagne, type_demande, instant)
    except DonneeInvalide as refus:
        return refus.message
    return None


def message_fermeture(campagne: Campagne, type_demande: TypeDemande) -> str:
    """« Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00. »"""
    message = message_refus(campagne, type_demande, campagne.echeance(type_demande))
    if message is None:  # l'échéance est exclue de la fenêtre: impossible
        raise ValueError(f"fenêtre ouverte à son échéance: {campagne.id} {type_demande}")
    return message


@dataclass(frozen=True)
class EtatFenetre:
    type_demande: TypeDemande
    ouverture: datetime
    echeance: datetime
    statut: StatutFenetre
    temps_restant: int | None  # secondes jusqu'à l'échéance, quand le guichet est ouvert
    message: str

    @property
    def ouvert(self) -> bool:
        return self.statut is StatutFenetre.OUVERT

    def to_dict(self) -> dict[str, Any]:
        return {
            "typeDemande": str(self.type_demande),
            "ouverture": iso_paris(self.ouverture),
            "echeance": iso_paris(self.echeance),
            "ouvert": self.ouvert,
            "statut": str(self.statut),
            "tempsRestant": self.temps_restant,
            "tempsRestantTexte": (
                None if self.temps_restant is None else duree_en_texte(self.temps_restant)
            ),
            "message": self.message,
        }


def etat_fenetre(campagne: Campagne, type_demande: TypeDemande, instant: datetime) -> EtatFenetre:
    exiger_fuseau(instant)
    echeance = campagne.echeance(type_demande)
    refus = message_refus(campagne, type_demande, instant)
    if refus is None:
        statut = StatutFenetre.OUVERT
        restant: int | None = secondes_entre(instant, echeance)
        message = (
            f"{libelle_guichet(type_demande)} est ouvert jusqu'au {date_heure_paris(echeance)}."
        )
    else:
        statut = StatutFenetre.A_VENIR if instant < campagne.ouverture else StatutFenetre.FERME
        restant = None
        message = refus
    return EtatFenetre(type_demande, campagne.ouverture, echeance, statut, restant, message)


@dataclass(frozen=True)
class EtatCampagne:
    id: str
    libelle: str
    couloirs: tuple[str, ...]
    fenetres: tuple[EtatFenetre, ...]

    def fenetre(self, type_demande: TypeDemande) -> EtatFenetre:
        return next(f for f in self.fenetres if f.type_demande is type_demande)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "libelle": self.libelle,
            "couloirs": list(self.couloirs),
            "guichets": {str(f.type_demande): f.to_dict() for f in self.fenetres},
        }


def etat_campagne(campagne: Campagne, instant: datetime) -> EtatCampagne:
    return EtatCampagne(
        id=campagne.id,
        libelle=campagne.libelle,
        couloirs=campagne.couloirs,
        fenetres=tuple(etat_fenetre(campagne, t, instant) for t in TypeDemande),
    )


def etat_guichet(campagnes: Iterable[Campagne], instant: datetime) -> dict[str, Any]:
    """Le document de `GET /guichet`: chaque campagne, chacune de ses fenêtres."""
    return {
        "instant": iso_paris(instant),
        "campagnes": [etat_campagne(c, instant).to_dict() for c in campagnes],
    }


# --- Ce que l'on sait des dépôts et des dossiers d'une campagne ----------------------------


@dataclass(frozen=True)
class DepotResume:
    """Un dépôt d'une campagne et d'un type, tel que la fermeture et les rappels le voient."""

    id: str
    siret: str
    numero_ans: str
    statut: StatutDepot
    cree_le: datetime
    nom_fichier: str | None = None
    json_recu_le: datetime | None = None
    nombre_lignes: int | None = None
    lignes_importables: int | None = None


@dataclass(frozen=True)
class DossierResume:
    """Une demande d'un dossier: pour le type SOLDE, `statut` est celui du solde rattaché."""

    numero_asp: str
    siret: str
    numero_ans: str
    numero_dossier: str
    statut: str  # valeur de StatutDossier
    id_depot: str = ""


def depot_non_importe(depot: DepotResume) -> bool:
    """Simulé mais jamais importé: ses demandes ne sont pas déposées."""
    return depot.statut is StatutDepot.SIMULE


def depot_incomplet(depot: DepotResume) -> bool:
    """Importé mais pas terminé: le ZIP des pièces manque ou n'est pas validé."""
    return depot.statut is StatutDepot.IMPORTE


def dossier_incomplet(dossier: DossierResume) -> bool:
    return dossier.statut == StatutDossier.INCOMPLET


@dataclass(frozen=True)
class Signalement:
    """Ce qu'un éditeur doit encore faire: dépôts à importer, dossiers à compléter."""

    siret: str
    depots_non_importes: tuple[DepotResume, ...] = ()
    dossiers_incomplets: tuple[DossierResume, ...] = ()

    @property
    def numeros_ans(self) -> tuple[str, ...]:
        numeros = [d.numero_ans for d in self.depots_non_importes]
        numeros += [d.numero_ans for d in self.dossiers_incomplets]
        return tuple(sorted({n for n in numeros if n}))

    @property
    def ids_depots(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.depots_non_importes)

    @property
    def numeros_asp(self) -> tuple[str, ...]:
        return tuple(d.numero_asp for d in self.dossiers_incomplets)


def signalements(
    depots: Iterable[DepotResume], dossiers: Iterable[DossierResume]
) -> tuple[Signalement, ...]:
    """Un signalement par éditeur qui a un dépôt simulé non importé ou un dossier incomplet."""
    par_siret: dict[str, tuple[list[DepotResume], list[DossierResume]]] = {}
    for depot in depots:
        if depot_non_importe(depot):
            par_siret.setdefault(depot.siret, ([], []))[0].append(depot)
    for dossier in dossiers:
        if dossier_incomplet(dossier):
            par_siret.setdefault(dossier.siret, ([], []))[1].append(dossier)
    return tuple(
        Signalement(
            siret,
            tuple(sorted(depots_, key=lambda d: (d.cree_le.astimezone(UTC), d.id))),
            tuple(sorted(dossiers_, key=lambda d: d.numero_asp)),
        )
        for siret, (depots_, dossiers_) in sorted(par_siret.items())
    )


@dataclass(frozen=True)
class Comptes:
    """Ce que la fermeture enregistre."""

    depots: int
    depots_par_statut: Mapping[str, int]
    depots_non_importes: int
    depots_incomplets: int
    dossiers_importes: int
    dossiers_incomplets: int
    editeurs_signales: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "depots": self.depots,
            "depotsParStatut": dict(self.depots_par_statut),
            "depotsNonImportes": self.depots_non_importes,
            "depotsIncomplets": self.depots_incomplets,
            "dossiersImportes": self.dossiers_importes,
            "dossiersIncomplets": self.dossiers_incomplets,
            "editeursSignales": self.editeurs_signales,
        }

    @classmethod
    def from_dict(cls, brut: Mapping[str, Any]) -> Comptes:
        return cls(
            depots=int(brut["depots"]),
            depots_par_statut={str(k): int(v) for k, v in dict(brut["depotsParStatut"]).items()},
            depots_non_importes=int(brut["depotsNonImportes"]),
            depots_incomplets=int(brut["depotsIncomplets"]),
            dossiers_importes=int(brut["dossiersImportes"]),
            dossiers_incomplets=int(brut["dossiersIncomplets"]),
            editeurs_signales=int(brut["editeursSignales"]),
        )


def compter(depots: Iterable[DepotResume], dossiers: Iterable[DossierResume]) -> Comptes:
    depots = tuple(depots)
    dossiers = tuple(dossiers)
    par_statut = Counter(str(d.statut) for d in depots)
    return Comptes(
        depots=len(depots),
        depots_par_statut={str(s): par_statut.get(str(s), 0) for s in StatutDepot},
        depots_non_importes=sum(1 for d in depots if depot_non_importe(d)),
        depots_incomplets=sum(1 for d in depots if depot_incomplet(d)),
        dossiers_importes=len(dossiers),
        dossiers_incomplets=sum(1 for d in dossiers if dossier_incomplet(d)),
        editeurs_signales=len(signalements(depots, dossiers)),
    )


@dataclass(frozen=True)
class Fermeture:
    """L'enregistrement `CAMPAGNE#{id}` / `FERMETURE#{type}`: écrit une seule fois."""

    campagne: str
    type_demande: TypeDemande
    echeance: datetime
    fermee_le: datetime
    comptes: Comptes
    editeurs: tuple[str, ...] = field(default_factory=tuple)  # SIRET à prévenir


# --- Rappels et courriels ------------------------------------------------------------------


class Rappel(StrEnum):
    J_MOINS_7 = "J-7"
    J_MOINS_1 = "J-1"

    @property
    def jours(self) -> int:
        return 7 if self is Rappel.J_MOINS_7 else 1


AVIS_FERMETURE = "FERMETURE"
"""Le genre d'avis du courriel de fermeture, à côté de J-7 et J-1 (clé de réservation)."""


def lire_rappel(valeur: object) -> Rappel:
    texte = valeur.strip().upper() if isinstance(valeur, str) else ""
    try:
        return Rappel(texte)
    except ValueError as exc:
        raise DonneeInvalide(
            "RAPPEL_INVALIDE", f"Le rappel {valeur!s} est inconnu: choisissez J-7 ou J-1."
        ) from exc


def moment_rappel(campagne: Campagne, type_demande: TypeDemande, rappel: Rappel) -> datetime:
    """J-7 ou J-1 à la même heure de Paris que l'échéance (même au changement d'heure)."""
    echeance = campagne.echeance(type_demande).astimezone(PARIS)
    mural = echeance.replace(tzinfo=None) - timedelta(days=rappel.jours)
    return mural.replace(tzinfo=PARIS)


MODELE_FERMETURE = "fermeture_guichet"
MODELE_RAPPEL = "rappel_guichet"


def _depot_affiche(depot: DepotResume) -> dict[str, Any]:
    return {
        "id": depot.id,
        "fichier": depot.nom_fichier or "",
        "recuLe": date_heure_paris(depot.json_recu_le) if depot.json_recu_le else "",
        "creeLe": date_heure_paris(depot.cree_le),
        "lignes": depot.nombre_lignes,
        "lignesImportables": depot.lignes_importables,
    }


def _dossier_affiche(dossier: DossierResume) -> dict[str, Any]:
    try:
        libelle = LIBELLES_STATUT[StatutDossier(dossier.statut)]
    except ValueError:
        libelle = dossier.statut.lower()
    return {
        "numeroAsp": dossier.numero_asp,
        "numeroDossier": dossier.numero_dossier,
        "statut": libelle,
    }


def _contexte_commun(
    campagne: Campagne, type_demande: TypeDemande, signalement: Signalement, url_portail: str
) -> dict[str, Any]:
    return {
        "campagne": campagne.libelle,
        "typeDemande": str(type_demande),
        "libelleDemandes": LIBELLE_DEMANDES[type_demande],
        "guichet": libelle_guichet(type_demande),
        "echeance": date_heure_paris(campagne.echeance(type_demande)),
        "siret": signalement.siret,
        "depots": [_depot_affiche(d) for d in signalement.depots_non_importes],
        "dossiers": [_dossier_affiche(d) for d in signalement.dossiers_incomplets],
        "urlPortail": url_portail,
        # Le nota du comité du 06/02/2024, pour les avances.
        "notaAvance": (
            f"Toute demande d'avance non déposée au {date_paris(campagne.echeance_avance)} "
            "ne pourra faire l'objet d'une demande de solde."
            if type_demande is TypeDemande.AVANCE
            else ""
        ),
    }


def avis_fermeture(
    campagne: Campagne, type_demande: TypeDemande, signalement: Signalement, url_portail: str
) -> Avis:
    contexte = _contexte_commun(campagne, type_demande, signalement, url_portail)
    contexte["messageFermeture"] = message_fermeture(campagne, type_demande)
    return Avis(
        modele=MODELE_FERMETURE,
        objet=(
            f"Fermeture du guichet des {LIBELLE_DEMANDES[type_demande]} ({campagne.libelle}) : "
            f"demandes non finalisées pour le SIRET {signalement.siret}"
        ),
        contexte=contexte,
    )


def avis_rappel(
    campagne: Campagne,
    type_demande: TypeDemande,
    rappel: Rappel,
    signalement: Signalement,
    instant: datetime,
    url_portail: str,
) -> Avis:
    echeance = campagne.echeance(type_demande)
    contexte = _contexte_commun(campagne, type_demande, signalement, url_portail)
    contexte["rappel"] = str(rappel)
    contexte["tempsRestant"] = duree_en_texte(max(0, secondes_entre(instant, echeance)))
    quand = "demain" if rappel is Rappel.J_MOINS_1 else f"dans {rappel.jours} jours"
    return Avis(
        modele=MODELE_RAPPEL,
        objet=(
            f"Rappel : le guichet des {LIBELLE_DEMANDES[type_demande]} ferme {quand}, "
            f"le {date_heure_paris(echeance)} ({campagne.libelle})"
        ),
        contexte=contexte,
    )
