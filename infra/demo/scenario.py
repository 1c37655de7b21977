"""The seed's story, step by step, shared by `segurnum demo` and tests/e2e/test_parcours.py."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from infra.demo import depot, echeances, enrolement, instruction, paiement
from infra.demo.contexte import Contexte
from infra.demo.donnees import Jeu
from infra.demo.plateforme import Plateforme


@dataclass(frozen=True)
class Etape:
    titre: str
    faire: Callable[[Contexte], None]


ETAPES = [
    Etape("Horloge au début de l'histoire", echeances.horloge_depart),
    Etape("Référentiel ANS et « Rechercher »", enrolement.referentiel),
    Etape("Demandes d'enrôlement", enrolement.demandes),
    Etape("Validation par la gestionnaire", enrolement.validation),
    Etape("Première connexion des éditeurs", enrolement.connexions),
    Etape("Simulation d'un fichier avec deux lignes fautives", depot.simulation_fautive),
    Etape("Fichier corrigé, importé", depot.correction_import),
    Etape("Pièces justificatives: une manquante, puis complétées", depot.pieces),
    Etape("Dépôt de SocialSoft", depot.depot_b),
    Etape("Bureau de la gestionnaire: modification et pièces demandées", instruction.bureau),
    Etape("Réponse de l'éditeur: fichier de modification", instruction.reponse_modification),
    Etape("Réponse de l'éditeur: pièces complémentaires", instruction.reponse_pieces),
    Etape("Décisions", instruction.decisions),
    Etape("Lot SEPA et retour de la banque (un rejet)", paiement.premier_lot),
    Etape("Nouvelles coordonnées bancaires, réémission, paiement", paiement.nouvelles_coordonnees),
    Etape("Échéance de l'avance: rappels, fermeture, dépôt tardif", echeances.echeance),
    Etape("Solde: dépôt, décision, paiement", echeances.solde),
]


def contexte(p: Plateforme, sortie: Path, graine: int | None = None) -> Contexte:
    graine = random.SystemRandom().randrange(1 << 40) if graine is None else graine
    return Contexte(p=p, jeu=Jeu(graine), sortie=sortie)
