"""The words of the messages: a value described, an amount, a Paris time, an invalid
FINESS or SIRET explained."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.horloge import PARIS
from shared.identifiants import finess_format_valide
from shared.montant import Montant

ORTHOGRAPHES_DU_SEED = {
    "leptid": "idFichier",
    "numerosas": "numeroAns",
    "sigosigorse": "demandes",
    "regimeIVA": "regimeTVA",
    "montantSeguret": "montantSegur",
    "FINSSGeo": "finessGeo",
    "nomResponsable00": "nomResponsable",
    "emailResponsable00": "emailResponsable",
    "telephoneResponsable00": "telephoneResponsable",
}


def court(texte: str, limite: int = 60) -> str:
    return texte if len(texte) <= limite else texte[: limite - 1] + "…"


def decrire(valeur: Any) -> str:
    if valeur is None:
        return "null"
    if valeur is True:
        return "le booléen true"
    if valeur is False:
        return "le booléen false"
    if isinstance(valeur, int | Decimal | float):
        return f"le nombre {court(str(valeur))}"
    if isinstance(valeur, str):
        return f"la chaîne « {court(valeur)} »"
    if isinstance(valeur, list):
        return "un tableau"
    if isinstance(valeur, dict):
        return "un objet"
    return type(valeur).__name__


def heure_francaise(instant: datetime) -> str:
    local = instant.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H}h{local:%M}"


def euros(valeur: Decimal) -> str:
    if valeur.adjusted() > 15:
        return str(valeur)
    return Montant(valeur).en_francais()


def message_finess(valeur: str) -> str:
    if len(valeur) != 9:
        return f"Le numéro FINESS géographique {valeur} doit compter 9 caractères."
    if not finess_format_valide(valeur):
        return (
            f"Le numéro FINESS géographique {valeur} doit commencer par deux chiffres, 2A "
            "ou 2B, suivis de 7 chiffres."
        )
    return (
        f"Le numéro FINESS géographique {valeur} a une clé de contrôle invalide "
        "(algorithme de Luhn) : vérifiez ce numéro."
    )


def message_siret(valeur: str) -> str:
    if not (valeur.isascii() and valeur.isdigit()):
        return f"Le SIRET « {court(valeur)} » doit compter 14 chiffres, sans espace."
    if len(valeur) != 14:
        return f"Le SIRET {valeur} doit compter 14 chiffres (il en compte {len(valeur)})."
    return f"Le SIRET {valeur} a une clé de contrôle invalide : vérifiez ce numéro."
