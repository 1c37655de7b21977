"""Composition root of the enrolment service: the use cases on the AWS adapters, built
once per cold start (the clock is the process's current one at each call)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from services.enrolment.adapters.anti_robot import anti_robot
from services.enrolment.adapters.cognito import ComptesCognito
from services.enrolment.adapters.courriels import CourrielsPartages
from services.enrolment.adapters.dynamodb import (
    CompteurRepository,
    DemandeRepository,
    EnrolementRepository,
    ReferentielAnsRepository,
)
from services.enrolment.adapters.paiement_sqs import AnnoncesPaiementSqs
from services.enrolment.adapters.s3 import StockageDocuments
from services.enrolment.application.instruction import (
    Decider,
    LireDemande,
    ListerDemandes,
    SuivreDemande,
)
from services.enrolment.application.referentiel import ChargerReferentiel, RechercherReferencement
from services.enrolment.application.soumission import (
    AutoriserTeleversement,
    DemanderChangementCoordonnees,
    SoumettreComplementaire,
    SoumettreEnrolement,
)
from shared.chiffrement_kms import ChiffrementKms
from shared.courriels.composition import courrier
from shared.courriels.ses import ExpediteurSes
from shared.horloge import HorlogeCourante
from shared.settings import settings


@dataclass(frozen=True)
class Composants:
    rechercher: RechercherReferencement
    charger: ChargerReferentiel
    televerser: AutoriserTeleversement
    soumettre: SoumettreEnrolement
    complementaire: SoumettreComplementaire
    changement: DemanderChangementCoordonnees
    suivre: SuivreDemande
    lister: ListerDemandes
    lire: LireDemande
    decider: Decider


@lru_cache(maxsize=1)
def composants() -> Composants:
    reglages = settings()
    horloge = HorlogeCourante()
    url = reglages.url_portail
    referentiel = ReferentielAnsRepository()
    chiffrement = ChiffrementKms()  # the enrolment key: IBANs of records and demandes
    demandes = DemandeRepository(chiffrement=chiffrement)
    enrolements = EnrolementRepository(chiffrement=chiffrement)
    stockage = StockageDocuments()
    courriels = CourrielsPartages(courrier(horloge), ExpediteurSes(), horloge, url)
    commun: dict[str, Any] = {
        "referentiel": referentiel,
        "demandes": demandes,
        "enrolements": enrolements,
        "compteur": CompteurRepository(),
        "stockage": stockage,
        "courriels": courriels,
        "horloge": horloge,
        "url_portail": url,
    }
    return Composants(
        rechercher=RechercherReferencement(referentiel),
        charger=ChargerReferentiel(referentiel, horloge),
        televerser=AutoriserTeleversement(stockage),
        soumettre=SoumettreEnrolement(**commun, anti_robot=anti_robot(reglages.local)),
        complementaire=SoumettreComplementaire(**commun),
        changement=DemanderChangementCoordonnees(**commun),
        suivre=SuivreDemande(demandes),
        lister=ListerDemandes(demandes),
        lire=LireDemande(demandes, stockage),
        decider=Decider(
            demandes,
            enrolements,
            ComptesCognito(),
            courriels,
            horloge,
            url,
            paiement=AnnoncesPaiementSqs(),
        ),
    )
