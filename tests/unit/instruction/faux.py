"""Fakes of the instruction ports (in memory), shared by the unit tests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from services.instruction.application.instruction import Instruction
from services.instruction.application.ports import Filtres, JetonPerime, VersionPerimee
from shared.campagnes import TypeDemande
from shared.dossier import ResumeDemande, ResumeDossier
from shared.etat_instruction import EtatInstruction
from shared.historique import EntreeHistorique
from shared.horloge import HorlogeFixe
from shared.messages import VersementDemande
from shared.statuts import Attendu, StatutDemande

NUMERO = "FINMS1000001"
SIRET = "73282932000074"


def dossier(numero: str = NUMERO, siret: str = SIRET, solde: bool = False) -> ResumeDossier:
    le = datetime(2024, 2, 20, 9, tzinfo=UTC)
    demandes = {
        TypeDemande.AVANCE: ResumeDemande(
            TypeDemande.AVANCE,
            StatutDemande.EN_COURS,
            "00001",
            {"montantFinance": "22500.00", "avance": "6750.00", "solde": "15750.00"},
            "20",
            ("a.pdf",),
            le,
            {},
        )
    }
    if solde:
        demandes[TypeDemande.SOLDE] = replace(
            demandes[TypeDemande.AVANCE], type_demande=TypeDemande.SOLDE
        )
    return ResumeDossier(numero, siret, "ANS1", "MS", "MS-VAGUE1", ("111111111",), le, demandes, 1)


@dataclass
class InstructionsEnMemoire:
    dossiers: dict[str, ResumeDossier] = field(default_factory=dict)
    etats_: dict[tuple[str, TypeDemande], EtatInstruction] = field(default_factory=dict)
    histo: list[tuple[str, EntreeHistorique]] = field(default_factory=list)
    miroirs: list[tuple[str, TypeDemande, StatutDemande]] = field(default_factory=list)
    avant_ecriture: Any = None  # a hook: another writer acting between read and write

    def lire(self, numero_asp: str, type_demande: TypeDemande) -> EtatInstruction | None:
        return self.etats_.get((numero_asp, type_demande))

    def etats(self, numero_asp: str) -> list[EtatInstruction]:
        return [e for (n, _), e in self.etats_.items() if n == numero_asp]

    def lire_dossier(self, numero_asp: str) -> ResumeDossier | None:
        return self.dossiers.get(numero_asp)

    def historique(self, numero_asp: str) -> list[EntreeHistorique]:
        return [e for n, e in self.histo if n == numero_asp]

    def ecrire(
        self,
        avant: EtatInstruction | None,
        apres: EtatInstruction,
        entree: EntreeHistorique | None = None,
        jeton_consomme: str | None = None,
    ) -> None:
        if self.avant_ecriture is not None:
            crochet, self.avant_ecriture = self.avant_ecriture, None
            crochet()
        cle = (apres.numero_asp, apres.type_demande)
        actuel = self.etats_.get(cle)
        if (avant is None) != (actuel is None):
            raise VersionPerimee(apres.numero_asp)
        if avant is not None and actuel is not None and actuel.version != avant.version:
            raise VersionPerimee(apres.numero_asp)
        if jeton_consomme is not None and (actuel is None or actuel.jeton != jeton_consomme):
            raise VersionPerimee(apres.numero_asp)
        self.etats_[cle] = apres
        if entree is not None:
            self.histo.append((apres.numero_asp, entree))
        if avant is not None and avant.statut is not apres.statut:
            self.miroirs.append((apres.numero_asp, apres.type_demande, apres.statut))

    def effacer_reprise(self, numero_asp: str, type_demande: TypeDemande, jeton: str) -> None:
        etat = self.etats_.get((numero_asp, type_demande))
        if etat is not None and etat.reprise is not None and etat.reprise.jeton == jeton:
            self.etats_[(numero_asp, type_demande)] = replace(etat, reprise=None)

    def lister(
        self, filtres: Filtres, limite: int, curseur: Mapping[str, Any] | None
    ) -> tuple[list[EtatInstruction], dict[str, Any] | None]:
        return list(self.etats_.values())[:limite], None

    def en_reprise(
        self, statut: StatutDemande, modifiee_avant: datetime, limite: int
    ) -> list[EtatInstruction]:
        return [
            e
            for e in self.etats_.values()
            if e.statut is statut and e.reprise is not None and e.modifie_le < modifiee_avant
        ][:limite]

    def sans_suite(
        self, statut: StatutDemande, modifiee_avant: datetime, limite: int
    ) -> list[EtatInstruction]:
        return [
            e
            for e in self.etats_.values()
            if e.statut is statut
            and e.attendu is Attendu.PLATEFORME
            and e.reprise is None
            and e.modifie_le < modifiee_avant
        ][:limite]


@dataclass
class WorkflowFactice:
    rendus: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    pannes: int = 0
    consommes: set[str] = field(default_factory=set)

    def reprendre(self, jeton: str, sortie: Mapping[str, Any]) -> None:
        if self.pannes:
            self.pannes -= 1
            raise RuntimeError("Step Functions indisponible")
        if jeton in self.consommes:
            raise JetonPerime(jeton)
        self.consommes.add(jeton)
        self.rendus.append((jeton, dict(sortie)))


@dataclass
class Boite:
    messages: list[Any] = field(default_factory=list)

    def demander(self, demande: VersementDemande) -> None:
        self.messages.append(demande)

    def notifier(self, etat: EtatInstruction, dossier: ResumeDossier, statut: str) -> None:
        self.messages.append((etat.numero_asp, etat.type_demande, statut))

    def produire(self, etat: EtatInstruction, dossier: ResumeDossier) -> str:
        self.messages.append(("pdf", etat.numero_asp))
        return f"dossiers/{etat.numero_asp}/decision/decision_attribution_{etat.numero_asp}.pdf"


@dataclass
class Compteurs:
    erreurs: list[str] = field(default_factory=list)
    reprises: int = 0
    sans_suite_: int | None = None  # the last gauge the reconciliation emitted

    def erreur_technique(self, etape: str) -> None:
        self.erreurs.append(etape)

    def reprise_en_echec(self) -> None:
        self.reprises += 1

    def sans_suite(self, nombre: int) -> None:
        self.sans_suite_ = nombre


@dataclass
class Monde:
    instructions: InstructionsEnMemoire
    workflow: WorkflowFactice
    versements: Boite
    notifications: Boite
    decisions: Boite
    metriques: Compteurs
    horloge: HorlogeFixe
    instruction: Instruction


def monde(*dossiers: ResumeDossier) -> Monde:
    instructions = InstructionsEnMemoire({d.numero_asp: d for d in dossiers or (dossier(),)})
    workflow, versements, notifications, decisions = WorkflowFactice(), Boite(), Boite(), Boite()
    metriques = Compteurs()
    horloge = HorlogeFixe(datetime(2024, 2, 21, 10, tzinfo=UTC))
    instruction = Instruction(
        instructions, workflow, horloge, versements, notifications, decisions, metriques
    )
    return Monde(
        instructions,
        workflow,
        versements,
        notifications,
        decisions,
        metriques,
        horloge,
        instruction,
    )
