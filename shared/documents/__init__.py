"""The platform's PDF documents: fpdf2 rendering (Unicode font, French formats).

The PAdES signature is in shared/signature.py; each service has its own document
(décision d'attribution, avis de paiement) and only fills in these building blocks.
"""

from shared.documents.pdf import (
    EMETTEUR,
    DocumentPdf,
    date_francaise,
    date_heure_francaise,
    date_longue,
    montant_francais,
    nouveau_document,
    taux_francais,
)

__all__ = [
    "EMETTEUR",
    "DocumentPdf",
    "date_francaise",
    "date_heure_francaise",
    "date_longue",
    "montant_francais",
    "nouveau_document",
    "taux_francais",
]
