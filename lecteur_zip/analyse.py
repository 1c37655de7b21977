"""The whole check: the structure, then ONE sequential pass over the members."""

from __future__ import annotations

import zlib

from lecteur_zip.contenu import TETE
from lecteur_zip.donnees import AnalyseDonnees
from lecteur_zip.modele import (
    LIMITES_MS_V1,
    CodeProbleme,
    Limites,
    MembreArchive,
    ResultatArchive,
    SourceAleatoire,
)
from lecteur_zip.structures import (
    DRAPEAU_CHIFFRE,
    DRAPEAU_DESCRIPTEUR,
    LOCAL,
    METHODE_DEFLATE,
    METHODE_STOCKEE,
    MORCEAU_ENTREE,
    SIG_LOCAL,
    ArretAnalyse,
    Entree,
    Flux,
    a_extra_zip64,
    defaut_format,
    octets,
    tailles_zip64_locales,
)


def verifier_archive(source: SourceAleatoire, limites: Limites = LIMITES_MS_V1) -> ResultatArchive:
    """Check a ZIP of pièces against every rule of format MS v1 §5.

    Reads the end records and the central directory with a few ranged reads, then the
    members in ONE sequential pass. Memory stays bounded (a few chunks), whatever the input.
    Errors of the source itself (I/O, S3) propagate: they are not problems of the archive.
    """
    return Analyse(source, limites).executer()


