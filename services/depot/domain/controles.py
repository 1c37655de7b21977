"""Identifier and contact checks, at the pace of a file of 20,000 établissements.

The rules are those of `shared.identifiants` and `shared.contact`; this module only makes
them fast enough for a maximal file (each function falls back to them for any case off
the fast path, and a hypothesis test checks that they give the same answer):
- FINESS: python-stdnum's Luhn check costs ~5 µs; for 9 ASCII digits, the same check is
  computed here in ~0.5 µs.
- email: email_validator costs ~40 µs per address. For a simple ASCII address, the
  « atome pointé » local part is valid by construction and the total length is checked
  here; only the domain remains to be judged: once per distinct domain.
- phone: phonenumbers costs ~25 µs. For France, the validity of a number of 9
  significant digits depends only on its first 5 digits (the FR metadata's patterns are
  all « préfixe d'au plus 5 chiffres + \\d{n} »): judged once per prefix.
"""

from __future__ import annotations

import re

from shared.contact import courriel_valide, telephone_francais_valide
from shared.identifiants import finess_valide

# For the ASCII code of a digit d: the sum of the digits of 2 × d (Luhn check).
CHIFFRE_DOUBLE = tuple(
    (2 * (c - 48) - 9 if c >= 53 else 2 * (c - 48)) if 48 <= c <= 57 else 0 for c in range(256)
)


def luhn_9_chiffres(valeur: str) -> bool:
    """Luhn check of 9 ASCII digits (to be verified before the call).

    The ASCII codes of the 5 undoubled digits are digit + 48: 5 × 48 = 240 ≡ 0 (mod 10).
    """
    o = valeur.encode("ascii")
    d = CHIFFRE_DOUBLE
    return (o[0] + o[2] + o[4] + o[6] + o[8] + d[o[1]] + d[o[3]] + d[o[5]] + d[o[7]]) % 10 == 0


def finess_ok(valeur: str) -> bool:
    if len(valeur) == 9 and valeur.isdigit() and valeur.isascii():
        return luhn_9_chiffres(valeur)
    return finess_valide(valeur)


# A « atome pointé » local part without rare characters, an ASCII domain in labels.
_COURRIEL_SIMPLE = re.compile(
    r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
)
# The verdict caches: the validation reads them directly in its hottest loop.
verdicts_domaines: dict[str, bool] = {}
correspond_courriel = _COURRIEL_SIMPLE.fullmatch


def courriel_ok(valeur: str) -> bool:
    trouve = correspond_courriel(valeur)
    if trouve is None or len(valeur) > 254:
        return courriel_valide(valeur)
    domaine = trouve.group(1)
    verdict = verdicts_domaines.get(domaine)
    if verdict is None:
        if "xn--" in domaine.lower():  # IDNA: its normalised form changes length
            return courriel_valide(valeur)
        verdict = courriel_valide("a@" + domaine)
        if len(verdicts_domaines) < 100_000:
            verdicts_domaines[domaine] = verdict
    return verdict


verdicts_prefixes: dict[str, bool] = {}


def telephone_ok(valeur: str) -> bool:
    if len(valeur) == 10 and valeur[0] == "0" and valeur.isdigit() and valeur.isascii():
        prefixe = valeur[1:6]
    elif len(valeur) == 12 and valeur.startswith("+33") and valeur.isascii():
        if not valeur[3:].isdigit():
            return False
        prefixe = valeur[3:8]
    else:
        return telephone_francais_valide(valeur)
    verdict = verdicts_prefixes.get(prefixe)
    if verdict is None:
        if prefixe[0] == "0":  # « 00… » reads as an international dialling code
            return telephone_francais_valide(valeur)
        verdict = telephone_francais_valide("0" + prefixe + "0000")
        verdicts_prefixes[prefixe] = verdict
    return verdict
