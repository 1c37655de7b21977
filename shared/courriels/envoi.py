"""Send a courriel once and record it: the use case every service calls (pure).

Order, and why: the avis is rendered first (a template error claims nothing); the claim
is created for this send (an owner id), and only the send holding it sends. If SES
refuses, the claim is released (a retry sends it). Once SES accepted the message, the
claim is confirmed together with the journal records, in one transaction: a courriel sent
is listed on its dossier, or its claim stays unconfirmed. A claim left unconfirmed (a run
that died between its claim and its confirmation) is taken over after
PEREMPTION_RESERVATION: nothing is lost, and a courriel goes twice only when a run died
in the instant between SES's answer and the confirmation (retried with backoff, then
reported NON_CONSIGNE and logged).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from shared.courriels.contrat import (
    Avis,
    CleEnvoi,
    Courriel,
    CourrielEnvoye,
    Envoi,
    EnvoiImpossible,
    Expediteur,
    Redaction,
    Reservations,
    StatutEnvoi,
)
from shared.horloge import Horloge
from shared.pannes_aws import est_transitoire, reessayer

logger = logging.getLogger(__name__)


class Courrier:
    """Implements `EnvoiUnique`."""

    def __init__(
        self,
        expediteur: Expediteur,
        redaction: Redaction,
        reservations: Reservations,
        horloge: Horloge,
    ) -> None:
        self._expediteur = expediteur
        self._redaction = redaction
        self._reservations = reservations
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
        # One owner for this send: its claim's write replayed after a passing failure (even
        # one applied whose answer was lost) is recognised as its own.
        proprietaire = uuid.uuid4().hex
        reserve_le = self._horloge.maintenant()
        if not reessayer(
            lambda: self._reservations.reserver(cle, contenu.objet, reserve_le, proprietaire)
        ):
            return Envoi(StatutEnvoi.DEJA_ENVOYE)
        courriel = Courriel(adresses, contenu.objet, contenu.texte, contenu.html)
        try:
            # SES refusing for now (throttled, 5xx) sent nothing: tried again. A 5xx or a
            # timeout after SES accepted the message would send it twice: SES has no
            # idempotency key, and an accusé never sent is the worse of the two.
            message_id = reessayer(lambda: self._expediteur.envoyer(courriel))
        except Exception as erreur:
            logger.exception("Courriel %s non envoyé: réservation libérée", cle.identite)
            reessayer(lambda: self._reservations.liberer(cle, proprietaire))
            raise EnvoiImpossible(
                f"courriel {cle.identite} non envoyé: {erreur}",
                passager=isinstance(erreur, Exception) and est_transitoire(erreur),
            ) from erreur
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
        try:
            self._reservations.confirmer(cle, message_id, envoye_le, consignes)
        except Exception:
            logger.exception("Courriel %s envoyé (%s) mais non confirmé", cle.identite, message_id)
            return Envoi(StatutEnvoi.NON_CONSIGNE, message_id)
        return Envoi(StatutEnvoi.ENVOYE, message_id, consignes)
