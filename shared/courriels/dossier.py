"""The courriels of a demande (instruction I4, paiement): typed data → `Avis` (pure).

Sent to the dépositaire's email from the enrolment at: the import of the dossier (accusé
de réception), DECIDEE (the seed's acceptance courriel, word for word, with our portal's
address), REJETEE, A_MODIFIER and EN_ATTENTE_PIECES (motif, pièces asked) and PAYEE
(« Décidée et payée », avis de paiement). Render with `Redaction.rediger` (templates
`modeles/dossier_*.j2`); send once with `EnvoiUnique.envoyer_une_fois(cle_transition(…),
…, dossiers=(numeroAsp,))` so that the courriel is recorded on the dossier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.campagnes import TypeDemande
from shared.courriels.contrat import Avis, CleEnvoi
from shared.horloge import PARIS, exiger_fuseau
from shared.montant import Montant

DISPOSITIF = "financement des opérateurs MSSanté"
"""The seed's name of the financing, in the acceptance courriel's subject and body."""


class TransitionCourriel(StrEnum):
    ACCUSE_RECEPTION = "ACCUSE_RECEPTION"
    DECIDEE = "DECIDEE"
    REJETEE = "REJETEE"
    A_MODIFIER = "A_MODIFIER"
    EN_ATTENTE_PIECES = "EN_ATTENTE_PIECES"
    PAYEE = "PAYEE"


@dataclass(frozen=True)
class DemandeNotifiee:
    """What every courriel of a demande says about it."""

    numero_asp: str  # « FINM55007206 », the dossier's number
    type_demande: TypeDemande
    siret: str
    depose_le: datetime  # tz-aware: shown as the Paris date
    url_portail: str
    dispositif: str = DISPOSITIF


@dataclass(frozen=True)
class VersementNotifie:
    """A versement paid (paiement P2): the avis de paiement's essentials."""

    numero_demande: str  # « FINMSS006702M0 »
    objet: str  # « VERSE001 »
    type_versement: TypeDemande
    montant_paye: Montant
    paye_le: datetime  # tz-aware


def identite_transition(
    type_demande: TypeDemande, transition: TransitionCourriel, occurrence: str = ""
) -> str:
    """`AVANCE#DECIDEE`, or `AVANCE#A_MODIFIER#{occurrence}` when the transition can happen
    again (occurrence: e.g. the instant of the decision, or its history entry's id)."""
    identite = f"{type_demande}#{transition}"
    return f"{identite}#{occurrence}" if occurrence else identite


def cle_transition(
    demande: DemandeNotifiee, transition: TransitionCourriel, occurrence: str = ""
) -> CleEnvoi:
    """The claim `DOSSIER#{numeroAsp}` / `ENVOI#{type}#{transition}[#{occurrence}]`."""
    return CleEnvoi.pour_dossier(
        demande.numero_asp, identite_transition(demande.type_demande, transition, occurrence)
    )


def _date(instant: datetime) -> str:
    return f"{exiger_fuseau(instant).astimezone(PARIS):%d/%m/%Y}"


def _demande(demande: DemandeNotifiee) -> str:
    """« demande de financement » (avance) or « demande de solde »."""
    if demande.type_demande is TypeDemande.SOLDE:
        return "demande de solde"
    return "demande de financement"


def _intitule(demande: DemandeNotifiee) -> str:
    """« demande de financement des opérateurs MSSanté » (the body's wording)."""
    if demande.type_demande is TypeDemande.SOLDE:
        return f"demande de solde du {demande.dispositif}"
    return f"demande de {demande.dispositif}"


def _objet(debut: str, demande: DemandeNotifiee) -> str:
    return (
        f"{debut} votre {_demande(demande)} dans le cadre du {demande.dispositif} "
        f"{demande.numero_asp} déposé le {_date(demande.depose_le)} "
        f"pour le SIRET {demande.siret}."
    )


def _contexte(demande: DemandeNotifiee, **autres: Any) -> dict[str, Any]:
    return {
        "numeroAsp": demande.numero_asp,
        "siret": demande.siret,
        "deposeLe": _date(demande.depose_le),
        "intitule": _intitule(demande),
        "dispositif": demande.dispositif,
        "urlPortail": demande.url_portail.rstrip("/"),
        **autres,
    }


def avis_accuse_reception(demande: DemandeNotifiee) -> Avis:
    """At the import of the dossier (D4)."""
    return Avis(
        "dossier_accuse_reception",
        _objet("Accusé de réception de", demande),
        _contexte(demande),
    )


def avis_decidee(demande: DemandeNotifiee) -> Avis:
    """The seed's acceptance courriel, word for word (the portal's address is ours)."""
    return Avis("dossier_decidee", _objet("Acceptation de", demande), _contexte(demande))


def avis_rejetee(demande: DemandeNotifiee, motif: str) -> Avis:
    return Avis(
        "dossier_rejetee", _objet("Rejet de", demande), _contexte(demande, motif=motif.strip())
    )


def avis_a_modifier(demande: DemandeNotifiee, motif: str) -> Avis:
    return Avis(
        "dossier_a_modifier",
        _objet("Modification attendue de", demande),
        _contexte(demande, motif=motif.strip()),
    )


def avis_en_attente_pieces(
    demande: DemandeNotifiee, motif: str, pieces_demandees: Sequence[str]
) -> Avis:
    return Avis(
        "dossier_en_attente_pieces",
        _objet("Pièces complémentaires attendues pour", demande),
        _contexte(
            demande,
            motif=motif.strip(),
            pieces=[p.strip() for p in pieces_demandees if p.strip()],
        ),
    )


def avis_payee(demande: DemandeNotifiee, versement: VersementNotifie) -> Avis:
    """« Décidée et payée »: the versement paid and where its avis de paiement is."""
    de_quoi = "de l'avance" if versement.type_versement is TypeDemande.AVANCE else "du solde"
    return Avis(
        "dossier_payee",
        _objet("Paiement de", demande),
        _contexte(
            demande,
            versement=de_quoi,
            numeroDemande=versement.numero_demande,
            objetVersement=versement.objet,
            montantPaye=versement.montant_paye.en_francais(),
            payeLe=_date(versement.paye_le),
        ),
    )
