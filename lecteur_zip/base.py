"""A check's state: reads by ranges (reusing the end read first) and the problems that
several steps report."""

from __future__ import annotations

from collections.abc import Iterator

from lecteur_zip.modele import (
    CodeProbleme,
    Limites,
    ProblemePiece,
    SourceAleatoire,
)
from lecteur_zip.structures import (
    BLOC_REPERTOIRE,
    ArretAnalyse,
    Entree,
    Flux,
    en_chiffres,
    octets,
)


class AnalyseBase:
    """A check's state, access by ranges and the common problems."""

    def __init__(self, source: SourceAleatoire, limites: Limites) -> None:
        self.source = source
        self.limites = limites
        self.taille = source.taille
        self.problemes: list[ProblemePiece] = []
        self.entrees: list[Entree] = []
        self.inventaire_complet = False
        self._cache = b""  # the last bytes of the archive (first read)
        self._cache_debut = self.taille
        self._debut_repertoire = 0

    def _refuser(self, code: CodeProbleme, message: str) -> None:
        self.problemes.append(ProblemePiece(None, code, message))

    # --- ranged access, reusing the tail read first --------------------------------------

    def _plage(self, debut: int, fin: int, *, sequentiel: bool) -> Iterator[bytes]:
        coupure = max(debut, min(fin, self._cache_debut))
        if debut < coupure:
            if sequentiel:
                yield from self.source.flux(debut, coupure)
            else:
                position = debut
                while position < coupure:
                    n = min(BLOC_REPERTOIRE, coupure - position)
                    bloc = self.source.lire(position, n)
                    if bloc:
                        yield bloc
                    if len(bloc) < n:
                        return
                    position += n
        if coupure < fin:
            yield self._cache[coupure - self._cache_debut : fin - self._cache_debut]

    def _lire(self, debut: int, longueur: int) -> bytes:
        flux = Flux(self._plage(debut, debut + longueur, sequentiel=False), debut)
        return flux.lire(longueur)

    def _tronque(self, detail: str) -> None:
        self._refuser(
            CodeProbleme.ZIP_TRONQUE,
            f"L'archive ZIP est tronquée : {detail}. Le fichier a sans doute été coupé "
            "pendant l'envoi ; déposez de nouveau l'archive complète.",
        )
        raise ArretAnalyse

    def _corrompu(self, detail: str) -> None:
        self._refuser(
            CodeProbleme.ZIP_CORROMPU,
            f"L'archive ZIP est corrompue : {detail}. Recréez l'archive avec un outil "
            "standard (fonction « Compresser » du système, 7-Zip…).",
        )
        raise ArretAnalyse

    def _trop_de_fichiers(self, nombre: int) -> None:
        self._refuser(
            CodeProbleme.TROP_DE_FICHIERS,
            f"L'archive ZIP contient {en_chiffres(nombre)} fichiers : "
            f"{en_chiffres(self.limites.nombre_membres)} au plus sont acceptés. Répartissez les "
            "pièces dans plusieurs archives.",
        )
        raise ArretAnalyse

    def _signaler_taux(self, entree: Entree, produit: int, *, annonce: bool) -> None:
        maximum = self.limites.taux_compression
        compresses = octets(entree.taille_compressee)
        if annonce and entree.taille_compressee:
            taux = produit / entree.taille_compressee
            texte = f"{taux:.1f}".replace(".", ",").removesuffix(",0")
            constat = (
                f"annonce un taux de compression de {texte}:1 ({octets(produit)} pour "
                f"{compresses} compressés)"
            )
        elif annonce:
            constat = f"annonce {octets(produit)} décompressés pour 0 octet compressé"
        else:
            constat = (
                f"dépasse le taux de compression de {maximum}:1 à la décompression (plus de "
                f"{octets(produit - 1)} pour {compresses} compressés)"
            )
        entree.signaler(
            CodeProbleme.TAUX_COMPRESSION_EXCESSIF,
            f"La pièce « {entree.nom} » {constat} : {maximum}:1 au plus est accepté (protection "
            "contre les bombes de décompression).",
        )

    def _signaler_tailles(self, entree: Entree, detail: str) -> None:
        entree.signaler(
            CodeProbleme.TAILLE_INCOHERENTE,
            f"La pièce « {entree.nom} » a des tailles incohérentes : {detail}. L'archive est "
            "endommagée ou a été falsifiée ; recréez-la.",
        )

    def _signaler_superposition(self, a: Entree, b: Entree, nombre: int) -> None:
        autres = f" ({nombre} chevauchements au total)" if nombre > 1 else ""
        self._refuser(
            CodeProbleme.MEMBRES_SUPERPOSES,
            f"L'archive ZIP est refusée : les données des fichiers « {a.nom} » et « {b.nom} » "
            f"se chevauchent{autres}, technique caractéristique des bombes de décompression. "
            "Recréez l'archive avec un outil standard.",
        )
