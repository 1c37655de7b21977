"""Documents PDF de la plateforme: rendu fpdf2 (police Unicode, formats français).

La signature PAdES est dans shared/signature.py; chaque service a son document
(décision d'attribution, avis de paiement) et ne fait que remplir ces briques.
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
