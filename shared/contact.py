"""Email (syntax only, no DNS) and French phone numbers.

email_validator and phonenumbers are imported at the first check only (~45 ms cold):
a handler that checks neither does not pay for them at start-up.
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
    """10 digits starting with 0, or +33 followed by 9 digits, an assignable number."""
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
