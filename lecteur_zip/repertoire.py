"""The archive's structure: end records (ZIP64 included), central directory, and the
layout of the members (overlaps)."""

from __future__ import annotations

import struct
from itertools import pairwise

from lecteur_zip.contenu import LIBELLES, detecter_type
from lecteur_zip.entrees import AnalyseEntrees
from lecteur_zip.modele import (
    CodeProbleme,
)
from lecteur_zip.structures import (
    CENTRAL,
    EOCD,
    MAX16,
    SIG_CENTRAL,
    SIG_DESCRIPTEUR,
    SIG_EOCD,
    SIG_LOCAL,
    SIG_ZIP64_EOCD,
    SIG_ZIP64_LOCATOR,
    TAILLE_FIN,
    ZIP64_EOCD,
    ZIP64_LOCATOR,
    ArretAnalyse,
    Entree,
    Flux,
    defaut_format,
    mo,
    octets,
    valeurs_zip64,
)


class AnalyseRepertoire(AnalyseEntrees):
    # --- structure: end records and central directory ----------------------------------------

    def _lire_structure(self) -> None:
        if self.taille == 0:
            self._refuser(
                CodeProbleme.ZIP_ILLISIBLE,
                "Le fichier déposé est vide : une archive ZIP contenant les pièces "
                "justificatives est attendue.",
            )
            raise ArretAnalyse
        if self.taille > self.limites.taille_archive:
            self._refuser(
                CodeProbleme.ZIP_TROP_VOLUMINEUX,
                f"L'archive ZIP pèse {mo(self.taille)} ({octets(self.taille)}) : "
                f"{mo(self.limites.taille_archive)} au plus sont acceptés. Répartissez les "
                "pièces dans plusieurs archives.",
            )
            raise ArretAnalyse
        n = min(self.taille, TAILLE_FIN)
        fin = self.source.lire(self.taille - n, n)
        if len(fin) != n:
            self._tronque("la lecture s'est arrêtée avant la fin annoncée du fichier")
        self._cache, self._cache_debut = fin, self.taille - n
        position_eocd = self._trouver_eocd()
        eocd = EOCD.unpack_from(self._cache, position_eocd - self._cache_debut)
        _, disque, disque_rc, nb_disque, nb_total, taille_rc, debut_rc, _ = eocd
        fin_rc = position_eocd
        if position_eocd >= ZIP64_LOCATOR.size:
            locator = self._lire(position_eocd - ZIP64_LOCATOR.size, ZIP64_LOCATOR.size)
            if locator[:4] == SIG_ZIP64_LOCATOR:
                valeurs = self._lire_zip64(position_eocd - ZIP64_LOCATOR.size, locator)
                disque, disque_rc, nb_disque, nb_total, taille_rc, debut_rc, fin_rc = valeurs
        if disque != 0 or disque_rc != 0 or nb_disque != nb_total:
            self._corrompu(
                "elle est fractionnée en plusieurs volumes, ce qui n'est pas pris en charge"
            )
        if nb_total > self.limites.nombre_membres:
            self._trop_de_fichiers(nb_total)
        if debut_rc + taille_rc > fin_rc:
            self._tronque(
                "le répertoire central annoncé commence avant le début du fichier reçu (le "
                "début de l'archive manque, ou son enregistrement de fin est erroné)"
            )
        if debut_rc + taille_rc < fin_rc:
            self._corrompu(
                f"{octets(fin_rc - debut_rc - taille_rc)} inconnus se trouvent entre le "
                "répertoire central et la fin de l'archive"
            )
        self._debut_repertoire = debut_rc
        self._lire_repertoire(debut_rc, taille_rc, nb_total)

    def _trouver_eocd(self) -> int:
        cache = self._cache
        plancher = max(0, len(cache) - EOCD.size - MAX16)
        dernier = -1
        i = cache.rfind(SIG_EOCD, plancher)
        while i >= 0:
            if dernier < 0:
                dernier = i
            if i + EOCD.size <= len(cache):
                longueur_commentaire = struct.unpack_from("<H", cache, i + 20)[0]
                if i + EOCD.size + longueur_commentaire == len(cache):
                    return self._cache_debut + i
            i = cache.rfind(SIG_EOCD, plancher, i)
        debut = cache[:4] if self._cache_debut == 0 else self.source.lire(0, 4)
        if debut.startswith((SIG_LOCAL, SIG_DESCRIPTEUR, SIG_EOCD)):
            if dernier < 0:
                self._tronque("sa fin (le répertoire central, qui liste les fichiers) est absente")
            if dernier + EOCD.size > len(cache) or (
                dernier + EOCD.size + struct.unpack_from("<H", cache, dernier + 20)[0] > len(cache)
            ):
                self._tronque("l'enregistrement de fin d'archive est incomplet")
            self._corrompu("des données inconnues suivent l'enregistrement de fin d'archive")
        nature = detecter_type(debut)
        libelle = f" (c'est {LIBELLES[nature]})" if nature in LIBELLES else ""
        self._refuser(
            CodeProbleme.ZIP_ILLISIBLE,
            f"Le fichier déposé n'est pas une archive ZIP{libelle} : aucun répertoire central "
            "n'a été trouvé. Déposez une archive .zip contenant les pièces justificatives.",
        )
        raise ArretAnalyse

    def _lire_zip64(self, position_locator: int, locator: bytes) -> tuple[int, ...]:
        _, disque_z64, position_z64, nb_disques = ZIP64_LOCATOR.unpack(locator)
        if disque_z64 != 0 or nb_disques > 1:
            self._corrompu(
                "elle est fractionnée en plusieurs volumes, ce qui n'est pas pris en charge"
            )
        if position_z64 + ZIP64_EOCD.size > position_locator:
            self._corrompu("l'enregistrement de fin ZIP64 est mal placé")
        enregistrement = self._lire(position_z64, ZIP64_EOCD.size)
        if len(enregistrement) < ZIP64_EOCD.size or enregistrement[:4] != SIG_ZIP64_EOCD:
            self._corrompu("l'enregistrement de fin ZIP64 est introuvable")
        champs = ZIP64_EOCD.unpack(enregistrement)
        _, taille_enregistrement, _, _, disque, disque_rc, nb_disque, nb_total, taille_rc, debut = (
            champs
        )
        if position_z64 + 12 + taille_enregistrement != position_locator:
            self._corrompu("l'enregistrement de fin ZIP64 a une longueur incohérente")
        return disque, disque_rc, nb_disque, nb_total, taille_rc, debut, position_z64

    def _lire_repertoire(self, debut: int, taille: int, nombre: int) -> None:
        flux = Flux(self._plage(debut, debut + taille, sequentiel=False), debut)
        fin = debut + taille
        for index in range(nombre):
            entete = flux.lire(CENTRAL.size)
            if len(entete) < CENTRAL.size:
                self._corrompu("le répertoire central est incomplet")
            if entete[:4] != SIG_CENTRAL:
                self._corrompu(f"l'entrée n° {index + 1} du répertoire central est invalide")
            (
                _,
                _,
                version,
                drapeaux,
                methode,
                _,
                _,
                crc,
                taille_c,
                taille_u,
                n_nom,
                n_extra,
                n_commentaire,
                disque,
                _,
                _,
                position,
            ) = CENTRAL.unpack(entete)
            nom_brut = flux.lire(n_nom)
            extra = flux.lire(n_extra)
            flux.sauter(n_commentaire)
            if len(nom_brut) < n_nom or len(extra) < n_extra:
                self._corrompu("le répertoire central est incomplet")
            entree = self._nouvelle_entree(index, nom_brut, drapeaux, methode, crc)
            defaut = defaut_format(version, drapeaux, extra)
            if defaut:
                entree.signaler(
                    CodeProbleme.PIECE_ILLISIBLE,
                    f"La pièce « {entree.nom} » est illisible : son entrée du répertoire "
                    f"central {defaut}.",
                )
                entree.a_decompresser = False
            try:
                taille_u, taille_c, position, disque = valeurs_zip64(
                    extra, taille_u, taille_c, position, disque
                )
            except ValueError:
                entree.signaler(
                    CodeProbleme.PIECE_ILLISIBLE,
                    f"La pièce « {entree.nom} » est illisible : son entrée du répertoire "
                    "central a un champ ZIP64 incomplet.",
                )
                entree.a_decompresser = False
            entree.taille, entree.taille_compressee, entree.position = taille_u, taille_c, position
            if disque != 0:
                self._corrompu("elle est fractionnée en plusieurs volumes")
            self.entrees.append(entree)
        if flux.position != fin or flux.voir(1):
            self._corrompu(
                "le nombre de fichiers annoncé en fin d'archive ne correspond pas au "
                "répertoire central"
            )
        self.inventaire_complet = True
        self._verifier_entrees()

    # --- disposition: where the members lie ----------------------------------------------

    def _verifier_disposition(self) -> bool:
        """False when the members cannot be read one after the other (overlap)."""
        ordre = sorted(self.entrees, key=lambda e: (e.position, e.index))
        if not ordre:
            if self._debut_repertoire != 0:
                self._corrompu(
                    "des données inconnues précèdent le répertoire central d'une archive "
                    "sans fichier"
                )
            return True
        if ordre[0].position != 0:
            self._corrompu(
                f"{octets(ordre[0].position)} inconnus précèdent le premier fichier (archive "
                "auto-extractible ou fichier composite)"
            )
        superposes: list[tuple[Entree, Entree]] = []
        for precedente, suivante in pairwise(ordre):
            if suivante.position < precedente.fin_minimale:
                superposes.append((precedente, suivante))
        if superposes:
            self._signaler_superposition(superposes[0][0], superposes[0][1], len(superposes))
            return False
        derniere = ordre[-1]
        if derniere.fin_minimale > self._debut_repertoire:
            self._signaler_tailles(
                derniere,
                f"sa taille compressée annoncée ({octets(derniere.taille_compressee)}) déborde "
                "sur le répertoire central",
            )
            derniere.a_decompresser = False
        return True
