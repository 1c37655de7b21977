"""The whole file: the sections in sequence, the fast read then the careful one."""

from __future__ import annotations

from typing import Any

from services.depot.domain.erreurs import CodeErreur, Erreur
from services.depot.domain.format_ms import (
    MAX_DEMANDES,
)
from services.depot.domain.lecture import (
    LectureJson,
    lire_json,
    lire_prudemment,
)
from services.depot.domain.montants import calculer_montants
from services.depot.domain.validation.beneficiaires import Beneficiaires
from services.depot.domain.validation.campagne import ReglesCampagne
from services.depot.domain.validation.champs import (
    CHAINE,
    CLES_DEMANDE,
    CLES_FICHIER,
    TABLEAU,
    VERROUILLAGE,
)
from services.depot.domain.validation.demande import EnteteDemande
from services.depot.domain.validation.entete import Entete
from services.depot.domain.validation.messages import (
    court,
    decrire,
)
from services.depot.domain.validation.pieces import Pieces
from services.depot.domain.validation.resultat import (
    ContexteValidation,
    LigneValidee,
    ResultatValidation,
)
from services.depot.domain.validation.scenarios import Scenarios


class Validation(Entete, EnteteDemande, Beneficiaires, Pieces, Scenarios, ReglesCampagne):
    """Every rule, section by section; `valider` chains them."""

    # --- The file --------------------------------------------------------------------------

    def valider(self, donnees: Any) -> ResultatValidation:
        resultat = ResultatValidation(erreurs_fichier=self.erreurs_fichier, donnees=donnees)
        if type(donnees) is not dict:
            self._compter(donnees)
            self.erreurs_fichier.append(
                Erreur(
                    CodeErreur.TYPE_INVALIDE,
                    "",
                    "Le fichier doit contenir un objet JSON { … } (l'entête du fichier et son "
                    f"tableau demandes) ; reçu : {decrire(donnees)}.",
                )
            )
            return resultat
        self.cles += len(donnees)
        erreurs = self.erreurs_fichier
        if not (donnees.keys() <= CLES_FICHIER):
            self._inconnus(donnees, CLES_FICHIER, "", erreurs)
        id_fichier = donnees.get("idFichier")
        if id_fichier is not None:
            self._compter(id_fichier)
            erreurs.append(
                Erreur(
                    CodeErreur.CHAMP_RESERVE,
                    "/idFichier",
                    "Le champ idFichier doit valoir null dans un dépôt : la plateforme le "
                    f"remplit dans le fichier retourné ; reçu : {decrire(id_fichier)}.",
                )
            )
        resultat.numero_ans = self._numero_ans(donnees)
        resultat.siret = self._siret(donnees)
        demandes = donnees.get("demandes")
        if type(demandes) is not list:
            self._type(erreurs, "/demandes", "demandes", TABLEAU, demandes, "demandes" in donnees)
            return resultat
        if not demandes:
            erreurs.append(
                Erreur(
                    CodeErreur.AUCUNE_DEMANDE,
                    "/demandes",
                    "Le tableau demandes est vide : un fichier contient de 1 à "
                    f"{MAX_DEMANDES} demandes.",
                )
            )
        elif len(demandes) > MAX_DEMANDES:
            erreurs.append(
                Erreur(
                    CodeErreur.TROP_DE_DEMANDES,
                    "/demandes",
                    f"Le fichier contient {len(demandes)} demandes ; il en contient au plus "
                    f"{MAX_DEMANDES} : répartissez-les en plusieurs fichiers.",
                )
            )
        resultat.lignes = self._identifier(demandes)
        for ligne in resultat.lignes:
            if type(ligne.demande) is dict:
                self._demande(ligne)
        return resultat

    # --- A demande -------------------------------------------------------------------------

    def _demande(self, ligne: LigneValidee) -> None:
        demande: dict[str, Any] = ligne.demande
        base = ligne.chemin
        erreurs = ligne.erreurs
        if not (demande.keys() <= CLES_DEMANDE):
            self._inconnus(demande, CLES_DEMANDE, base, erreurs)
        ligne.type_action = self._type_action(ligne, demande, base)
        self._numero_asp(ligne, demande, base)
        self._numero_dossier(ligne, demande, base)
        verrouillage = demande.get("verrouillage")
        if type(verrouillage) is not str:
            self._type(
                erreurs,
                base + "/verrouillage",
                "verrouillage",
                CHAINE,
                verrouillage,
                "verrouillage" in demande,
            )
        elif not VERROUILLAGE.fullmatch(verrouillage):
            erreurs.append(
                Erreur(
                    CodeErreur.VERROUILLAGE_INVALIDE,
                    base + "/verrouillage",
                    f"La version installée (verrouillage) « {court(verrouillage)} » doit "
                    "s'écrire en 1 à 4 nombres séparés par des points, par exemple 1.4.2.",
                )
            )
        for champ in ("codeTraitement", "libelleTraitement"):
            valeur = demande.get(champ)
            if valeur is not None:
                self._compter(valeur)
                erreurs.append(
                    Erreur(
                        CodeErreur.CHAMP_RESERVE,
                        base + "/" + champ,
                        f"Le champ {champ} doit valoir null dans un dépôt : la plateforme le "
                        f"remplit dans le fichier retourné ; reçu : {decrire(valeur)}.",
                    )
                )
        regime = self._commande(ligne, demande, base)
        finess_demande = self._beneficiaires(ligne, demande, base)
        self._pieces(ligne, demande, base, regime)
        self._scenarios(ligne, demande, base, finess_demande)
        self._plafond(ligne, base, len(finess_demande))
        if ligne.montant_segur is not None and regime is not None:
            ligne.montants = calculer_montants(ligne.montant_segur, regime, self.contexte.taux_tva)
        self._guichet(ligne, base)


def valider_document(donnees: Any, contexte: ContexteValidation) -> ResultatValidation:
    """Judges a JSON value read exactly (non-integer numbers as Decimal)."""
    return Validation(contexte).valider(donnees)


def valider_contenu(contenu: bytes, contexte: ContexteValidation) -> ResultatValidation:
    """Reads and judges a deposited file (every rule that needs no registry)."""
    lecture: LectureJson = lire_json(contenu)
    if not lecture.lisible:
        return ResultatValidation(erreurs_fichier=list(lecture.erreurs))
    if not lecture.exacte:
        validation = Validation(contexte, contenu_rapide=lecture.contenu)
        resultat = validation.valider(lecture.donnees)
        validation.verifier_montants()
        if not validation.douteux and validation.cles == lecture.deux_points:
            return resultat
        # A duplicate, a « : » inside a string, a number to read exactly: read again.
        lecture = lire_prudemment(lecture.contenu)
        if not lecture.lisible:
            return ResultatValidation(erreurs_fichier=list(lecture.erreurs))
    resultat = valider_document(lecture.donnees, contexte)
    resultat.erreurs_fichier[:0] = lecture.doublons
    return resultat
