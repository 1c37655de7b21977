"""Les règles du format MS v1 (§2, §3, §4) qui ne demandent pas les registres de la plateforme.

Pourquoi une validation écrite à la main plutôt que les modèles pydantic de `modeles.py`:
un fichier maximal compte ~20 000 établissements et autant de scénarios; il doit être
jugé en moins de 5 fois le temps d'une simple lecture orjson (benchmarks/). pydantic
s'arrêterait aussi aux erreurs de type, alors qu'on veut toutes les erreurs, les règles
entre champs (scénarios, pièces, plafond, nomenclature, unicité dans le fichier), des
pointeurs RFC 6901 et des messages français. Les modèles restent la description publiée
(le schéma JSON); un test vérifie que les deux acceptent et refusent les mêmes champs.

Principe: une règle ne juge que des entrées valides. Un numeroDossier invalide n'entraîne
pas d'erreur de nomenclature sur chaque pièce, un typeFichier invalide ne fait pas
réclamer une pièce obligatoire: une cause, une erreur.

Chaque objet lu est compté (`cles`) pour la détection des clés dupliquées (voir
`lecture.py`): chaque dict du document doit être compté exactement une fois.

Le paquet suit les sections du format MS v1: `entete` (§2), `demande`,
`beneficiaires`, `pieces`, `scenarios` (§3), `campagne` (§4), `document` (le fichier entier),
sur les outils de `base` (types, champs inconnus, listes) et les mots de `messages`.
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
