"""The structures of the ZIP format (APPNOTE.TXT 6.3.10), the sequential read by chunks
and the extra fields (ZIP64)."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from lecteur_zip.modele import (
    MO,
    CodeProbleme,
    ProblemePiece,
)

# ---------------------------------------------------------------------------------------
# ZIP structures (APPNOTE.TXT 6.3.10)

SIG_LOCAL = b"PK\x03\x04"
SIG_CENTRAL = b"PK\x01\x02"
SIG_EOCD = b"PK\x05\x06"
SIG_ZIP64_EOCD = b"PK\x06\x06"
SIG_ZIP64_LOCATOR = b"PK\x06\x07"
SIG_DESCRIPTEUR = b"PK\x07\x08"

LOCAL = struct.Struct("<4s5H3L2H")  # 30 bytes
CENTRAL = struct.Struct("<4s6H3L5H2L")  # 46 bytes
EOCD = struct.Struct("<4s4H2LH")  # 22 bytes
ZIP64_LOCATOR = struct.Struct("<4sLQL")  # 20 bytes
ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")  # 56 bytes

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
NOMS_METHODES = {
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


def en_chiffres(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def octets(n: int) -> str:
    return en_chiffres(n) + (" octet" if n < 2 else " octets")


def mo(n: int) -> str:
    if n % MO == 0:
        return f"{n // MO} Mo"
    return f"{n / MO:.2f}".replace(".", ",") + " Mo"


# ---------------------------------------------------------------------------------------
# Sequential reading


class Flux:
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
class Entree:
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
        return self.position + LOCAL.size + self.longueur_nom_brut + self.taille_compressee


class ArretAnalyse(Exception):
    """The archive cannot be read any further (the problem is already recorded)."""


def defaut_format(version: int, drapeaux: int, extra: bytes) -> str | None:
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


def valeurs_zip64(
    extra: bytes, taille_u: int, taille_c: int, position: int, disque: int
) -> tuple[int, int, int, int]:
    """Central directory: the ZIP64 extra field (0x0001) holds, in this order, the values
    whose 32-bit (16-bit for the disk) field is saturated."""
    besoins = [taille_u == MAX32, taille_c == MAX32, position == MAX32, disque == MAX16]
    if not any(besoins):
        return taille_u, taille_c, position, disque
    donnees = champ_extra(extra, 0x0001)
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


def tailles_zip64_locales(extra: bytes, taille_u: int, taille_c: int) -> tuple[bool, int, int]:
    """Local header: when either size is saturated, the ZIP64 field holds both (8 + 8)."""
    if taille_u != MAX32 and taille_c != MAX32:
        return a_extra_zip64(extra), taille_u, taille_c
    donnees = champ_extra(extra, 0x0001)
    if donnees is None or len(donnees) < 16:
        raise ValueError("ZIP64 extra field missing")
    return True, int.from_bytes(donnees[:8], "little"), int.from_bytes(donnees[8:16], "little")


def a_extra_zip64(extra: bytes) -> bool:
    return champ_extra(extra, 0x0001) is not None


def champ_extra(extra: bytes, identifiant: int) -> bytes | None:
    i = 0
    while i + 4 <= len(extra):
        ident, longueur = struct.unpack_from("<2H", extra, i)
        if ident == identifiant:
            return extra[i + 4 : i + 4 + longueur]
        i += 4 + longueur
    return None
