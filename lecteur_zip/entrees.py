"""The central directory's entries: names (encoding, paths, extension) and declared values
(encryption, method, sizes, ratio, duplicates). No data is read here."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from lecteur_zip.base import AnalyseBase
from lecteur_zip.contenu import extension as extension_de
from lecteur_zip.contenu import (
    type_attendu,
)
from lecteur_zip.modele import (
    CodeProbleme,
)
from lecteur_zip.structures import (
    DRAPEAU_CHIFFRE,
    DRAPEAU_CHIFFREMENT_FORT,
    DRAPEAU_UTF8,
    METHODE_AES,
    METHODE_DEFLATE,
    METHODE_STOCKEE,
    NOMS_METHODES,
    Entree,
    mo,
    octets,
)

LECTEUR = re.compile(r"^[A-Za-z]:")


class AnalyseEntrees(AnalyseBase):
    def _nouvelle_entree(
        self, index: int, nom_brut: bytes, drapeaux: int, methode: int, crc: int
    ) -> Entree:
        utf8 = bool(drapeaux & DRAPEAU_UTF8)
        non_utf8: str | None = None
        if utf8:
            try:
                nom = nom_brut.decode("utf-8")
            except UnicodeDecodeError:
                nom = nom_brut.decode("utf-8", "replace")
                non_utf8 = "est signalé comme UTF-8 mais n'est pas de l'UTF-8 valide"
        elif nom_brut.isascii():
            nom = nom_brut.decode("ascii")
        else:
            nom = nom_brut.decode("cp437")
            non_utf8 = (
                "contient des caractères non ASCII sans être signalé comme UTF-8 : son "
                "encodage ne peut pas être connu"
            )
        nom = unicodedata.normalize("NFC", nom)
        longueur = len(nom)
        affiche = nom if longueur <= 4 * self.limites.longueur_nom else nom[:200] + "…"
        entree = Entree(
            index=index,
            nom_brut=nom_brut[:1024],
            longueur_nom_brut=len(nom_brut),
            nom=affiche,
            drapeaux=drapeaux,
            methode=methode,
            crc=crc,
            taille_compressee=0,
            taille=0,
            position=0,
        )
        if non_utf8:
            entree.signaler(
                CodeProbleme.NOM_NON_UTF8,
                f"Le nom de la pièce « {affiche} » {non_utf8}. Recréez l'archive avec un outil "
                "qui enregistre les noms en UTF-8, ou renommez la pièce sans accents.",
            )
        self._verifier_nom(entree, nom, longueur)
        return entree

    def _verifier_nom(self, entree: Entree, nom: str, longueur: int) -> None:
        affiche = entree.nom
        if longueur > self.limites.longueur_nom:
            entree.signaler(
                CodeProbleme.NOM_TROP_LONG,
                f"Le nom de la pièce « {affiche} » compte {longueur} caractères : "
                f"{self.limites.longueur_nom} au plus sont acceptés. Raccourcissez-le (et le "
                "nomFichier correspondant du fichier JSON).",
            )
        if not nom:
            entree.signaler(
                CodeProbleme.NOM_INVALIDE,
                "Un fichier de l'archive n'a pas de nom : chaque pièce doit porter le nom "
                "indiqué dans le nomFichier de sa demande.",
            )
            return
        if any(ord(c) < 0x20 or ord(c) == 0x7F for c in nom):
            entree.signaler(
                CodeProbleme.NOM_INVALIDE,
                f"Le nom de la pièce « {affiche} » contient des caractères de contrôle "
                "(invisibles) : seuls des caractères imprimables sont acceptés.",
            )
        raison: str | None = None
        composants = re.split(r"[/\\]", nom)
        if nom.endswith(("/", "\\")):
            raison = "c'est un dossier"
        elif nom.startswith(("/", "\\")):
            raison = "c'est un chemin absolu"
        elif LECTEUR.match(nom):
            raison = "il commence par une lettre de lecteur (« C: »)"
        elif ".." in composants:
            raison = "il remonte dans l'arborescence (« .. »)"
        elif nom in (".", ".."):
            raison = "« . » et « .. » sont des noms réservés"
        elif len(composants) > 1:
            raison = "il contient un dossier (« / » ou « \\ »)"
        elif ":" in nom:
            raison = "il contient « : », interdit dans un nom de fichier"
        if raison:
            entree.signaler(
                CodeProbleme.CHEMIN_INTERDIT,
                f"Le nom de la pièce « {affiche} » est refusé : {raison}. Les pièces doivent "
                "être placées à la racine de l'archive, sans dossier ni chemin.",
            )
        if nom.endswith(("/", "\\")):
            entree.a_decompresser = False
            return
        extension = extension_de(nom)
        entree.type_attendu = type_attendu(nom)
        if entree.type_attendu is None:
            montree = f"a l'extension « .{extension} »" if extension else "n'a pas d'extension"
            entree.signaler(
                CodeProbleme.EXTENSION_INTERDITE,
                f"La pièce « {affiche} » {montree} : seules les extensions .pdf, .jpg, "
                ".jpeg et .png sont acceptées.",
            )

    def _verifier_entrees(self) -> None:
        """Rules that the central directory alone decides (declared values, duplicates)."""
        limites = self.limites
        for entree in self.entrees:
            nom = entree.nom
            if nom.endswith(("/", "\\")):
                continue
            if entree.drapeaux & (DRAPEAU_CHIFFRE | DRAPEAU_CHIFFREMENT_FORT) or (
                entree.methode == METHODE_AES
            ):
                entree.signaler(
                    CodeProbleme.PIECE_CHIFFREE,
                    f"La pièce « {nom} » est chiffrée (protégée par un mot de passe) : les "
                    "pièces doivent être déposées sans chiffrement.",
                )
                entree.a_decompresser = False
            elif entree.methode not in (METHODE_STOCKEE, METHODE_DEFLATE):
                libelle = NOMS_METHODES.get(entree.methode, "inconnue")
                entree.signaler(
                    CodeProbleme.COMPRESSION_NON_PRISE_EN_CHARGE,
                    f"La pièce « {nom} » est compressée avec la méthode {libelle} (n° "
                    f"{entree.methode}) : seules les méthodes « stockée » (sans compression) "
                    "et « Deflate » (la méthode standard) sont acceptées.",
                )
                entree.a_decompresser = False
            if entree.taille == 0:
                entree.signaler(
                    CodeProbleme.PIECE_VIDE,
                    f"La pièce « {nom} » est vide (0 octet) : un PDF, une image JPEG ou PNG "
                    "non vide est attendu.",
                )
                entree.a_decompresser = False
            elif entree.taille > limites.taille_membre:
                entree.signaler(
                    CodeProbleme.PIECE_TROP_VOLUMINEUSE,
                    f"La pièce « {nom} » fait {mo(entree.taille)} ({octets(entree.taille)}) "
                    f"une fois décompressée : {mo(limites.taille_membre)} au plus sont "
                    "acceptés.",
                )
                entree.a_decompresser = False
            if entree.taille > limites.taux_compression * entree.taille_compressee:
                self._signaler_taux(entree, entree.taille, annonce=True)
                entree.a_decompresser = False
            chiffree = CodeProbleme.PIECE_CHIFFREE in entree.codes
            if (
                entree.methode == METHODE_STOCKEE
                and not chiffree
                and entree.taille != entree.taille_compressee
            ):
                self._signaler_tailles(
                    entree,
                    f"elle est stockée sans compression mais sa taille compressée "
                    f"({octets(entree.taille_compressee)}) diffère de sa taille "
                    f"({octets(entree.taille)})",
                )
                entree.a_decompresser = False
        compte = Counter(entree.nom for entree in self.entrees)
        signales: set[str] = set()
        for entree in self.entrees:
            n = compte[entree.nom]
            if n > 1:
                entree.doublon = True
                if entree.nom not in signales:
                    signales.add(entree.nom)
                    entree.signaler(
                        CodeProbleme.NOM_DUPLIQUE,
                        f"La pièce « {entree.nom} » figure {n} fois dans l'archive : chaque "
                        "nom doit être unique.",
                    )
