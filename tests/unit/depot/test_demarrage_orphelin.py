"""A POST /depots whose write applied but answered an error leaves no dépôt behind: the
éditeur never got its id (issue: nothing half-made)."""

from __future__ import annotations

import pytest

from services.depot.application.demarrage import DemarrerDepot
from services.depot.domain.depot import Depot
from tests.unit.depot.fakes import NUMERO_ANS, SIRET
from tests.unit.depot.plateforme import Plateforme


class Perdue(Exception):
    pass


def test_un_depot_ecrit_dont_la_reponse_est_perdue_est_retire() -> None:
    p = Plateforme()
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    ajouter = p.depots.ajouter

    def ecrit_puis_perdu(depot: Depot) -> Depot:
        ajouter(depot)
        raise Perdue("réponse perdue après l'écriture")

    p.depots.ajouter = ecrit_puis_perdu  # type: ignore[method-assign]
    demarrer = DemarrerDepot(p.depots, p.enrolements, p.stockage, p.horloge)
    with pytest.raises(Perdue):
        demarrer(SIRET, "AVANCE", NUMERO_ANS, 20)
    assert p.depots.lister(SIRET) == []
    # The client's retry creates one dépôt, which it gets.
    p.depots.ajouter = ajouter  # type: ignore[method-assign]
    cree = demarrer(SIRET, "AVANCE", NUMERO_ANS, 20)
    assert [d.id for d in p.depots.lister(SIRET)] == [cree.depot.id]