class Analyse(AnalyseDonnees):
    def executer(self) -> ResultatArchive:
        try:
            self._lire_structure()
            if self._verifier_disposition():
                self._lire_contenus()
        except ArretAnalyse:
            pass
        problemes = list(self.problemes)
        membres: list[MembreArchive] = []
        for entree in self.entrees:
            if (
                not self.problemes
                and not entree.problemes
                and not entree.doublon
                and entree.type_contenu is None
            ):  # never accept a member whose content was not read and verified
                entree.signaler(
                    CodeProbleme.PIECE_ILLISIBLE,
                    f"La pièce « {entree.nom} » est illisible : ses données sont introuvables "
                    "à l'emplacement indiqué par le répertoire central.",
                )
            problemes.extend(entree.problemes)
            if not entree.problemes and not entree.doublon and entree.type_contenu is not None:
                membres.append(
                    MembreArchive(
                        nom=entree.nom,
                        taille=entree.taille,
                        crc=entree.crc,
                        position=entree.position,
                        debut_donnees=entree.debut_donnees,
                        taille_compressee=entree.taille_compressee,
                        methode=entree.methode,
                        type_contenu=entree.type_contenu,
                    )
                )
        return ResultatArchive(
            membres=tuple(membres),
            problemes=tuple(problemes),
            noms=tuple(entree.nom for entree in self.entrees),
            inventaire_complet=self.inventaire_complet,
            taille=self.taille,
        )

    # --- content: one sequential pass ----------------------------------------------------

    def _lire_contenus(self) -> None:
        ordre = sorted(self.entrees, key=lambda e: (e.position, e.index))
        lisibles = [e for e in ordre if e.fin_minimale <= self._debut_repertoire]
        if not lisibles:
            return
        flux = Flux(self._plage(0, self._debut_repertoire, sequentiel=True), 0)
        try:
            for rang, entree in enumerate(lisibles):
                limite = (
                    lisibles[rang + 1].position
                    if rang + 1 < len(lisibles)
                    else self._debut_repertoire
                )
                if flux.position > entree.position:
                    self._signaler_superposition(lisibles[rang - 1], entree, 1)
                    return
                flux.sauter(entree.position - flux.position)
                if flux.position != entree.position:
                    self._tronque("les données s'arrêtent avant le répertoire central")
                if not self._lire_membre(flux, entree, limite):
                    return
        finally:
            flux.fermer()

    def _lire_membre(self, flux: Flux, entree: Entree, limite: int) -> bool:
        """Read one member from its local header; False stops the pass."""
        nom = entree.nom
        entete = flux.lire(LOCAL.size)
        if len(entete) < LOCAL.size:
            self._tronque("les données s'arrêtent avant le répertoire central")
        if entete[:4] != SIG_LOCAL:
            entree.signaler(
                CodeProbleme.PIECE_ILLISIBLE,
                f"La pièce « {nom} » est illisible : son en-tête local est introuvable à la "
                "position indiquée par le répertoire central.",
            )
            return True
        (_, version, drapeaux, methode, _, _, crc, taille_c, taille_u, n_nom, n_extra) = (
            LOCAL.unpack(entete)
        )
        nom_local = flux.lire(n_nom)
        extra = flux.lire(n_extra)
        if len(nom_local) < n_nom or len(extra) < n_extra:
            self._tronque("les données s'arrêtent avant le répertoire central")
        entree.debut_donnees = flux.position
        differences = []
        if n_nom != entree.longueur_nom_brut or nom_local[:1024] != entree.nom_brut:
            differences.append("le nom")
        if methode != entree.methode:
            differences.append("la méthode de compression")
        if (drapeaux ^ entree.drapeaux) & (DRAPEAU_CHIFFRE | DRAPEAU_DESCRIPTEUR):
            differences.append("les indicateurs")
        if differences:
            entree.signaler(
                CodeProbleme.PIECE_ILLISIBLE,
                f"La pièce « {nom} » est illisible : son en-tête local et le répertoire central "
                f"ne donnent pas {' ni '.join(differences)} à l'identique.",
            )
        defaut = defaut_format(version, drapeaux, extra)
        if defaut:
            differences.append(defaut)
            entree.signaler(
                CodeProbleme.PIECE_ILLISIBLE,
                f"La pièce « {nom} » est illisible : son en-tête local {defaut}.",
            )
        if drapeaux & DRAPEAU_CHIFFRE and CodeProbleme.PIECE_CHIFFREE not in entree.codes:
            entree.signaler(
                CodeProbleme.PIECE_CHIFFREE,
                f"La pièce « {nom} » est chiffrée (protégée par un mot de passe) : les pièces "
                "doivent être déposées sans chiffrement.",
            )
        zip64_local = False
        descripteur = bool(drapeaux & DRAPEAU_DESCRIPTEUR)
        if not descripteur:
            try:
                zip64_local, taille_u, taille_c = tailles_zip64_locales(extra, taille_u, taille_c)
            except ValueError:
                entree.signaler(
                    CodeProbleme.PIECE_ILLISIBLE,
                    f"La pièce « {nom} » est illisible : son en-tête local a un champ ZIP64 "
                    "incomplet.",
                )
            self._comparer(entree, "l'en-tête local", crc, taille_c, taille_u)
        else:
            zip64_local = a_extra_zip64(extra)
        if entree.debut_donnees + entree.taille_compressee > limite:
            if limite == self._debut_repertoire:
                self._signaler_tailles(
                    entree,
                    f"sa taille compressée annoncée ({octets(entree.taille_compressee)}) "
                    "déborde sur le répertoire central",
                )
                return False
            suivante = next(e for e in self.entrees if e.position == limite)
            self._signaler_superposition(entree, suivante, 1)
            return False
        if entree.a_decompresser and not differences:
            self._decompresser(flux, entree)
        elif not differences and self._examinable(entree):
            self._examiner_debut(flux, entree)
        else:
            flux.sauter(entree.taille_compressee)
        if flux.position != entree.debut_donnees + entree.taille_compressee:
            self._tronque("les données s'arrêtent avant le répertoire central")
        if descripteur:
            self._lire_descripteur(flux, entree, limite, zip64_local)
        return True

    @staticmethod
    def _examinable(entree: Entree) -> bool:
        return (
            entree.methode in (METHODE_STOCKEE, METHODE_DEFLATE)
            and CodeProbleme.PIECE_CHIFFREE not in entree.codes
            and entree.taille > 0
            and entree.taille_compressee > 0
            and not entree.nom.endswith(("/", "\\"))
        )

    def _examiner_debut(self, flux: Flux, entree: Entree) -> None:
        """A member refused from its declared values (too big, ratio): only its first bytes
        are inflated, to say what it is (a nested archive, an executable…)."""
        tete = b""
        morceaux = flux.morceaux(entree.taille_compressee)
        premier = next(morceaux, None)
        if premier is not None:
            if entree.methode == METHODE_STOCKEE:
                tete = bytes(premier[:TETE])
            else:
                try:
                    tete = zlib.decompressobj(-15).decompress(premier[:MORCEAU_ENTREE], TETE)
                except zlib.error:
                    tete = b""
        for _ in morceaux:
            pass
        if tete:
            self._verifier_contenu(entree, tete, None)
