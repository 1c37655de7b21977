"""A demande's suivi financier (P2): the portal's columns, one line per versement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.paiement.domain.versement import LIBELLES_ETAT, TypeVersement, Versement
from shared.horloge import PARIS
from shared.montant import Montant


@dataclass(frozen=True)
class LigneSuivi:
    numero_demande: str
    objet: str  # VERSE001 / VERSE002
    type: str  # AVANCE / SOLDE
    etat: str  # code (A_PAYER…)
    etat_libelle: str  # « Paiement effectué »
    code_rejet: str | None
    motif_rejet: str | None
    montant_calcule: Montant | None
    date_validation: date
    date_mise_en_paiement: date | None
    montant_paye: Montant | None
    date_paiement: date | None  # effective payment date
    cle_avis: str | None  # the avis de paiement (PDF), presigned link on the API side
    reemissions: int


def _jour(instant: datetime | None) -> date | None:
    return None if instant is None else instant.astimezone(PARIS).date()


def ligne_suivi(versement: Versement) -> LigneSuivi:
    return LigneSuivi(
        numero_demande=versement.numero_demande,
        objet=versement.objet,
        type=versement.type.value,
        etat=versement.etat.value,
        etat_libelle=LIBELLES_ETAT[versement.etat],
        code_rejet=versement.code_rejet,
        motif_rejet=versement.motif_rejet,
        montant_calcule=versement.montant,
        date_validation=versement.valide_le.astimezone(PARIS).date(),
        date_mise_en_paiement=_jour(versement.mis_en_paiement_le),
        montant_paye=versement.montant_paye,
        date_paiement=_jour(versement.paye_le),
        cle_avis=versement.cle_avis,
        reemissions=versement.reemissions,
    )


def suivi_financier(versements: list[Versement]) -> list[LigneSuivi]:
    ordre = {TypeVersement.AVANCE: 0, TypeVersement.SOLDE: 1}
    return [ligne_suivi(v) for v in sorted(versements, key=lambda v: ordre[v.type])]
