"""Send a courriel once and record it: the use case every service calls (pure).

Order, and why: the avis is rendered first (a template error claims nothing); the claim
is created with `attribute_not_exists`, and only the run that created it sends. If SES
refuses, the claim is released (a retry sends it). Once SES accepted the message, the
claim is confirmed and never released: a retry never sends twice, even when writing the
journal failed (the courriel is then reported NON_CONSIGNE and logged). A store that can
(`Confirmation`) confirms and records in one write: a courriel is then claim, send, one
request (a deadline rush sends 5,000 accusés de réception). A crash between
the claim and the send leaves an unconfirmed claim: at most once, never twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from shared.courriels.contrat import (
    Avis,
    CleEnvoi,
    Confirmation,
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
        confirmation: Confirmation | None = None,
    ) -> None:
        """`confirmation`: the claim confirmed and the records written in one write, when
        the store can (otherwise one write each)."""
        self._expediteur = expediteur
        self._redaction = redaction
        self._reservations = reservations
        self._journal = journal
        self._horloge = horloge
        self._confirmation = confirmation

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
        reserve_le = self._horloge.maintenant()
        if not self._reservations.reserver(cle, contenu.objet, reserve_le):
            return Envoi(StatutEnvoi.DEJA_ENVOYE)
        courriel = Courriel(adresses, contenu.objet, contenu.texte, contenu.html)
        try:
            message_id = self._expediteur.envoyer(courriel)
        except Exception as erreur:
            logger.exception("Courriel %s non envoyé: réservation libérée", cle.identite)
            self._reservations.liberer(cle)
            raise EnvoiImpossible(f"courriel {cle.identite} non envoyé: {erreur}") from erreur
        envoye_le = self._horloge.maintenant()
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
        if consignes and self._confirmation is not None:
            try:
                self._confirmation.confirmer_et_consigner(
                    cle, contenu.objet, reserve_le, message_id, envoye_le, consignes
                )
                return Envoi(StatutEnvoi.ENVOYE, message_id, consignes)
            except Exception:
                logger.exception("Courriel %s envoyé (%s): confirmé seul", cle.identite, message_id)
                self._reservations.confirmer(cle, message_id, envoye_le)
                return Envoi(StatutEnvoi.NON_CONSIGNE, message_id)
        # Confirmed first: from here on nothing may release the claim.
        self._reservations.confirmer(cle, message_id, envoye_le)
        if not consignes:
            return Envoi(StatutEnvoi.ENVOYE, message_id)
        try:
            self._journal.consigner(consignes)
        except Exception:
            logger.exception("Courriel %s envoyé (%s) mais non consigné", cle.identite, message_id)
            return Envoi(StatutEnvoi.NON_CONSIGNE, message_id)
        return Envoi(StatutEnvoi.ENVOYE, message_id, consignes)
