"""D4 and D6: import the importable lines of a simulated dépôt, out of the API request.

`POST /depots/{id}/import` (`DemanderImport`) marks the dépôt IMPORT_EN_COURS and puts a
message on the import queue; the queue's handler runs `Importer.executer`: one run at a
time per dépôt (a lease on the dépôt item, checked by every write of the run), progress
on the dépôt (lines done), then IMPORTE with the compte rendu. A run interrupted anywhere
is resumed by the next delivery: the line claims say which lines are written, the numbers
of the C lines are reserved once (the same number for the same line at each run), and
each line is written all or nothing (`EcritureLignes`).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from services.depot.application.acces import depot_de
from services.depot.application.ecriture import BailPerdu, EcritureLignes
from services.depot.application.lignes import LigneAImporter, decoder_lignes
from services.depot.application.ports import (
    Annotateur,
    Bail,
    Compteur,
    Depots,
    Dossiers,
    FileImport,
    Stockage,
    VersionPerimee,
)
from services.depot.application.reponses import SuitesImport
from services.depot.domain.compte_rendu import CompteRendu, LigneCompteRendu
from services.depot.domain.depot import (
    RAPPORT_COMPTE_RENDU,
    RAPPORT_FICHIER_ANNOTE,
    RAPPORT_LIGNES,
    Conflit,
    Depot,
    ErreurMetier,
    ImportEnCours,
    RefusLigne,
    StatutDepot,
    json_canonique,
    lire_json,
    numero_asp,
    prefixe_numero_asp,
    verifier_guichet,
)
from services.depot.domain.erreurs import Erreur, ErreurPiece
from services.depot.domain.montants import Montants
from shared.campagnes import Campagne, TypeDemande, campagne
from shared.horloge import Horloge
from shared.montant import Montant

logger = logging.getLogger(__name__)

TENTATIVES = 5
DUREE_BAIL = 300.0  # seconds a run holds the dépôt without writing progress
PROGRESSION_LIGNES = 10  # progress is written every 10 lines…
PROGRESSION_SECONDES = 5.0  # …or every 5 s, whichever comes first


@dataclass(frozen=True)
class ResultatImport:
    depot: Depot
    compte_rendu: dict[str, Any]
    numeros_asp: Mapping[int, str]  # numLigne -> numeroASP
    refus: Mapping[int, RefusLigne]  # numLigne -> why it was rejected at import


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
    deja = {(ligne.num_ligne, e.code, e.chemin) for ligne in objet.lignes for e in ligne.erreurs}
    for num_ligne, motif in refus.items():
        if (num_ligne, motif.code, motif.chemin) in deja:
            continue  # a resumed run: this compte rendu already says it
        objet.rejeter_ligne(index[num_ligne], Erreur(motif.code, motif.chemin, motif.message))
    document: dict[str, Any] = {**dict(compte_rendu), **objet.to_dict()}
    for ligne in document["lignes"]:
        numero = numeros_asp.get(ligne["numLigne"])
        if numero is not None and ligne["statut"] != "REJETEE":
            ligne["numeroAsp"] = numero
    document["lignesImportees"] = len(numeros_asp)
    return objet, document


def _verifier_guichet_solde(depot: Depot) -> None:
    """A solde received after its deadline: every line is refused; say it as the guichet
    does, at once. (Avance lines: decided per line, a modification stays possible.)"""
    recu_le = depot.json_recu_le
    assert recu_le is not None
    if depot.type_demande is TypeDemande.SOLDE:
        verifier_guichet(campagne(depot.campagne), depot.type_demande, recu_le)


def refus_guichet(depot: Depot, camp: Campagne, ligne: LigneAImporter) -> RefusLigne | None:
    """G2/G3 again, at the JSON's upload time (the simulation checked it already)."""
    recu_le = depot.json_recu_le
    assert recu_le is not None
    if depot.type_demande is TypeDemande.AVANCE and ligne.type_action == "M":
        return None  # a modification of the avance remains possible after the deadline
    if camp.fenetre_ouverte(depot.type_demande, recu_le):
        return None
    try:
        verifier_guichet(camp, depot.type_demande, recu_le)
    except ErreurMetier as erreur:
        return RefusLigne(erreur.code, f"/demandes/{ligne.index}/typeAction", erreur.message)
    return None


