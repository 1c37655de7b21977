"""The avis de paiement: what it says of a paid versement (a « Paiement effectué » line of
the suivi financier). The PDF rendering is in adapters/avis_pdf.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shared.campagnes import TypeDemande
from shared.horloge import exiger_fuseau
from shared.montant import Montant


def nom_fichier_avis(numero_demande: str, objet: str) -> str:
    """« avis_paiement_FINMSS006702M0_VERSE001.pdf »: one avis per paid versement."""
    return f"avis_paiement_{numero_demande}_{objet}.pdf"


@dataclass(frozen=True)
class DonneesAvis:
    beneficiaire: str  # the dénomination sociale (or the account holder)
    siret: str
    numero_asp: str  # the dossier's number
    numero_demande: str  # FINMSS006702M0
    objet: str  # VERSE001 (avance), VERSE002 (solde)
    type_versement: TypeDemande  # AVANCE or SOLDE
    montant_paye: Montant
    paye_le: date  # effective payment date (the bank's return)
    iban_masque: str  # FR76 **** … 1234: the versement keeps the IBAN only encrypted and masked
    emis_le: datetime  # production instant: the document's date (and its signature's)
    programme: str  # the programme's name, data of the dossier's campaign (G1)
    bic: str = ""
    reference: str = ""  # the end-to-end identifier of the SEPA transfer
    valide_le: date | None = None  # validation date (the decision)
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
