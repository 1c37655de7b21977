"""La décision d'attribution: ce qu'elle dit (le récapitulatif de la page du dossier).

Le rendu PDF et la signature sont dans adapters/decision_pdf.py; ici, seulement les
données, vérifiées, et le nom du fichier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from shared.campagnes import TypeDemande, VoiesDeRecours
from shared.horloge import exiger_fuseau
from shared.montant import Montant

TAUX_AVANCE = Decimal(30)  # pour cent du montant financé


def nom_fichier_decision(numero_asp: str) -> str:
    """« decision_attribution_FINM55007206.pdf », comme sur la page du dossier."""
    return f"decision_attribution_{numero_asp}.pdf"


@dataclass(frozen=True)
class EtablissementFinance:
    finess: str
    raison_sociale: str = ""


@dataclass(frozen=True)
class DonneesDecision:
    """Tout ce que la décision imprime; deux décisions aux mêmes données sont identiques."""

    numero_asp: str
    type_demande: TypeDemande
    siret: str
    denomination_sociale: str
    adresse: str
    numero_ans: str
    couloir: str
    campagne: str
    taux_tva: Decimal  # en pour cent: Decimal("20") pour 20 %, Decimal("5.5") pour 5,5 %
    etablissements: tuple[EtablissementFinance, ...]
    montant_finance: Montant
    avance: Montant
    depose_le: date
    decide_le: datetime  # l'instant de la décision: date du document et de sa signature
    # From the campaign's data (G1): what the décision rests on and how to contest it.
    programme: str
    bases_legales: tuple[str, ...]
    recours: VoiesDeRecours
    regime_tva: str = ""  # "HT" ou "TTC": précise les montants quand il est connu
    # Autres lignes du récapitulatif (plafond, nombres de BAL…), dans l'ordre voulu.
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
        """Ce qui reste à verser après l'avance (avance + solde = montant financé)."""
        return self.montant_finance - self.avance

    @property
    def nom_fichier(self) -> str:
        return nom_fichier_decision(self.numero_asp)
