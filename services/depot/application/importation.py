"""D4 and D6: import the importable lines of a simulated dépôt.

Each line is written in one all-or-nothing transaction (see `Dossiers.creer` and
`Dossiers.modifier`): a dossier never exists without its FINESS claims, a claim never
without its dossier. A line that loses a race (a FINESS claimed meanwhile by another
import) becomes REJETEE in the compte rendu with FINESS_DEJA_FINANCE; it is never a 500.
The line claim `DEPOT#{id}` / `LIGNE#{numLigne}` makes a retried request, or a second
request running at the same time, reuse what the first one created.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from services.depot.application.lignes import LigneAImporter, decoder_lignes
from services.depot.application.ports import (
    Annotateur,
    Compteur,
    Depots,
    Dossiers,
    EntreeHistorique,
    IssueEcriture,
    ReservationLigne,
    Stockage,
    TypeIssue,
    VersionPerimee,
)
from services.depot.domain.compte_rendu import CompteRendu, LigneCompteRendu
from services.depot.domain.depot import (
    MAX_ETABLISSEMENTS_IMPORTABLES,
    RAPPORT_COMPTE_RENDU,
    RAPPORT_FICHIER_ANNOTE,
    RAPPORT_LIGNES,
    Conflit,
    Depot,
    Dossier,
    ErreurMetier,
    Introuvable,
    RefusLigne,
    StatutDepot,
    chemins_finess,
    json_canonique,
    libelle_statut,
    lire_json,
    numero_asp,
    prefixe_numero_asp,
    refus_finess_detenu,
    verifier_guichet,
)
from services.depot.domain.erreurs import Erreur, ErreurPiece
from services.depot.domain.montants import Montants
from shared.campagnes import Campagne, TypeDemande, campagne
from shared.contrats import STATUTS_MODIFIABLES, StatutDossier
from shared.horloge import Horloge
from shared.montant import Montant

logger = logging.getLogger(__name__)

TENTATIVES = 5


@dataclass(frozen=True)
class ResultatImport:
    depot: Depot
    compte_rendu: dict[str, Any]
    numeros_asp: Mapping[int, str]  # numLigne -> numeroASP
    refus: Mapping[int, RefusLigne]  # numLigne -> why it was rejected at import


def _iso(instant: datetime) -> str:
    return instant.isoformat()


def _erreur(brute: Mapping[str, Any]) -> Erreur:
    return Erreur(
        str(brute.get("code", "")), str(brute.get("chemin", "")), str(brute.get("message", ""))
    )


def _montants(bruts: object) -> Montants | None:
    if not isinstance(bruts, Mapping):
        return None
    try:
        return Montants(
            montant_finance=Montant(str(bruts["montantFinance"])),
            avance=Montant(str(bruts["avance"])),
            solde=Montant(str(bruts["solde"])),
        )
    except (KeyError, ValueError):
        return None


def compte_rendu_depuis(document: Mapping[str, Any]) -> CompteRendu:
    """The simulation's compte rendu (§6 document) back as the simulation's object, to mark
    lines rejected after the fact (`rejeter_ligne`: the counts follow) and to annotate."""
    return CompteRendu(
        fichier=str(document.get("fichier", "")),
        erreurs_fichier=[_erreur(e) for e in document.get("erreursFichier") or []],
        erreurs_pieces=[
            ErreurPiece(e.get("fichier"), str(e.get("code", "")), str(e.get("message", "")))
            for e in document.get("erreursPieces") or []
        ],
        lignes=[
            LigneCompteRendu(
                num_ligne=int(ligne["numLigne"]),
                index=index,  # lines are kept in the file's order
                erreurs=[_erreur(e) for e in ligne.get("erreurs") or []],
                avertissements=[_erreur(e) for e in ligne.get("avertissements") or []],
                montants=_montants(ligne.get("montants")),
            )
            for index, ligne in enumerate(document.get("lignes") or [])
        ],
    )


def appliquer_import(
    compte_rendu: Mapping[str, Any],
    lignes: Sequence[LigneAImporter],
    numeros_asp: Mapping[int, str],
    refus: Mapping[int, RefusLigne],
) -> tuple[CompteRendu, dict[str, Any]]:
    """The simulation's compte rendu after the import: the lines rejected at import get
    their error (statut REJETEE, counts recomputed), each imported line its numeroASP.
    Returns the object (for the annotated file) and the §6 document (plus `idFichier`,
    `lignesImportees` and `numeroAsp` per imported line)."""
    objet = compte_rendu_depuis(compte_rendu)
    index = {ligne.num_ligne: ligne.index for ligne in lignes}
    for num_ligne, motif in refus.items():
        objet.rejeter_ligne(index[num_ligne], Erreur(motif.code, motif.chemin, motif.message))
    document: dict[str, Any] = {**dict(compte_rendu), **objet.to_dict()}
    for ligne in document["lignes"]:
        numero = numeros_asp.get(ligne["numLigne"])
        if numero is not None and ligne["statut"] != "REJETEE":
            ligne["numeroAsp"] = numero
    document["lignesImportees"] = len(numeros_asp)
    return objet, document


class Importer:
    def __init__(
        self,
        depots: Depots,
        dossiers: Dossiers,
        compteur: Compteur,
        stockage: Stockage,
        horloge: Horloge,
        annoter: Annotateur | None = None,
    ) -> None:
        self._depots = depots
        self._dossiers = dossiers
        self._compteur = compteur
        self._stockage = stockage
        self._horloge = horloge
        self._annoter = annoter

    def __call__(self, id_depot: str, siret: str, auteur: str | None = None) -> ResultatImport:
        """Imports the dépôt `id_depot` for the éditeur `siret` (`auteur`: who asked, for
        the dossiers' history; the SIRET by default)."""
        qui = auteur or siret
        depot = self._lire(id_depot, siret)
        depot.verifier_import_possible()
        camp = campagne(depot.campagne)
        lignes = self._lignes(depot)
        refus: dict[int, RefusLigne] = {}
        a_importer: list[LigneAImporter] = []
        for ligne in lignes:
            motif = self._refus_guichet(depot, camp, ligne)
            if motif is None:
                a_importer.append(ligne)
            else:
                refus[ligne.num_ligne] = motif
        if not a_importer:
            # Every line was refused by the guichet: say it as the guichet says it.
            assert depot.json_recu_le is not None
            verifier_guichet(camp, depot.type_demande, depot.json_recu_le)

        depot = self._commencer(depot)
        numeros: dict[int, str] = {}
        for ligne in a_importer:
            issue = self._importer_ligne(depot, camp, ligne, qui)
            if isinstance(issue, RefusLigne):
                refus[ligne.num_ligne] = issue
                logger.info(
                    "Ligne rejetée à l'import.",
                    extra={"idDepot": depot.id, "numLigne": ligne.num_ligne, "code": issue.code},
                )
            else:
                numeros[ligne.num_ligne] = issue

        objet, compte_rendu = appliquer_import(self._compte_rendu(depot), lignes, numeros, refus)
        self._stockage.ecrire(
            depot.cle_rapport(RAPPORT_COMPTE_RENDU), json_canonique(compte_rendu).encode("utf-8")
        )
        self._annoter_fichier(depot, objet)
        depot = self._terminer(depot, numeros, len(refus))
        return ResultatImport(depot, compte_rendu, numeros, refus)

    # --- the dépôt ----------------------------------------------------------------------

    def _lire(self, id_depot: str, siret: str) -> Depot:
        depot = self._depots.lire(id_depot)
        if depot is None:
            raise Introuvable("DEPOT_INTROUVABLE", f"Le dépôt {id_depot} n'existe pas.")
        depot.verifier_proprietaire(siret)
        return depot

    def _lignes(self, depot: Depot) -> list[LigneAImporter]:
        objet = self._stockage.lire(depot.cle_rapport(RAPPORT_LIGNES))
        if objet is None:
            raise Conflit(
                "SIMULATION_ABSENTE",
                "Le résultat de la simulation de ce dépôt est introuvable: déposez le "
                "fichier à nouveau.",
            )
        return decoder_lignes(objet.contenu)

    def _compte_rendu(self, depot: Depot) -> dict[str, Any]:
        objet = self._stockage.lire(depot.cle_rapport(RAPPORT_COMPTE_RENDU))
        if objet is None:
            return {"lignes": []}
        brut = lire_json(objet.contenu)
        return brut if isinstance(brut, dict) else {"lignes": []}

    def _annoter_fichier(self, depot: Depot, compte_rendu: CompteRendu) -> None:
        """The returned file, now saying which demandes were imported."""
        if self._annoter is None or depot.fichier is None:
            return
        depose = self._stockage.lire(depot.fichier.cle, version_id=depot.fichier.version_id)
        if depose is None:
            logger.warning("JSON déposé introuvable: fichier annoté non mis à jour.")
            return
        try:
            annote = self._annoter(depose.contenu, compte_rendu, depot.id, simulation=False)
        except ValueError:
            logger.exception("Fichier annoté impossible à produire.")
            return
        self._stockage.ecrire(depot.cle_rapport(RAPPORT_FICHIER_ANNOTE), annote)

    def _commencer(self, depot: Depot) -> Depot:
        for _ in range(TENTATIVES):
            commence = depot.commencer_import(self._horloge.maintenant())
            if commence is depot:
                return depot
            try:
                return self._depots.enregistrer(commence)
            except VersionPerimee:
                relu = self._depots.lire(depot.id)
                assert relu is not None
                depot = relu
                depot.verifier_import_possible()
        raise Conflit("DEPOT_OCCUPE", "Le dépôt est modifié en ce moment: réessayez.")

    def _terminer(self, depot: Depot, numeros: Mapping[int, str], rejetees: int) -> Depot:
        for _ in range(TENTATIVES):
            try:
                return self._depots.enregistrer(
                    depot.marquer_importe(numeros, rejetees, self._horloge.maintenant())
                )
            except VersionPerimee:
                relu = self._depots.lire(depot.id)
                assert relu is not None
                if relu.statut in (StatutDepot.IMPORTE, StatutDepot.TERMINE):
                    return relu  # a concurrent request finished the same import
                depot = relu
        raise Conflit("DEPOT_OCCUPE", "Le dépôt est modifié en ce moment: réessayez.")

    # --- one line -----------------------------------------------------------------------

    @staticmethod
    def _refus_guichet(depot: Depot, camp: Campagne, ligne: LigneAImporter) -> RefusLigne | None:
        """G2/G3 again, at the JSON's upload time (the simulation checked it already)."""
        recu_le = depot.json_recu_le
        assert recu_le is not None
        if depot.type_demande is TypeDemande.AVANCE and ligne.type_action == "M":
            return None  # une modification d'avance reste possible après l'échéance
        if camp.fenetre_ouverte(depot.type_demande, recu_le):
            return None
        try:
            verifier_guichet(camp, depot.type_demande, recu_le)
        except ErreurMetier as erreur:
            return RefusLigne(erreur.code, f"/demandes/{ligne.index}/typeAction", erreur.message)
        return None

    def _importer_ligne(
        self, depot: Depot, camp: Campagne, ligne: LigneAImporter, auteur: str
    ) -> str | RefusLigne:
        reservation = ReservationLigne(depot.id, ligne.num_ligne)
        deja = self._dossiers.ligne_importee(reservation)
        if deja is not None:
            return deja
        if len(ligne.finess) > MAX_ETABLISSEMENTS_IMPORTABLES:
            return RefusLigne(
                "TROP_D_ETABLISSEMENTS",
                f"/demandes/{ligne.index}/beneficiaires",
                f"Une demande ne peut pas porter sur plus de {MAX_ETABLISSEMENTS_IMPORTABLES} "
                "établissements: répartissez-les sur plusieurs demandes.",
            )
        if depot.type_demande is TypeDemande.SOLDE:
            return self._joindre_solde(depot, camp, ligne, reservation, auteur)
        if ligne.type_action == "M":
            return self._modifier(depot, camp, ligne, reservation, auteur)
        return self._creer(depot, camp, ligne, reservation, auteur)

    def _creer(
        self,
        depot: Depot,
        camp: Campagne,
        ligne: LigneAImporter,
        reservation: ReservationLigne,
        auteur: str,
    ) -> str | RefusLigne:
        maintenant = self._horloge.maintenant()
        assert depot.json_recu_le is not None
        for _ in range(TENTATIVES):
            numero = numero_asp(
                depot.couloir, self._compteur.suivant(prefixe_numero_asp(depot.couloir))
            )
            dossier = Dossier(
                numero_asp=numero,
                siret=depot.siret,
                numero_ans=depot.numero_ans,
                couloir=depot.couloir,
                campagne=camp.id,
                type_demande=TypeDemande.AVANCE,
                statut=StatutDossier.INCOMPLET,
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
            )
            entree = EntreeHistorique(
                "CREATION",
                auteur,
                maintenant,
                {"idDepot": depot.id, "numLigne": ligne.num_ligne, "statut": "INCOMPLET"},
            )
            issue = self._dossiers.creer(dossier, reservation, entree)
            if issue.type is TypeIssue.DOSSIER_EXISTANT:
                logger.error("Compteur de numéros ASP en retard: %s déjà pris.", numero)
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
        dossier = self._dossiers.lire(ligne.numero_asp)
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
            )
            entree = EntreeHistorique(
                "MODIFICATION",
                auteur,
                maintenant,
                {
                    "idDepot": depot.id,
                    "numLigne": ligne.num_ligne,
                    "versionPrecedente": avant.version,
                    "demandePrecedente": json_canonique(avant.demande),
                    "montantsPrecedents": dict(avant.montants),
                    "tauxTvaPrecedent": format(avant.taux_tva, "f"),
                },
            )
            issue = self._dossiers.modifier(avant, apres, reservation, entree)
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
            if avant.statut is StatutDossier.REJETEE:
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
                statut_solde = str(avant.solde.get("statut", StatutDossier.INCOMPLET))
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
            solde = {
                # a new solde waits for its pièces; a modified one keeps its statut
                "statut": str(
                    avant.solde.get("statut", StatutDossier.INCOMPLET)
                    if avant.solde is not None
                    else StatutDossier.INCOMPLET
                ),
                "numeroDossier": ligne.numero_dossier,
                "demande": ligne.demande,
                "montants": dict(ligne.montants),
                "tauxTva": format(depot.taux_tva, "f"),
                "pieces": [dict(p) for p in ligne.pieces],
                "idDepot": depot.id,
                "numLigne": ligne.num_ligne,
                "deposeLe": _iso(depot.json_recu_le),
            }
            apres = replace(avant, solde=solde, modifie_le=maintenant, version=avant.version + 1)
            details: dict[str, Any] = {"idDepot": depot.id, "numLigne": ligne.num_ligne}
            if avant.solde is not None:
                details["soldePrecedent"] = json_canonique(avant.solde)
            entree = EntreeHistorique(
                "MODIFICATION_SOLDE" if avant.solde is not None else "SOLDE",
                auteur,
                maintenant,
                details,
            )
            issue = self._dossiers.modifier(avant, apres, reservation, entree)
            resultat = self._issue(issue, avant.numero_asp, depot, camp, ligne)
            if resultat is not None:
                return resultat
        raise Conflit("DOSSIER_OCCUPE", "Le dossier est modifié en ce moment: réessayez.")
