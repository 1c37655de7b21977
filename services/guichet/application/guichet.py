"""Use cases of the guichet (G1, G2 and the reminders): its state, its closing, the J-7 / J-1
reminders (their ports: application/ports.py).

Idempotency, per éditeur and per notice: each courriel is sent through
`shared.courriels` (`EnvoiUnique.envoyer_une_fois`) under the claim
`CAMPAGNE#{id}` / `RAPPEL#{type}#{J-7|J-1|FERMETURE}#{siret}`: only the run that created it
sends; if sending fails the claim is released (a retry sends it); once SES accepted the
message the claim is kept, so no éditeur receives the same notice twice. The closure record
`CAMPAGNE#{id}` / `FERMETURE#{type}` is created once, with the counts and the éditeurs to
notify; a second run finds it, notifies only those of its list still unclaimed (none after
a complete first run) and writes nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from services.guichet.application.ports import RegistreGuichet, ReservationAvis
from services.guichet.domain.erreurs import (
    CampagneInconnue,
    FermetureAnticipee,
    lire_type_demande,
)
from services.guichet.domain.fenetres import etat_guichet as _etat_guichet
from services.guichet.domain.fenetres import iso_paris
from services.guichet.domain.guichet import (
    AVIS_FERMETURE,
    Comptes,
    Fermeture,
    Signalement,
    avis_fermeture,
    avis_rappel,
    compter,
    lire_rappel,
    signalements,
)
from shared.campagnes import Campagne, TypeDemande
from shared.campagnes import campagnes as campagnes_configurees
from shared.courriels.contrat import Avis, EnvoiUnique, StatutEnvoi
from shared.guichet import date_heure_paris, libelle_guichet
from shared.horloge import Horloge, exiger_fuseau

logger = logging.getLogger(__name__)


# --- Results ---------------------------------------------------------------------------------


class EnvoisEchoues(RuntimeError):
    """Some courriels could not be sent; their claims were released: run again to send them
    (the others are not sent twice)."""

    def __init__(self, resultat: ResultatAvis) -> None:
        super().__init__(
            f"{len(resultat.echecs)} courriel(s) non envoyé(s) pour {resultat.campagne} "
            f"{resultat.type_demande} {resultat.avis}: {', '.join(resultat.echecs)}"
        )
        self.resultat = resultat


@dataclass
class ResultatAvis:
    """What a closing or reminder run did (returned by the Lambda handlers)."""

    campagne: str
    type_demande: TypeDemande
    avis: str  # FERMETURE, J-7, J-1
    instant: datetime
    envoyes: list[str] = field(default_factory=list)  # SIRET
    deja_envoyes: list[str] = field(default_factory=list)
    sans_adresse: list[str] = field(default_factory=list)
    echecs: list[str] = field(default_factory=list)
    non_consignes: list[str] = field(default_factory=list)
    ignore: str | None = None  # why nothing was done (GUICHET_FERME…)
    deja_ferme: bool = False
    comptes: Comptes | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "campagne": self.campagne,
            "typeDemande": str(self.type_demande),
            "avis": self.avis,
            "instant": iso_paris(self.instant),
            "courrielsEnvoyes": len(self.envoyes),
            "envoyes": list(self.envoyes),
            "dejaEnvoyes": list(self.deja_envoyes),
            "sansAdresse": list(self.sans_adresse),
            "echecs": list(self.echecs),
            "nonConsignes": list(self.non_consignes),
            "ignore": self.ignore,
            "dejaFerme": self.deja_ferme,
            "comptes": None if self.comptes is None else self.comptes.to_dict(),
        }


# --- Use cases -------------------------------------------------------------------------------


def etat_guichet(instant: datetime, campagnes: Sequence[Campagne] | None = None) -> dict[str, Any]:
    """`GET /guichet`: every campaign's windows at `instant`, open or not, time left."""
    return _etat_guichet(campagnes if campagnes is not None else campagnes_configurees(), instant)


def _par_defaut() -> str:
    from shared.settings import settings

    return settings().url_portail


