"""Les contrôles d'identifiants et de contacts, au rythme d'un fichier de 20 000 établissements.

Les règles sont celles de `shared.identifiants` et `shared.contact`; ce module ne fait que
les rendre assez rapides pour un fichier maximal (chaque fonction y revient pour tout cas
qui sort du chemin rapide, et un test hypothesis vérifie qu'elles rendent la même réponse):
- FINESS: la clé de Luhn de python-stdnum coûte ~5 µs; pour 9 chiffres ASCII, la même
  clé se calcule ici en ~0,5 µs.
- courriel: email_validator coûte ~40 µs par adresse. Pour une adresse ASCII simple, la
  partie locale « atome pointé » est valide par construction et la longueur totale se
  vérifie ici; seul le domaine reste à juger: il l'est une fois par domaine distinct.
- téléphone: phonenumbers coûte ~25 µs. Pour la France, la validité d'un numéro de
  9 chiffres significatifs ne dépend que de ses 5 premiers chiffres (les motifs de la
  métadonnée FR sont tous « préfixe d'au plus 5 chiffres + \\d{n} »): on juge une fois
  par préfixe.
"""

from __future__ import annotations

import re

from shared.contact import courriel_valide, telephone_francais_valide
from shared.identifiants import finess_valide

# Pour le code ASCII d'un chiffre d: la somme des chiffres de 2 × d (clé de Luhn).
CHIFFRE_DOUBLE = tuple(
    (2 * (c - 48) - 9 if c >= 53 else 2 * (c - 48)) if 48 <= c <= 57 else 0 for c in range(256)
)


def luhn_9_chiffres(valeur: str) -> bool:
    """Clé de Luhn de 9 chiffres ASCII (à vérifier avant l'appel).

    Les codes ASCII des 5 chiffres non doublés valent chiffre + 48: 5 × 48 = 240 ≡ 0 (mod 10).
    """
    o = valeur.encode("ascii")
    d = CHIFFRE_DOUBLE
    return (o[0] + o[2] + o[4] + o[6] + o[8] + d[o[1]] + d[o[3]] + d[o[5]] + d[o[7]]) % 10 == 0


def finess_ok(valeur: str) -> bool:
    if len(valeur) == 9 and valeur.isdigit() and valeur.isascii():
        return luhn_9_chiffres(valeur)
    return finess_valide(valeur)


# Partie locale « atome pointé » sans caractère rare, domaine ASCII en labels.
_COURRIEL_SIMPLE = re.compile(
    r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)"
)
# Les caches de verdicts: la validation les lit directement dans sa boucle la plus chaude.
verdicts_domaines: dict[str, bool] = {}
correspond_courriel = _COURRIEL_SIMPLE.fullmatch


def courriel_ok(valeur: str) -> bool:
    trouve = correspond_courriel(valeur)
    if trouve is None or len(valeur) > 254:
        return courriel_valide(valeur)
    domaine = trouve.group(1)
    verdict = verdicts_domaines.get(domaine)
    if verdict is None:
        if "xn--" in domaine.lower():  # IDNA: sa forme normalisée change de longueur
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
        if prefixe[0] == "0":  # « 00… » se lit comme un indicatif international
            return telephone_francais_valide(valeur)
        verdict = telephone_francais_valide("0" + prefixe + "0000")
        verdicts_prefixes[prefixe] = verdict
    return verdict
