"""Composition root of the paiement service: one typed set of objects, built once per cold
start (settings checked there; the clock is the process's current one at each call).

Each object is built at its first use, with the imports it needs: a route that lists the
lots does not import the bank returns', the avis' or the courriels' adapters."""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from shared.settings import requis

if TYPE_CHECKING:
    from services.paiement.adapters.aws import DonneesEditeur, FichiersS3
    from services.paiement.adapters.dynamodb import VersementsDynamo
    from services.paiement.application.contexte import Paiement
    from services.paiement.application.suites import Suites

# What every function running this service's code requires at its cold start: checked by
# `composants()` below; tests/infra/test_reglages.py checks that the packaged template sets
# each variable for every such function.
REGLAGES = (
    "table_donnees",
    "bucket_documents",
    "expediteur",
    "url_portail",
    "payeur_nom",
    "payeur_iban",
    "payeur_bic",
)


class Composants:
    @cached_property
    def versements(self) -> VersementsDynamo:
        from services.paiement.adapters.dynamodb import VersementsDynamo

        return VersementsDynamo()

    @cached_property
    def fichiers(self) -> FichiersS3:
        from services.paiement.adapters.aws import FichiersS3

        return FichiersS3()

    @cached_property
    def editeurs(self) -> DonneesEditeur:
        from services.paiement.adapters.aws import DonneesEditeur

        return DonneesEditeur()

    @cached_property
    def paiement(self) -> Paiement:
        from services.paiement.adapters.dynamodb import EnrolementsDynamo
        from services.paiement.adapters.s3 import StockageS3
        from services.paiement.application.contexte import Paiement
        from services.paiement.domain.sepa import Payeur
        from shared.chiffrement_kms import ChiffrementKms
        from shared.horloge import HorlogeCourante

        reglages = requis("payeur_nom", "payeur_iban", "payeur_bic")
        return Paiement(
            versements=self.versements,
            lots=self.versements,
            enrolements=EnrolementsDynamo(),
            stockage=StockageS3(),
            horloge=HorlogeCourante(),
            payeur=Payeur(reglages.payeur_nom, reglages.payeur_iban, reglages.payeur_bic),
            chiffrement=ChiffrementKms(),
        )

    @cached_property
    def suites(self) -> Suites:
        from services.paiement.adapters.aws import (
            AvisPdfS3,
            NotificationsCourriels,
            RetoursDynamo,
            SignalStepFunctions,
        )
        from services.paiement.application.suites import Suites

        return Suites(
            signal=SignalStepFunctions(),
            avis=AvisPdfS3(self.fichiers, self.editeurs),
            notifications=NotificationsCourriels(self.editeurs),
            retours=RetoursDynamo(),
            envois=self.fichiers,
        )


@lru_cache(maxsize=1)
def composants() -> Composants:
    # Fails loudly at cold start, naming the variable, rather than at the first payment
    # (a lot's pain.001 from no account, or a fictitious one).
    requis(*REGLAGES)
    return Composants()
