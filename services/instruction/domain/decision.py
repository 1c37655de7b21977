"""The décision d'attribution: what it says (the summary of the dossier's page).

The PDF rendering and the signature are in adapters/decision_pdf.py; here, only the
data, checked, and the file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from shared.campagnes import TypeDemande, VoiesDeRecours
from shared.horloge import exiger_fuseau
from shared.montant import Montant

TAUX_AVANCE = Decimal(30)  # percent of the montant financé


def nom_fichier_decision(numero_asp: str) -> str:
    """« decision_attribution_FINM55007206.pdf », as on the dossier's page."""
    return f"decision_attribution_{numero_asp}.pdf"


@dataclass(frozen=True)
class EtablissementFinance:
    finess: str
    raison_sociale: str = ""


@dataclass(frozen=True)
class DonneesDecision:
    """Everything the decision prints; two decisions with the same data are identical."""

    numero_asp: str
    type_demande: TypeDemande
    siret: str
    denomination_sociale: str
    adresse: str
    numero_ans: str
    couloir: str
    campagne: str
    taux_tva: Decimal  # in percent: Decimal("20") for 20 %, Decimal("5.5") for 5,5 %
    etablissements: tuple[EtablissementFinance, ...]
    montant_finance: Montant
    avance: Montant
    depose_le: date
    decide_le: datetime  # l'instant de la décision: date du document et de sa signature
    # From the campaign's data (G1): what the décision rests on and how to contest it.
    programme: str
    bases_legales: tuple[str, ...]
    recours: VoiesDeRecours
    regime_tva: str = ""  # "HT" or "TTC": qualifies the amounts when it is known
    # Other lines of the summary (ceiling, numbers of BAL…), in the intended order.
    complements: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        exiger_fuseau(self.decide_le)
        if not self.programme.strip() or not self.bases_legales:
            raise ValueError("une décision d'attribution nomme son programme et sa base légale")
        if not self.etablissements:
            raise ValueError("une décision d'attribution finance au moins un établissement")
        if self.avance.valeur < 0 or self.avance > self.montant_finance:
            raise ValueError("l'avance est comprise entre zéro et le montant financé")
        if not Decimal(0) <= self.taux_tva < Decimal(100):
            raise ValueError("le taux de TVA est un pourcentage entre 0 et 100")

    @property
    def solde(self) -> Montant:
        """What remains to be paid after the avance (avance + solde = montant financé)."""
        return self.montant_finance - self.avance

    @property
    def nom_fichier(self) -> str:
        return nom_fichier_decision(self.numero_asp)
