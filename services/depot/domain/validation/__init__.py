"""The rules of format MS v1 (§2, §3, §4) that do not need the platform's registries.

Why a hand-written validation rather than the pydantic models of `modeles.py`: a maximal
file has ~20,000 établissements and as many scénarios; it must be judged in less than
5 times a plain orjson read (benchmarks/). pydantic would also stop at type errors,
whereas we want every error, the rules across fields (scénarios, pièces, ceiling,
nomenclature, uniqueness within the file), RFC 6901 pointers and French messages. The
models remain the published description (the JSON Schema); a test checks that both
accept and refuse the same fields.

Principle: a rule only judges valid inputs. An invalid numeroDossier does not bring a
nomenclature error on every pièce, an invalid typeFichier does not make a mandatory
pièce be asked for: one cause, one error.

Every object read is counted (`cles`) to detect duplicate keys (see `lecture.py`):
each dict of the document must be counted exactly once.

The package follows the sections of format MS v1: `entete` (§2), `demande`,
`beneficiaires`, `pieces`, `scenarios` (§3), `campagne` (§4), `document` (the whole file),
on top of the tools of `base` (types, unknown fields, lists) and the words of `messages`.
"""

from services.depot.domain.validation.document import valider_contenu, valider_document
from services.depot.domain.validation.messages import decrire, message_finess, message_siret
from services.depot.domain.validation.resultat import (
    ContexteValidation,
    LigneValidee,
    ResultatValidation,
)

__all__ = [
    "ContexteValidation",
    "LigneValidee",
    "ResultatValidation",
    "decrire",
    "message_finess",
    "message_siret",
    "valider_contenu",
    "valider_document",
]