class DemanderImport:
    """`POST /depots/{id}/import`: IMPORT_EN_COURS at once, the work to the import queue.

    Asked again while the import runs, the message is sent again (a lost message is
    recovered; a duplicate finds the dépôt held by the running import and stops)."""

    def __init__(self, depots: Depots, file: FileImport, horloge: Horloge) -> None:
        self._depots = depots
        self._file = file
        self._horloge = horloge

    def __call__(self, id_depot: str, siret: str, auteur: str | None = None) -> Depot:
        depot = depot_de(self._depots, id_depot, siret)
        for _ in range(TENTATIVES):
            depot.verifier_import_possible()
            _verifier_guichet_solde(depot)
            commence = depot.commencer_import(self._horloge.maintenant())
            if commence is not depot:
                try:
                    depot = self._depots.enregistrer(commence)
                except VersionPerimee:
                    depot = depot_de(self._depots, id_depot, siret)
                    continue
            self._file.demander(depot.id, auteur or siret)
            return depot
        raise Conflit("DEPOT_OCCUPE", "Le dépôt est modifié en ce moment: réessayez.")


class _Interrompu(Exception):
    """The run stops before its time is up; the next delivery resumes it."""


class Importer:
    """Runs an import, from the queue (`DemanderImport` asked for it)."""

    def __init__(
        self,
        depots: Depots,
        dossiers: Dossiers,
        compteur: Compteur,
        stockage: Stockage,
        horloge: Horloge,
        annoter: Annotateur | None = None,
        file: FileImport | None = None,
        secondes: Callable[[], float] = time.time,
        suites: SuitesImport | None = None,
    ) -> None:
        self._depots = depots
        self._dossiers = dossiers
        self._compteur = compteur
        self._stockage = stockage
        self._horloge = horloge
        self._annoter = annoter
        self._file = file
        self._secondes = secondes
        self._suites = suites

    def executer(
        self, id_depot: str, auteur: str, continuer: Callable[[], bool] = lambda: True
    ) -> ResultatImport | None:
        """One run: None when there is nothing to do here (done already, held by another
        run, or stopped because `continuer()` said so: then the import is asked again)."""
        depot = self._depots.lire(id_depot)
        if depot is None or depot.statut in (StatutDepot.IMPORTE, StatutDepot.TERMINE):
            logger.info("Import sans objet.", extra={"idDepot": id_depot})
            return None
        jeton = uuid.uuid4().hex
        pris = self._prendre(depot, jeton)
        if pris is None:
            logger.info("Import mené par une autre exécution.", extra={"idDepot": id_depot})
            return None
        bail = Bail(id_depot, jeton)
        try:
            return self._executer(pris, bail, auteur, continuer)
        except BailPerdu:
            logger.warning("Bail d'import perdu: arrêt.", extra={"idDepot": id_depot})
            return None
        except _Interrompu:
            self._rendre(bail)
            if self._file is not None:
                self._file.demander(id_depot, auteur)
            logger.info("Import interrompu, redemandé.", extra={"idDepot": id_depot})
            return None
        except BaseException:
            self._rendre(bail)  # the next delivery resumes at once, without waiting
            raise

    # --- the run ------------------------------------------------------------------------

    def _executer(
        self, depot: Depot, bail: Bail, auteur: str, continuer: Callable[[], bool]
    ) -> ResultatImport:
        camp = campagne(depot.campagne)
        lignes = self._lignes(depot)
        refus: dict[int, RefusLigne] = {}
        a_importer: list[LigneAImporter] = []
        for ligne in lignes:
            motif = refus_guichet(depot, camp, ligne)
            if motif is None:
                a_importer.append(ligne)
            else:
                refus[ligne.num_ligne] = motif
        faites = self._dossiers.lignes_importees(depot.id)
        restantes = [ligne for ligne in a_importer if ligne.num_ligne not in faites]
        creations = [
            ligne
            for ligne in a_importer
            if depot.type_demande is TypeDemande.AVANCE and ligne.type_action == "C"
        ]
        encours = depot.import_en_cours or ImportEnCours()
        encours = replace(encours, lignes_a_traiter=len(lignes))
        if encours.premier_numero is None and any(c.num_ligne not in faites for c in creations):
            # One reservation for the whole file: a resumed run gives each line its number.
            premier = self._compteur.reserver(prefixe_numero_asp(depot.couloir), len(creations))
            encours = replace(encours, premier_numero=premier)
        depot = self._avancer(depot, bail, encours)
        rangs = {ligne.num_ligne: rang for rang, ligne in enumerate(creations)}
        vises = {
            ligne.numero_asp
            for ligne in restantes
            if ligne.numero_asp and ligne.num_ligne not in rangs
        }
        ecriture = EcritureLignes(
            self._dossiers,
            self._compteur,
            self._horloge,
            bail,
            self._dossiers.lire_plusieurs(vises) if vises else {},
        )
        traitees = len(lignes) - len(restantes)
        dernier = self._secondes()
        for ecrites, ligne in enumerate(restantes, start=1):
            if not continuer():
                self._progresser(depot, bail, traitees)
                raise _Interrompu(depot.id)
            numero = None
            if ligne.num_ligne in rangs:
                assert depot.import_en_cours is not None
                premier_numero = depot.import_en_cours.premier_numero
                assert premier_numero is not None
                numero = numero_asp(depot.couloir, premier_numero + rangs[ligne.num_ligne])
            issue = ecriture.ecrire(depot, camp, ligne, auteur, numero)
            if isinstance(issue, RefusLigne):
                refus[ligne.num_ligne] = issue
                logger.info(
                    "Ligne rejetée à l'import.",
                    extra={"idDepot": depot.id, "numLigne": ligne.num_ligne, "code": issue.code},
                )
            traitees += 1
            if (
                ecrites % PROGRESSION_LIGNES == 0
                or self._secondes() - dernier >= PROGRESSION_SECONDES
            ):
                depot = self._progresser(depot, bail, traitees)
                dernier = self._secondes()

        dans_le_fichier = {ligne.num_ligne for ligne in lignes}
        numeros = {
            n: asp
            for n, asp in self._dossiers.lignes_importees(depot.id).items()
            if n in dans_le_fichier
        }
        refus = {n: motif for n, motif in refus.items() if n not in numeros}
        objet, compte_rendu = appliquer_import(self._compte_rendu(depot), lignes, numeros, refus)
        self._stockage.ecrire(
            depot.cle_rapport(RAPPORT_COMPTE_RENDU), json_canonique(compte_rendu).encode("utf-8")
        )
        self._annoter_fichier(depot, objet)
        if self._suites is not None:
            # Before IMPORTE: a run stopped here is resumed and sends what is missing.
            self._suites(depot, lignes, numeros, auteur)
        depot = self._terminer(depot, bail, numeros, len(refus))
        return ResultatImport(depot, compte_rendu, numeros, refus)

    # --- the dépôt: lease and progress ----------------------------------------------------

    def _prendre(self, depot: Depot, jeton: str) -> Depot | None:
        """The dépôt held by this run (lease), or None when another run holds it."""
        for _ in range(TENTATIVES):
            if depot.statut in (StatutDepot.IMPORTE, StatutDepot.TERMINE):
                return None
            commence = depot.commencer_import(self._horloge.maintenant())
            encours = commence.import_en_cours or ImportEnCours()
            maintenant = self._secondes()
            if not encours.bail_libre(maintenant, jeton):
                return None
            try:
                return self._depots.enregistrer(
                    commence.avancer_import(
                        replace(encours, jeton=jeton, bail_jusqu_a=maintenant + DUREE_BAIL)
                    )
                )
            except VersionPerimee:
                relu = self._depots.lire(depot.id)
                if relu is None:
                    return None
                depot = relu
        return None

    def _avancer(self, depot: Depot, bail: Bail, encours: ImportEnCours) -> Depot:
        for _ in range(TENTATIVES):
            encours = replace(encours, bail_jusqu_a=self._secondes() + DUREE_BAIL)
            try:
                return self._depots.enregistrer(depot.avancer_import(encours))
            except VersionPerimee:
                relu = self._depots.lire(depot.id)
                if relu is None or relu.import_en_cours is None:
                    raise BailPerdu(depot.id) from None
                if relu.import_en_cours.jeton != bail.jeton:
                    raise BailPerdu(depot.id) from None
                depot = relu
        raise Conflit("DEPOT_OCCUPE", "Le dépôt est modifié en ce moment: réessayez.")

    def _progresser(self, depot: Depot, bail: Bail, traitees: int) -> Depot:
        assert depot.import_en_cours is not None
        return self._avancer(depot, bail, replace(depot.import_en_cours, lignes_traitees=traitees))

    def _rendre(self, bail: Bail) -> None:
        """Gives the dépôt back (best effort: otherwise the lease expires)."""
        try:
            depot = self._depots.lire(bail.id_depot)
            encours = depot.import_en_cours if depot is not None else None
            if depot is not None and encours is not None and encours.jeton == bail.jeton:
                self._depots.enregistrer(
                    depot.avancer_import(replace(encours, jeton=None, bail_jusqu_a=0.0))
                )
        except Exception:
            logger.exception("Bail d'import non rendu: il expirera.")

    def _terminer(
        self, depot: Depot, bail: Bail, numeros: Mapping[int, str], rejetees: int
    ) -> Depot:
        for _ in range(TENTATIVES):
            try:
                return self._depots.enregistrer(
                    depot.marquer_importe(numeros, rejetees, self._horloge.maintenant())
                )
            except VersionPerimee:
                relu = self._depots.lire(depot.id)
                assert relu is not None
                if relu.statut in (StatutDepot.IMPORTE, StatutDepot.TERMINE):
                    return relu  # a concurrent run finished the same import
                if relu.import_en_cours is None or relu.import_en_cours.jeton != bail.jeton:
                    raise BailPerdu(depot.id) from None
                depot = relu
        raise Conflit("DEPOT_OCCUPE", "Le dépôt est modifié en ce moment: réessayez.")

    # --- the stored reports ---------------------------------------------------------------

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
