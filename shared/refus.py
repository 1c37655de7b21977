"""A business rule's refusal, the one type every service raises: a stable code, a French
message and its nature; the HTTP status is chosen once, at the edge (`shared.api`), from
the nature. Domain and application code knows no HTTP status.

    raise Refus("DEPOT_OCCUPE", "Le dépôt est modifié en ce moment.", NatureRefus.CONFLIT)

A service names its refusals with subclasses that set the nature (`Conflit("CODE",
"message")`); the code scanner (tests/unit/shared/test_api_codes.py) and the table of
every refusal's status (tests/unit/shared/test_refus.py) read them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum


class NatureRefus(StrEnum):
    INVALIDE = "INVALIDE"  # readable, but a rule refuses what was asked (422)
    INTROUVABLE = "INTROUVABLE"  # unknown, or not the caller's: the same answer (404)
    INTERDIT = "INTERDIT"  # known, but this caller may not (403)
    CONFLIT = "CONFLIT"  # the resource's state does not allow it now (409)
    # The platform refuses what it produced or reached itself, not the caller's request:
    # a payment file failing its own schema (FICHIER_SEPA_INVALIDE), a couloir with no
    # numéro left (NUMEROTATION_EPUISEE). Its own code, not a bare ERREUR_INTERNE (500).
    INTERNE = "INTERNE"


# The message of a pagination cursor this listing did not produce (every listing's).
MESSAGE_CURSEUR_INVALIDE = (
    "Le curseur de pagination n'est pas valide: reprenez la liste depuis le début "
    "(sans « curseur »), puis suivez « curseurSuivant »."
)


class Refus(Exception):
    """A refused action: `code` (stable, docs/codes-erreur.md), `message` (French, shown
    as is), `nature`; `erreurs`: each problem of the request, field by field (`champ`,
    `code`, `message`), when there are several to show at once."""

    nature: NatureRefus = NatureRefus.INVALIDE  # a subclass sets its own

    def __init__(
        self,
        code: str,
        message: str,
        nature: NatureRefus | None = None,
        *,
        erreurs: Sequence[Mapping[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if nature is not None:
            self.nature = nature
        self.erreurs = None if erreurs is None else tuple(dict(e) for e in erreurs)
