"""Send a courriel once and record it: the use case every service calls (pure).

Order, and why: the avis is rendered first (a template error claims nothing); the claim
is created with `attribute_not_exists`, and only the run that created it sends. If SES
refuses, the claim is released (a retry sends it). Once SES accepted the message, the
claim is confirmed and never released: a retry never sends twice, even when writing the
journal failed (the courriel is then reported NON_CONSIGNE and logged). A crash between
the claim and the send leaves an unconfirmed claim: at most once, never twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from shared.courriels.contrat import (
    Avis,
    CleEnvoi,
    Courriel,
    CourrielEnvoye,
    Envoi,
    EnvoiImpossible,
    Expediteur,
    JournalCourriels,
    Redaction,
    Reservations,
    StatutEnvoi,
)
from shared.horloge import Horloge
from shared.pannes_aws import est_transitoire

logger = logging.getLogger(__name__)


class Courrier:
    """Implements `EnvoiUnique`."""

    def __init__(
        self,
        expediteur: Expediteur,
        redaction: Redaction,
        reservations: Reservations,
        journal: JournalCourriels,
        horloge: Horloge,
    ) -> None:
        self._expediteur = expediteur
        self._redaction = redaction
        self._reservations = reservations
        self._journal = journal
        self._horloge = horloge

    def envoyer_une_fois(
        self,
        cle: CleEnvoi,
        destinataires: Sequence[str],
        avis: Avis,
        *,
        dossiers: Sequence[str] = (),
        depots: Sequence[str] = (),
    ) -> Envoi:
        """Sends `avis` to `destinataires` unless `cle` was already claimed, and records it
        on each dossier (numéro ASP) and dépôt given.

        Raises ValueError without a destinataire, EnvoiImpossible when the message was not
        sent (claim released)."""
        adresses = tuple(dict.fromkeys(a.strip() for a in destinataires if a and a.strip()))
        if not adresses:
            raise ValueError("un courriel a au moins un destinataire")
        contenu = self._redaction.rediger(avis)
        if not self._reservations.reserver(cle, contenu.objet, self._horloge.maintenant()):
            return Envoi(StatutEnvoi.DEJA_ENVOYE)
        courriel = Courriel(adresses, contenu.objet, contenu.texte, contenu.html)
        try:
            message_id = self._expediteur.envoyer(courriel)
        except Exception as erreur:
            logger.exception("Courriel %s non envoyé: réservation libérée", cle.identite)
            self._reservations.liberer(cle)
            raise EnvoiImpossible(
                f"courriel {cle.identite} non envoyé: {erreur}",
                passager=isinstance(erreur, Exception) and est_transitoire(erreur),
            ) from erreur
        envoye_le = self._horloge.maintenant()
        # Confirmed first: from here on nothing may release the claim.
        self._reservations.confirmer(cle, message_id, envoye_le)
        commun = {
            "envoye_le": envoye_le,
            "destinataires": adresses,
            "objet": courriel.objet,
            "corps": courriel.texte,
            "message_id": message_id,
            "cle_envoi": cle.identite,
        }
        consignes = tuple(
            [CourrielEnvoye(numero_asp=n, **commun) for n in dict.fromkeys(dossiers)]
            + [CourrielEnvoye(id_depot=i, **commun) for i in dict.fromkeys(depots)]
        )
        if not consignes:
            return Envoi(StatutEnvoi.ENVOYE, message_id)
        try:
            self._journal.consigner(consignes)
        except Exception:
            logger.exception("Courriel %s envoyé (%s) mais non consigné", cle.identite, message_id)
            return Envoi(StatutEnvoi.NON_CONSIGNE, message_id)
        return Envoi(StatutEnvoi.ENVOYE, message_id, consignes)
