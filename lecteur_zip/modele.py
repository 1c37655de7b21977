"""What checking a ZIP of pièces justificatives returns (problems, accepted members),
its limits (format MS v1 §5) and the byte sources it reads.

The check itself is `lecteur_zip.analyse`; each pièce's content (signature, end marker)
is judged by `lecteur_zip.contenu`, shared with the enrolment.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from lecteur_zip.contenu import TYPES_MIME

MO = 1024 * 1024  # spec §5: sizes are binary, 1 MB = 1,048,576 bytes


@dataclass(frozen=True)
class Limites:
    taille_archive: int = 200 * MO
    nombre_membres: int = 2000
    taille_membre: int = 3 * MO
    taux_compression: int = 100  # uncompressed / compressed; more than this is refused
    longueur_nom: int = 100  # characters


LIMITES_MS_V1 = Limites()


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
