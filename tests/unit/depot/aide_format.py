"""Helpers of the format MS v1 tests: dépôt context, fake registry, reading the errors."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from services.depot.application.ports import ContexteDepot, RegistrePlateforme
from services.depot.application.simulation import ResultatSimulation, simuler
from services.depot.domain.depot import Dossier
from shared.campagnes import TypeDemande, campagne
from shared.horloge import heure_paris
from shared.statuts import StatutDemande
from tests.fixtures.depot.generateur import octets

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "depot"
VALIDE_3_LIGNES = FIXTURES / "valide_3_lignes.json"
EXEMPLE_SEED = FIXTURES / "exemple_seed.json"


def charger(chemin: Path) -> Any:
    return json.loads(chemin.read_bytes(), parse_float=Decimal)


def valide() -> dict[str, Any]:
    return copy.deepcopy(_VALIDE)


_VALIDE = charger(VALIDE_3_LIGNES)


def contexte(
    type_demande: str = "AVANCE",
    taux: str = "20",
    couloir: str = "MS1",
    recu_le: str | None = None,
    date_depot: str | None = "2024-02-20T10:00",
    numero_ans_attendu: str | None = None,
    siret_attendu: str | None = None,
) -> ContexteDepot:
    return ContexteDepot(
        type_demande=TypeDemande(type_demande),
        taux_tva=Decimal(taux),
        couloir=couloir,
        campagne=campagne("MS-VAGUE1"),
        numero_ans_attendu=numero_ans_attendu,
        siret_attendu=siret_attendu,
        recu_le=heure_paris(recu_le) if recu_le else None,
        date_depot=heure_paris(date_depot) if date_depot else None,
    )


@dataclass
class RegistreFactice(RegistrePlateforme):
    """Implements `RegistrePlateforme` with dicts."""

    enroles: set[tuple[str, str]] = field(default_factory=set)
    dossiers: dict[str, Dossier] = field(default_factory=dict)
    finess: dict[str, str] = field(default_factory=dict)  # FINESS → numeroASP
    numeros_dossier: set[tuple[str, str]] = field(default_factory=set)
    appels: list[str] = field(default_factory=list)

    def editeur_enrole(self, siret: str, numero_ans: str) -> bool:
        return (siret, numero_ans) in self.enroles

    # the batched lookups the simulation uses (one call each, whatever the file's size)
    def dossiers_connus(self, numeros_asp: Iterable[str]) -> dict[str, Dossier]:
        self.appels.append("dossiers")
        return {n: self.dossiers[n] for n in numeros_asp if n in self.dossiers}

    def detenteurs_finess(
        self, campagne_id: str, couloir: str, finess: Iterable[str]
    ) -> dict[str, str]:
        self.appels.append("finess")
        return {f: self.finess[f] for f in finess if f in self.finess}

    def numeros_dossier_utilises(self, siret: str, numeros: Iterable[str]) -> set[str]:
        self.appels.append("numerosDossier")
        return {n for n in numeros if (siret, n) in self.numeros_dossier}


def dossier(
    numero_asp: str,
    siret: str = "73282932000074",
    statut: str = "EN_COURS",
    type_demande: str = "AVANCE",
    depose_le: str = "2024-02-01T10:00",
    numero_dossier: str = "DOSS-0001",
    modifiable: bool = True,
) -> Dossier:
    """The header the registre gives (`lire_plusieurs(resume=True)`): no demande, FINESS,
    amounts nor pièces."""
    depose = heure_paris(depose_le)
    lu = Dossier(
        numero_asp=numero_asp,
        siret=siret,
        numero_ans="ANS0000001",
        couloir="MS1",
        campagne="MS-VAGUE1",
        type_demande=TypeDemande(type_demande),
        statut=StatutDemande(statut),
        numero_dossier=numero_dossier,
        demande={},
        finess=(),
        montants={},
        taux_tva=Decimal("0"),
        pieces=(),
        id_depot="",
        num_ligne=0,
        depose_le=depose,
        cree_le=depose,
        modifie_le=depose,
    )
    assert lu.modifiable is modifiable, "modifiable follows the statut"
    return lu


def simuler_doc(
    document: Any, ctx: ContexteDepot | None = None, registre: Any = None
) -> ResultatSimulation:
    contenu = document if isinstance(document, bytes) else octets(document)
    return simuler(contenu, "demandes.json", ctx or contexte(), registre)


def erreurs(resultat: ResultatSimulation) -> set[tuple[str, str]]:
    """(code, chemin) of every error, of the file and of the lines."""
    cr = resultat.compte_rendu
    trouvees = {(e.code, e.chemin) for e in cr.erreurs_fichier}
    for ligne in cr.lignes:
        trouvees |= {(e.code, e.chemin) for e in ligne.erreurs}
    return trouvees


def chemins(resultat: ResultatSimulation) -> set[str]:
    return {chemin for _, chemin in erreurs(resultat)}


def maintenant_paris(texte: str) -> datetime:
    return heure_paris(texte)
