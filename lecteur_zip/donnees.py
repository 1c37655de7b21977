"""A member's data: bounded decompression (size, ratio), CRC, data descriptor, and the
content itself (signature, end marker: `lecteur_zip.contenu`)."""

from __future__ import annotations

import struct
import zlib

from lecteur_zip.contenu import QUEUE, TETE, juger_contenu
from lecteur_zip.modele import (
    CodeProbleme,
)
from lecteur_zip.repertoire import AnalyseRepertoire
from lecteur_zip.structures import (
    METHODE_STOCKEE,
    MORCEAU_ENTREE,
    MORCEAU_SORTIE,
    SIG_DESCRIPTEUR,
    Entree,
    Flux,
    mo,
    octets,
)


class AnalyseDonnees(AnalyseRepertoire):
    def _comparer(self, entree: Entree, ou: str, crc: int, taille_c: int, taille_u: int) -> None:
        if taille_c != entree.taille_compressee or taille_u != entree.taille:
            self._signaler_tailles(
                entree,
                f"le répertoire central annonce {octets(entree.taille)} "
                f"({octets(entree.taille_compressee)} compressés), {ou} "
                f"{octets(taille_u)} ({octets(taille_c)} compressés)",
            )
        if crc != entree.crc:
            entree.signaler(
                CodeProbleme.CRC_INCORRECT,
                f"La pièce « {entree.nom} » est endommagée : le CRC-32 annoncé par {ou} "
                f"({crc:08x}) diffère de celui du répertoire central ({entree.crc:08x}).",
            )

    def _lire_descripteur(self, flux: Flux, entree: Entree, limite: int, zip64_local: bool) -> None:
        """The data descriptor: optional signature, CRC, then sizes on 4 or 8 bytes. The
        ambiguous forms are told apart by the values they carry and where they end."""
        disponible = max(0, limite - flux.position)
        brut = flux.voir(min(24, disponible))
        candidats: list[tuple[tuple[bool, bool, bool], int, int, int, int]] = []
        for signe in (True, False):
            if signe and brut[:4] != SIG_DESCRIPTEUR:
                continue
            base = 4 if signe else 0
            for large in (False, True):
                longueur = base + (20 if large else 12)
                if len(brut) < longueur:
                    continue
                crc = struct.unpack_from("<L", brut, base)[0]
                fmt = "<2Q" if large else "<2L"
                taille_c, taille_u = struct.unpack_from(fmt, brut, base + 4)
                exact = (crc, taille_c, taille_u) == (
                    entree.crc,
                    entree.taille_compressee,
                    entree.taille,
                )
                score = (exact, longueur == disponible, large == zip64_local)
                candidats.append((score, longueur, crc, taille_c, taille_u))
        if not candidats:
            self._signaler_tailles(entree, "son descripteur de données est absent ou incomplet")
            return
        _, longueur, crc, taille_c, taille_u = max(candidats, key=lambda c: c[0])
        flux.sauter(longueur)
        self._comparer(entree, "le descripteur de données", crc, taille_c, taille_u)

    def _decompresser(self, flux: Flux, entree: Entree) -> None:
        limites = self.limites
        borne = min(limites.taille_membre, limites.taux_compression * entree.taille_compressee)
        crc = 0
        produit = 0
        tete = b""
        queue = b""
        arret: CodeProbleme | None = None
        restant = entree.taille_compressee
        fin_prematuree = False
        illisible = False

        def absorber(sortie: bytes | memoryview) -> None:
            nonlocal crc, produit, tete, queue
            if not sortie:
                return
            crc = zlib.crc32(sortie, crc)
            produit += len(sortie)
            if len(tete) < TETE:
                tete += bytes(sortie[: TETE - len(tete)])
            queue = (queue + bytes(sortie[-QUEUE:]))[-QUEUE:]

        if entree.methode == METHODE_STOCKEE:
            for vue in flux.morceaux(restant):
                restant -= len(vue)
                absorber(vue)
        else:
            decompresseur = zlib.decompressobj(-15)
            try:
                for vue in flux.morceaux(restant):
                    restant -= len(vue)
                    if arret or fin_prematuree:
                        continue
                    for i in range(0, len(vue), MORCEAU_ENTREE):
                        entree_z: bytes | memoryview = vue[i : i + MORCEAU_ENTREE]
                        while True:
                            maximum = min(MORCEAU_SORTIE, borne + 1 - produit)
                            sortie = decompresseur.decompress(entree_z, maximum)
                            absorber(sortie)
                            entree_z = decompresseur.unconsumed_tail
                            if produit > borne:
                                arret = (
                                    CodeProbleme.PIECE_TROP_VOLUMINEUSE
                                    if produit > limites.taille_membre
                                    else CodeProbleme.TAUX_COMPRESSION_EXCESSIF
                                )
                                break
                            if decompresseur.eof:
                                break
                            if not entree_z and len(sortie) < maximum:
                                break
                        if arret:
                            break
                        if decompresseur.eof:
                            if decompresseur.unused_data or i + MORCEAU_ENTREE < len(vue):
                                fin_prematuree = True
                            break
                    if decompresseur.eof and restant > 0:
                        fin_prematuree = True
            except zlib.error:
                illisible = True
                flux.sauter(restant)
            if not (arret or illisible or decompresseur.eof):
                self._signaler_tailles(
                    entree,
                    "ses données compressées se poursuivent au-delà de la taille compressée "
                    f"annoncée ({octets(entree.taille_compressee)})",
                )
                return
            if fin_prematuree:
                self._signaler_tailles(
                    entree,
                    "ses données compressées s'achèvent avant la taille compressée annoncée "
                    f"({octets(entree.taille_compressee)})",
                )
        if illisible:
            entree.signaler(
                CodeProbleme.PIECE_ILLISIBLE,
                f"La pièce « {entree.nom} » est illisible : ses données compressées sont "
                "invalides.",
            )
            return
        if arret is CodeProbleme.PIECE_TROP_VOLUMINEUSE:
            entree.signaler(
                arret,
                f"La pièce « {entree.nom} » dépasse {mo(limites.taille_membre)} une fois "
                f"décompressée (l'archive annonce {octets(entree.taille)}) : "
                f"{mo(limites.taille_membre)} au plus sont acceptés.",
            )
        elif arret is CodeProbleme.TAUX_COMPRESSION_EXCESSIF:
            self._signaler_taux(entree, produit, annonce=False)
        if arret:
            if produit > entree.taille:
                self._signaler_tailles(
                    entree,
                    f"le répertoire central annonce {octets(entree.taille)} mais la "
                    f"décompression en produit plus de {octets(produit - 1)}",
                )
            self._verifier_contenu(entree, tete, None)
            return
        if produit != entree.taille:
            self._signaler_tailles(
                entree,
                f"le répertoire central annonce {octets(entree.taille)} mais la "
                f"décompression en produit {octets(produit)}",
            )
        if crc != entree.crc:
            entree.signaler(
                CodeProbleme.CRC_INCORRECT,
                f"La pièce « {entree.nom} » est endommagée : son CRC-32 calculé ({crc:08x}) ne "
                f"correspond pas à celui annoncé par l'archive ({entree.crc:08x}).",
            )
        if produit == 0:
            entree.signaler(
                CodeProbleme.PIECE_VIDE,
                f"La pièce « {entree.nom} » est vide (0 octet) : un PDF, une image JPEG ou PNG "
                "non vide est attendu.",
            )
            return
        self._verifier_contenu(entree, tete, queue)

    def _verifier_contenu(self, entree: Entree, tete: bytes, queue: bytes | None) -> None:
        """Magic bytes and end markers (queue None: the end was not read)."""
        constat = juger_contenu(entree.nom, entree.type_attendu, tete, queue, dans_archive=True)
        if constat.defaut is not None and constat.message is not None:
            entree.signaler(CodeProbleme(constat.defaut.value), constat.message)
        entree.type_contenu = constat.type_contenu
