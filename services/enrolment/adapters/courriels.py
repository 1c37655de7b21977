"""The courriels of the enrolment service through the shared module (shared/courriels):
templates `enrolment_*`, sent once per (demande, genre) thanks to the claim
`EDITEUR#{siret}` / `ENVOI#ENROLEMENT#{numero}#{genre}`.

A message without a shared template (none today) goes as the domain wrote it straight to
the `Expediteur`.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta

from services.enrolment.domain.courriels import Message
from shared.courriels.contrat import Avis, Courriel, EnvoiUnique, Expediteur
from shared.courriels.enrolment import (
    EnrolementNotifie,
    GenreCourrielEnrolement,
    avis_accuse_reception,
    avis_coordonnees_validees,
    avis_extension,
    avis_identifiant,
    avis_mot_de_passe,
    avis_rejet,
    cle_enrolement,
)
from shared.horloge import Horloge

VALIDITE_MOT_DE_PASSE = timedelta(days=7)  # Cognito's TemporaryPasswordValidityDays


class CourrielsPartages:
    """Implements `Courriels`."""

    def __init__(
        self, courrier: EnvoiUnique, expediteur: Expediteur, horloge: Horloge, url_portail: str
    ) -> None:
        self._courrier = courrier
        self._expediteur = expediteur
        self._horloge = horloge
        self._url = url_portail

    def _avis(
        self, message: Message, notifie: EnrolementNotifie
    ) -> tuple[GenreCourrielEnrolement, Avis] | None:
        donnees = message.donnees
        if message.modele == "accuse_reception":
            recue_le = datetime.fromisoformat(donnees["soumiseLe"])
            return GenreCourrielEnrolement.ACCUSE_RECEPTION, avis_accuse_reception(
                notifie, recue_le
            )
        if message.modele == "identifiant":
            return GenreCourrielEnrolement.IDENTIFIANT, avis_identifiant(
                notifie, donnees["identifiant"]
            )
        if message.modele == "mot_de_passe":
            jusqu_au = self._horloge.maintenant() + VALIDITE_MOT_DE_PASSE
            return GenreCourrielEnrolement.MOT_DE_PASSE, avis_mot_de_passe(
                notifie, donnees["motDePasse"], jusqu_au
            )
        if message.modele == "extension":
            return GenreCourrielEnrolement.EXTENSION, avis_extension(notifie)
        if message.modele == "rejet":
            return GenreCourrielEnrolement.REJET, avis_rejet(notifie, donnees["motif"])
        if message.modele == "coordonnees_validees":
            return GenreCourrielEnrolement.COORDONNEES_VALIDEES, avis_coordonnees_validees(
                notifie, donnees.get("ibanMasque", "")
            )
        return None

    def envoyer(self, message: Message) -> None:
        notifie = EnrolementNotifie(
            message.numero, message.siret, message.numero_ans, message.raison_sociale, self._url
        )
        avis = self._avis(message, notifie)
        if avis is None:
            corps = html.escape(message.texte).replace("\n", "<br>\n")
            self._expediteur.envoyer(
                Courriel((message.destinataire,), message.objet, message.texte, corps)
            )
            return
        genre, contenu = avis
        self._courrier.envoyer_une_fois(
            cle_enrolement(notifie, genre), [message.destinataire], contenu
        )
