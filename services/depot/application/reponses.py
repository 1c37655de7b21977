"""What follows an import run, for the dossiers it wrote (issue 9, I1 and I4):

- the accusé de réception of each dossier imported (an avance created, a solde attached),
  sent once to the dépositaire's email from the enrolment and recorded on the dossier
  (claim `DOSSIER#{n}` / `ENVOI#{type}#ACCUSE_RECEPTION`);
- for each modification (typeAction M) of a demande waiting in A_MODIFIER, a
  `ReponseEditeur` MODIFICATION_IMPORTEE to the instruction, which resumes that demande.

Runs at the end of every run of the import, before the dépôt is IMPORTE, over every line
imported so far: a run interrupted after its lines were written (or during these sends)
is resumed by the next delivery, which sends what is missing. The courriels are claimed
(never twice); a `ReponseEditeur` may go twice (at least once), and the instruction
ignores a message for a demande no longer waiting for the éditeur, or older than the
decision it would answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

from services.depot.application.lignes import LigneAImporter
from services.depot.application.ports import Dossiers, Enrolements, ReponsesInstruction
from services.depot.domain.depot import Depot, Dossier
from shared.campagnes import TypeDemande
from shared.courriels.contrat import EnvoiImpossible, EnvoiUnique
from shared.courriels.dossier import (
    DemandeNotifiee,
    TransitionCourriel,
    avis_accuse_reception,
    cle_transition,
)
from shared.messages import ActionEditeur, ReponseEditeur
from shared.statuts import StatutDemande

logger = logging.getLogger(__name__)


class AccusesNonEnvoyes(RuntimeError):
    """Some accusés de réception met a passing failure: the import run is to be handled
    again (in the same invocation first: shared.lots_sqs), which sends what is missing."""

    passager = True


def statut_de(dossier: Dossier, type_demande: TypeDemande) -> str:
    """The business statut of that demande (the instruction keeps these mirrors)."""
    if type_demande is TypeDemande.SOLDE:
        return str((dossier.solde or {}).get("statut", StatutDemande.INCOMPLET))
    return str(dossier.statut)


class SuitesImport:
    """Called by `Importer` once the lines of a run are written."""

    def __init__(
        self,
        dossiers: Dossiers,
        enrolements: Enrolements,
        reponses: ReponsesInstruction,
        courrier: Callable[[], EnvoiUnique] | None,
        url_portail: str,
    ) -> None:
        """`courrier`: built at the first courriel (SES and Jinja2 stay out of the cold
        start of the routes sharing this composition root)."""
        self._dossiers = dossiers
        self._enrolements = enrolements
        self._reponses = reponses
        self._fabrique = courrier
        self._courrier: EnvoiUnique | None = None
        self._url_portail = url_portail

    def __call__(
        self,
        depot: Depot,
        lignes: Sequence[LigneAImporter],
        numeros: Mapping[int, str],
        auteur: str,
    ) -> None:
        """`numeros`: numLigne → numeroASP of every line of the dépôt imported so far."""
        if not numeros:
            return
        par_ligne = {ligne.num_ligne: ligne for ligne in lignes}
        # Only a modification needs its dossier (its statut, its write's instant): a line
        # that created an avance or attached a solde names its dossier (the line claim)
        # and the dépôt says the rest. Reading every dossier of the file back (200 whole
        # items) at the end of each run was a fifth of an import's time at a deadline rush.
        vises = {
            numero
            for num_ligne, numero in numeros.items()
            if (ligne := par_ligne.get(num_ligne)) is not None and ligne.type_action == "M"
        }
        lus = self._dossiers.lire_plusieurs(vises) if vises else {}
        accuses: list[str] = []
        modifies: list[tuple[int, Dossier]] = []
        for num_ligne, numero in sorted(numeros.items()):
            ligne = par_ligne.get(num_ligne)
            if ligne is None:
                continue
            if ligne.type_action != "M":
                accuses.append(numero)
            elif (dossier := lus.get(numero)) is not None:
                modifies.append((num_ligne, dossier))
        self._repondre(depot, modifies, auteur)
        self._accuser(depot, accuses)

    # --- A_MODIFIER: the modification is the éditeur's answer ---------------------------

    def _repondre(self, depot: Depot, modifies: Sequence[tuple[int, Dossier]], auteur: str) -> None:
        vus: set[str] = set()
        for num_ligne, dossier in modifies:
            if dossier.numero_asp in vus:
                continue  # two M lines for one dossier: one answer
            if statut_de(dossier, depot.type_demande) != StatutDemande.A_MODIFIER:
                continue  # not waiting for a modification (or resumed already)
            vus.add(dossier.numero_asp)
            self._reponses.envoyer(
                ReponseEditeur(
                    numeroAsp=dossier.numero_asp,
                    typeDemande=depot.type_demande,
                    action=ActionEditeur.MODIFICATION_IMPORTEE,
                    qui=auteur,
                    # the modification's write: stable across resumed runs, and after the
                    # A_MODIFIER decision it answers
                    instant=dossier.modifie_le,
                    details={"idDepot": depot.id, "numLigne": num_ligne},
                )
            )
            logger.info(
                "Modification importée: reprise demandée.",
                extra={"numeroAsp": dossier.numero_asp, "typeDemande": str(depot.type_demande)},
            )

    # --- the accusé de réception --------------------------------------------------------

    def _accuser(self, depot: Depot, numeros: Sequence[str]) -> None:
        """`numeros`: the dossiers this dépôt created (avance) or attached a solde to: the
        éditeur's own (`Dossier.siret` is the dépôt's), each received with the dépôt's JSON."""
        if self._fabrique is None or not numeros:
            return
        enrolement = self._enrolements.enrolement(depot.siret, depot.numero_ans)
        email = enrolement.email if enrolement is not None else None
        if not email:
            logger.warning(
                "Pas d'email de dépositaire: accusés de réception non envoyés.",
                extra={"idDepot": depot.id},
            )
            return
        assert depot.json_recu_le is not None  # a dépôt imported has its JSON
        en_attente: list[str] = []
        for numero in numeros:
            notifiee = DemandeNotifiee(
                numero_asp=numero,
                type_demande=depot.type_demande,
                siret=depot.siret,
                depose_le=depot.json_recu_le,
                url_portail=self._url_portail,
            )
            try:
                if self._courrier is None:
                    self._courrier = self._fabrique()
                self._courrier.envoyer_une_fois(
                    cle_transition(notifiee, TransitionCourriel.ACCUSE_RECEPTION),
                    [email],
                    avis_accuse_reception(notifiee),
                    dossiers=(numero,),
                )
            except Exception as erreur:
                # Its claim was released. A busy service (SES, the claim's table): the run
                # fails once every accusé was tried, before the dépôt is IMPORTE, and its
                # redelivery sends what is missing (claims: nothing twice). An address SES
                # refuses would be refused again: it must not hold the import of the file.
                logger.exception("Accusé de réception non envoyé.", extra={"numeroAsp": numero})
                if not isinstance(erreur, EnvoiImpossible) or erreur.passager:
                    en_attente.append(numero)
        if en_attente:
            raise AccusesNonEnvoyes(
                f"{len(en_attente)} accusé(s) de réception non envoyé(s) (service de courriel "
                "indisponible): l'import est rejoué pour les envoyer."
            )
