"""The allowed fields of each object of the format (§2, §3), their patterns and allowed values.

A test checks that these sets are those of the published pydantic models (`modeles.py`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from services.depot.domain.format_ms import (
    MOTIF_DATE,
    MOTIF_NUMERO_ANS,
    MOTIF_NUMERO_DOSSIER,
    MOTIF_OPERATEUR,
    MOTIF_VERROUILLAGE,
    FormatFichier,
    ProfilMotif,
    RegimeTva,
    TypeFichier,
)

# --- The field sets --------------------------------------------------------------------------

CLES_FICHIER = frozenset({"idFichier", "numeroAns", "siret", "demandes"})
CLES_DEMANDE = frozenset(
    {
        "numLigne",
        "typeAction",
        "numeroASP",
        "numeroDossier",
        "verrouillage",
        "commande",
        "beneficiaires",
        "piecesJustificatives",
        "scenarioInstallation",
        "codeTraitement",
        "libelleTraitement",
    }
)
CLES_COMMANDE = frozenset({"dateCommande", "regimeTVA", "montantSegur"})
CLES_BENEFICIAIRE = frozenset(
    {
        "mandataire",
        "nomMandataire",
        "emailMandataire",
        "telephoneMandataire",
        "etablissementsClients",
    }
)
CLES_ETABLISSEMENT = frozenset(
    {
        "finessGeo",
        "nomResponsable",
        "emailResponsable",
        "telephoneResponsable",
    }
)
CLES_PIECE = frozenset({"nomFichier", "formatFichier", "typeFichier"})
CLES_SCENARIO = frozenset(
    {
        "finessGeo",
        "ancienneVersion",
        "isMultireid",
        "isStockageId",
        "operateurMessagerie",
        "profilMotif",
        "isRefSoins",
    }
)
OBJETS = {
    CLES_FICHIER: "l'entête du fichier",
    CLES_DEMANDE: "une demande",
    CLES_COMMANDE: "la commande",
    CLES_BENEFICIAIRE: "un bénéficiaire",
    CLES_ETABLISSEMENT: "un établissement client",
    CLES_PIECE: "une pièce justificative",
    CLES_SCENARIO: "un scénario d'installation",
}
ORDRE = (
    "idFichier",
    "numeroAns",
    "siret",
    "demandes",
    "numLigne",
    "typeAction",
    "numeroASP",
    "numeroDossier",
    "verrouillage",
    "commande",
    "dateCommande",
    "regimeTVA",
    "montantSegur",
    "beneficiaires",
    "mandataire",
    "nomMandataire",
    "emailMandataire",
    "telephoneMandataire",
    "etablissementsClients",
    "finessGeo",
    "nomResponsable",
    "emailResponsable",
    "telephoneResponsable",
    "piecesJustificatives",
    "nomFichier",
    "formatFichier",
    "typeFichier",
    "scenarioInstallation",
    "ancienneVersion",
    "isMultireid",
    "isStockageId",
    "operateurMessagerie",
    "profilMotif",
    "isRefSoins",
    "codeTraitement",
    "libelleTraitement",
)

NUMERO_ANS = re.compile(MOTIF_NUMERO_ANS)
NUMERO_DOSSIER = re.compile(MOTIF_NUMERO_DOSSIER)
VERROUILLAGE = re.compile(MOTIF_VERROUILLAGE)
OPERATEUR = re.compile(MOTIF_OPERATEUR)
DATE = re.compile(MOTIF_DATE)
FORMATS = {f.value: f for f in FormatFichier}
TYPES_FICHIER = {t.value: t for t in TypeFichier}
PROFILS = tuple(p.value for p in ProfilMotif)
REGIMES = tuple(r.value for r in RegimeTva)

CHAINE = "une chaîne de caractères"
BOOLEEN = "un booléen (true ou false)"
TABLEAU = "un tableau"
OBJET = "un objet"


def compter_cles(valeur: Any) -> tuple[int, bool]:
    """The number of keys of all the objects of a value (explicit stack, no recursion),
    and whether one of them is "montantSegur" (see `_Validation.douteux`)."""
    if type(valeur) is not dict and type(valeur) is not list:
        return 0, False
    total = 0
    montant = False
    pile = [valeur]
    while pile:
        v = pile.pop()
        if type(v) is dict:
            total += len(v)
            montant = montant or "montantSegur" in v
            pile.extend(x for x in v.values() if type(x) is dict or type(x) is list)
        elif type(v) is list:
            pile.extend(x for x in v if type(x) is dict or type(x) is list)
    return total, montant


def decimales_ok(valeur: Decimal) -> bool:
    """At most two decimal places per value (1500.500 is 1500.50), without arithmetic."""
    _, chiffres, exposant = valeur.as_tuple()
    if not isinstance(exposant, int):
        return False
    if exposant >= -2:
        return True
    zeros = 0
    for chiffre in reversed(chiffres):
        if chiffre:
            break
        zeros += 1
    return exposant + zeros >= -2
