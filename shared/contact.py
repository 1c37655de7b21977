"""Courriel (syntaxe seulement, pas de DNS) et téléphone français.

email_validator et phonenumbers ne sont importés qu'au premier contrôle (~45 ms à froid):
un handler qui n'en juge aucun ne les paie pas à son démarrage.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def courriel_valide(valeur: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(valeur, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@lru_cache(maxsize=4096)
def telephone_francais_valide(valeur: str) -> bool:
    """10 chiffres commençant par 0, ou +33 suivi de 9 chiffres, numéro attribuable."""
    if not (
        (len(valeur) == 10 and valeur.isdigit() and valeur[0] == "0")
        or (len(valeur) == 12 and valeur.startswith("+33") and valeur[3:].isdigit())
    ):
        return False
    import phonenumbers

    try:
        numero = phonenumbers.parse(valeur, "FR")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number_for_region(numero, "FR")
