"""§3, the pièces justificatives: nomenclature, format, unique names, mandatory pièces."""

from __future__ import annotations

from typing import Any

from services.depot.domain.erreurs import CodeErreur, Erreur
from services.depot.domain.format_ms import (
    LIBELLES_TYPE_FICHIER,
    LONGUEUR_MAX_NOM_FICHIER,
    RegimeTva,
    TypeFichier,
    analyser_nom_fichier,
)
from services.depot.domain.validation.base import BaseValidation
from services.depot.domain.validation.champs import (
    CHAINE,
    CLES_PIECE,
    FORMATS,
    TYPES_FICHIER,
)
from services.depot.domain.validation.messages import (
    court,
)
from services.depot.domain.validation.resultat import (
    LigneValidee,
)


class Pieces(BaseValidation):
    def _pieces(
        self, ligne: LigneValidee, demande: dict[str, Any], base: str, regime: RegimeTva | None
    ) -> None:
        pieces = self._liste(
            ligne.erreurs, demande, "piecesJustificatives", base, "une pièce justificative"
        )
        if pieces is None:
            return
        erreurs = ligne.erreurs
        types_presents: set[TypeFichier] = set()
        type_invalide = False
        noms_fichier = self.noms_fichier
        for ip, piece in enumerate(pieces):
            chemin_p = f"{base}/piecesJustificatives/{ip}"
            if not self._element_objet(erreurs, piece, chemin_p, "piecesJustificatives", ip):
                type_invalide = True
                continue
            if not (piece.keys() <= CLES_PIECE):
                self._inconnus(piece, CLES_PIECE, chemin_p, erreurs)
            format_texte = self._enum(erreurs, piece, "formatFichier", chemin_p, FORMATS)
            type_texte = self._enum(erreurs, piece, "typeFichier", chemin_p, TYPES_FICHIER)
            type_fichier = TYPES_FICHIER[type_texte] if type_texte is not None else None
            if type_fichier is None:
                type_invalide = True
            else:
                types_presents.add(type_fichier)
            nom = piece.get("nomFichier")
            chemin_n = chemin_p + "/nomFichier"
            if type(nom) is not str:
                self._type(erreurs, chemin_n, "nomFichier", CHAINE, nom, "nomFichier" in piece)
                continue
            ligne.noms_fichiers.append((nom, chemin_n))
            if len(nom) > LONGUEUR_MAX_NOM_FICHIER:
                erreurs.append(
                    Erreur(
                        CodeErreur.NOM_FICHIER_TROP_LONG,
                        chemin_n,
                        f"Le nom de fichier « {court(nom)} » compte {len(nom)} caractères ; "
                        f"il en compte au plus {LONGUEUR_MAX_NOM_FICHIER}.",
                    )
                )
            analyse = analyser_nom_fichier(nom, self.couloir, ligne.numero_dossier, type_fichier)
            if analyse.problemes:
                erreurs.append(
                    Erreur(
                        CodeErreur.NOMENCLATURE_INVALIDE,
                        chemin_n,
                        f"Le nom de fichier « {court(nom)} » ne respecte pas la nomenclature "
                        f"{self.couloir}_<texte libre>-<CODE>-<numeroDossier>.<extension> : "
                        + " ; ".join(analyse.problemes)
                        + ".",
                    )
                )
            if (
                format_texte is not None
                and analyse.format is not None
                and analyse.format.value != format_texte
            ):
                erreurs.append(
                    Erreur(
                        CodeErreur.FORMAT_FICHIER_INCOHERENT,
                        chemin_p + "/formatFichier",
                        f"Le formatFichier {format_texte} ne correspond pas à l'extension du "
                        f"fichier « {court(nom)} » (attendu : {analyse.format.value}).",
                    )
                )
            premier = noms_fichier.get(nom)
            if premier is None:
                noms_fichier[nom] = (ligne.index, ligne.num_ligne)
            else:
                ou = (
                    "cette demande"
                    if premier[0] == ligne.index
                    else f"la demande de la ligne {premier[1]}"
                )
                erreurs.append(
                    Erreur(
                        CodeErreur.NOM_FICHIER_DUPLIQUE,
                        chemin_n,
                        f"Le nom de fichier « {court(nom)} » est déjà cité par {ou} : chaque "
                        "pièce du fichier a son propre nom.",
                    )
                )
        if not pieces or type_invalide:
            return  # an unreadable pièce may be the required one: do not ask for it
        requises: list[tuple[TypeFichier, ...]] = []
        if self.solde:
            requises.append((TypeFichier.FACTURE,))
            requises.append((TypeFichier.PV_VA, TypeFichier.MOM))
        else:
            requises.append((TypeFichier.BON_COMMANDE,))
        if regime is RegimeTva.HT:
            requises.append((TypeFichier.ATTESTATION_HT,))
        pourquoi = {
            TypeFichier.FACTURE: "une demande de solde",
            TypeFichier.PV_VA: "une demande de solde",
            TypeFichier.BON_COMMANDE: "une demande d'avance",
            TypeFichier.ATTESTATION_HT: "le régime HT",
        }
        for alternatives in requises:
            if types_presents.isdisjoint(alternatives):
                libelle = " ou ".join(LIBELLES_TYPE_FICHIER[t] for t in alternatives)
                erreurs.append(
                    Erreur(
                        CodeErreur.PIECE_OBLIGATOIRE_MANQUANTE,
                        base + "/piecesJustificatives",
                        f"Il manque {libelle} : {pourquoi[alternatives[0]]} l'exige.",
                    )
                )
