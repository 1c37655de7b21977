"""lancer_lot: the A_PAYER versements, gathered into one SEPA file (pain.001.001.09).

Two runs at once give one file and no versement in both:
1. a lock (`prendre_verrou`, conditional write with an expiry longer than a Lambda can run)
   lets one run at a time build a lot; the other returns without a file;
2. each versement is claimed by a conditional write (A_PAYER, version read →
   MIS_EN_PAIEMENT with the lot id): a versement changed meanwhile is left out;
3. the lot is written EN_PREPARATION before the claims and EMIS once its file is
   validated and stored: a run that died in between leaves an EN_PREPARATION lot, which
   the next run (holding the lock) finishes from its claimed versements before anything else.
Zero versements: no file, no lot.

A versement keeps its IBAN encrypted (the enrolment's ciphertext) and masked, never in
clear: the file is built from IBANs decrypted for this run only, once per SIRET (Comptes).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from services.paiement.application.comptes import Comptes
from services.paiement.application.contexte import Anomalie, Paiement
from services.paiement.domain.lot import Lot, StatutLot, cle_fichier, nouveau_lot
from services.paiement.domain.sepa import generer_pain001
from services.paiement.domain.versement import EtatVersement, Versement
from shared.identifiants import bic_valide, iban_valide


@dataclass
class ResultatLot:
    lot: Lot | None  # None: no file (nothing to pay, or another run holds the lock)
    message: str
    repris: list[Lot] = field(default_factory=list)  # unfinished lots this run finished
    anomalies: list[Anomalie] = field(default_factory=list)


def lancer_lot(paiement: Paiement) -> ResultatLot:
    maintenant = paiement.horloge.maintenant()
    id_lot = paiement.nouvel_id_lot(maintenant)
    expire_le = maintenant + paiement.duree_verrou
    try:
        pris = paiement.lots.prendre_verrou(id_lot, maintenant, expire_le)
    except Exception:
        # The write may have been applied though its answer was an error: release what
        # may be ours (conditional on this run's id), or every lot waits for its expiry.
        paiement.lots.rendre_verrou(id_lot)
        raise
    if not pris:
        return ResultatLot(None, "Un lot est déjà en préparation: aucun nouveau fichier.")
    comptes = Comptes(paiement.enrolements, paiement.chiffrement)  # this run's cache
    try:
        repris = [
            _emettre(paiement, comptes, lot, paiement.versements.du_lot(lot.id))
            for lot in paiement.lots.lots(StatutLot.EN_PREPARATION)
        ]
        resultat = _nouveau_lot(paiement, comptes, id_lot)
        resultat.repris = [lot for lot in repris if lot is not None]
        return resultat
    finally:
        paiement.lots.rendre_verrou(id_lot)


def _nouveau_lot(paiement: Paiement, comptes: Comptes, id_lot: str) -> ResultatLot:
    candidats = paiement.versements.dans_l_etat(EtatVersement.A_PAYER, paiement.taille_lot)
    if not candidats:
        return ResultatLot(None, "Aucun versement à payer: pas de fichier.")
    maintenant = paiement.horloge.maintenant()
    lot = nouveau_lot(id_lot, maintenant)
    paiement.lots.creer_lot(lot)
    anomalies: list[Anomalie] = []
    reserves: list[Versement] = []
    comptes.precharger((v.siret, v.numero_ans) for v in candidats)
    for versement in candidats:
        coordonnees = comptes.coordonnees(versement.siret, versement.numero_ans)
        if (
            coordonnees is None
            or not coordonnees.validees
            or not iban_valide(coordonnees.iban)
            or not bic_valide(coordonnees.bic)
        ):
            anomalies.append(
                Anomalie(
                    "COORDONNEES_INUTILISABLES",
                    f"{versement.numero_demande} ({versement.type}): l'enrôlement "
                    f"{versement.numero_ans} de l'éditeur {versement.siret} n'a pas de "
                    "coordonnées bancaires validées (IBAN et BIC valides): versement "
                    "laissé à payer.",
                    versement.end_to_end,
                )
            )
            continue
        reserve = paiement.versements.remplacer(
            versement, versement.mettre_en_paiement(lot.id, maintenant, coordonnees)
        )
        if reserve is not None:  # None: changed since the query, left to a later lot
            reserves.append(reserve)
    emis = _emettre(paiement, comptes, lot, reserves)
    if emis is None:
        return ResultatLot(None, "Aucun versement réservé: pas de fichier.", anomalies=anomalies)
    return ResultatLot(
        emis, f"Lot {emis.id}: {emis.nombre} virement(s), {emis.total} €.", anomalies=anomalies
    )


def _emettre(
    paiement: Paiement, comptes: Comptes, lot: Lot, versements: list[Versement]
) -> Lot | None:
    """Validates and stores the file, then marks the lot EMIS (None: nothing to send).
    Each IBAN is the one the versement was claimed with (its ciphertext, decrypted)."""
    a_envoyer = sorted(
        (v for v in versements if v.etat is EtatVersement.MIS_EN_PAIEMENT and v.lot == lot.id),
        key=lambda v: v.end_to_end,
    )
    if not a_envoyer:
        paiement.lots.supprimer_lot(lot.id)
        return None
    ibans = {v.end_to_end: comptes.iban(v) or "" for v in a_envoyer}
    fichier = generer_pain001(lot.id, lot.cree_le, lot.execution, paiement.payeur, a_envoyer, ibans)
    emis = replace(
        lot,
        statut=StatutLot.EMIS,
        nombre=fichier.nombre,
        total=fichier.total,
        cle_fichier=cle_fichier(lot),
    )
    assert emis.cle_fichier is not None
    paiement.stockage.deposer(emis.cle_fichier, fichier.contenu, "application/xml")
    paiement.lots.enregistrer_lot(emis)
    return emis
