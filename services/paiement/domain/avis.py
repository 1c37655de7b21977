"""L'avis de paiement: ce qu'il dit d'un versement payé (une ligne « Paiement effectué »
du suivi financier). Le rendu PDF est dans adapters/avis_pdf.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.campagnes import TypeDemande
from shared.horloge import exiger_fuseau
from shared.montant import Montant


def nom_fichier_avis(numero_demande: str, objet: str) -> str:
    """« avis_paiement_FINMSS006702M0_VERSE001.pdf »: un avis par versement payé."""
    return f"avis_paiement_{numero_demande}_{objet}.pdf"


@dataclass(frozen=True)
class DonneesAvis:
    beneficiaire: str  # la dénomination sociale (ou le titulaire du compte)
    siret: str
    numero_asp: str  # le numéro de dossier
    numero_demande: str  # FINMSS006702M0
    objet: str  # VERSE001 (avance), VERSE002 (solde)
    type_versement: TypeDemande  # AVANCE ou SOLDE
    montant_paye: Montant
    paye_le: date  # date de paiement effective (retour de la banque)
    iban_masque: str  # FR76 **** … 1234: le versement ne garde l'IBAN que chiffré et masqué
    emis_le: datetime  # instant de production: date du document (et de sa signature)
    programme: str  # le nom du programme, donnée de la campagne du dossier (G1)
    bic: str = ""
    reference: str = ""  # l'identifiant de bout en bout du virement SEPA
    valide_le: date | None = None  # date de validation (la décision)
    mis_en_paiement_le: date | None = None

    def __post_init__(self) -> None:
        exiger_fuseau(self.emis_le)
        if not self.programme.strip():
            raise ValueError("un avis de paiement nomme le programme qui finance")
        if self.montant_paye.valeur <= 0:
            raise ValueError("un avis de paiement porte un montant payé positif")

    @property
    def nom_fichier(self) -> str:
        return nom_fichier_avis(self.numero_demande, self.objet)
