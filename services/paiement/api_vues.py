"""Public views of the paiement service, built from the domain (api_modeles.py)."""

from __future__ import annotations

from collections.abc import Callable

from services.paiement.api_modeles import (
    VueAnomalie,
    VueEnvoi,
    VueLien,
    VueLigneRetour,
    VueLigneSuivi,
    VueLot,
    VueRetour,
)
from services.paiement.application.contexte import Anomalie
from services.paiement.domain.lot import Lot
from services.paiement.domain.retour_recu import (
    AnomalieRetour,
    EnvoiAutorise,
    LigneRetour,
    RetourBancaire,
)
from services.paiement.domain.suivi import LigneSuivi

Url = Callable[[str], str]


def _texte(valeur: object | None) -> str | None:
    return None if valeur is None else str(valeur)


def vue_lot(lot: Lot, url: Url) -> VueLot:
    fichier = None
    if lot.cle_fichier:
        fichier = VueLien(nom=lot.cle_fichier.rsplit("/", 1)[-1], url=url(lot.cle_fichier))
    return VueLot(
        id_lot=lot.id,
        cree_le=lot.cree_le,
        date_execution=lot.execution,
        statut=lot.statut.value,
        nombre_transactions=lot.nombre,
        total=str(lot.total),
        fichier=fichier,
    )


def vue_anomalie(a: Anomalie | AnomalieRetour) -> VueAnomalie:
    return VueAnomalie(code=a.code, message=a.message, reference=a.reference)


def vue_ligne(ligne: LigneSuivi, url: Url) -> VueLigneSuivi:
    avis = None
    if ligne.cle_avis:
        avis = VueLien(nom=ligne.cle_avis.rsplit("/", 1)[-1], url=url(ligne.cle_avis))
    return VueLigneSuivi(
        numero_demande=ligne.numero_demande,
        objet=ligne.objet,
        type_versement=ligne.type,
        etat=ligne.etat,
        libelle_etat=ligne.etat_libelle,
        code_rejet=ligne.code_rejet,
        motif_rejet=ligne.motif_rejet,
        montant_calcule=_texte(ligne.montant_calcule),
        date_validation=ligne.date_validation,
        date_mise_en_paiement=ligne.date_mise_en_paiement,
        montant_paye=_texte(ligne.montant_paye),
        date_paiement=ligne.date_paiement,
        avis_paiement=avis,
        reemissions=ligne.reemissions,
    )


def vue_envoi(envoi: EnvoiAutorise) -> VueEnvoi:
    return VueEnvoi(
        url=envoi.url,
        champs=dict(envoi.champs),
        cle=envoi.cle,
        expire_le=envoi.expire_le,
        taille_max=envoi.taille_max,
    )


def _ligne_retour(li: LigneRetour) -> VueLigneRetour:
    return VueLigneRetour(
        numero_asp=li.numero_asp,
        numero_demande=li.numero_demande,
        objet=li.objet,
        type_versement=li.type,
        end_to_end=li.end_to_end,
        montant=li.montant,
        code_rejet=li.code_rejet,
        motif_rejet=li.motif_rejet,
    )


def vue_retour(r: RetourBancaire) -> VueRetour:
    return VueRetour(
        id_retour=r.id,
        statut=r.statut.value,
        demande_le=r.demande_le,
        recu_le=r.recu_le,
        traite_le=r.traite_le,
        message_id=r.message_id,
        payes=[_ligne_retour(li) for li in r.payes],
        rejetes=[_ligne_retour(li) for li in r.rejetes],
        soldes_liberes=[_ligne_retour(li) for li in r.soldes_liberes],
        deja_traites=r.deja_traites,
        en_cours=r.en_cours,
        anomalies=[vue_anomalie(a) for a in r.anomalies],
        erreur=r.erreur,
    )
