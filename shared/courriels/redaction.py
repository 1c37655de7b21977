"""Jinja2 adapter of `Redaction`: `modeles/{modele}.txt.j2` gives the text body,
`modeles/{modele}.html.j2` the HTML body (autoescaped), both from the avis' data plus
`objet`. Undefined data is an error (StrictUndefined), never an empty hole in a courriel.

Every template lives in `modeles/` (one loader, shipped with the package): the layout
(`_base.*`: greeting, assistance, signature) and each service's courriels, prefixed by
their audience (`fermeture_guichet`, `dossier_*`, `enrolment_*`). The dossier courriels
are sent by two services (instruction, paiement) that may not import each other, and the
acceptance courriel's wording is a contract with the seed: tested once, here.
jinja2 is imported on first use (handlers' cold start).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from shared.courriels.contrat import Avis, Contenu

DOSSIER_MODELES = Path(__file__).parent / "modeles"


@lru_cache(maxsize=4)
def _environnement(dossier: str) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(dossier),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # The templates ship with the code and never change while it runs: without this,
        # each courriel stat()ed its templates and their layout (a deadline rush sends
        # 5,000 accusés de réception: 4 % of the import's time).
        auto_reload=False,
    )


class RedactionJinja:
    """Implements `Redaction`."""

    def __init__(self, dossier: Path | None = None) -> None:
        self._dossier = str(dossier or DOSSIER_MODELES)

    def rediger(self, avis: Avis) -> Contenu:
        environnement = _environnement(self._dossier)
        contexte = {**dict(avis.contexte), "objet": avis.objet}
        return Contenu(
            objet=avis.objet,
            texte=environnement.get_template(f"{avis.modele}.txt.j2").render(contexte),
            html=environnement.get_template(f"{avis.modele}.html.j2").render(contexte),
        )


def rediger(avis: Avis) -> Contenu:
    """(objet, texte, html) of an avis with the platform's templates."""
    return RedactionJinja().rediger(avis)
