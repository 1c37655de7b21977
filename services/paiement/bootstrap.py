"""Composition root of the paiement service: one typed set of objects, built once per cold
start (settings checked there; the clock is the process's current one at each call)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from services.paiement.adapters.aws import (
    AvisPdfS3,
    DonneesEditeur,
    FichiersS3,
    NotificationsCourriels,
    RetoursDynamo,
    SignalStepFunctions,
)
from services.paiement.adapters.dynamodb import EnrolementsDynamo, VersementsDynamo
from services.paiement.adapters.s3 import StockageS3
from services.paiement.application.contexte import Paiement
from services.paiement.application.suites import Suites
from services.paiement.domain.sepa import Payeur
from shared.chiffrement_kms import ChiffrementKms
from shared.horloge import HorlogeCourante
from shared.settings import requis


@dataclass(frozen=True)
class Composants:
    paiement: Paiement
    suites: Suites
    versements: VersementsDynamo
    fichiers: FichiersS3
    editeurs: DonneesEditeur


@lru_cache(maxsize=1)
def composants() -> Composants:
    reglages = requis(
        "table_donnees", "bucket_documents", "payeur_nom", "payeur_iban", "payeur_bic"
    )
    versements = VersementsDynamo()
    fichiers = FichiersS3()
    editeurs = DonneesEditeur()
    paiement = Paiement(
        versements=versements,
        lots=versements,
        enrolements=EnrolementsDynamo(),
        stockage=StockageS3(),
        horloge=HorlogeCourante(),
        payeur=Payeur(reglages.payeur_nom, reglages.payeur_iban, reglages.payeur_bic),
        chiffrement=ChiffrementKms(),
    )
    suites = Suites(
        signal=SignalStepFunctions(),
        avis=AvisPdfS3(fichiers, editeurs),
        notifications=NotificationsCourriels(editeurs),
        retours=RetoursDynamo(),
        envois=fichiers,
    )
    return Composants(paiement, suites, versements, fichiers, editeurs)
