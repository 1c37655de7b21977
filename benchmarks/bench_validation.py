"""Validation of a maximal file, compared with orjson.loads and with jsonschema.

    python benchmarks/bench_validation.py [--tours 3] [--repetitions 3]

The file: 200 demandes, each of 5 bénéficiaires × 20 établissements (100 distinct FINESS,
as many scénarios) and 10 pièces; ~10 MB of indented JSON. All distinct: 20,000 FINESS,
emails and phone numbers.

Measurements, in one process, best of N; they alternate round after round so as to bear
the same machine load:
- « nous »: `simuler(octets, …)` offline, from bytes to compte rendu (reading included);
- orjson.loads of the same bytes (floor: a read without any rule);
- jsonschema Draft202012Validator.iter_errors with the published schema (`segurnum schema`:
  types, unknown fields, patterns, allowed values, sizes, email format, multipleOf),
  on the value already read (its read is not counted against it).

Targets: nous / orjson ≤ 5; jsonschema / nous ≥ 20. Exit code 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson
from jsonschema import Draft202012Validator, FormatChecker

from services.depot.application.ports import ContexteDepot
from services.depot.application.simulation import simuler
from services.depot.domain.modeles import schema_json
from shared.campagnes import TypeDemande, campagne
from shared.horloge import heure_paris
from tests.fixtures.depot.generateur import fichier_valide, octets

CIBLE_ORJSON = 5.0
CIBLE_JSONSCHEMA = 20.0


def _fichier() -> bytes:
    document = fichier_valide(
        200, etablissements=100, beneficiaires=5, pieces_supplementaires=9, seed=2024
    )
    for i, demande in enumerate(document["demandes"]):
        demande["commande"]["montantSegur"] = Decimal(f"{1_500_000 + i}.55")
        for b, beneficiaire in enumerate(demande["beneficiaires"]):
            for e, etablissement in enumerate(beneficiaire["etablissementsClients"]):
                n = (i * 5 + b) * 20 + e
                etablissement["emailResponsable"] = f"direction.{n}@ehpad-{n % 400}.fr"
                etablissement["telephoneResponsable"] = f"0{(1, 2, 3, 5, 9)[n % 5]}{n:08d}"
    return octets(document, indent=2)


def _contexte() -> ContexteDepot:
    return ContexteDepot(
        type_demande=TypeDemande.AVANCE,
        taux_tva=Decimal("20"),
        couloir="MS1",
        campagne=campagne("MS-VAGUE1"),
        date_depot=heure_paris("2024-02-20T10:00"),
    )


def _chrono(fonction: Callable[[], Any]) -> float:
    debut = time.perf_counter()
    fonction()
    return time.perf_counter() - debut


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--tours", type=int, default=3, help="mesures de jsonschema")
    arguments.add_argument("--repetitions", type=int, default=3, help="par tour, orjson et nous")
    options = arguments.parse_args()

    contenu = _fichier()
    contexte = _contexte()
    resultat = simuler(contenu, "maximal.json", contexte, None)
    compte_rendu = resultat.compte_rendu
    if compte_rendu.lignes_importables != 200:
        print("Le fichier du benchmark devrait être valide:", compte_rendu.to_dict()["lignes"][0])
        return 2
    donnees = json.loads(contenu, parse_float=Decimal)
    schema = json.loads(json.dumps(schema_json()), parse_float=Decimal)
    validateur = Draft202012Validator(schema, format_checker=FormatChecker())
    if list(validateur.iter_errors(donnees)):
        print("jsonschema devrait accepter le fichier du benchmark")
        return 2

    # The three measurements alternate, round after round: each bears the same load.
    nous: list[float] = []
    lecture: list[float] = []
    schema_temps: list[float] = []
    for _ in range(options.tours):
        for _ in range(options.repetitions):
            lecture.append(_chrono(lambda: orjson.loads(contenu)))
            nous.append(_chrono(lambda: simuler(contenu, "maximal.json", contexte, None)))
        schema_temps.append(_chrono(lambda: list(validateur.iter_errors(donnees))))
    t_nous, t_orjson, t_schema = min(nous), min(lecture), min(schema_temps)
    ratio_orjson = t_nous / t_orjson
    ratio_schema = t_schema / t_nous

    print(f"Fichier : {len(contenu) / 1048576:.1f} Mo, 200 demandes, 20 000 établissements")
    print(f"orjson.loads          : {t_orjson * 1000:8.1f} ms")
    print(f"simuler (nous)        : {t_nous * 1000:8.1f} ms")
    print(f"jsonschema 2020-12    : {t_schema * 1000:8.1f} ms")
    ok_orjson = ratio_orjson <= CIBLE_ORJSON
    ok_schema = ratio_schema >= CIBLE_JSONSCHEMA
    print(
        f"nous / orjson         : {ratio_orjson:6.2f}  (cible ≤ {CIBLE_ORJSON:g})  "
        f"{'OK' if ok_orjson else 'MANQUÉE'}"
    )
    print(
        f"jsonschema / nous     : {ratio_schema:6.2f}  (cible ≥ {CIBLE_JSONSCHEMA:g})  "
        f"{'OK' if ok_schema else 'MANQUÉE'}"
    )
    return 0 if ok_orjson and ok_schema else 1


if __name__ == "__main__":
    sys.exit(main())
