"""E1 — the référentiel ANS: numéro de référencement → DSR (couloir, type de logiciel,
vague), solution and its version, éditeur (SIRET, dénomination sociale).

A version of the référentiel is a JSON document (`donnees/referentiel_ans.json` is the
one shipped with the platform); a gestionnaire loads a new one: entries are upserted,
none is deleted, and each change is kept in the history (see the application layer).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from services.enrolment.domain.erreurs import DemandeInvalide, Probleme, problemes_validation
from shared.enrolement import ReferencementAns
from shared.identifiants import siret_valide

NUMERO_ANS = re.compile(r"[A-Za-z0-9]{10}")
COULOIRS = ("MS1", "MS2")
TYPES_LOGICIEL = ("DUI", "DUI-PDE")
LIBELLES_TYPE_LOGICIEL = {
    "DUI": "dossier usager informatisé",
    "DUI-PDE": "dossier usager informatisé — protection de l'enfance",
}


def numero_ans_valide(valeur: object) -> bool:
    return isinstance(valeur, str) and bool(NUMERO_ANS.fullmatch(valeur))


def message_numero_ans(valeur: object) -> str:
    return (
        f"Le numéro unique de référencement (ANS) « {valeur} » n'est pas valide : "
        "10 caractères alphanumériques sont attendus, par exemple zbuMSS0001."
    )


class EntreeReferentiel(BaseModel):
    """One référencement as the data file writes it."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, alias_generator=to_camel)

    numero_ans: str
    couloir: Literal["MS1", "MS2"]
    type_logiciel: Literal["DUI", "DUI-PDE"]
    vague: str = Field(pattern=r"^[1-9][0-9]?$")
    solution: str = Field(min_length=1, max_length=200)
    version_solution: str = Field(min_length=1, max_length=50)
    siret: str
    raison_sociale: str = Field(min_length=1, max_length=200)

    @field_validator("numero_ans")
    @classmethod
    def _numero(cls, valeur: str) -> str:
        if not numero_ans_valide(valeur):
            raise PydanticCustomError("NUMERO_ANS_INVALIDE", message_numero_ans(valeur))
        return valeur

    @field_validator("siret")
    @classmethod
    def _siret(cls, valeur: str) -> str:
        if not siret_valide(valeur):
            raise PydanticCustomError(
                "SIRET_INVALIDE",
                f"Le SIRET de l'éditeur « {valeur} » n'est pas valide : 14 chiffres dont la "
                "clé de Luhn sont attendus.",
            )
        return valeur

    def referencement(self) -> ReferencementAns:
        return ReferencementAns(
            numero_ans=self.numero_ans,
            couloir=self.couloir,
            type_logiciel=self.type_logiciel,
            vague=self.vague,
            solution=self.solution,
            siret=self.siret,
            version_solution=self.version_solution,
            raison_sociale=self.raison_sociale,
        )


class FichierReferentiel(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, alias_generator=to_camel)

    version: str = Field(min_length=1, max_length=50)
    source: str = Field(default="", max_length=300)
    referencements: list[EntreeReferentiel] = Field(min_length=1, max_length=20000)


@dataclass(frozen=True)
class VersionReferentiel:
    """A loaded version: who loaded which file, when, and what it changed."""

    version: str
    source: str
    chargee_le: datetime
    chargee_par: str
    ajoutes: tuple[str, ...]
    modifies: tuple[str, ...]
    inchanges: int
    absents: tuple[str, ...]  # in the table but not in this file: kept, never deleted


def lire_referentiel(donnees: object) -> tuple[str, str, list[ReferencementAns]]:
    """The version, source and référencements of a data file (already parsed JSON).
    Raises `DemandeInvalide` with every problem (field paths like referencements.3.siret),
    including a numéro given twice."""
    try:
        fichier = FichierReferentiel.model_validate(donnees)
    except ValidationError as exc:
        raise DemandeInvalide(problemes_validation(exc)) from None
    vus: dict[str, int] = {}
    doublons: list[Probleme] = []
    for position, entree in enumerate(fichier.referencements):
        cle = entree.numero_ans.upper()
        if cle in vus:
            doublons.append(
                Probleme(
                    f"referencements.{position}.numeroAns",
                    "NUMERO_ANS_DUPLIQUE",
                    f"Le numéro de référencement « {entree.numero_ans} » figure déjà en "
                    f"position {vus[cle]} : chaque numéro ne doit apparaître qu'une fois.",
                )
            )
        vus.setdefault(cle, position)
    if doublons:
        raise DemandeInvalide(doublons)
    return fichier.version, fichier.source, [e.referencement() for e in fichier.referencements]


@dataclass(frozen=True)
class Differences:
    ajoutes: tuple[ReferencementAns, ...]
    modifies: tuple[ReferencementAns, ...]  # their new value
    inchanges: int
    absents: tuple[str, ...]


def comparer(
    actuels: Mapping[str, ReferencementAns], nouveaux: Sequence[ReferencementAns]
) -> Differences:
    """What loading `nouveaux` over `actuels` (by numéro) changes."""
    ajoutes = tuple(r for r in nouveaux if r.numero_ans not in actuels)
    modifies = tuple(r for r in nouveaux if r.numero_ans in actuels and actuels[r.numero_ans] != r)
    inchanges = sum(1 for r in nouveaux if actuels.get(r.numero_ans) == r)
    presents = {r.numero_ans for r in nouveaux}
    absents = tuple(sorted(n for n in actuels if n not in presents))
    return Differences(ajoutes, modifies, inchanges, absents)


def vue_referencement(ref: ReferencementAns) -> dict[str, Any]:
    """What « Rechercher » shows: the DSR (couloir / type de logiciel / vague) and more."""
    return {
        "numeroAns": ref.numero_ans,
        "couloir": ref.couloir,
        "typeLogiciel": ref.type_logiciel,
        "vague": ref.vague,
        "dsr": f"{ref.couloir} / {ref.type_logiciel} / vague {ref.vague}",
        "solution": ref.solution,
        "versionSolution": ref.version_solution,
        "siret": ref.siret,
        "raisonSociale": ref.raison_sociale,
    }
