"""Composition root of the guichet: its use cases on DynamoDB and SES, built once per cold
start (the clock is the process's current one at each call, the portal's address read
from the settings at each courriel).

Unit tests build `ServiceGuichet` on fakes themselves (tests/unit/guichet); the handlers
and the integration tests take it from `composants()`."""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from shared.horloge import HorlogeCourante
from shared.settings import requis

if TYPE_CHECKING:
    from services.guichet.adapters.dynamodb import RegistreGuichetDynamo
    from services.guichet.application.guichet import ServiceGuichet
    from shared.courriels.envoi import Courrier


class Composants:
    def __init__(self) -> None:
        self.horloge = HorlogeCourante()  # reads the process's clock at each call

    @cached_property
    def registre(self) -> RegistreGuichetDynamo:
        from services.guichet.adapters.dynamodb import RegistreGuichetDynamo

        return RegistreGuichetDynamo()

    @cached_property
    def courrier(self) -> Courrier:
        from shared.courriels.composition import courrier

        return courrier(self.horloge)

    @cached_property
    def service(self) -> ServiceGuichet:
        from services.guichet.application.guichet import ServiceGuichet

        return ServiceGuichet(self.registre, self.courrier, self.horloge)


# What every function running this service's code requires at its cold start: checked by
# `composants()` below; tests/infra/test_reglages.py checks that the packaged template sets
# each variable for every such function. The courriels' sender and the portal's address
# (the table's name has the template's default).
REGLAGES = ("expediteur", "url_portail")


@lru_cache(maxsize=1)
def composants() -> Composants:
    # Fails loudly at cold start, naming the variable, rather than at the first courriel.
    requis(*REGLAGES)
    return Composants()
