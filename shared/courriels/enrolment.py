"""The courriels of an enrolment (E3, E4): typed data → `Avis` (pure).

Accusé de réception (the ENR number), identifiant, mot de passe temporaire (a separate
courriel: a mailbox read by someone else never holds both), extension d'habilitation (an
account already exists for the address), rejet with its motif, new bank details validated
(the IBAN masked). Templates
`modeles/enrolment_*.j2`; claims with `cle_enrolement(…)` (`EDITEUR#{siret}` /
`ENVOI#ENROLEMENT#{numero}#{genre}`). Never record the password courriel in a journal:
its body holds the password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.courriels.contrat import Avis, CleEnvoi
from shared.horloge import PARIS, exiger_fuseau

PORTAIL = "portail Ségur Numérique"


class GenreCourrielEnrolement(StrEnum):
    ACCUSE_RECEPTION = "ACCUSE_RECEPTION"
    IDENTIFIANT = "IDENTIFIANT"
    MOT_DE_PASSE = "MOT_DE_PASSE"
    EXTENSION = "EXTENSION"
    REJET = "REJET"
    COORDONNEES_VALIDEES = "COORDONNEES_VALIDEES"


@dataclass(frozen=True)
class EnrolementNotifie:
    numero_demande: str  # « ENR0011M0 »
    siret: str
    numero_ans: str
    raison_sociale: str
    url_portail: str


def cle_enrolement(enrolement: EnrolementNotifie, genre: GenreCourrielEnrolement) -> CleEnvoi:
    return CleEnvoi.pour_editeur(
        enrolement.siret, f"ENROLEMENT#{enrolement.numero_demande}#{genre}"
    )


def _date_heure(instant: datetime) -> str:
    local = exiger_fuseau(instant).astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H}h{local:%M}"


def _contexte(enrolement: EnrolementNotifie, **autres: Any) -> dict[str, Any]:
    return {
        "numeroDemande": enrolement.numero_demande,
        "siret": enrolement.siret,
        "numeroAns": enrolement.numero_ans,
        "raisonSociale": enrolement.raison_sociale,
        "portail": PORTAIL,
        "urlPortail": enrolement.url_portail.rstrip("/"),
        **autres,
    }


def avis_accuse_reception(enrolement: EnrolementNotifie, recue_le: datetime) -> Avis:
    return Avis(
        "enrolment_accuse_reception",
        f"Accusé de réception de votre demande d'enrôlement {enrolement.numero_demande} "
        f"au {PORTAIL}",
        _contexte(enrolement, recueLe=_date_heure(recue_le)),
    )


def avis_identifiant(enrolement: EnrolementNotifie, identifiant: str) -> Avis:
    return Avis(
        "enrolment_identifiant",
        f"Validation de votre demande d'enrôlement {enrolement.numero_demande} : "
        "votre identifiant de connexion",
        _contexte(enrolement, identifiant=identifiant),
    )


def avis_mot_de_passe(
    enrolement: EnrolementNotifie, mot_de_passe: str, valable_jusqu_au: datetime
) -> Avis:
    """The temporary password, alone (no identifiant, nothing in the subject)."""
    return Avis(
        "enrolment_mot_de_passe",
        f"Votre mot de passe temporaire pour le {PORTAIL}",
        _contexte(
            enrolement, motDePasse=mot_de_passe, valableJusquAu=_date_heure(valable_jusqu_au)
        ),
    )


def avis_extension(enrolement: EnrolementNotifie) -> Avis:
    return Avis(
        "enrolment_extension",
        f"Validation de votre demande d'enrôlement {enrolement.numero_demande} : "
        f"extension de votre habilitation au {PORTAIL}",
        _contexte(enrolement),
    )


def avis_rejet(enrolement: EnrolementNotifie, motif: str) -> Avis:
    return Avis(
        "enrolment_rejet",
        f"Rejet de votre demande d'enrôlement {enrolement.numero_demande} au {PORTAIL}",
        _contexte(enrolement, motif=motif.strip()),
    )


def avis_coordonnees_validees(enrolement: EnrolementNotifie, iban_masque: str) -> Avis:
    """New bank details validated by the service gestion: the next payments (and the
    re-issue of rejected ones) go to that account. The IBAN is masked (FR76 **** … 1234)."""
    return Avis(
        "enrolment_coordonnees_validees",
        f"Validation de vos nouvelles coordonnées bancaires ({enrolement.numero_demande}) "
        f"au {PORTAIL}",
        _contexte(enrolement, ibanMasque=iban_masque),
    )
