"""Composition root of the enrolment service: the use cases on the AWS adapters, built
once per cold start (the clock is the process's current one at each call).

Each use case (and each adapter) is built at its first use, with the imports it needs: a
route imports only what it uses (cold start of the API's Lambda)."""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from shared.settings import requis, settings

if TYPE_CHECKING:
    from typing import TypedDict

    from services.enrolment.adapters.anti_robot import AntiRobotAltcha
    from services.enrolment.adapters.courriels import CourrielsPartages
    from services.enrolment.adapters.dynamodb import (
        CompteurRepository,
        DemandeRepository,
        EnrolementRepository,
        ReferentielAnsRepository,
    )
    from services.enrolment.adapters.s3 import StockageDocuments
    from services.enrolment.application.instruction import (
        Decider,
        LireDemande,
        ListerDemandes,
        SuivreDemande,
    )
    from services.enrolment.application.referentiel import (
        ChargerReferentiel,
        RechercherReferencement,
    )
    from services.enrolment.application.soumission import (
        AutoriserTeleversement,
        DemanderChangementCoordonnees,
        SoumettreComplementaire,
        SoumettreEnrolement,
    )
    from shared.chiffrement_kms import ChiffrementKms
    from shared.horloge import HorlogeCourante

    class _Commun(TypedDict):
        """What the three soumissions share (`_Soumission`'s fields)."""

        referentiel: ReferentielAnsRepository
        demandes: DemandeRepository
        enrolements: EnrolementRepository
        compteur: CompteurRepository
        stockage: StockageDocuments
        courriels: CourrielsPartages
        horloge: HorlogeCourante
        url_portail: str


class Composants:
    # --- adapters, shared by the use cases ------------------------------------------------

    @cached_property
    def horloge(self) -> HorlogeCourante:
        from shared.horloge import HorlogeCourante

        return HorlogeCourante()

    @cached_property
    def referentiel(self) -> ReferentielAnsRepository:
        from services.enrolment.adapters.dynamodb import ReferentielAnsRepository

        return ReferentielAnsRepository()

    @cached_property
    def chiffrement(self) -> ChiffrementKms:
        from shared.chiffrement_kms import ChiffrementKms

        return ChiffrementKms()  # the enrolment key: IBANs of records and demandes

    @cached_property
    def demandes(self) -> DemandeRepository:
        from services.enrolment.adapters.dynamodb import DemandeRepository

        return DemandeRepository(chiffrement=self.chiffrement)

    @cached_property
    def enrolements(self) -> EnrolementRepository:
        from services.enrolment.adapters.dynamodb import EnrolementRepository

        return EnrolementRepository(chiffrement=self.chiffrement)

    @cached_property
    def stockage(self) -> StockageDocuments:
        from services.enrolment.adapters.s3 import StockageDocuments

        return StockageDocuments()

    @cached_property
    def courriels(self) -> CourrielsPartages:
        from services.enrolment.adapters.courriels import CourrielsPartages
        from shared.courriels.composition import courrier
        from shared.courriels.ses import ExpediteurSes

        return CourrielsPartages(
            courrier(self.horloge), ExpediteurSes(), self.horloge, settings().url_portail
        )

    @cached_property
    def compteur(self) -> CompteurRepository:
        from services.enrolment.adapters.dynamodb import CompteurRepository

        return CompteurRepository()

    def _commun(self) -> _Commun:
        return {
            "referentiel": self.referentiel,
            "demandes": self.demandes,
            "enrolements": self.enrolements,
            "compteur": self.compteur,
            "stockage": self.stockage,
            "courriels": self.courriels,
            "horloge": self.horloge,
            "url_portail": settings().url_portail,
        }

    # --- use cases ------------------------------------------------------------------------

    @cached_property
    def rechercher(self) -> RechercherReferencement:
        from services.enrolment.application.referentiel import RechercherReferencement

        return RechercherReferencement(self.referentiel)

    @cached_property
    def charger(self) -> ChargerReferentiel:
        from services.enrolment.application.referentiel import ChargerReferentiel

        return ChargerReferentiel(self.referentiel, self.horloge)

    @cached_property
    def televerser(self) -> AutoriserTeleversement:
        from services.enrolment.application.soumission import AutoriserTeleversement

        return AutoriserTeleversement(self.stockage)

    @cached_property
    def anti_robot(self) -> AntiRobotAltcha:
        from services.enrolment.adapters.anti_robot import AntiRobotAltcha, SolutionsDynamo
        from shared.secrets_aws import CleSecretsManager

        return AntiRobotAltcha(
            CleSecretsManager(settings().secret_altcha),
            self.horloge,
            SolutionsDynamo(self.horloge),
        )

    @cached_property
    def soumettre(self) -> SoumettreEnrolement:
        from services.enrolment.application.soumission import SoumettreEnrolement

        return SoumettreEnrolement(**self._commun(), anti_robot=self.anti_robot)

    @cached_property
    def complementaire(self) -> SoumettreComplementaire:
        from services.enrolment.application.soumission import SoumettreComplementaire

        return SoumettreComplementaire(**self._commun())

    @cached_property
    def changement(self) -> DemanderChangementCoordonnees:
        from services.enrolment.application.soumission import DemanderChangementCoordonnees

        return DemanderChangementCoordonnees(**self._commun())

    @cached_property
    def suivre(self) -> SuivreDemande:
        from services.enrolment.application.instruction import SuivreDemande

        return SuivreDemande(self.demandes)

    @cached_property
    def lister(self) -> ListerDemandes:
        from services.enrolment.application.instruction import ListerDemandes

        return ListerDemandes(self.demandes)

    @cached_property
    def lire(self) -> LireDemande:
        from services.enrolment.application.instruction import LireDemande

        return LireDemande(self.demandes, self.stockage)

    @cached_property
    def decider(self) -> Decider:
        from services.enrolment.adapters.cognito import ComptesCognito
        from services.enrolment.adapters.paiement_sqs import AnnoncesPaiementSqs
        from services.enrolment.application.instruction import Decider

        return Decider(
            self.demandes,
            self.enrolements,
            ComptesCognito(),
            self.courriels,
            self.horloge,
            settings().url_portail,
            paiement=AnnoncesPaiementSqs(),
        )


# What every function running this service's code requires at its cold start: checked by
# `composants()` below; tests/infra/test_reglages.py checks that the packaged template sets
# each variable for every such function.
REGLAGES = ("bucket_enrolement", "user_pool_id", "expediteur", "url_portail", "secret_altcha")


@lru_cache(maxsize=1)
def composants() -> Composants:
    # Fails loudly at cold start, naming the variable, rather than at the first courriel
    # or the first anti-robot challenge.
    requis(*REGLAGES)
    return Composants()
