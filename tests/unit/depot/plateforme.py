"""The dépôt use cases wired on the in-memory fakes, with a clock the test sets. An import
goes as on the platform: `DemanderImport` (POST /depots/{id}/import) puts it on the
import queue, then the queue's worker (`Importer.executer`) runs what the queue holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from services.depot.application.importation import ResultatImport
from services.depot.application.ports import Annotateur, Simulateur
from services.depot.application.reception import IssueReception
from services.depot.bootstrap import Composants
from services.depot.domain.depot import Depot
from shared.courriels.contrat import EnvoiUnique
from shared.horloge import PARIS, HorlogeFixe
from shared.messages import ReponseEditeur
from tests.unit.depot.fakes import (
    NUMERO_ANS,
    SIRET,
    CompteurEnMemoire,
    DepotsEnMemoire,
    DossiersEnMemoire,
    EnrolementsEnMemoire,
    FileImportEnMemoire,
    SimulateurFactice,
    StockageEnMemoire,
    annoter_factice,
)

AVANT_ECHEANCE = datetime(2024, 2, 1, 10, 0, tzinfo=PARIS)
ECHEANCE_AVANCE = datetime(2024, 2, 28, 14, 0, tzinfo=PARIS)
ECHEANCE_SOLDE = datetime(2024, 12, 19, 14, 0, tzinfo=PARIS)


class ReponsesEnMemoire:
    """The instruction's queue (port `ReponsesInstruction`): what was sent."""

    def __init__(self) -> None:
        self.messages: list[ReponseEditeur] = []

    def envoyer(self, reponse: ReponseEditeur) -> None:
        self.messages.append(reponse)


class NonBranche:
    """A port this test gives no fake: its first use fails, naming it (pass one to
    `Plateforme(...)` to use it)."""

    def __init__(self, port: str) -> None:
        self._port = port

    def __getattr__(self, nom: str) -> Any:
        raise AssertionError(f"port « {self._port} » non branché dans ce test ({nom})")


@dataclass
class DependancesEnMemoire:
    """`services.depot.bootstrap.Dependances` on the in-memory fakes."""

    horloge: HorlogeFixe
    simuler: Simulateur
    annoter: Annotateur | None
    depots: DepotsEnMemoire = field(default_factory=DepotsEnMemoire)
    dossiers: DossiersEnMemoire = field(default_factory=DossiersEnMemoire)
    stockage: StockageEnMemoire = field(default_factory=StockageEnMemoire)
    enrolements: EnrolementsEnMemoire = field(default_factory=EnrolementsEnMemoire)
    compteur: CompteurEnMemoire = field(default_factory=CompteurEnMemoire)
    file_import: FileImportEnMemoire = field(default_factory=FileImportEnMemoire)
    reponses: ReponsesEnMemoire = field(default_factory=ReponsesEnMemoire)
    zips: Any = field(default_factory=lambda: NonBranche("zips"))
    pieces: Any = field(default_factory=lambda: NonBranche("pieces"))
    sources: Any = field(default_factory=lambda: NonBranche("sources"))
    copie: Any = field(default_factory=lambda: NonBranche("copie"))
    instruction: Any = field(default_factory=lambda: NonBranche("instruction"))
    etats: Any = field(default_factory=lambda: NonBranche("etats"))
    # No courrier: no accusé de réception (tests/unit/depot/test_reponses_import.py sends them).
    courrier: Callable[[], EnvoiUnique] | None = None
    url_portail: str = "https://portail.test"


class Plateforme:
    """The dépôt's use cases as `services.depot.bootstrap` wires them, on the fakes."""

    def __init__(
        self,
        instant: datetime = AVANT_ECHEANCE,
        simuler: Simulateur | None = None,
        annoter: Annotateur | None = None,
        **ports: Any,
    ) -> None:
        self.horloge = HorlogeFixe(instant)
        self.numero_ans_par_defaut = NUMERO_ANS
        self.simulateur = SimulateurFactice()
        self.dependances = DependancesEnMemoire(
            self.horloge, simuler or self.simulateur, annoter or annoter_factice, **ports
        )
        d = self.dependances
        self.depots = d.depots
        self.enrolements = d.enrolements
        self.stockage = d.stockage
        self.dossiers = d.dossiers
        self.dossiers.depots = self.depots  # the lease of an import run
        self.compteur = d.compteur
        self.composants = Composants(d)
        c = self.composants
        self.registre = c.registre
        self.demarrer = c.demarrer
        self.traiter_json_recu = c.traiter_json
        self.file_import = d.file_import
        self.demander_import = c.demander_import
        self.importeur = c.importer
        self.consultation = c.consultation

    def regler(self, instant: datetime) -> None:
        self.horloge.regler(instant)

    def demarrer_depot(
        self,
        siret: str = SIRET,
        type_demande: str = "AVANCE",
        numero_ans: str | None = None,
        taux_tva: Any = "20",
        **options: Any,
    ) -> Depot:
        ans = numero_ans or self.numero_ans_par_defaut
        return self.demarrer(siret, type_demande, ans, taux_tva, **options).depot

    def deposer(
        self, depot: Depot, contenu: bytes, recu_le: datetime | None = None
    ) -> tuple[IssueReception, str]:
        """An upload of the JSON then its S3 event; returns the outcome and the versionId."""
        assert self.stockage.envois, "démarrer le dépôt d'abord"
        cle = next(e.cle for e in reversed(self.stockage.envois) if f"/{depot.id}/" in e.cle)
        version = self.stockage.deposer(cle, contenu)
        instant = recu_le or self.horloge.maintenant()
        return self.traiter_json_recu("segurnum-depots", cle, instant, version_id=version), version

    def depot(self, id_depot: str) -> Depot:
        depot = self.depots.lire(id_depot)
        assert depot is not None
        return depot

    def importer(
        self, id_depot: str, siret: str = SIRET, auteur: str | None = None
    ) -> ResultatImport:
        """POST /depots/{id}/import (its refusals raised), then the queue's worker on every
        message the queue holds; the last run's result."""
        self.demander_import(id_depot, siret, auteur)
        resultat = None
        while self.file_import.demandes:
            id_demande, qui = self.file_import.demandes.pop(0)
            resultat = self.importeur.executer(id_demande, qui) or resultat
        assert resultat is not None, "aucune exécution de l'import n'a abouti"
        return resultat

    def deposer_et_importer(
        self, contenu: bytes, siret: str = SIRET, **options: Any
    ) -> ResultatImport:
        depot = self.demarrer_depot(siret=siret, **options)
        self.deposer(depot, contenu)
        return self.importer(depot.id, siret)

    def avancer(self, duree: timedelta) -> None:
        self.horloge.regler(self.horloge.maintenant() + duree)
