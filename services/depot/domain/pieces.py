"""The ZIP of pièces justificatives: every rule of format MS v1 §5, in bounded memory and time.

Why a hand-written reader and not `zipfile` alone:
- `zipfile` trusts the central directory: it never compares it with the local headers, the
  data descriptors or the real length of the deflate stream, so a central directory that
  lies about sizes goes unnoticed, and it does not see members whose data overlap (David
  Fifield's "better zip bomb": thousands of entries pointing at one kernel).
- It cannot bound the work per member: `testzip()` inflates every member to its end, so a
  bomb costs its full uncompressed size in time; here each member stops as soon as its
  output passes 3 MB or a 100:1 ratio (`zlib.decompressobj` with `max_length`).
- It needs a seekable file, hence the whole object downloaded from S3 (or held in memory);
  here the archive is read through `SourceAleatoire`: a few small ranged reads for the
  structure (end records, central directory), then ONE sequential pass over the data.

The module is pure (no boto3): the adapters provide the sources (local file, S3 object).
Layout of a ZIP: [local header + data (+ data descriptor)]* central directory
[ZIP64 end record + ZIP64 locator] end of central directory (EOCD) [comment].
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise
from typing import Protocol

MO = 1024 * 1024  # spec §5: sizes are binary, 1 MB = 1,048,576 bytes


@dataclass(frozen=True)
class Limites:
    taille_archive: int = 200 * MO
    nombre_membres: int = 2000
    taille_membre: int = 3 * MO
    taux_compression: int = 100  # uncompressed / compressed; more than this is refused
    longueur_nom: int = 100  # characters


LIMITES_MS_V1 = Limites()

EXTENSIONS = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
TYPES_MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


class SourceAleatoire(Protocol):
    """A byte source the check reads from: a local file, an S3 object, bytes in memory."""

    @property
    def taille(self) -> int: ...

    def lire(self, debut: int, longueur: int) -> bytes:
        """Bytes [debut, debut + longueur) (fewer only past the end). Structure pass."""
        ...

    def flux(self, debut: int, fin: int) -> Iterator[bytes]:
        """Bytes [debut, fin) in chunks, read sequentially once. Content pass."""
        ...


class SourceOctets:
    """An archive already in memory (tests, small uploads)."""

    def __init__(self, donnees: bytes, taille_bloc: int = MO) -> None:
        self._donnees = donnees
        self._taille_bloc = taille_bloc

    @property
    def taille(self) -> int:
        return len(self._donnees)

    def lire(self, debut: int, longueur: int) -> bytes:
        return self._donnees[debut : debut + longueur]

    def flux(self, debut: int, fin: int) -> Iterator[bytes]:
        for position in range(debut, fin, self._taille_bloc):
            yield self._donnees[position : min(fin, position + self._taille_bloc)]


class CodeProbleme(StrEnum):
    # The archive as a whole (fichier = None)
    ZIP_ILLISIBLE = "ZIP_ILLISIBLE"
    ZIP_TRONQUE = "ZIP_TRONQUE"
    ZIP_CORROMPU = "ZIP_CORROMPU"
    ZIP_TROP_VOLUMINEUX = "ZIP_TROP_VOLUMINEUX"
    TROP_DE_FICHIERS = "TROP_DE_FICHIERS"
    MEMBRES_SUPERPOSES = "MEMBRES_SUPERPOSES"
    # One member (fichier = its name)
    PIECE_TROP_VOLUMINEUSE = "PIECE_TROP_VOLUMINEUSE"
    TAUX_COMPRESSION_EXCESSIF = "TAUX_COMPRESSION_EXCESSIF"
    ARCHIVE_IMBRIQUEE = "ARCHIVE_IMBRIQUEE"
    PIECE_CHIFFREE = "PIECE_CHIFFREE"
    CRC_INCORRECT = "CRC_INCORRECT"
    TAILLE_INCOHERENTE = "TAILLE_INCOHERENTE"
    PIECE_ILLISIBLE = "PIECE_ILLISIBLE"
    NOM_TROP_LONG = "NOM_TROP_LONG"
    NOM_NON_UTF8 = "NOM_NON_UTF8"
    NOM_INVALIDE = "NOM_INVALIDE"
    CHEMIN_INTERDIT = "CHEMIN_INTERDIT"
    NOM_DUPLIQUE = "NOM_DUPLIQUE"
    EXTENSION_INTERDITE = "EXTENSION_INTERDITE"
    CONTENU_NON_CONFORME = "CONTENU_NON_CONFORME"
    PIECE_VIDE = "PIECE_VIDE"
    COMPRESSION_NON_PRISE_EN_CHARGE = "COMPRESSION_NON_PRISE_EN_CHARGE"
    # Reconciliation with the JSON (see reconciliation.py)
    PIECE_NON_REFERENCEE = "PIECE_NON_REFERENCEE"


@dataclass(frozen=True)
class ProblemePiece:
    """One entry of `erreursPieces`: `fichier` is None only when the archive as a whole is
    at fault."""

    fichier: str | None
    code: CodeProbleme
    message: str

    def en_dict(self) -> dict[str, str | None]:
        return {"fichier": self.fichier, "code": self.code.value, "message": self.message}


@dataclass(frozen=True)
class MembreArchive:
    """An accepted member: what the platform needs to copy it out of the archive later."""

    nom: str  # NFC-normalised
    taille: int  # uncompressed, bytes
    crc: int  # CRC-32, verified
    position: int  # offset of its local header in the archive
    debut_donnees: int  # offset of its (compressed) data
    taille_compressee: int
    methode: int  # 0 stored, 8 deflate
    type_contenu: str  # "pdf", "jpeg", "png"

    @property
    def type_mime(self) -> str:
        return TYPES_MIME[self.type_contenu]


@dataclass(frozen=True)
class ResultatArchive:
    membres: tuple[MembreArchive, ...]  # the members without any problem, in archive order
    problemes: tuple[ProblemePiece, ...]
    noms: tuple[str, ...]  # every member name read (NFC), problems or not
    inventaire_complet: bool  # False: the member list could not be read (unreadable ZIP…)
    taille: int  # bytes of the archive

    @property
    def accepte(self) -> bool:
        return not self.problemes

    def erreurs_pieces(self) -> list[dict[str, str | None]]:
        return [probleme.en_dict() for probleme in self.problemes]


class ExtractionImpossible(Exception):
    """The member no longer matches what the check saw (archive replaced, or corrupted)."""


# ---------------------------------------------------------------------------------------
# ZIP structures (APPNOTE.TXT 6.3.10)

SIG_LOCAL = b"PK\x03\x04"
SIG_CENTRAL = b"PK\x01\x02"
SIG_EOCD = b"PK\x05\x06"
SIG_ZIP64_EOCD = b"PK\x06\x06"
SIG_ZIP64_LOCATOR = b"PK\x06\x07"
SIG_DESCRIPTEUR = b"PK\x07\x08"

_LOCAL = struct.Struct("<4s5H3L2H")  # 30 bytes
_CENTRAL = struct.Struct("<4s6H3L5H2L")  # 46 bytes
_EOCD = struct.Struct("<4s4H2LH")  # 22 bytes
_ZIP64_LOCATOR = struct.Struct("<4sLQL")  # 20 bytes
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")  # 56 bytes

MAX16 = 0xFFFF
MAX32 = 0xFFFFFFFF
DRAPEAU_CHIFFRE = 0x0001
DRAPEAU_DESCRIPTEUR = 0x0008
DRAPEAU_DONNEES_PATCHEES = 0x0020
DRAPEAU_CHIFFREMENT_FORT = 0x0040
DRAPEAU_UTF8 = 0x0800
VERSION_MAX = 63  # "version needed to extract": 6.3, the last APPNOTE version
METHODE_STOCKEE = 0
METHODE_DEFLATE = 8
METHODE_AES = 99
_NOMS_METHODES = {
    1: "Shrink",
    6: "Implode",
    9: "Deflate64",
    12: "BZIP2",
    14: "LZMA",
    93: "Zstandard",
    95: "XZ",
    98: "PPMd",
}

TAILLE_FIN = 256 * 1024  # first read: EOCD (+ comment ≤ 64 KB) and, usually, the whole CD
BLOC_REPERTOIRE = 256 * 1024  # further ranged reads of a large central directory
MORCEAU_ENTREE = 64 * 1024  # deflate input fed per call (keeps unconsumed_tail small)
MORCEAU_SORTIE = 256 * 1024  # deflate output per call (max_length)
TETE = 16
QUEUE = 1024  # end markers are looked for in the last 1 KB
IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the empty IEND chunk with its CRC

_MAGIES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (SIG_LOCAL, "zip"),
    (SIG_EOCD, "zip"),
    (SIG_DESCRIPTEUR, "zip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"MZ", "exe-windows"),
    (b"\x7fELF", "exe-elf"),
    (b"\xfe\xed\xfa\xce", "exe-macho"),
    (b"\xfe\xed\xfa\xcf", "exe-macho"),
    (b"\xce\xfa\xed\xfe", "exe-macho"),
    (b"\xcf\xfa\xed\xfe", "exe-macho"),
    (b"\xca\xfe\xba\xbe", "exe-macho"),
    (b"#!", "script"),
    (b"GIF8", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_ARCHIVES = {"zip", "7z", "rar", "gzip", "bzip2", "xz"}
_LIBELLES = {
    "pdf": "un document PDF",
    "jpeg": "une image JPEG",
    "png": "une image PNG",
    "exe-windows": "un programme exécutable Windows (en-tête « MZ »)",
    "exe-elf": "un programme exécutable Linux (en-tête ELF)",
    "exe-macho": "un programme exécutable macOS (Mach-O)",
    "script": "un script exécutable (« #! »)",
    "gif": "une image GIF",
    "tiff": "une image TIFF",
}
_LIBELLES_ATTENDUS = {
    "pdf": "un PDF commençant par « %PDF- » et finissant par « %%EOF »",
    "jpeg": "une image JPEG commençant par FF D8 FF et finissant par FF D9",
    "png": "une image PNG commençant par la signature PNG et finissant par le bloc IEND",
}
_LECTEUR = re.compile(r"^[A-Za-z]:")


def detecter_type(tete: bytes) -> str | None:
    """The kind of content from its first bytes ("pdf", "zip", "exe-windows"…), or None."""
    for magie, nature in _MAGIES:
        if tete.startswith(magie):
            return nature
    return None


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _octets(n: int) -> str:
    return _nombre(n) + (" octet" if n < 2 else " octets")


def _mo(n: int) -> str:
    if n % MO == 0:
        return f"{n // MO} Mo"
    return f"{n / MO:.2f}".replace(".", ",") + " Mo"


# ---------------------------------------------------------------------------------------
# Sequential reading


class _Flux:
    """Sequential reader over chunks, with a known absolute position; never holds more than
    one chunk plus a header."""

    def __init__(self, morceaux: Iterator[bytes], debut: int) -> None:
        self._morceaux = morceaux
        self._tampon = b""
        self._i = 0
        self.position = debut

    def _disponible(self) -> int:
        return len(self._tampon) - self._i

    def _charger(self) -> bool:
        for morceau in self._morceaux:
            if morceau:
                if self._i < len(self._tampon):
                    self._tampon = self._tampon[self._i :] + morceau
                else:
                    self._tampon = bytes(morceau)
                self._i = 0
                return True
        return False

    def voir(self, n: int) -> bytes:
        while self._disponible() < n and self._charger():
            pass
        return self._tampon[self._i : self._i + n]

    def lire(self, n: int) -> bytes:
        donnees = self.voir(n)
        self._i += len(donnees)
        self.position += len(donnees)
        return donnees

    def morceaux(self, n: int) -> Iterator[memoryview]:
        """The next n bytes (fewer at the end) as views, without copying them together."""
        while n > 0:
            if self._disponible() == 0 and not self._charger():
                return
            k = min(n, self._disponible())
            vue = memoryview(self._tampon)[self._i : self._i + k]
            self._i += k
            self.position += k
            n -= k
            yield vue

    def sauter(self, n: int) -> int:
        return sum(len(vue) for vue in self.morceaux(n))

    def fermer(self) -> None:
        fermer = getattr(self._morceaux, "close", None)
        if fermer is not None:
            fermer()


# ---------------------------------------------------------------------------------------
# The check


@dataclass
class _Entree:
    """One central directory entry, and what the check learns about it."""

    index: int
    nom_brut: bytes  # at most 1 KB kept (longer names are refused anyway)
    longueur_nom_brut: int
    nom: str  # NFC, for display and matching (truncated when absurdly long)
    drapeaux: int
    methode: int
    crc: int
    taille_compressee: int
    taille: int
    position: int
    problemes: list[ProblemePiece] = field(default_factory=list)
    codes: set[CodeProbleme] = field(default_factory=set)
    type_attendu: str | None = None
    a_decompresser: bool = True  # False: refused already from its declared values
    debut_donnees: int = -1
    type_contenu: str | None = None
    doublon: bool = False  # NOM_DUPLIQUE is reported once, on the first of the copies

    def signaler(self, code: CodeProbleme, message: str) -> None:
        if code not in self.codes:
            self.codes.add(code)
            self.problemes.append(ProblemePiece(self.nom, code, message))

    @property
    def fin_minimale(self) -> int:
        return self.position + _LOCAL.size + self.longueur_nom_brut + self.taille_compressee


class _ArretAnalyse(Exception):
    """The archive cannot be read any further (the problem is already recorded)."""


def verifier_archive(source: SourceAleatoire, limites: Limites = LIMITES_MS_V1) -> ResultatArchive:
    """Check a ZIP of pièces against every rule of format MS v1 §5.

    Reads the end records and the central directory with a few ranged reads, then the
    members in ONE sequential pass. Memory stays bounded (a few chunks), whatever the input.
    Errors of the source itself (I/O, S3) propagate: they are not problems of the archive.
    """
    return _Analyse(source, limites).executer()


class _Analyse:
    def __init__(self, source: SourceAleatoire, limites: Limites) -> None:
        self.source = source
        self.limites = limites
        self.taille = source.taille
        self.problemes: list[ProblemePiece] = []
        self.entrees: list[_Entree] = []
        self.inventaire_complet = False
        self._cache = b""  # the last bytes of the archive (first read)
        self._cache_debut = self.taille
        self._debut_repertoire = 0

    def _refuser(self, code: CodeProbleme, message: str) -> None:
        self.problemes.append(ProblemePiece(None, code, message))

    def executer(self) -> ResultatArchive:
        try:
            self._lire_structure()
            if self._verifier_disposition():
                self._lire_contenus()
        except _ArretAnalyse:
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
        flux = _Flux(self._plage(debut, debut + longueur, sequentiel=False), debut)
        return flux.lire(longueur)

    # --- structure: end records and central directory ----------------------------------------

    def _lire_structure(self) -> None:
        if self.taille == 0:
            self._refuser(
                CodeProbleme.ZIP_ILLISIBLE,
                "Le fichier déposé est vide : une archive ZIP contenant les pièces "
                "justificatives est attendue.",
            )
            raise _ArretAnalyse
        if self.taille > self.limites.taille_archive:
            self._refuser(
                CodeProbleme.ZIP_TROP_VOLUMINEUX,
                f"L'archive ZIP pèse {_mo(self.taille)} ({_octets(self.taille)}) : "
                f"{_mo(self.limites.taille_archive)} au plus sont acceptés. Répartissez les "
                "pièces dans plusieurs archives.",
            )
            raise _ArretAnalyse
        n = min(self.taille, TAILLE_FIN)
        fin = self.source.lire(self.taille - n, n)
        if len(fin) != n:
            self._tronque("la lecture s'est arrêtée avant la fin annoncée du fichier")
        self._cache, self._cache_debut = fin, self.taille - n
        position_eocd = self._trouver_eocd()
        eocd = _EOCD.unpack_from(self._cache, position_eocd - self._cache_debut)
        _, disque, disque_rc, nb_disque, nb_total, taille_rc, debut_rc, _ = eocd
        fin_rc = position_eocd
        if position_eocd >= _ZIP64_LOCATOR.size:
            locator = self._lire(position_eocd - _ZIP64_LOCATOR.size, _ZIP64_LOCATOR.size)
            if locator[:4] == SIG_ZIP64_LOCATOR:
                valeurs = self._lire_zip64(position_eocd - _ZIP64_LOCATOR.size, locator)
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
                f"{_octets(fin_rc - debut_rc - taille_rc)} inconnus se trouvent entre le "
                "répertoire central et la fin de l'archive"
            )
        self._debut_repertoire = debut_rc
        self._lire_repertoire(debut_rc, taille_rc, nb_total)

    def _tronque(self, detail: str) -> None:
        self._refuser(
            CodeProbleme.ZIP_TRONQUE,
            f"L'archive ZIP est tronquée : {detail}. Le fichier a sans doute été coupé "
            "pendant l'envoi ; déposez de nouveau l'archive complète.",
        )
        raise _ArretAnalyse

    def _corrompu(self, detail: str) -> None:
        self._refuser(
            CodeProbleme.ZIP_CORROMPU,
            f"L'archive ZIP est corrompue : {detail}. Recréez l'archive avec un outil "
            "standard (fonction « Compresser » du système, 7-Zip…).",
        )
        raise _ArretAnalyse

    def _trop_de_fichiers(self, nombre: int) -> None:
        self._refuser(
            CodeProbleme.TROP_DE_FICHIERS,
            f"L'archive ZIP contient {_nombre(nombre)} fichiers : "
            f"{_nombre(self.limites.nombre_membres)} au plus sont acceptés. Répartissez les "
            "pièces dans plusieurs archives.",
        )
        raise _ArretAnalyse

    def _trouver_eocd(self) -> int:
        cache = self._cache
        plancher = max(0, len(cache) - _EOCD.size - MAX16)
        dernier = -1
        i = cache.rfind(SIG_EOCD, plancher)
        while i >= 0:
            if dernier < 0:
                dernier = i
            if i + _EOCD.size <= len(cache):
                longueur_commentaire = struct.unpack_from("<H", cache, i + 20)[0]
                if i + _EOCD.size + longueur_commentaire == len(cache):
                    return self._cache_debut + i
            i = cache.rfind(SIG_EOCD, plancher, i)
        debut = cache[:4] if self._cache_debut == 0 else self.source.lire(0, 4)
        if debut.startswith((SIG_LOCAL, SIG_DESCRIPTEUR, SIG_EOCD)):
            if dernier < 0:
                self._tronque("sa fin (le répertoire central, qui liste les fichiers) est absente")
            if dernier + _EOCD.size > len(cache) or (
                dernier + _EOCD.size + struct.unpack_from("<H", cache, dernier + 20)[0] > len(cache)
            ):
                self._tronque("l'enregistrement de fin d'archive est incomplet")
            self._corrompu("des données inconnues suivent l'enregistrement de fin d'archive")
        nature = detecter_type(debut)
        libelle = f" (c'est {_LIBELLES[nature]})" if nature in _LIBELLES else ""
        self._refuser(
            CodeProbleme.ZIP_ILLISIBLE,
            f"Le fichier déposé n'est pas une archive ZIP{libelle} : aucun répertoire central "
            "n'a été trouvé. Déposez une archive .zip contenant les pièces justificatives.",
        )
        raise _ArretAnalyse

    def _lire_zip64(self, position_locator: int, locator: bytes) -> tuple[int, ...]:
        _, disque_z64, position_z64, nb_disques = _ZIP64_LOCATOR.unpack(locator)
        if disque_z64 != 0 or nb_disques > 1:
            self._corrompu(
                "elle est fractionnée en plusieurs volumes, ce qui n'est pas pris en charge"
            )
        if position_z64 + _ZIP64_EOCD.size > position_locator:
            self._corrompu("l'enregistrement de fin ZIP64 est mal placé")
        enregistrement = self._lire(position_z64, _ZIP64_EOCD.size)
        if len(enregistrement) < _ZIP64_EOCD.size or enregistrement[:4] != SIG_ZIP64_EOCD:
            self._corrompu("l'enregistrement de fin ZIP64 est introuvable")
        champs = _ZIP64_EOCD.unpack(enregistrement)
        _, taille_enregistrement, _, _, disque, disque_rc, nb_disque, nb_total, taille_rc, debut = (
            champs
        )
        if position_z64 + 12 + taille_enregistrement != position_locator:
            self._corrompu("l'enregistrement de fin ZIP64 a une longueur incohérente")
        return disque, disque_rc, nb_disque, nb_total, taille_rc, debut, position_z64

    def _lire_repertoire(self, debut: int, taille: int, nombre: int) -> None:
        flux = _Flux(self._plage(debut, debut + taille, sequentiel=False), debut)
        fin = debut + taille
        for index in range(nombre):
            entete = flux.lire(_CENTRAL.size)
            if len(entete) < _CENTRAL.size:
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
            ) = _CENTRAL.unpack(entete)
            nom_brut = flux.lire(n_nom)
            extra = flux.lire(n_extra)
            flux.sauter(n_commentaire)
            if len(nom_brut) < n_nom or len(extra) < n_extra:
                self._corrompu("le répertoire central est incomplet")
            entree = self._nouvelle_entree(index, nom_brut, drapeaux, methode, crc)
            defaut = _defaut_format(version, drapeaux, extra)
            if defaut:
                entree.signaler(
                    CodeProbleme.PIECE_ILLISIBLE,
                    f"La pièce « {entree.nom} » est illisible : son entrée du répertoire "
                    f"central {defaut}.",
                )
                entree.a_decompresser = False
            try:
                taille_u, taille_c, position, disque = _valeurs_zip64(
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

    def _nouvelle_entree(
        self, index: int, nom_brut: bytes, drapeaux: int, methode: int, crc: int
    ) -> _Entree:
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
        entree = _Entree(
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

    def _verifier_nom(self, entree: _Entree, nom: str, longueur: int) -> None:
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
        elif _LECTEUR.match(nom):
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
        extension = nom.rsplit(".", 1)[1].lower() if "." in nom else ""
        entree.type_attendu = EXTENSIONS.get(extension)
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
                libelle = _NOMS_METHODES.get(entree.methode, "inconnue")
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
                    f"La pièce « {nom} » fait {_mo(entree.taille)} ({_octets(entree.taille)}) "
                    f"une fois décompressée : {_mo(limites.taille_membre)} au plus sont "
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
                    f"({_octets(entree.taille_compressee)}) diffère de sa taille "
                    f"({_octets(entree.taille)})",
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

    def _signaler_taux(self, entree: _Entree, produit: int, *, annonce: bool) -> None:
        maximum = self.limites.taux_compression
        compresses = _octets(entree.taille_compressee)
        if annonce and entree.taille_compressee:
            taux = produit / entree.taille_compressee
            texte = f"{taux:.1f}".replace(".", ",").removesuffix(",0")
            constat = (
                f"annonce un taux de compression de {texte}:1 ({_octets(produit)} pour "
                f"{compresses} compressés)"
            )
        elif annonce:
            constat = f"annonce {_octets(produit)} décompressés pour 0 octet compressé"
        else:
            constat = (
                f"dépasse le taux de compression de {maximum}:1 à la décompression (plus de "
                f"{_octets(produit - 1)} pour {compresses} compressés)"
            )
        entree.signaler(
            CodeProbleme.TAUX_COMPRESSION_EXCESSIF,
            f"La pièce « {entree.nom} » {constat} : {maximum}:1 au plus est accepté (protection "
            "contre les bombes de décompression).",
        )

    def _signaler_tailles(self, entree: _Entree, detail: str) -> None:
        entree.signaler(
            CodeProbleme.TAILLE_INCOHERENTE,
            f"La pièce « {entree.nom} » a des tailles incohérentes : {detail}. L'archive est "
            "endommagée ou a été falsifiée ; recréez-la.",
        )

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
                f"{_octets(ordre[0].position)} inconnus précèdent le premier fichier (archive "
                "auto-extractible ou fichier composite)"
            )
        superposes: list[tuple[_Entree, _Entree]] = []
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
                f"sa taille compressée annoncée ({_octets(derniere.taille_compressee)}) déborde "
                "sur le répertoire central",
            )
            derniere.a_decompresser = False
        return True

    def _signaler_superposition(self, a: _Entree, b: _Entree, nombre: int) -> None:
        autres = f" ({nombre} chevauchements au total)" if nombre > 1 else ""
        self._refuser(
            CodeProbleme.MEMBRES_SUPERPOSES,
            f"L'archive ZIP est refusée : les données des fichiers « {a.nom} » et « {b.nom} » "
            f"se chevauchent{autres}, technique caractéristique des bombes de décompression. "
            "Recréez l'archive avec un outil standard.",
        )

    # --- content: one sequential pass ----------------------------------------------------

    def _lire_contenus(self) -> None:
        ordre = sorted(self.entrees, key=lambda e: (e.position, e.index))
        lisibles = [e for e in ordre if e.fin_minimale <= self._debut_repertoire]
        if not lisibles:
            return
        flux = _Flux(self._plage(0, self._debut_repertoire, sequentiel=True), 0)
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

    def _lire_membre(self, flux: _Flux, entree: _Entree, limite: int) -> bool:
        """Read one member from its local header; False stops the pass."""
        nom = entree.nom
        entete = flux.lire(_LOCAL.size)
        if len(entete) < _LOCAL.size:
            self._tronque("les données s'arrêtent avant le répertoire central")
        if entete[:4] != SIG_LOCAL:
            entree.signaler(
                CodeProbleme.PIECE_ILLISIBLE,
                f"La pièce « {nom} » est illisible : son en-tête local est introuvable à la "
                "position indiquée par le répertoire central.",
            )
            return True
        (_, version, drapeaux, methode, _, _, crc, taille_c, taille_u, n_nom, n_extra) = (
            _LOCAL.unpack(entete)
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
        defaut = _defaut_format(version, drapeaux, extra)
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
                zip64_local, taille_u, taille_c = _tailles_zip64_locales(extra, taille_u, taille_c)
            except ValueError:
                entree.signaler(
                    CodeProbleme.PIECE_ILLISIBLE,
                    f"La pièce « {nom} » est illisible : son en-tête local a un champ ZIP64 "
                    "incomplet.",
                )
            self._comparer(entree, "l'en-tête local", crc, taille_c, taille_u)
        else:
            zip64_local = _a_extra_zip64(extra)
        if entree.debut_donnees + entree.taille_compressee > limite:
            if limite == self._debut_repertoire:
                self._signaler_tailles(
                    entree,
                    f"sa taille compressée annoncée ({_octets(entree.taille_compressee)}) "
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
    def _examinable(entree: _Entree) -> bool:
        return (
            entree.methode in (METHODE_STOCKEE, METHODE_DEFLATE)
            and CodeProbleme.PIECE_CHIFFREE not in entree.codes
            and entree.taille > 0
            and entree.taille_compressee > 0
            and not entree.nom.endswith(("/", "\\"))
        )

    def _examiner_debut(self, flux: _Flux, entree: _Entree) -> None:
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

    def _comparer(self, entree: _Entree, ou: str, crc: int, taille_c: int, taille_u: int) -> None:
        if taille_c != entree.taille_compressee or taille_u != entree.taille:
            self._signaler_tailles(
                entree,
                f"le répertoire central annonce {_octets(entree.taille)} "
                f"({_octets(entree.taille_compressee)} compressés), {ou} "
                f"{_octets(taille_u)} ({_octets(taille_c)} compressés)",
            )
        if crc != entree.crc:
            entree.signaler(
                CodeProbleme.CRC_INCORRECT,
                f"La pièce « {entree.nom} » est endommagée : le CRC-32 annoncé par {ou} "
                f"({crc:08x}) diffère de celui du répertoire central ({entree.crc:08x}).",
            )

    def _lire_descripteur(
        self, flux: _Flux, entree: _Entree, limite: int, zip64_local: bool
    ) -> None:
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

    def _decompresser(self, flux: _Flux, entree: _Entree) -> None:
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
                    f"annoncée ({_octets(entree.taille_compressee)})",
                )
                return
            if fin_prematuree:
                self._signaler_tailles(
                    entree,
                    "ses données compressées s'achèvent avant la taille compressée annoncée "
                    f"({_octets(entree.taille_compressee)})",
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
                f"La pièce « {entree.nom} » dépasse {_mo(limites.taille_membre)} une fois "
                f"décompressée (l'archive annonce {_octets(entree.taille)}) : "
                f"{_mo(limites.taille_membre)} au plus sont acceptés.",
            )
        elif arret is CodeProbleme.TAUX_COMPRESSION_EXCESSIF:
            self._signaler_taux(entree, produit, annonce=False)
        if arret:
            if produit > entree.taille:
                self._signaler_tailles(
                    entree,
                    f"le répertoire central annonce {_octets(entree.taille)} mais la "
                    f"décompression en produit plus de {_octets(produit - 1)}",
                )
            self._verifier_contenu(entree, tete, None)
            return
        if produit != entree.taille:
            self._signaler_tailles(
                entree,
                f"le répertoire central annonce {_octets(entree.taille)} mais la "
                f"décompression en produit {_octets(produit)}",
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

    def _verifier_contenu(self, entree: _Entree, tete: bytes, queue: bytes | None) -> None:
        """Magic bytes and end markers (queue None: the end was not read)."""
        nom = entree.nom
        nature = detecter_type(tete)
        if nature in _ARCHIVES or (queue is not None and SIG_EOCD in queue):
            quoi = (
                "est elle-même une archive"
                if nature in _ARCHIVES
                else "contient une archive ZIP cachée à la fin de son contenu"
            )
            entree.signaler(
                CodeProbleme.ARCHIVE_IMBRIQUEE,
                f"La pièce « {nom} » {quoi} : les archives imbriquées sont refusées. Placez "
                "directement les fichiers PDF, JPEG ou PNG dans l'archive déposée.",
            )
            return
        attendu = entree.type_attendu
        if attendu is None:
            return  # EXTENSION_INTERDITE already says it
        extension = nom.rsplit(".", 1)[1].lower()
        if nature != attendu:
            if nature in _LIBELLES:
                constat = f"son contenu est {_LIBELLES[nature]}"
            else:
                constat = "son contenu n'a pas la signature attendue"
            entree.signaler(
                CodeProbleme.CONTENU_NON_CONFORME,
                f"La pièce « {nom} » porte l'extension .{extension} mais {constat} : "
                f"{_LIBELLES_ATTENDUS[attendu]} est attendu.",
            )
            return
        if queue is None:
            return
        fin_correcte = {
            "pdf": b"%%EOF" in queue,
            "jpeg": b"\xff\xd9" in queue,
            "png": queue.endswith(IEND),
        }[attendu]
        if not fin_correcte:
            marque = {
                "pdf": "« %%EOF » dans son dernier kilo-octet",
                "jpeg": "le marqueur de fin FF D9 dans son dernier kilo-octet",
                "png": "le bloc IEND en dernier",
            }[attendu]
            entree.signaler(
                CodeProbleme.CONTENU_NON_CONFORME,
                f"La pièce « {nom} » est incomplète ou altérée : elle ne contient pas {marque}. "
                f"{_LIBELLES_ATTENDUS[attendu][0].upper()}{_LIBELLES_ATTENDUS[attendu][1:]} est "
                "attendu.",
            )
            return
        entree.type_contenu = attendu


def _defaut_format(version: int, drapeaux: int, extra: bytes) -> str | None:
    """What makes an entry unreadable by standard tools, whatever its method."""
    if version & 0xFF > VERSION_MAX:
        return (
            f"exige la version {(version & 0xFF) / 10:.1f} du format ZIP, que les outils "
            "courants ne savent pas lire"
        )
    if drapeaux & DRAPEAU_DONNEES_PATCHEES:
        return "contient des données « patchées » (format PKWARE propriétaire)"
    i = 0
    while i + 4 <= len(extra):
        longueur = struct.unpack_from("<H", extra, i + 2)[0]
        if i + 4 + longueur > len(extra):
            return "a un champ supplémentaire (« extra ») mal formé"
        i += 4 + longueur
    return None


def _valeurs_zip64(
    extra: bytes, taille_u: int, taille_c: int, position: int, disque: int
) -> tuple[int, int, int, int]:
    """Central directory: the ZIP64 extra field (0x0001) holds, in this order, the values
    whose 32-bit (16-bit for the disk) field is saturated."""
    besoins = [taille_u == MAX32, taille_c == MAX32, position == MAX32, disque == MAX16]
    if not any(besoins):
        return taille_u, taille_c, position, disque
    donnees = _champ_extra(extra, 0x0001)
    if donnees is None:
        raise ValueError("ZIP64 extra field missing")
    valeurs = [taille_u, taille_c, position, disque]
    curseur = 0
    for i, besoin in enumerate(besoins):
        if besoin:
            largeur = 4 if i == 3 else 8
            if curseur + largeur > len(donnees):
                raise ValueError("ZIP64 extra field too short")
            valeurs[i] = int.from_bytes(donnees[curseur : curseur + largeur], "little")
            curseur += largeur
    return valeurs[0], valeurs[1], valeurs[2], valeurs[3]


def _tailles_zip64_locales(extra: bytes, taille_u: int, taille_c: int) -> tuple[bool, int, int]:
    """Local header: when either size is saturated, the ZIP64 field holds both (8 + 8)."""
    if taille_u != MAX32 and taille_c != MAX32:
        return _a_extra_zip64(extra), taille_u, taille_c
    donnees = _champ_extra(extra, 0x0001)
    if donnees is None or len(donnees) < 16:
        raise ValueError("ZIP64 extra field missing")
    return True, int.from_bytes(donnees[:8], "little"), int.from_bytes(donnees[8:16], "little")


def _a_extra_zip64(extra: bytes) -> bool:
    return _champ_extra(extra, 0x0001) is not None


def _champ_extra(extra: bytes, identifiant: int) -> bytes | None:
    i = 0
    while i + 4 <= len(extra):
        ident, longueur = struct.unpack_from("<2H", extra, i)
        if ident == identifiant:
            return extra[i + 4 : i + 4 + longueur]
        i += 4 + longueur
    return None


# ---------------------------------------------------------------------------------------
# Copying an accepted member out


def extraire_membre(source: SourceAleatoire, membre: MembreArchive) -> bytes:
    """The content of an accepted member (≤ 3 MB), read again and verified (size, CRC-32).

    Raises ExtractionImpossible when the archive no longer holds what the check accepted.
    """
    debut = membre.debut_donnees
    flux = _Flux(source.flux(debut, debut + membre.taille_compressee), debut)
    morceaux: list[bytes] = []
    produit = 0
    try:
        if membre.methode == METHODE_STOCKEE:
            for vue in flux.morceaux(membre.taille_compressee):
                morceaux.append(bytes(vue))
                produit += len(vue)
        elif membre.methode == METHODE_DEFLATE:
            decompresseur = zlib.decompressobj(-15)
            for vue in flux.morceaux(membre.taille_compressee):
                donnees: bytes | memoryview = vue
                while donnees and produit <= membre.taille:
                    sortie = decompresseur.decompress(donnees, membre.taille + 1 - produit)
                    morceaux.append(sortie)
                    produit += len(sortie)
                    donnees = decompresseur.unconsumed_tail
                    if decompresseur.eof:
                        break
            if not decompresseur.eof:
                raise ExtractionImpossible(f"{membre.nom}: flux deflate incomplet")
        else:
            raise ExtractionImpossible(f"{membre.nom}: méthode {membre.methode}")
    except zlib.error as erreur:
        raise ExtractionImpossible(f"{membre.nom}: données compressées invalides") from erreur
    finally:
        flux.fermer()
    contenu = b"".join(morceaux)
    if len(contenu) != membre.taille or zlib.crc32(contenu) != membre.crc:
        raise ExtractionImpossible(f"{membre.nom}: taille ou CRC-32 différent de la vérification")
    return contenu
