"""What follows a payment, and the bank returns received through a presigned upload.

`achever_paiement` (for a PAYE versement): the signed avis de paiement stored and its key
on the versement, the « Décidée et payée » courriel (sent once, recorded on the dossier),
then the instruction's waiting execution resumed (SendTaskSuccess on the stored token,
cleared once sent). Each step is idempotent, so a retried message finishes what a failed
run left: the PDF has the same bytes, the courriel its claim, the token is cleared last.

`recevoir_retour`: the pain.002 uploaded under `paiements/retours/{id}.xml` is processed
once (traiter_retour), its result recorded, then every versement it reports paid is
achevé (again on redelivery).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.paiement.application.contexte import Paiement, modifier
from services.paiement.application.ports import (
    AvisPaiement,
    EnvoisFichiers,
    NotificationsPaiement,
    Retours,
    Signal,
)
from services.paiement.application.retours import ResultatRetour, traiter_retour
from services.paiement.application.versements import creer_versement
from services.paiement.domain.retour_recu import (
    AnomalieRetour,
    EnvoiAutorise,
    LigneRetour,
    RetourBancaire,
    StatutRetour,
    cle_retour,
    id_depuis_cle,
    identifiant_retour,
)
from services.paiement.domain.retours import (
    STATUTS_PAYE,
    TAILLE_MAX,
    RetourIllisible,
    lire_pain002,
)
from services.paiement.domain.versement import (
    EtatVersement,
    TypeVersement,
    Versement,
    lire_end_to_end,
)
from shared.messages import VersementDemande, VersementEffectue

DUREE_ENVOI = timedelta(minutes=15)


@dataclass
class Suites:
    signal: Signal
    avis: AvisPaiement
    notifications: NotificationsPaiement
    retours: Retours
    envois: EnvoisFichiers


def versement_effectue(versement: Versement) -> VersementEffectue:
    assert versement.montant_paye is not None and versement.paye_le is not None
    return VersementEffectue(
        idVersement=f"{versement.numero_demande}-{versement.objet}",
        montant=str(versement.montant_paye),
        payeLe=versement.paye_le,
        reference=versement.end_to_end,
    )


def achever_paiement(
    paiement: Paiement, suites: Suites, numero_asp: str, type_versement: TypeVersement
) -> Versement | None:
    versement = paiement.versements.lire(numero_asp, type_versement)
    if versement is None or versement.etat is not EtatVersement.PAYE:
        return versement
    if versement.cle_avis is None:
        cle = suites.avis.produire(versement)
        versement = modifier(
            paiement,
            numero_asp,
            type_versement,
            lambda v: replace(v, cle_avis=cle) if v.cle_avis is None else None,
        )
        assert versement is not None
    suites.notifications.notifier_paye(versement)
    if versement.jeton:
        suites.signal.versement_effectue(versement.jeton, versement_effectue(versement))
        versement = modifier(
            paiement,
            numero_asp,
            type_versement,
            lambda v: replace(v, jeton=None) if v.jeton else None,
        )
    return versement


def demander_versement(paiement: Paiement, suites: Suites, message: VersementDemande) -> Versement:
    """Instruction → paiement: the decided demande's versement (created once). Already paid
    when the message's task started waiting (its send was replayed with a new token): the
    signal sent went to the old token, so it is owed again to this one."""
    versement = creer_versement(paiement, message)
    if versement.etat is EtatVersement.PAYE and versement.jeton:
        return achever_paiement(paiement, suites, versement.numero_asp, versement.type) or (
            versement
        )
    return versement


def autoriser_retour(
    paiement: Paiement, suites: Suites, demande_par: str
) -> tuple[RetourBancaire, EnvoiAutorise]:
    """A presigned POST bound to `paiements/retours/{id}.xml` and the record that waits."""
    maintenant = paiement.horloge.maintenant()
    retour = RetourBancaire(
        id=identifiant_retour(maintenant),
        statut=StatutRetour.ATTENDU,
        demande_le=maintenant,
        demande_par=demande_par,
    )
    suites.retours.creer_retour(retour)
    envoi = suites.envois.autoriser_envoi(
        cle_retour(retour.id), TAILLE_MAX, int(DUREE_ENVOI.total_seconds())
    )
    return retour, envoi


def _ligne(v: Versement) -> LigneRetour:
    return LigneRetour(
        numero_asp=v.numero_asp,
        numero_demande=v.numero_demande,
        objet=v.objet,
        type=v.type.value,
        end_to_end=v.end_to_end,
        montant=str(v.montant_paye or v.montant) if (v.montant_paye or v.montant) else None,
        code_rejet=v.code_rejet,
        motif_rejet=v.motif_rejet,
    )


def _rapporte(retour: RetourBancaire, resultat: ResultatRetour, le: datetime) -> RetourBancaire:
    return replace(
        retour,
        statut=StatutRetour.TRAITE,
        traite_le=le,
        message_id=resultat.message_id,
        payes=tuple(_ligne(v) for v in resultat.payes),
        rejetes=tuple(_ligne(v) for v in resultat.rejetes),
        soldes_liberes=tuple(_ligne(v) for v in resultat.soldes_liberes),
        deja_traites=resultat.deja_traites,
        en_cours=resultat.en_cours,
        anomalies=tuple(AnomalieRetour(a.code, a.message, a.reference) for a in resultat.anomalies),
    )


def recevoir_retour(
    paiement: Paiement, suites: Suites, cle: str, recu_le: datetime
) -> RetourBancaire | None:
    """None: not a bank return's key (ignored)."""
    id_retour = id_depuis_cle(cle)
    if id_retour is None:
        return None
    retour = suites.retours.lire_retour(id_retour)
    if retour is None:  # dropped without asking first: processed all the same
        retour = RetourBancaire(id_retour, StatutRetour.ATTENDU, recu_le, "inconnu")
        suites.retours.creer_retour(retour)
    contenu = paiement.stockage.lire(cle)
    if retour.statut is StatutRetour.ATTENDU:  # else redelivered: finish what may be left
        retour = replace(retour, recu_le=recu_le)
        try:
            resultat = traiter_retour(paiement, contenu)
        except RetourIllisible as erreur:
            retour = replace(
                retour,
                statut=StatutRetour.ILLISIBLE,
                traite_le=paiement.horloge.maintenant(),
                erreur=erreur.message,
            )
            suites.retours.enregistrer_retour(retour)
            return retour
        retour = _rapporte(retour, resultat, paiement.horloge.maintenant())
        suites.retours.enregistrer_retour(retour)
    if retour.statut is StatutRetour.TRAITE:
        for transaction in lire_pain002(contenu).transactions:
            cle_versement = lire_end_to_end(transaction.end_to_end)
            if transaction.statut in STATUTS_PAYE and cle_versement is not None:
                achever_paiement(paiement, suites, cle_versement[0], cle_versement[1])
    return retour
