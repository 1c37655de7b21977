"""Settings read from the environment once per cold start (pydantic validates them)."""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

VERSION = "0.1.0"


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, populate_by_name=True)

    region: str = Field("eu-west-3", alias="AWS_REGION")
    table_donnees: str = Field("segurnum-donnees", alias="SEGURNUM_TABLE_DONNEES")
    table_idempotence: str = Field("segurnum-idempotence", alias="SEGURNUM_TABLE_IDEMPOTENCE")
    bucket_depots: str = Field("segurnum-depots", alias="SEGURNUM_BUCKET_DEPOTS")
    bucket_documents: str = Field("segurnum-documents", alias="SEGURNUM_BUCKET_DOCUMENTS")
    # Enrolment documents (identity, bank): their own bucket and KMS key (resources.yaml).
    bucket_enrolement: str = Field("segurnum-enrolement", alias="SEGURNUM_BUCKET_ENROLEMENT")
    queue_json: str = Field("segurnum-depot-json", alias="SEGURNUM_QUEUE_JSON")
    queue_zip: str = Field("segurnum-depot-zip", alias="SEGURNUM_QUEUE_ZIP")
    queue_import: str = Field("segurnum-depot-import", alias="SEGURNUM_QUEUE_IMPORT")
    state_machine_instruction: str = Field("", alias="SEGURNUM_SM_INSTRUCTION")
    expediteur: str = Field("ne-pas-repondre@segurnum.example.fr", alias="SEGURNUM_EXPEDITEUR")
    user_pool_id: str = Field("", alias="SEGURNUM_USER_POOL_ID")
    # Set by the local runtime only: every boto3 client goes to the moto server.
    endpoint_url: str | None = Field(None, alias="SEGURNUM_ENDPOINT_URL")
    local: bool = Field(False, alias="SEGURNUM_LOCAL")
    url_portail: str = Field("https://segurnum.example.fr", alias="SEGURNUM_URL_PORTAIL")
    # The PEM pair signing the décisions and avis (shared/signature.py, docs/documents.md).
    secret_signature: str = Field(
        "segurnum-signature-documents", alias="SEGURNUM_SECRET_SIGNATURE"
    )
    # The paying agency (debtor of the SEPA credit transfers); local defaults are fictitious.
    payeur_nom: str = Field("Agence de services et de paiement", alias="SEGURNUM_PAYEUR_NOM")
    payeur_iban: str = Field("FR0510071750000000100000000", alias="SEGURNUM_PAYEUR_IBAN")
    payeur_bic: str = Field("TRPUFRP1XXX", alias="SEGURNUM_PAYEUR_BIC")
    version: str = VERSION


class ReglageManquant(RuntimeError):
    """A setting a handler cannot work without is absent: raised at its cold start (the
    composition root), never discovered later by an event silently ignored."""


# The settings without a usable default, by the environment variable that sets them.
VARIABLES_REQUISES = {
    "state_machine_instruction": "SEGURNUM_SM_INSTRUCTION",
    "user_pool_id": "SEGURNUM_USER_POOL_ID",
}


def requis(*champs: str) -> Settings:
    """The settings, after checking that each of `champs` is set (cold start of a handler).

    Raises ReglageManquant naming every missing variable at once."""
    reglages = settings()
    manquants = [
        VARIABLES_REQUISES.get(champ, champ) for champ in champs if not getattr(reglages, champ)
    ]
    if manquants:
        raise ReglageManquant(
            "Réglage(s) requis absent(s) de l'environnement : " + ", ".join(manquants) + "."
        )
    return reglages


@lru_cache(maxsize=1)
def settings() -> Settings:
    return Settings.model_validate(
        {k: v for k, v in os.environ.items() if k.startswith(("AWS_REGION", "SEGURNUM_"))}
    )


def recharger() -> Settings:
    """For the local runtime and tests, after they change the environment."""
    settings.cache_clear()
    return settings()
