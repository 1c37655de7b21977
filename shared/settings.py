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
    # S3 names are global: a bucket's default could name a stranger's bucket (the template
    # suffixes them with the account), so these three are required, like what follows.
    bucket_depots: str = ""
    bucket_documents: str = ""
    # Enrolment documents (identity, bank): their own bucket and KMS key (resources.yaml).
    bucket_enrolement: str = ""
    queue_json: str = "segurnum-depot-json"
    queue_zip: str = "segurnum-depot-zip"
    queue_import: str = "segurnum-depot-import"
    # The queues between services: each written by one service, read by another.
    queue_versements: str = "segurnum-paiement-versements"
    queue_reponses: str = "segurnum-instruction-reponses"
    queue_coordonnees: str = "segurnum-paiement-coordonnees"
    # The KMS key of the IBANs (shared/chiffrement_kms.py): the template's alias.
    cle_enrolement: str = "alias/segurnum-enrolement"
    # The campaigns' definitions (shared/campagnes.py); empty: the file packaged with the code.
    fichier_campagnes: str = ""
    state_machine_instruction: str = ""
    # What reaches people or money has no default: the template's parameters set them
    # (docs/deploiement.md), the local runtime its own (infra/local/cfn.py), and each
    # service's composition root requires them at cold start (REGLAGES, `requis`). The
    # defaults left are the names of the template's own tables, queues and secret, which
    # are those of this account and region (tests/infra/test_reglages.py compares them).
    expediteur: str = ""
    user_pool_id: str = ""
    # Set by the local runtime only: every boto3 client goes to the moto server.
    endpoint_url: str | None = None
    local: bool = False
    url_portail: str = ""
    # The PEM pair signing the décisions and avis (shared/signature.py, docs/documents.md).
    secret_signature: str = "segurnum-signature-documents"
    # The HMAC key signing the enrolment form's anti-robot challenges (ALTCHA): no default.
    secret_altcha: str = ""
    # The paying agency (debtor of the SEPA credit transfers).
    payeur_nom: str = ""
    payeur_iban: str = ""
    payeur_bic: str = ""
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
    "queue_versements": "SEGURNUM_QUEUE_VERSEMENTS",
    "queue_reponses": "SEGURNUM_QUEUE_REPONSES",
    "queue_coordonnees": "SEGURNUM_QUEUE_COORDONNEES",
    "cle_enrolement": "SEGURNUM_CLE_ENROLEMENT",
    "fichier_campagnes": "SEGURNUM_CAMPAGNES",
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

    def __init__(self, variables: list[str]) -> None:
        self.variables = tuple(variables)
        super().__init__(
            "Réglage(s) requis absent(s) de l'environnement : " + ", ".join(variables) + "."
        )


class ReglageInvalide(RuntimeError):
    """A required setting is present but cannot be right (an IBAN whose key is wrong...)."""

    def __init__(self, erreurs: list[tuple[str, str]]) -> None:
        self.variables = tuple(variable for variable, _ in erreurs)
        super().__init__(
            "Réglage(s) invalide(s) : "
            + " ; ".join(f"{variable} : attendu {attendu}" for variable, attendu in erreurs)
            + "."
        )


def _iban(valeur: str) -> bool:
    from shared.identifiants import iban_valide  # stdnum: only the functions that pay

    # The compact form pain.001 carries: stdnum alone would accept the grouped one.
    return " " not in valeur and iban_valide(valeur)


def _bic(valeur: str) -> bool:
    from shared.identifiants import bic_valide

    return " " not in valeur and bic_valide(valeur)


# What a required setting must look like (checked by `requis`, at cold start).
_FORMES = {
    "payeur_iban": (_iban, "un IBAN (ISO 13616) sans espace, clé de contrôle juste"),
    "payeur_bic": (_bic, "un BIC (ISO 9362) de 8 ou 11 caractères"),
    # pain.001's Dbtr/Nm holds 70 characters.
    "payeur_nom": (lambda v: len(v) <= 70, "un nom de 70 caractères au plus"),
    "url_portail": (
        lambda v: v.startswith("https://") and " " not in v,
        "une adresse https:// (les liens des courriels)",
    ),
    "expediteur": (
        lambda v: v.count("@") == 1 and " " not in v and "." in v.split("@")[1],
        "une adresse électronique vérifiée dans SES",
    ),
}


def requis(*champs: str) -> Settings:
    """The settings, after checking that each of `champs` is set and well formed (cold
    start of a handler).

    Raises ReglageManquant naming every missing variable at once, then ReglageInvalide
    naming every malformed one with what is expected."""
    reglages = settings()
    manquants = [VARIABLES.get(champ, champ) for champ in champs if not getattr(reglages, champ)]
    if manquants:
        raise ReglageManquant(manquants)
    invalides = [
        (VARIABLES[champ], _FORMES[champ][1])
        for champ in champs
        if champ in _FORMES and not _FORMES[champ][0](getattr(reglages, champ))
    ]
    if invalides:
        raise ReglageInvalide(invalides)
    return reglages


@lru_cache(maxsize=1)
def settings() -> Settings:
    return depuis_environnement(os.environ)


def recharger() -> Settings:
    """For the local runtime and tests, after they change the environment."""
    settings.cache_clear()
    return settings()
