"""A campaign's guichet (G2): what is counted at closing and what the closing and
reminder courriels say.

Pure: no I/O and no clock, the instant is always given (with its timezone). The dépôts
are read through their contract (`shared.depot.ResumeDepot`), the dossiers reduced to
what the closing sees of them (`DossierResume`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from services.guichet.domain.erreurs import ValeurInconnue, choix
from services.guichet.domain.fenetres import date_paris, duree_en_texte, secondes_entre
from shared.campagnes import Campagne, TypeDemande
from shared.courriels.contrat import Avis  # a courriel's content: template, subject, data
from shared.depot import ResumeDepot, StatutDepot
from shared.guichet import LIBELLE_DEMANDES, date_heure_paris, libelle_guichet, message_fermeture
from shared.horloge import PARIS
from shared.statuts import LIBELLES_COMPTE_RENDU, StatutDemande

# --- What is known of a campaign's dépôts and dossiers -------------------------------------


@dataclass(frozen=True)
class DossierResume:
    """A demande of a dossier: for the SOLDE type, `statut` is the attached solde's."""

    numero_asp: str
    siret: str
    numero_ans: str
    numero_dossier: str
    statut: str  # a StatutDemande value


def depot_non_importe(depot: ResumeDepot) -> bool:
    """Simulated but never imported: its demandes are not deposited."""
    return depot.statut is StatutDepot.SIMULE


def depot_incomplet(depot: ResumeDepot) -> bool:
    """Imported but not finished: the ZIP of pièces is missing or not validated."""
    return depot.statut is StatutDepot.IMPORTE


def dossier_incomplet(dossier: DossierResume) -> bool:
    return dossier.statut == StatutDemande.INCOMPLET


@dataclass(frozen=True)
class Signalement:
    """What an éditeur still has to do: dépôts to import, dossiers to complete."""

    siret: str
    depots_non_importes: tuple[ResumeDepot, ...] = ()
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
    depots: Iterable[ResumeDepot], dossiers: Iterable[DossierResume]
) -> tuple[Signalement, ...]:
    """One notice per éditeur with a simulated dépôt not imported or an incomplete dossier."""
    par_siret: dict[str, tuple[list[ResumeDepot], list[DossierResume]]] = {}
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
    """What the closing records."""

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


def compter(depots: Iterable[ResumeDepot], dossiers: Iterable[DossierResume]) -> Comptes:
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
    """The `CAMPAGNE#{id}` / `FERMETURE#{type}` record: written only once."""

    campagne: str
    type_demande: TypeDemande
    echeance: datetime
    fermee_le: datetime
    comptes: Comptes
    editeurs: tuple[str, ...] = field(default_factory=tuple)  # SIRET to notify


# --- Reminders and courriels ---------------------------------------------------------------


class Rappel(StrEnum):
    J_MOINS_7 = "J-7"
    J_MOINS_1 = "J-1"

    @property
    def jours(self) -> int:
        return 7 if self is Rappel.J_MOINS_7 else 1


AVIS_FERMETURE = "FERMETURE"
"""Le genre d'avis du courriel de fermeture, à côté de J-7 et J-1 (clé de réservation)."""


def lire_rappel(valeur: object) -> Rappel:
    rappel = choix(Rappel, valeur)
    if rappel is None:
        raise ValeurInconnue(
            "RAPPEL_INVALIDE", f"Le rappel {valeur!s} est inconnu: choisissez J-7 ou J-1."
        )
    return rappel


def moment_rappel(campagne: Campagne, type_demande: TypeDemande, rappel: Rappel) -> datetime:
    """D-7 or D-1 at the same Paris time as the deadline (even across a clock change)."""
    echeance = campagne.echeance(type_demande).astimezone(PARIS)
    mural = echeance.replace(tzinfo=None) - timedelta(days=rappel.jours)
    return mural.replace(tzinfo=PARIS)


MODELE_FERMETURE = "fermeture_guichet"
MODELE_RAPPEL = "rappel_guichet"


def _depot_affiche(depot: ResumeDepot) -> dict[str, Any]:
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
        libelle = LIBELLES_COMPTE_RENDU[StatutDemande(dossier.statut)]
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
        # The committee's note of 06/02/2024, for the avances.
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
