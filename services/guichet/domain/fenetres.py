"""A campaign's windows (G1): their state at an instant, the time left, as text.

Pure: no I/O and no clock, the instant is always given (with its timezone). Deadlines
are Paris times; a duration is computed in real time (UTC), never in wall-clock hours:
the day before the switch to summer time only has 23 hours.

A closed window's message is the dépôt's refusal (`shared.guichet`): one wording,
« Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00. »
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from shared.campagnes import Campagne, TypeDemande
from shared.guichet import date_heure_paris, libelle_guichet, message_refus
from shared.horloge import PARIS, exiger_fuseau

# --- Dates and durations -------------------------------------------------------------------


def date_paris(instant: datetime) -> str:
    return f"{exiger_fuseau(instant).astimezone(PARIS):%d/%m/%Y}"


def iso_paris(instant: datetime) -> str:
    """ISO 8601 with the Paris offset: 2024-02-28T14:00:00+01:00."""
    return exiger_fuseau(instant).astimezone(PARIS).isoformat()


def secondes_entre(debut: datetime, fin: datetime) -> int:
    """Seconds elapsed (rounded down), in real time.

    Two datetimes with the same `tzinfo` subtract in wall-clock hours in Python: going
    through UTC makes the clock change count.
    """
    ecart = exiger_fuseau(fin).astimezone(UTC) - exiger_fuseau(debut).astimezone(UTC)
    return int(ecart.total_seconds() // 1)


def _unite(nombre: int, singulier: str) -> str:
    return f"{nombre} {singulier}" if nombre == 1 else f"{nombre} {singulier}s"


def duree_en_texte(secondes: int) -> str:
    """« 6 jours 3 heures », « 2 heures 5 minutes », « 45 minutes », « moins d'une minute ».

    Two units at most, rounded down: the time left is never overstated.
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


# --- The state of the windows (GET /guichet) -----------------------------------------------


class StatutFenetre(StrEnum):
    A_VENIR = "A_VENIR"
    OUVERT = "OUVERT"
    FERME = "FERME"


@dataclass(frozen=True)
class EtatFenetre:
    type_demande: TypeDemande
    ouverture: datetime
    echeance: datetime
    statut: StatutFenetre
    temps_restant: int | None  # seconds until the deadline, when the guichet is open
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
    """The document of `GET /guichet`: each campaign, each of its windows."""
    return {
        "instant": iso_paris(instant),
        "campagnes": [etat_campagne(c, instant).to_dict() for c in campagnes],
    }
