"""The one way an éditeur's use case reaches its dépôt: found, and the éditeur's own."""

from __future__ import annotations

from services.depot.application.ports import Depots
from services.depot.domain.depot import Depot, Introuvable


def depot_de(depots: Depots, id_depot: str, siret: str) -> Depot:
    """The dépôt `id_depot` of the éditeur `siret`: DEPOT_INTROUVABLE (404) when it does not
    exist, DEPOT_AUTRE_EDITEUR (403) when it is another éditeur's."""
    depot = depots.lire(id_depot)
    if depot is None:
        raise Introuvable("DEPOT_INTROUVABLE", f"Le dépôt {id_depot} n'existe pas.")
    depot.verifier_proprietaire(siret)
    return depot
