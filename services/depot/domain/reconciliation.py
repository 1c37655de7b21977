"""Reconciling the ZIP of pièces with the JSON of demandes (format MS v1 §5, §6; mission B3).

Inputs: the checked archive, the pièces the JSON expects (`nomFichier` → the lines and the
JSON Pointers that name it), and the names already received in earlier ZIPs for the same
dossiers. Output: the `erreursPieces` entries, the per-line errors at each `nomFichier`
pointer, and whether the ZIP is accepted (kept) or refused as a whole.

Names are compared after Unicode NFC normalisation (macOS archivers store decomposed
accents), and otherwise exactly: case matters, as in the S3 keys they become.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from lecteur_zip import (
    CodeProbleme,
    MembreArchive,
    ProblemePiece,
    ResultatArchive,
)


class CodeErreurLigne(StrEnum):
    PIECE_MANQUANTE = "PIECE_MANQUANTE"
    PIECE_REFUSEE = "PIECE_REFUSEE"


@dataclass(frozen=True)
class ErreurPieceLigne:
    """An error of one line, at the JSON Pointer of its `nomFichier`."""

    num_ligne: int
    code: CodeErreurLigne
    chemin: str
    message: str

    def en_dict(self) -> dict[str, str]:
        return {"code": self.code.value, "chemin": self.chemin, "message": self.message}


@dataclass(frozen=True)
class Rapprochement:
    accepte: bool  # the ZIP is kept (no problem at all); False also when there is no ZIP
    erreurs_pieces: tuple[ProblemePiece, ...]  # archive problems + PIECE_NON_REFERENCEE
    erreurs_lignes: tuple[ErreurPieceLigne, ...]  # sorted by line, then pointer
    pieces_a_conserver: tuple[MembreArchive, ...]  # empty unless accepte

    def erreurs_pieces_json(self) -> list[dict[str, str | None]]:
        return [probleme.en_dict() for probleme in self.erreurs_pieces]

    def erreurs_par_ligne(self) -> dict[int, list[dict[str, str]]]:
        par_ligne: dict[int, list[dict[str, str]]] = {}
        for erreur in self.erreurs_lignes:
            par_ligne.setdefault(erreur.num_ligne, []).append(erreur.en_dict())
        return par_ligne


def normaliser_nom(nom: str) -> str:
    return unicodedata.normalize("NFC", nom)


def rapprocher(
    resultat: ResultatArchive | None,
    attendues: Mapping[str, Iterable[tuple[int, str]]],
    deja_recues: Collection[str] = frozenset(),
) -> Rapprochement:
    """Reconcile one ZIP (None: no ZIP deposited) with the pièces the JSON expects.

    `attendues`: {nomFichier: [(numLigne, JSON Pointer of that nomFichier), …]}.
    `deja_recues`: names received in an earlier, accepted ZIP for the same dossiers.
    """
    recues = {normaliser_nom(nom) for nom in deja_recues}
    besoins: dict[str, list[tuple[int, str, str]]] = {}
    for nom_fichier, lignes in attendues.items():
        cle = normaliser_nom(nom_fichier)
        besoins.setdefault(cle, []).extend(
            (num_ligne, chemin, nom_fichier) for num_ligne, chemin in lignes
        )

    problemes: list[ProblemePiece] = list(resultat.problemes) if resultat else []
    noms_zip = list(resultat.noms) if resultat else []
    for nom in noms_zip:
        if nom not in besoins:
            problemes.append(
                ProblemePiece(
                    nom,
                    CodeProbleme.PIECE_NON_REFERENCEE,
                    f"La pièce « {nom} » n'est citée par aucun nomFichier du fichier JSON : "
                    "retirez-la de l'archive, ou corrigez le nomFichier de la demande qui la "
                    "concerne.",
                )
            )
    accepte = resultat is not None and not problemes
    presents = set(noms_zip)
    par_casse = {nom.casefold(): nom for nom in noms_zip}
    codes_par_membre: dict[str, list[str]] = {}
    for probleme in problemes:
        if probleme.fichier is not None:
            codes_par_membre.setdefault(probleme.fichier, []).append(probleme.code.value)
    inventaire_complet = resultat is None or resultat.inventaire_complet

    erreurs: list[ErreurPieceLigne] = []
    for cle, references in besoins.items():
        if cle in recues:
            continue  # received earlier: a new ZIP, accepted or not, does not take it back
        if cle in presents:
            if accepte:
                continue
            code = CodeErreurLigne.PIECE_REFUSEE
            codes = codes_par_membre.get(cle)
            if codes:
                motif = (
                    f"est refusée ({', '.join(dict.fromkeys(codes))}), et avec elle toute "
                    "l'archive ZIP qui la contient"
                )
            else:
                motif = (
                    "n'est pas prise en compte : l'archive ZIP qui la contient est refusée en "
                    "entier à cause d'autres erreurs"
                )
            message = (
                f"La pièce « {cle} » {motif} (voir erreursPieces). Déposez une archive corrigée."
            )
        elif not inventaire_complet:
            code = CodeErreurLigne.PIECE_REFUSEE
            message = (
                f"La pièce « {cle} » n'a pas pu être reçue : l'archive ZIP déposée est "
                "illisible ou refusée avant la lecture de son contenu (voir erreursPieces). "
                "Déposez une archive corrigée."
            )
        else:
            code = CodeErreurLigne.PIECE_MANQUANTE
            voisin = par_casse.get(cle.casefold())
            indice = (
                f" L'archive contient « {voisin} » : la casse du nom diffère."
                if voisin is not None
                else ""
            )
            if resultat is None:
                message = (
                    f"La pièce « {cle} » attendue par ce nomFichier n'a pas encore été reçue : "
                    "déposez-la dans une archive ZIP."
                )
            else:
                message = (
                    f"La pièce « {cle} » attendue par ce nomFichier n'est ni dans l'archive ZIP "
                    f"déposée ni dans une archive reçue précédemment.{indice}"
                )
        for num_ligne, chemin, _ in references:
            erreurs.append(ErreurPieceLigne(num_ligne, code, chemin, message))
    erreurs.sort(key=lambda erreur: (erreur.num_ligne, erreur.chemin))
    return Rapprochement(
        accepte=accepte,
        erreurs_pieces=tuple(problemes),
        erreurs_lignes=tuple(erreurs),
        pieces_a_conserver=resultat.membres if accepte and resultat else (),
    )