class ServiceGuichet:
    def __init__(
        self,
        registre: RegistreGuichet,
        courrier: EnvoiUnique,
        horloge: Horloge,
        *,
        campagnes: Callable[[], Sequence[Campagne]] = campagnes_configurees,
        url_portail: str | None = None,
    ) -> None:
        self._registre = registre
        self._courrier = courrier
        self._horloge = horloge
        self._campagnes = campagnes
        self._url_portail = url_portail

    @property
    def url_portail(self) -> str:
        return self._url_portail if self._url_portail is not None else _par_defaut()

    def campagne(self, campagne_id: str) -> Campagne:
        for campagne in self._campagnes():
            if campagne.id == campagne_id:
                return campagne
        raise CampagneInconnue("CAMPAGNE_INCONNUE", f"La campagne {campagne_id} est inconnue.")

    def etat_guichet(self, instant: datetime | None = None) -> dict[str, Any]:
        moment = exiger_fuseau(instant) if instant is not None else self._horloge.maintenant()
        return etat_guichet(moment, self._campagnes())

    def fermer_guichet(self, campagne_id: str, type_demande: TypeDemande | str) -> ResultatAvis:
        """Closes the window at (or after) its deadline: records the closure once, with its
        counts, and writes once to each éditeur with a dépôt simulated but not imported or
        dossiers still incomplete. A second run changes nothing.

        Raises FermetureAnticipee before the deadline (the scheduler retries), EnvoisEchoues
        when some courriels failed (their claims are released: a retry sends only those)."""
        campagne = self.campagne(campagne_id)
        type_ = lire_type_demande(type_demande)
        maintenant = self._horloge.maintenant()
        echeance = campagne.echeance(type_)
        if maintenant < echeance:
            raise FermetureAnticipee(
                "GUICHET_ENCORE_OUVERT",
                f"{libelle_guichet(type_)} est ouvert jusqu'au {date_heure_paris(echeance)}: "
                "il ne peut pas être fermé avant.",
            )
        # The closing's snapshot: what was deposited before the deadline (a dépôt of
        # modifications opened later is not the closing's business).
        depots = [d for d in self._registre.depots(campagne.id, type_) if d.cree_le < echeance]
        dossiers = self._registre.dossiers(campagne.id, type_)
        a_prevenir = {s.siret: s for s in signalements(depots, dossiers)}
        fermeture = Fermeture(
            campagne=campagne.id,
            type_demande=type_,
            echeance=echeance,
            fermee_le=maintenant,
            comptes=compter(depots, dossiers),
            editeurs=tuple(a_prevenir),
        )
        resultat = ResultatAvis(campagne.id, type_, AVIS_FERMETURE, maintenant)
        if self._registre.enregistrer_fermeture(fermeture):
            logger.info("Guichet fermé: %s %s %s", campagne.id, type_, fermeture.comptes)
        else:
            existante = self._registre.fermeture(campagne.id, type_)
            resultat.deja_ferme = True
            if existante is not None:
                fermeture = existante
        resultat.comptes = fermeture.comptes
        for siret in fermeture.editeurs:
            signalement = a_prevenir.get(siret)
            if signalement is None:  # put in order since the closing: nothing left to say
                continue
            avis = avis_fermeture(campagne, type_, signalement, self.url_portail)
            self._prevenir(signalement, avis, resultat)
        return self._conclure(resultat)

    def envoyer_rappels(
        self, campagne_id: str, type_demande: TypeDemande | str, rappel: str
    ) -> ResultatAvis:
        """The J-7 / J-1 reminder: once per éditeur with dépôts simulated but not imported or
        dossiers incomplete. Nothing is sent once the window is closed (or not yet open)."""
        campagne = self.campagne(campagne_id)
        type_ = lire_type_demande(type_demande)
        genre = lire_rappel(rappel)
        maintenant = self._horloge.maintenant()
        resultat = ResultatAvis(campagne.id, type_, str(genre), maintenant)
        if not campagne.fenetre_ouverte(type_, maintenant):
            resultat.ignore = (
                "GUICHET_FERME" if maintenant >= campagne.echeance(type_) else "GUICHET_NON_OUVERT"
            )
            logger.warning("Rappel %s %s %s ignoré: %s", campagne.id, type_, genre, resultat.ignore)
            return resultat
        depots = self._registre.depots(campagne.id, type_)
        dossiers = self._registre.dossiers(campagne.id, type_)
        for signalement in signalements(depots, dossiers):
            avis = avis_rappel(campagne, type_, genre, signalement, maintenant, self.url_portail)
            self._prevenir(signalement, avis, resultat)
        return self._conclure(resultat)

    # --- one courriel per éditeur and notice ------------------------------------------------

    def _prevenir(self, signalement: Signalement, avis: Avis, resultat: ResultatAvis) -> None:
        siret = signalement.siret
        adresses = self._registre.adresses(siret, signalement.numeros_ans)
        if not adresses:
            logger.error(
                "Aucune adresse pour le SIRET %s: avis %s non envoyé", siret, resultat.avis
            )
            resultat.sans_adresse.append(siret)
            return
        reservation = ReservationAvis(
            resultat.campagne, resultat.type_demande, resultat.avis, siret
        )
        try:
            envoi = self._courrier.envoyer_une_fois(
                reservation.cle,
                adresses,
                avis,
                dossiers=signalement.numeros_asp,
                depots=signalement.ids_depots,
            )
        except Exception:  # claim released when nothing left (EnvoiImpossible): a rerun sends
            logger.exception("Envoi impossible au SIRET %s (avis %s)", siret, resultat.avis)
            resultat.echecs.append(siret)
            return
        if envoi.statut is StatutEnvoi.DEJA_ENVOYE:
            resultat.deja_envoyes.append(siret)
            return
        if envoi.statut is StatutEnvoi.NON_CONSIGNE:
            logger.error("Courriel envoyé au SIRET %s mais non consigné", siret)
            resultat.non_consignes.append(siret)
        resultat.envoyes.append(siret)

    @staticmethod
    def _conclure(resultat: ResultatAvis) -> ResultatAvis:
        if resultat.echecs:
            raise EnvoisEchoues(resultat)
        return resultat
