"""Settings read from the environment once per cold start.

A frozen dataclass, not a pydantic model: every handler reads it before its first AWS
client, and it holds strings (one boolean); a model's validator would be built at every
cold start for that (benchmarks/bench_imports.py), and the client factory (shared/aws.py)
would depend on pydantic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache

VERSION = "0.1.0"


@dataclass(frozen=True)
class Settings:
    region: str = "eu-west-3"
    table_donnees: str = "segurnum-donnees"
    table_idempotence: str = "segurnum-idempotence"
    bucket_depots: str = "segurnum-depots"
    bucket_documents: str = "segurnum-documents"
    # Enrolment documents (identity, bank): their own bucket and KMS key (resources.yaml).
    bucket_enrolement: str = "segurnum-enrolement"
    queue_json: str = "segurnum-depot-json"
    queue_zip: str = "segurnum-depot-zip"
    queue_import: str = "segurnum-depot-import"
    state_machine_instruction: str = ""
    expediteur: str = "ne-pas-repondre@segurnum.example.fr"
    user_pool_id: str = ""
    # Set by the local runtime only: every boto3 client goes to the moto server.
    endpoint_url: str | None = None
    local: bool = False
    url_portail: str = "https://segurnum.example.fr"
    # The PEM pair signing the décisions and avis (shared/signature.py, docs/documents.md).
    secret_signature: str = "segurnum-signature-documents"
    # The HMAC key signing the enrolment form's anti-robot challenges (ALTCHA): no default.
    secret_altcha: str = ""
    # The paying agency (debtor of the SEPA credit transfers); local defaults are fictitious.
    payeur_nom: str = "Agence de services et de paiement"
    payeur_iban: str = "FR0510071750000000100000000"
    payeur_bic: str = "TRPUFRP1XXX"
    version: str = VERSION


# Each setting's environment variable; `version` is the code's, never the environment's.
VARIABLES = {
    "region": "AWS_REGION",
    "table_donnees": "SEGURNUM_TABLE_DONNEES",
    "table_idempotence": "SEGURNUM_TABLE_IDEMPOTENCE",
    "bucket_depots": "SEGURNUM_BUCKET_DEPOTS",
    "bucket_documents": "SEGURNUM_BUCKET_DOCUMENTS",
    "bucket_enrolement": "SEGURNUM_BUCKET_ENROLEMENT",
    "queue_json": "SEGURNUM_QUEUE_JSON",
    "queue_zip": "SEGURNUM_QUEUE_ZIP",
    "queue_import": "SEGURNUM_QUEUE_IMPORT",
    "state_machine_instruction": "SEGURNUM_SM_INSTRUCTION",
    "expediteur": "SEGURNUM_EXPEDITEUR",
    "user_pool_id": "SEGURNUM_USER_POOL_ID",
    "endpoint_url": "SEGURNUM_ENDPOINT_URL",
    "local": "SEGURNUM_LOCAL",
    "url_portail": "SEGURNUM_URL_PORTAIL",
    "secret_signature": "SEGURNUM_SECRET_SIGNATURE",
    "secret_altcha": "SEGURNUM_SECRET_ALTCHA",
    "payeur_nom": "SEGURNUM_PAYEUR_NOM",
    "payeur_iban": "SEGURNUM_PAYEUR_IBAN",
    "payeur_bic": "SEGURNUM_PAYEUR_BIC",
}
_VRAI = {"1", "true", "yes", "on", "oui"}
_FAUX = {"0", "false", "no", "off", "non", ""}


def _booleen(variable: str, valeur: str) -> bool:
    if valeur.strip().lower() in _VRAI:
        return True
    if valeur.strip().lower() in _FAUX:
        return False
    raise ValueError(f"{variable} : « {valeur} » n'est pas un booléen (attendu : true ou false).")


def depuis_environnement(environnement: dict[str, str] | os._Environ[str]) -> Settings:
    """The settings from these variables; absent ones keep their default."""
    valeurs: dict[str, object] = {}
    for champ in fields(Settings):
        variable = VARIABLES.get(champ.name)
        if variable is None or variable not in environnement:
            continue
        brut = environnement[variable]
        valeurs[champ.name] = _booleen(variable, brut) if champ.type == "bool" else brut
    return Settings(**valeurs)  # type: ignore[arg-type]


class ReglageManquant(RuntimeError):
    """A setting a handler cannot work without is absent: raised at its cold start (the
    composition root), never discovered later by an event silently ignored."""


def requis(*champs: str) -> Settings:
    """The settings, after checking that each of `champs` is set (cold start of a handler).

    Raises ReglageManquant naming every missing variable at once."""
    reglages = settings()
    manquants = [VARIABLES.get(champ, champ) for champ in champs if not getattr(reglages, champ)]
    if manquants:
        raise ReglageManquant(
            "Réglage(s) requis absent(s) de l'environnement : " + ", ".join(manquants) + "."
        )
    return reglages


@lru_cache(maxsize=1)
def settings() -> Settings:
    return depuis_environnement(os.environ)


def recharger() -> Settings:
    """For the local runtime and tests, after they change the environment."""
    settings.cache_clear()
    return settings()
