"""E1 use cases: « Rechercher » a référencement; a gestionnaire loads a new version of the
référentiel ANS (upsert, nothing deleted, history kept)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.enrolment.application.ports import Referentiel
from services.enrolment.domain.erreurs import DemandeInvalide, Probleme
from services.enrolment.domain.referentiel import (
    VersionReferentiel,
    comparer,
    lire_referentiel,
    message_numero_ans,
    numero_ans_valide,
)
from shared.enrolement import ReferencementAns
from shared.horloge import Horloge
from shared.refus import NatureRefus, Refus

FICHIER_INITIAL = Path(__file__).parents[1] / "donnees" / "referentiel_ans.json"


class ReferencementIntrouvable(Refus):
    nature = NatureRefus.INTROUVABLE

    def __init__(self, numero_ans: str) -> None:
        super().__init__(
            "REFERENCEMENT_INCONNU",
            f"Le numéro de référencement « {numero_ans} » n'est pas dans le référentiel ANS.",
        )
        self.numero_ans = numero_ans


@dataclass
class RechercherReferencement:
    referentiel: Referentiel

    def __call__(self, numero_ans: str) -> ReferencementAns:
        """Raises DemandeInvalide (malformed numéro) or ReferencementIntrouvable."""
        if not numero_ans_valide(numero_ans):
            raise DemandeInvalide(
                [Probleme("numeroAns", "NUMERO_ANS_INVALIDE", message_numero_ans(numero_ans))]
            )
        trouve = self.referentiel.trouver(numero_ans)
        if trouve is None:
            raise ReferencementIntrouvable(numero_ans)
        return trouve


@dataclass
class ChargerReferentiel:
    referentiel: Referentiel
    horloge: Horloge

    def __call__(self, donnees: object, par: str) -> VersionReferentiel:
        """Loads a version (parsed JSON, the format of donnees/referentiel_ans.json).
        Raises DemandeInvalide listing every problem of the file; writes nothing then."""
        version, source, nouveaux = lire_referentiel(donnees)
        actuels = {r.numero_ans: r for r in self.referentiel.tous()}
        differences = comparer(actuels, nouveaux)
        bilan = VersionReferentiel(
            version=version,
            source=source,
            chargee_le=self.horloge.maintenant(),
            chargee_par=par,
            ajoutes=tuple(r.numero_ans for r in differences.ajoutes),
            modifies=tuple(r.numero_ans for r in differences.modifies),
            inchanges=differences.inchanges,
            absents=differences.absents,
        )
        anciens = [actuels[r.numero_ans] for r in differences.modifies]
        self.referentiel.charger([*differences.ajoutes, *differences.modifies], anciens, bilan)
        return bilan


def donnees_initiales(chemin: Path = FICHIER_INITIAL) -> Any:
    """The référentiel shipped with the platform (loaded at deployment, by `segurnum`)."""
    return json.loads(chemin.read_text(encoding="utf-8"))
