"""The content of a pièce justificative (PDF, JPEG, PNG): its signature and end marker.

An extension proves nothing: an executable renamed to .pdf, an archive slipped behind
an image, a file cut off during upload show in its first and last bytes. These rules
judge the pièces of a dépôt's ZIP (format MS v1 §5) and the pièces sent alone
(enrolment): one implementation. Pure: bytes in, a finding out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

TETE = 16  # leading bytes to supply: the longest signature has 8
QUEUE = 1024  # end markers are looked for in the last kilobyte

EXTENSIONS = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
TYPES_MIME = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}

SIG_ZIP_FIN = b"PK\x05\x06"  # end of central directory: a ZIP hidden at the end of the content
IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # a PNG's empty IEND chunk, with its CRC

_MAGIES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "zip"),
    (SIG_ZIP_FIN, "zip"),
    (b"PK\x07\x08", "zip"),
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
ARCHIVES = frozenset({"zip", "7z", "rar", "gzip", "bzip2", "xz"})
LIBELLES = {
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
LIBELLES_ATTENDUS = {
    "pdf": "un PDF commençant par « %PDF- » et finissant par « %%EOF »",
    "jpeg": "une image JPEG commençant par FF D8 FF et finissant par FF D9",
    "png": "une image PNG commençant par la signature PNG et finissant par le bloc IEND",
}
_MARQUES_FIN = {
    "pdf": "« %%EOF » dans son dernier kilo-octet",
    "jpeg": "le marqueur de fin FF D9 dans son dernier kilo-octet",
    "png": "le bloc IEND en dernier",
}


class DefautContenu(StrEnum):
    ARCHIVE_IMBRIQUEE = "ARCHIVE_IMBRIQUEE"
    CONTENU_NON_CONFORME = "CONTENU_NON_CONFORME"


@dataclass(frozen=True)
class Constat:
    """`type_contenu` ("pdf", "jpeg", "png") when the content is the extension's, head
    and end checked; `defaut` and `message` (in French) when it is not. Both None:
    nothing to object to, but the end was not read (or the extension is already refused)."""

    type_contenu: str | None = None
    defaut: DefautContenu | None = None
    message: str | None = None


def detecter_type(tete: bytes) -> str | None:
    """The kind of a content from its first bytes ("pdf", "zip", "exe-windows"…)."""
    for magie, nature in _MAGIES:
        if tete.startswith(magie):
            return nature
    return None


def extension(nom: str) -> str:
    """The extension in lower case, without the dot ("" without an extension)."""
    return nom.rsplit(".", 1)[1].lower() if "." in nom else ""


def type_attendu(nom: str) -> str | None:
    """The content the name's extension promises ("pdf", "jpeg", "png"), or None if it is
    refused."""
    return EXTENSIONS.get(extension(nom))


def fin_correcte(attendu: str, queue: bytes) -> bool:
    if attendu == "pdf":
        return b"%%EOF" in queue
    if attendu == "jpeg":
        return b"\xff\xd9" in queue
    return queue.endswith(IEND)


def juger_contenu(
    nom: str, attendu: str | None, tete: bytes, queue: bytes | None, *, dans_archive: bool = False
) -> Constat:
    """Judges a content from its first `TETE` bytes and its last `QUEUE` (queue None: the
    end was not read). `attendu`: `type_attendu(nom)` (None: extension refused).
    `dans_archive`: the pièce comes from a ZIP (the advice is not the same)."""
    nature = detecter_type(tete)
    if nature in ARCHIVES or (queue is not None and SIG_ZIP_FIN in queue):
        quoi = (
            "est elle-même une archive"
            if nature in ARCHIVES
            else "contient une archive ZIP cachée à la fin de son contenu"
        )
        conseil = (
            "les archives imbriquées sont refusées. Placez directement les fichiers PDF, JPEG "
            "ou PNG dans l'archive déposée."
            if dans_archive
            else "les archives sont refusées. Envoyez directement un PDF, une image JPEG ou PNG."
        )
        return Constat(
            defaut=DefautContenu.ARCHIVE_IMBRIQUEE, message=f"La pièce « {nom} » {quoi} : {conseil}"
        )
    if attendu is None:
        return Constat()  # the extension itself is refused: that is the error to report
    if nature != attendu:
        if nature in LIBELLES:
            constat = f"son contenu est {LIBELLES[nature]}"
        else:
            constat = "son contenu n'a pas la signature attendue"
        return Constat(
            defaut=DefautContenu.CONTENU_NON_CONFORME,
            message=f"La pièce « {nom} » porte l'extension .{extension(nom)} mais {constat} : "
            f"{LIBELLES_ATTENDUS[attendu]} est attendu.",
        )
    if queue is None:
        return Constat()
    if not fin_correcte(attendu, queue):
        libelle = LIBELLES_ATTENDUS[attendu]
        return Constat(
            defaut=DefautContenu.CONTENU_NON_CONFORME,
            message=f"La pièce « {nom} » est incomplète ou altérée : elle ne contient pas "
            f"{_MARQUES_FIN[attendu]}. {libelle[0].upper()}{libelle[1:]} est attendu.",
        )
    return Constat(type_contenu=attendu)


def verifier_contenu(extension_fichier: str, contenu: bytes) -> str | None:
    """A whole file sent alone (enrolment): None if it is of the type its extension
    announces, otherwise what is wrong and what is expected, in French (a sentence that
    starts in lower case, to be placed after the document's name)."""
    attendu = EXTENSIONS.get(extension_fichier.lower())
    if attendu is None:
        return "seuls les fichiers .png, .jpg, .jpeg ou .pdf sont acceptés."
    libelle = LIBELLES_ATTENDUS[attendu]
    constat = juger_contenu(
        f"fichier.{extension_fichier}", attendu, contenu[:TETE], contenu[-QUEUE:]
    )
    if constat.defaut is DefautContenu.ARCHIVE_IMBRIQUEE:
        return f"le fichier est une archive ou en contient une : {libelle} est attendu."
    if constat.defaut is DefautContenu.CONTENU_NON_CONFORME:
        nature = detecter_type(contenu[:TETE])
        if nature != attendu:
            quoi = (
                f"est {LIBELLES[nature]}" if nature in LIBELLES else "n'a pas la signature attendue"
            )
            return f"le contenu du fichier .{extension_fichier} {quoi} : {libelle} est attendu."
        return (
            f"le fichier est incomplet ou altéré (marqueur de fin absent) : {libelle} est attendu."
        )
    return None
