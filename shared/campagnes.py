"""Funding campaigns are data (G1): windows, couloirs, ceilings.

Times are Paris local times in the data and become timezone-aware instants here. A new
wave is added in `donnees/campagnes.json` (or in the file named by SEGURNUM_CAMPAGNES),
without changing the code.

What the décision d'attribution cites is campaign data too: the programme's name, its
texts (legal basis, per couloir when needed) and the means and time limits of appeal
(CRPA, art. R.421-5). Every campaign must give them: a campaign without them is not
loaded (docs/documents.md says where the values come from and who checks them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from shared.horloge import PARIS, exiger_fuseau
from shared.montant import Montant
from shared.settings import settings

FICHIER_PAR_DEFAUT = Path(__file__).parent / "donnees" / "campagnes.json"


class TypeDemande(StrEnum):
    AVANCE = "AVANCE"
    SOLDE = "SOLDE"


@dataclass(frozen=True)
class BaseLegale:
    """A text the programme rests on; without couloirs, it applies to all of them."""

    texte: str
    couloirs: tuple[str, ...] = ()

    def vaut_pour(self, couloir: str) -> bool:
        return not self.couloirs or couloir in self.couloirs


@dataclass(frozen=True)
class VoiesDeRecours:
    """Who receives the recours gracieux (the decision's author), which court hears the
    recours contentieux, and within what time (in months, from the notification)."""

    autorite: str
    juridiction: str
    delai_mois: int


@dataclass(frozen=True)
class Campagne:
    id: str
    libelle: str
    couloirs: tuple[str, ...]
    ouverture: datetime
    echeance_avance: datetime
    echeance_solde: datetime
    date_commande_min: date
    plafond_par_etablissement: Montant
    programme: str
    bases_legales: tuple[BaseLegale, ...]
    recours: VoiesDeRecours

    def bases_legales_du_couloir(self, couloir: str) -> tuple[str, ...]:
        return tuple(b.texte for b in self.bases_legales if b.vaut_pour(couloir))

    def echeance(self, type_demande: TypeDemande) -> datetime:
        return self.echeance_avance if type_demande is TypeDemande.AVANCE else self.echeance_solde

    def fenetre_ouverte(self, type_demande: TypeDemande, instant: datetime) -> bool:
        """Open from the opening (included) to the deadline (excluded: 14:00:00 is too late)."""
        exiger_fuseau(instant)
        return self.ouverture <= instant < self.echeance(type_demande)

    def couvre(self, couloir: str) -> bool:
        return couloir in self.couloirs


def _heure_locale(texte: str) -> datetime:
    instant = datetime.fromisoformat(texte)
    if instant.tzinfo is not None:
        raise ValueError(f"heure de campagne attendue sans fuseau (heure de Paris): {texte}")
    return instant.replace(tzinfo=PARIS)


def _texte(brut: dict[str, object], champ: str, ou: str) -> str:
    valeur = brut.get(champ)
    if not isinstance(valeur, str) or not valeur.strip():
        raise ValueError(f"campagne {ou}: « {champ} » manquant ou vide")
    return valeur.strip()


def _bases_legales(brut: dict[str, object], ou: str) -> tuple[BaseLegale, ...]:
    liste = brut.get("basesLegales")
    if not isinstance(liste, list) or not liste:
        raise ValueError(f"campagne {ou}: « basesLegales » manquant ou vide")
    return tuple(
        BaseLegale(_texte(b, "texte", ou), tuple(str(c) for c in b.get("couloirs", ())))
        for b in liste
    )


def _recours(brut: dict[str, object], ou: str) -> VoiesDeRecours:
    recours = brut.get("recours")
    if not isinstance(recours, dict):
        raise ValueError(f"campagne {ou}: « recours » manquant")
    delai = recours.get("delaiMois")
    if not isinstance(delai, int) or isinstance(delai, bool) or delai <= 0:
        raise ValueError(f"campagne {ou}: « recours.delaiMois » doit être un nombre de mois")
    return VoiesDeRecours(
        autorite=_texte(recours, "autorite", ou),
        juridiction=_texte(recours, "juridiction", ou),
        delai_mois=delai,
    )


def _campagne(brut: dict[str, object]) -> Campagne:
    ou = str(brut.get("id", "?"))
    campagne = Campagne(
        id=str(brut["id"]),
        libelle=str(brut["libelle"]),
        couloirs=tuple(str(c) for c in brut["couloirs"]),  # type: ignore[attr-defined]
        ouverture=_heure_locale(str(brut["ouverture"])),
        echeance_avance=_heure_locale(str(brut["echeanceAvance"])),
        echeance_solde=_heure_locale(str(brut["echeanceSolde"])),
        date_commande_min=date.fromisoformat(str(brut["dateCommandeMin"])),
        plafond_par_etablissement=Montant(Decimal(str(brut["plafondParEtablissement"]))),
        programme=_texte(brut, "programme", ou),
        bases_legales=_bases_legales(brut, ou),
        recours=_recours(brut, ou),
    )
    sans_texte = [c for c in campagne.couloirs if not campagne.bases_legales_du_couloir(c)]
    if sans_texte:  # a décision of that couloir would cite no legal basis
        raise ValueError(f"campagne {ou}: aucune base légale pour le couloir {sans_texte[0]}")
    return campagne


def charger_campagnes(chemin: Path | None = None) -> tuple[Campagne, ...]:
    source = chemin or Path(settings().fichier_campagnes or FICHIER_PAR_DEFAUT)
    return tuple(_campagne(b) for b in json.loads(source.read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def campagnes() -> tuple[Campagne, ...]:
    return charger_campagnes()


def campagne(id_campagne: str) -> Campagne:
    for c in campagnes():
        if c.id == id_campagne:
            return c
    raise KeyError(id_campagne)


def campagne_du_couloir(couloir: str, instant: datetime | None = None) -> Campagne:
    """The campaign that covers this couloir; without an instant, the most recent one."""
    candidates = [c for c in campagnes() if c.couvre(couloir)]
    if not candidates:
        raise KeyError(couloir)
    if instant is not None:
        ouvertes = [c for c in candidates if c.ouverture <= instant]
        candidates = ouvertes or candidates
    return max(candidates, key=lambda c: c.ouverture)


CAMPAGNE_MS_VAGUE1 = "MS-VAGUE1"
