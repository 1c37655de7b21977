"""Jours ouvrés: the SEPA batch runs Monday to Friday (the schedule) except French public
holidays (checked here: EventBridge cron knows no holidays)."""

from __future__ import annotations

from datetime import date, timedelta


def paques(annee: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = annee % 19, annee // 100, annee % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    mois, jour = divmod(h + ell - 7 * m + 114, 31)
    return date(annee, mois, jour + 1)


def jours_feries(annee: int) -> frozenset[date]:
    p = paques(annee)
    fixes = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    mobiles = [p + timedelta(days=1), p + timedelta(days=39), p + timedelta(days=50)]
    return frozenset([date(annee, m, j) for m, j in fixes] + mobiles)


def jour_ouvre(jour: date) -> bool:
    return jour.isoweekday() <= 5 and jour not in jours_feries(jour.year)
