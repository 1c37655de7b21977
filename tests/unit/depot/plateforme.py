"""The dépôt use cases wired on the in-memory fakes, with a clock the test sets. An import
goes as on the platform: `DemanderImport` (POST /depots/{id}/import) puts it on the
import queue, then the queue's worker (`Importer.executer`) runs what the queue holds."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from services.depot.application.consultation import Consultation
from services.depot.application.demarrage import DemarrerDepot
from services.depot.application.importation import DemanderImport, Importer, ResultatImport
from services.depot.application.ports import Annotateur, Simulateur
from services.depot.application.reception import IssueReception, TraiterJsonRecu
from services.depot.application.registre import RegistreDepot
from services.depot.domain.depot import Depot
from shared.horloge import PARIS, HorlogeFixe
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


class Plateforme:
    def __init__(
        self,
        instant: datetime = AVANT_ECHEANCE,
        simuler: Simulateur | None = None,
        annoter: Annotateur | None = None,
    ) -> None:
        self.horloge = HorlogeFixe(instant)
        self.numero_ans_par_defaut = NUMERO_ANS
        self.depots = DepotsEnMemoire()
        self.enrolements = EnrolementsEnMemoire()
        self.stockage = StockageEnMemoire()
        self.dossiers = DossiersEnMemoire()
        self.dossiers.depots = self.depots  # the lease of an import run
        self.compteur = CompteurEnMemoire()
        self.registre = RegistreDepot(self.enrolements, self.dossiers)
        self.simulateur = SimulateurFactice()
        self.demarrer = DemarrerDepot(self.depots, self.enrolements, self.stockage, self.horloge)
        self.traiter_json_recu = TraiterJsonRecu(
            self.depots,
            self.stockage,
            self.registre,
            self.horloge,
            simuler or self.simulateur,
            annoter or annoter_factice,
        )
        self.file_import = FileImportEnMemoire()
        self.demander_import = DemanderImport(self.depots, self.file_import, self.horloge)
        self.importeur = Importer(
            self.depots,
            self.dossiers,
            self.compteur,
            self.stockage,
            self.horloge,
            annoter or annoter_factice,
            self.file_import,
        )
        self.consultation = Consultation(self.depots, self.stockage)

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
