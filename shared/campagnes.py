"""Les campagnes de financement sont des données (G1): fenêtres, couloirs, plafonds.

Les heures sont locales à Paris dans les données et deviennent des instants avec
fuseau ici. Une nouvelle vague s'ajoute dans `donnees/campagnes.json` (ou dans le
fichier désigné par SEGURNUM_CAMPAGNES), sans changer le code.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from shared.horloge import PARIS, exiger_fuseau
from shared.montant import Montant

FICHIER_PAR_DEFAUT = Path(__file__).parent / "donnees" / "campagnes.json"


class TypeDemande(StrEnum):
    AVANCE = "AVANCE"
    SOLDE = "SOLDE"


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

    def echeance(self, type_demande: TypeDemande) -> datetime:
        return self.echeance_avance if type_demande is TypeDemande.AVANCE else self.echeance_solde

    def fenetre_ouverte(self, type_demande: TypeDemande, instant: datetime) -> bool:
        """Ouverte de l'ouverture (incluse) à l'échéance (exclue: 14:00:00 est trop tard)."""
        exiger_fuseau(instant)
        return self.ouverture <= instant < self.echeance(type_demande)

    def couvre(self, couloir: str) -> bool:
        return couloir in self.couloirs


def _heure_locale(texte: str) -> datetime:
    instant = datetime.fromisoformat(texte)
    if instant.tzinfo is not None:
        raise ValueError(f"heure de campagne attendue sans fuseau (heure de Paris): {texte}")
    return instant.replace(tzinfo=PARIS)


def _campagne(brut: dict[str, object]) -> Campagne:
    return Campagne(
        id=str(brut["id"]),
        libelle=str(brut["libelle"]),
        couloirs=tuple(str(c) for c in brut["couloirs"]),  # type: ignore[attr-defined]
        ouverture=_heure_locale(str(brut["ouverture"])),
        echeance_avance=_heure_locale(str(brut["echeanceAvance"])),
        echeance_solde=_heure_locale(str(brut["echeanceSolde"])),
        date_commande_min=date.fromisoformat(str(brut["dateCommandeMin"])),
        plafond_par_etablissement=Montant(Decimal(str(brut["plafondParEtablissement"]))),
    )


def charger_campagnes(chemin: Path | None = None) -> tuple[Campagne, ...]:
    source = chemin or Path(os.environ.get("SEGURNUM_CAMPAGNES", FICHIER_PAR_DEFAUT))
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
    """La campagne qui couvre ce couloir; à défaut d'instant, la plus récente."""
    candidates = [c for c in campagnes() if c.couvre(couloir)]
    if not candidates:
        raise KeyError(couloir)
    if instant is not None:
        ouvertes = [c for c in candidates if c.ouverture <= instant]
        candidates = ouvertes or candidates
    return max(candidates, key=lambda c: c.ouverture)


CAMPAGNE_MS_VAGUE1 = "MS-VAGUE1"
