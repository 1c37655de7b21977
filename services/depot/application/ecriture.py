"""The writing of one importable line (D4, D6, solde): its dossier and claims, all or
nothing (see `Dossiers.creer` and `Dossiers.modifier`).

A line that loses a race (a FINESS claimed meanwhile by another import) is rejected
with FINESS_DEJA_FINANCE; it is never a 500. The line claim `DEPOT#{id}` /
`LIGNE#{numLigne}` makes a replayed line reuse what was written for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from services.depot.application.lignes import LigneAImporter
from services.depot.application.ports import (
    Bail,
    Compteur,
    Dossiers,
    IssueEcriture,
    ReservationLigne,
    TypeIssue,
)
from services.depot.domain.depot import (
    Conflit,
    Depot,
    Dossier,
    RefusLigne,
    chemins_finess,
    json_canonique,
    libelle_statut,
    numero_asp,
    prefixe_numero_asp,
    refus_finess_detenu,
)
from services.depot.domain.reconciliation import normaliser_nom
from shared.campagnes import Campagne, TypeDemande
from shared.historique import EntreeHistorique
from shared.horloge import Horloge
from shared.statuts import STATUTS_MODIFIABLES, StatutDemande

logger = logging.getLogger(__name__)

TENTATIVES = 5


class BailPerdu(Exception):
    """Another run of this import holds the dépôt now: this one stops writing."""


def _iso(instant: datetime) -> str:
    return instant.isoformat()


def noms_pieces(pieces: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """The names (NFC) of the pièces a demande expects: all missing at first."""
    return tuple(
        dict.fromkeys(
            normaliser_nom(p["nomFichier"])
            for p in pieces
            if isinstance(p.get("nomFichier"), str) and p["nomFichier"]
        )
    )


def manquantes_apres(
    avant: Iterable[Mapping[str, Any]],
    manquantes_avant: tuple[str, ...] | None,
    apres: Iterable[Mapping[str, Any]],
) -> tuple[str, ...] | None:
    """After a modification: the expected pièces not received yet (those expected before
    and no longer missing were received). None when the dossier kept no record of it."""
    if manquantes_avant is None:
        return None
    recues = set(noms_pieces(avant)) - set(manquantes_avant)
    return tuple(nom for nom in noms_pieces(apres) if nom not in recues)


class EcritureLignes:
    """Writes the lines of one run of an import (`bail`: the lease of that run)."""

    def __init__(
        self,
        dossiers: Dossiers,
        compteur: Compteur,
        horloge: Horloge,
        bail: Bail | None = None,
        precharges: Mapping[str, Dossier] | None = None,
    ) -> None:
        self._dossiers = dossiers
        self._compteur = compteur
        self._horloge = horloge
        self._bail = bail
        # dossiers targeted by M / solde lines, read in batches beforehand (once each)
        self._precharges = dict(precharges or {})

    def ecrire(
        self, depot: Depot, camp: Campagne, ligne: LigneAImporter, auteur: str, numero: str | None
    ) -> str | RefusLigne:
        """The numeroASP written for the line, or why it is rejected. `numero`: the number
        reserved for a C line of an avance."""
        reservation = ReservationLigne(depot.id, ligne.num_ligne)
        if depot.type_demande is TypeDemande.SOLDE:
            return self._joindre_solde(depot, camp, ligne, reservation, auteur)
        if ligne.type_action == "M":
            return self._modifier(depot, camp, ligne, reservation, auteur)
        assert numero is not None
        return self._creer(depot, camp, ligne, reservation, auteur, numero)

    def _creer(
        self,
        depot: Depot,
        camp: Campagne,
        ligne: LigneAImporter,
        reservation: ReservationLigne,
        auteur: str,
        numero: str,
    ) -> str | RefusLigne:
        maintenant = self._horloge.maintenant()
        assert depot.json_recu_le is not None
        for _ in range(TENTATIVES):
            dossier = Dossier(
                numero_asp=numero,
                siret=depot.siret,
                numero_ans=depot.numero_ans,
                couloir=depot.couloir,
                campagne=camp.id,
                type_demande=TypeDemande.AVANCE,
                statut=StatutDemande.INCOMPLET,
                numero_dossier=ligne.numero_dossier,
                demande=ligne.demande,
                finess=ligne.finess,
                montants=ligne.montants,
                taux_tva=depot.taux_tva,
                pieces=ligne.pieces,
                id_depot=depot.id,
                num_ligne=ligne.num_ligne,
                depose_le=depot.json_recu_le,
                cree_le=maintenant,
                modifie_le=maintenant,
                pieces_manquantes=noms_pieces(ligne.pieces),
            )
            entree = EntreeHistorique(
                qui=auteur,
                action="CREATION",
                instant=maintenant,
                details={"idDepot": depot.id, "numLigne": ligne.num_ligne, "statut": "INCOMPLET"},
            )
            issue = self._dossiers.creer(dossier, reservation, entree, self._bail)
            if issue.type is TypeIssue.DOSSIER_EXISTANT:
                logger.error("Compteur de numéros ASP en retard: %s déjà pris.", numero)
                numero = numero_asp(
                    depot.couloir, self._compteur.suivant(prefixe_numero_asp(depot.couloir))
                )
                continue
            resultat = self._issue(issue, numero, depot, camp, ligne)
            if resultat is not None:
                return resultat
        raise Conflit("IMPORT_CONCURRENT", "L'import est trop disputé en ce moment: réessayez.")

    def _issue(
        self, issue: IssueEcriture, numero: str, depot: Depot, camp: Campagne, ligne: LigneAImporter
    ) -> str | RefusLigne | None:
        """What a write's outcome means for the line; None: try again."""
        if issue.type is TypeIssue.ECRIT:
            return numero
        if issue.type is TypeIssue.BAIL_PERDU:
            raise BailPerdu(depot.id)
        reservation = ReservationLigne(depot.id, ligne.num_ligne)
        if issue.type is TypeIssue.LIGNE_DEJA_IMPORTEE:
            return issue.numero_asp or self._dossiers.ligne_importee(reservation)
        if issue.type in (TypeIssue.FINESS_DEJA_DETENU, TypeIssue.NUMERO_DOSSIER_UTILISE):
            # A concurrent request for this very line may have won: its claims are ours.
            deja = self._dossiers.ligne_importee(reservation)
            if deja is not None:
                return deja
        if issue.type is TypeIssue.FINESS_DEJA_DETENU and issue.finess:
            detenteur = self._dossiers.detenteur_finess(camp.id, depot.couloir, issue.finess)
            if detenteur is None:
                return None  # released meanwhile: try again
            statut = self._dossiers.lire(detenteur)
            chemin = chemins_finess(ligne.demande, ligne.index).get(
                issue.finess, f"/demandes/{ligne.index}/beneficiaires"
            )
            return refus_finess_detenu(issue.finess, chemin, statut.statut if statut else None)
        if issue.type is TypeIssue.NUMERO_DOSSIER_UTILISE:
            return RefusLigne(
                "NUMERO_DOSSIER_DEJA_UTILISE",
                f"/demandes/{ligne.index}/numeroDossier",
                f"Le numéro de dossier « {ligne.numero_dossier} » est déjà utilisé par un "
                "autre de vos dossiers: chaque demande créée a son propre numéro.",
            )
        return None  # VERSION_PERIMEE (and anything transient): read again, try again

    def _dossier_a_modifier(self, depot: Depot, ligne: LigneAImporter) -> Dossier | RefusLigne:
        chemin = f"/demandes/{ligne.index}/numeroASP"
        if not ligne.numero_asp:
            return RefusLigne(
                "NUMERO_ASP_OBLIGATOIRE", chemin, "Le numéro ASP du dossier visé est obligatoire."
            )
        dossier = self._precharges.pop(ligne.numero_asp, None) or self._dossiers.lire(
            ligne.numero_asp
        )
        if dossier is None or dossier.siret != depot.siret:
            return RefusLigne(
                "NUMERO_ASP_INCONNU",
                chemin,
                f"Le dossier {ligne.numero_asp} n'existe pas parmi les dossiers de votre "
                "structure.",
            )
        if dossier.campagne != depot.campagne or dossier.couloir != depot.couloir:
            return RefusLigne(
                "NUMERO_ASP_INCONNU",
                chemin,
                f"Le dossier {ligne.numero_asp} n'appartient pas au couloir {depot.couloir} "
                "de cette campagne.",
            )
        return dossier

    def _modifier(
        self,
        depot: Depot,
        camp: Campagne,
        ligne: LigneAImporter,
        reservation: ReservationLigne,
        auteur: str,
    ) -> str | RefusLigne:
        for _ in range(TENTATIVES):
            avant = self._dossier_a_modifier(depot, ligne)
            if isinstance(avant, RefusLigne):
                return avant
            if avant.statut not in STATUTS_MODIFIABLES:
                return RefusLigne(
                    "DOSSIER_NON_MODIFIABLE",
                    f"/demandes/{ligne.index}/typeAction",
                    f"Le dossier {avant.numero_asp} est au statut « "
                    f"{libelle_statut(avant.statut)} »: il ne peut plus être modifié.",
                )
            maintenant = self._horloge.maintenant()
            apres = replace(
                avant,
                numero_dossier=ligne.numero_dossier,
                demande=ligne.demande,
                finess=ligne.finess,
                montants=ligne.montants,
                taux_tva=depot.taux_tva,
                pieces=ligne.pieces,
                modifie_le=maintenant,
                version=avant.version + 1,
                pieces_manquantes=manquantes_apres(
                    avant.pieces, avant.pieces_manquantes, ligne.pieces
                ),
            )
            entree = EntreeHistorique(
                qui=auteur,
                action="MODIFICATION",
                instant=maintenant,
                details={
                    "idDepot": depot.id,
                    "numLigne": ligne.num_ligne,
                    "versionPrecedente": avant.version,
                    "demandePrecedente": json_canonique(avant.demande),
                    "montantsPrecedents": dict(avant.montants),
                    "tauxTvaPrecedent": format(avant.taux_tva, "f"),
                },
            )
            issue = self._dossiers.modifier(avant, apres, reservation, entree, self._bail)
            resultat = self._issue(issue, avant.numero_asp, depot, camp, ligne)
            if resultat is not None:
                return resultat
        raise Conflit("DOSSIER_OCCUPE", "Le dossier est modifié en ce moment: réessayez.")

    def _joindre_solde(
        self,
        depot: Depot,
        camp: Campagne,
        ligne: LigneAImporter,
        reservation: ReservationLigne,
        auteur: str,
    ) -> str | RefusLigne:
        assert depot.json_recu_le is not None
        for _ in range(TENTATIVES):
            avant = self._dossier_a_modifier(depot, ligne)
            if isinstance(avant, RefusLigne):
                return avant
            chemin = f"/demandes/{ligne.index}/numeroASP"
            if avant.statut is StatutDemande.REJETEE:
                return RefusLigne(
                    "AVANCE_REJETEE",
                    chemin,
                    f"La demande d'avance {avant.numero_asp} a été rejetée: aucun solde ne "
                    "peut s'y rattacher.",
                )
            if avant.depose_le >= camp.echeance_avance:
                return RefusLigne(
                    "GUICHET_AVANCE_TARDIVE",
                    chemin,
                    f"La demande d'avance {avant.numero_asp} n'a pas été déposée avant "
                    "l'échéance des avances: aucun solde ne peut s'y rattacher.",
                )
            if ligne.type_action == "M":
                if avant.solde is None:
                    return RefusLigne(
                        "SOLDE_ABSENT",
                        f"/demandes/{ligne.index}/typeAction",
                        f"Le dossier {avant.numero_asp} n'a pas de demande de solde à modifier.",
                    )
                statut_solde = str(avant.solde.get("statut", StatutDemande.INCOMPLET))
                if statut_solde not in STATUTS_MODIFIABLES:
                    return RefusLigne(
                        "DOSSIER_NON_MODIFIABLE",
                        f"/demandes/{ligne.index}/typeAction",
                        f"La demande de solde du dossier {avant.numero_asp} est au statut « "
                        f"{libelle_statut(statut_solde)} »: elle ne peut plus être modifiée.",
                    )
            elif avant.solde is not None:
                return RefusLigne(
                    "SOLDE_DEJA_DEPOSE",
                    chemin,
                    f"Une demande de solde est déjà déposée pour le dossier {avant.numero_asp}: "
                    "pour la changer, déposez une modification (typeAction M).",
                )
            maintenant = self._horloge.maintenant()
            if avant.solde is None:
                manquantes: tuple[str, ...] | None = noms_pieces(ligne.pieces)
            else:
                precedentes = avant.solde.get("piecesManquantes")
                manquantes = manquantes_apres(
                    avant.solde.get("pieces") or (),
                    None if precedentes is None else tuple(precedentes),
                    ligne.pieces,
                )
            solde = {
                # a new solde waits for its pièces; a modified one keeps its statut
                "statut": str(
                    avant.solde.get("statut", StatutDemande.INCOMPLET)
                    if avant.solde is not None
                    else StatutDemande.INCOMPLET
                ),
                "numeroDossier": ligne.numero_dossier,
                "demande": ligne.demande,
                "montants": dict(ligne.montants),
                "tauxTva": format(depot.taux_tva, "f"),
                "pieces": [dict(p) for p in ligne.pieces],
                "idDepot": depot.id,
                "numLigne": ligne.num_ligne,
                "deposeLe": _iso(depot.json_recu_le),
                "piecesManquantes": None if manquantes is None else list(manquantes),
            }
            apres = replace(avant, solde=solde, modifie_le=maintenant, version=avant.version + 1)
            details: dict[str, Any] = {"idDepot": depot.id, "numLigne": ligne.num_ligne}
            if avant.solde is not None:
                details["soldePrecedent"] = json_canonique(avant.solde)
            entree = EntreeHistorique(
                qui=auteur,
                action="MODIFICATION_SOLDE" if avant.solde is not None else "SOLDE",
                instant=maintenant,
                details=details,
            )
            issue = self._dossiers.modifier(avant, apres, reservation, entree, self._bail)
            resultat = self._issue(issue, avant.numero_asp, depot, camp, ligne)
            if resultat is not None:
                return resultat
        raise Conflit("DOSSIER_OCCUPE", "Le dossier est modifié en ce moment: réessayez.")
