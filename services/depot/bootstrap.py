"""Composition root of the dépôt service: its use cases on their ports, built once per cold
start (the clock is the process's current one at each call).

`Composants` builds the use cases from a `Dependances`: the AWS adapters in production
(`DependancesAws`, through `composants()`), in-memory fakes in the unit tests
(tests/unit/depot/plateforme.py), so that both run the same wiring (cosmicpython's
`bootstrap`). Each use case and each adapter is built at its first use, with the imports
it needs: a route or handler imports only what it uses (GET /depots neither the
simulation nor the ZIP reader).

The guichet (windows, reminders, closing) is its own bounded context, with its own
composition root (`services/guichet/bootstrap.py`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from shared.settings import requis, settings

if TYPE_CHECKING:
    from typing import Protocol

    from services.depot.application.consultation import Consultation
    from services.depot.application.demarrage import DemarrerDepot
    from services.depot.application.importation import DemanderImport, Importer
    from services.depot.application.pieces import (
        AutoriserZip,
        ConsulterPieces,
        CopiePieces,
        Instruction,
        PiecesDossiers,
        SourcesZip,
        SuiviZips,
        Terminer,
        TraiterZipRecu,
    )
    from services.depot.application.pieces_complementaires import (
        AutoriserComplementaires,
        ConsulterComplementaires,
        EtatsInstruction,
        TraiterComplementsRecus,
    )
    from services.depot.application.ports import (
        Annotateur,
        Compteur,
        Depots,
        Dossiers,
        Enrolements,
        FileImport,
        ReponsesInstruction,
        Simulateur,
        Stockage,
    )
    from services.depot.application.reception import TraiterJsonRecu
    from services.depot.application.registre import RegistreDepot
    from services.depot.application.reponses import SuitesImport
    from shared.courriels.contrat import EnvoiUnique
    from shared.horloge import Horloge

    # For the type checker only: a Protocol class costs its creation at every cold start.
    class Dependances(Protocol):
        """What the dépôt's use cases stand on: its ports, the file's simulation and
        annotation, and where the courriels point."""

        @property
        def horloge(self) -> Horloge: ...
        @property
        def depots(self) -> Depots: ...
        @property
        def dossiers(self) -> Dossiers: ...
        @property
        def stockage(self) -> Stockage: ...
        @property
        def enrolements(self) -> Enrolements: ...
        @property
        def compteur(self) -> Compteur: ...
        @property
        def file_import(self) -> FileImport: ...
        @property
        def reponses(self) -> ReponsesInstruction: ...
        @property
        def zips(self) -> SuiviZips: ...
        @property
        def pieces(self) -> PiecesDossiers: ...
        @property
        def sources(self) -> SourcesZip: ...
        @property
        def copie(self) -> CopiePieces: ...
        @property
        def instruction(self) -> Instruction: ...
        @property
        def etats(self) -> EtatsInstruction: ...
        @property
        def simuler(self) -> Simulateur: ...
        @property
        def annoter(self) -> Annotateur | None: ...
        @property
        def courrier(self) -> Callable[[], EnvoiUnique] | None:
            """Builds the courrier at the first courriel (SES and Jinja2 stay out of the cold
            start of the routes); None sends no accusé de réception."""
            ...

        @property
        def url_portail(self) -> str: ...


class DependancesAws:
    """The AWS adapters (clients from `shared.aws`), each built at its first use."""

    @cached_property
    def horloge(self) -> Horloge:
        from shared.horloge import HorlogeCourante

        return HorlogeCourante()

    @cached_property
    def depots(self) -> Depots:
        from services.depot.adapters.dynamodb import DepotRepository

        return DepotRepository()

    @cached_property
    def dossiers(self) -> Dossiers:
        from services.depot.adapters.dynamodb import DossierRepository

        return DossierRepository()

    @cached_property
    def stockage(self) -> Stockage:
        from services.depot.adapters.s3 import StockageS3

        return StockageS3()

    @cached_property
    def enrolements(self) -> Enrolements:
        from shared.enrolement_table import LecteurEnrolements

        return LecteurEnrolements()

    @cached_property
    def compteur(self) -> Compteur:
        from services.depot.adapters.dynamodb import CompteurRepository

        return CompteurRepository()

    @cached_property
    def file_import(self) -> FileImport:
        from services.depot.adapters.sqs import FileImportSqs

        return FileImportSqs()

    @property
    def reponses(self) -> ReponsesInstruction:
        # One per use case (each resolves its queue's URL once): the import and the ZIP's
        # checks run in different Lambdas, each with its own role, and the local runtime's
        # least-privilege record must see each of them ask (tests/privileges).
        from services.depot.adapters.instruction_sqs import ReponsesSqs

        return ReponsesSqs()

    @cached_property
    def zips(self) -> SuiviZips:
        from services.depot.adapters.pieces_aws import ZipsDynamo

        return ZipsDynamo()

    @cached_property
    def pieces(self) -> PiecesDossiers:
        from services.depot.adapters.pieces_aws import PiecesDynamo

        return PiecesDynamo()

    @cached_property
    def sources(self) -> SourcesZip:
        from services.depot.adapters.pieces_aws import SourcesS3

        return SourcesS3()

    @cached_property
    def copie(self) -> CopiePieces:
        from services.depot.adapters.pieces_aws import CopieS3

        return CopieS3()

    @cached_property
    def instruction(self) -> Instruction:
        from services.depot.adapters.pieces_aws import InstructionStepFunctions

        return InstructionStepFunctions()

    @cached_property
    def etats(self) -> EtatsInstruction:
        from services.depot.adapters.instruction_etats import EtatsInstructionDynamo

        return EtatsInstructionDynamo()

    @property
    def simuler(self) -> Simulateur:
        from services.depot.application.simulation import simuler

        return simuler

    @property
    def annoter(self) -> Annotateur:
        # the annotation alone: the import re-validates nothing (no validation package)
        from services.depot.domain.annotation import annoter

        return annoter

    @property
    def courrier(self) -> Callable[[], EnvoiUnique]:
        horloge = self.horloge

        def fabriquer() -> EnvoiUnique:
            from shared.courriels.composition import courrier

            return courrier(horloge)

        return fabriquer

    @property
    def url_portail(self) -> str:
        return settings().url_portail


class Composants:
    """The dépôt's use cases, each built at its first use from `dependances`."""

    def __init__(self, dependances: Dependances) -> None:
        self.d = dependances

    @cached_property
    def registre(self) -> RegistreDepot:
        from services.depot.application.registre import RegistreDepot

        return RegistreDepot(self.d.enrolements, self.d.dossiers)

    @cached_property
    def demarrer(self) -> DemarrerDepot:
        from services.depot.application.demarrage import DemarrerDepot

        d = self.d
        return DemarrerDepot(d.depots, d.enrolements, d.stockage, d.horloge)

    @cached_property
    def traiter_json(self) -> TraiterJsonRecu:
        from services.depot.application.reception import TraiterJsonRecu

        d = self.d
        return TraiterJsonRecu(d.depots, d.stockage, self.registre, d.horloge, d.simuler, d.annoter)

    @cached_property
    def demander_import(self) -> DemanderImport:
        from services.depot.application.importation import DemanderImport

        return DemanderImport(self.d.depots, self.d.file_import, self.d.horloge)

    @cached_property
    def suites_import(self) -> SuitesImport:
        from services.depot.application.reponses import SuitesImport

        d = self.d
        return SuitesImport(d.dossiers, d.enrolements, d.reponses, d.courrier, d.url_portail)

    @cached_property
    def importer(self) -> Importer:
        from services.depot.application.importation import Importer

        d = self.d
        return Importer(
            d.depots,
            d.dossiers,
            d.compteur,
            d.stockage,
            d.horloge,
            d.annoter,
            d.file_import,
            suites=self.suites_import,
        )

    @cached_property
    def consultation(self) -> Consultation:
        from services.depot.application.consultation import Consultation

        return Consultation(self.d.depots, self.d.stockage)

    @cached_property
    def autoriser_zip(self) -> AutoriserZip:
        from services.depot.application.pieces import AutoriserZip

        d = self.d
        return AutoriserZip(d.depots, d.stockage, d.zips, d.horloge)

    @cached_property
    def traiter_zip(self) -> TraiterZipRecu:
        from services.depot.application.pieces import TraiterZipRecu

        d = self.d
        return TraiterZipRecu(
            d.depots, d.dossiers, d.zips, d.pieces, d.sources, d.copie, d.instruction, d.horloge
        )

    @cached_property
    def terminer(self) -> Terminer:
        from services.depot.application.pieces import Terminer

        d = self.d
        return Terminer(d.depots, d.dossiers, d.pieces, d.horloge)

    @cached_property
    def consulter_pieces(self) -> ConsulterPieces:
        from services.depot.application.pieces import ConsulterPieces

        d = self.d
        return ConsulterPieces(d.depots, d.dossiers, d.zips, d.pieces)

    @cached_property
    def autoriser_complements(self) -> AutoriserComplementaires:
        from services.depot.application.pieces_complementaires import AutoriserComplementaires

        d = self.d
        return AutoriserComplementaires(d.dossiers, d.etats, d.stockage, d.zips, d.horloge)

    @cached_property
    def consulter_complements(self) -> ConsulterComplementaires:
        from services.depot.application.pieces_complementaires import ConsulterComplementaires

        return ConsulterComplementaires(self.d.dossiers, self.d.etats, self.d.zips)

    @cached_property
    def traiter_complements(self) -> TraiterComplementsRecus:
        from services.depot.application.pieces_complementaires import TraiterComplementsRecus

        d = self.d
        return TraiterComplementsRecus(
            d.dossiers, d.etats, d.zips, d.pieces, d.sources, d.copie, d.reponses, d.horloge
        )


# What every function running this service's code requires at its cold start: checked by
# `composants()` below; tests/infra/test_reglages.py checks that the packaged template sets
# each variable for every such function.
REGLAGES = (
    "bucket_depots",
    "bucket_documents",
    "state_machine_instruction",
    "expediteur",
    "url_portail",
)


@lru_cache(maxsize=1)
def composants() -> Composants:
    # Fails loudly at cold start, naming the variable, rather than at the first import.
    requis(*REGLAGES)
    return Composants(DependancesAws())
