"""Archives built in code for the ZIP tests: valid pièces, and a corpus of hostile archives.

`construire()` writes the ZIP structures byte by byte (APPNOTE 6.3.10), so that every
field can be made to lie. Valid archives are also checked against `zipfile` in the tests,
to make sure this writer produces standard archives.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import dataclass

from PIL import Image

DATE_DOS = ((2024 - 1980) << 9) | (2 << 5) | 1  # 2024-02-01
HEURE_DOS = 12 << 11
MAX32 = 0xFFFFFFFF
MAX16 = 0xFFFF


# --- valid contents -----------------------------------------------------------------------


def pdf(texte: str = "Devis", remplissage: bytes = b"") -> bytes:
    """A small well-formed PDF (xref offsets right), with optional bytes in a stream."""
    flux = b"BT /F1 12 Tf 72 720 Td (" + texte.encode("latin-1") + b") Tj ET\n" + remplissage
    objets = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(flux)).encode() + b" >>\nstream\n" + flux + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    sortie = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    positions = []
    for numero, objet in enumerate(objets, start=1):
        positions.append(len(sortie))
        sortie += f"{numero} 0 obj\n".encode() + objet + b"\nendobj\n"
    xref = len(sortie)
    sortie += f"xref\n0 {len(objets) + 1}\n0000000000 65535 f \n".encode()
    for position in positions:
        sortie += f"{position:010d} 00000 n \n".encode()
    sortie += (
        f"trailer\n<< /Size {len(objets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(sortie)


def _bloc_png(nature: bytes, donnees: bytes) -> bytes:
    return (
        struct.pack(">L", len(donnees))
        + nature
        + donnees
        + struct.pack(">L", zlib.crc32(nature + donnees))
    )


def png(largeur: int = 2, hauteur: int = 2) -> bytes:
    """A real PNG (8-bit grey): signature, IHDR, IDAT, IEND."""
    lignes = b"".join(b"\x00" + b"\x80" * largeur for _ in range(hauteur))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _bloc_png(b"IHDR", struct.pack(">LLBBBBB", largeur, hauteur, 8, 0, 0, 0, 0))
        + _bloc_png(b"IDAT", zlib.compress(lignes))
        + _bloc_png(b"IEND", b"")
    )


def jpeg() -> bytes:
    """A real JPEG (FF D8 FF … FF D9), made by Pillow."""
    tampon = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(tampon, "JPEG", quality=80)
    return tampon.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
MZ = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 50
    + b"PE\x00\x00"
    + b"\x00" * 200
)


# --- the writer -------------------------------------------------------------------------


@dataclass
class Membre:
    nom: str | bytes
    contenu: bytes = b""
    methode: int = 8
    utf8: bool | None = None  # None: the flag is set when the name is not ASCII
    descripteur: bool = False  # streamed: sizes and CRC after the data
    signature_descripteur: bool = True
    zip64: bool = False
    drapeaux: int = 0  # extra flag bits (bit 0: encrypted)
    # lies and overrides
    donnees: bytes | None = None  # the stored bytes instead of compress(contenu)
    taille: int | None = None  # the uncompressed size (everywhere) when contenu is not given
    crc: int | None = None  # a CRC-32 instead of the real one (local and central)
    taille_cd: int | None = None  # uncompressed size in the central directory only
    taille_compressee_cd: int | None = None  # compressed size in the central directory only
    nom_local: bytes | None = None  # a different name in the local header
    position_cd: int | None = None  # the offset the central directory gives


def _nom_brut(membre: Membre) -> tuple[bytes, bool]:
    if isinstance(membre.nom, bytes):
        return membre.nom, bool(membre.utf8)
    brut = membre.nom.encode("utf-8")
    utf8 = membre.utf8 if membre.utf8 is not None else not brut.isascii()
    return brut, utf8


def comprimer(contenu: bytes, niveau: int = 6) -> bytes:
    compresseur = zlib.compressobj(niveau, zlib.DEFLATED, -15)
    return compresseur.compress(contenu) + compresseur.flush()


def construire(
    membres: list[Membre],
    *,
    zip64_fin: bool = False,
    commentaire: bytes = b"",
    avant: bytes = b"",
    apres: bytes = b"",
) -> bytes:
    """Write a ZIP archive. `avant`/`apres`: bytes before the first member / after the end."""
    sortie = bytearray(avant)
    centrale = bytearray()
    for membre in membres:
        nom, utf8 = _nom_brut(membre)
        if membre.donnees is not None:
            donnees = membre.donnees
        elif membre.methode == 8:
            donnees = comprimer(membre.contenu)
        else:
            donnees = membre.contenu
        crc = membre.crc if membre.crc is not None else zlib.crc32(membre.contenu)
        taille = membre.taille if membre.taille is not None else len(membre.contenu)
        taille_c = len(donnees)
        drapeaux = membre.drapeaux | (0x800 if utf8 else 0) | (0x8 if membre.descripteur else 0)
        version = 45 if membre.zip64 else 20
        position = len(sortie)

        # local header
        extra_local = b""
        if membre.descripteur:
            champs = (0, 0, 0)
            if membre.zip64:  # announces 8-byte sizes in the descriptor
                extra_local = struct.pack("<HHQQ", 1, 16, 0, 0)
        elif membre.zip64:
            champs = (crc, MAX32, MAX32)
            extra_local = struct.pack("<HHQQ", 1, 16, taille, taille_c)
        else:
            champs = (crc, taille_c, taille)
        nom_local = membre.nom_local if membre.nom_local is not None else nom
        sortie += struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            version,
            drapeaux,
            membre.methode,
            HEURE_DOS,
            DATE_DOS,
            *champs,
            len(nom_local),
            len(extra_local),
        )
        sortie += nom_local + extra_local + donnees
        if membre.descripteur:
            if membre.signature_descripteur:
                sortie += b"PK\x07\x08"
            largeur = "Q" if membre.zip64 else "L"
            sortie += struct.pack(f"<L2{largeur}", crc, taille_c, taille)

        # central directory entry
        taille_cd = membre.taille_cd if membre.taille_cd is not None else taille
        taille_c_cd = (
            membre.taille_compressee_cd if membre.taille_compressee_cd is not None else taille_c
        )
        position_cd = membre.position_cd if membre.position_cd is not None else position
        extra = b""
        if membre.zip64:
            extra = struct.pack("<HHQQQ", 1, 24, taille_cd, taille_c_cd, position_cd)
            taille_cd, taille_c_cd, position_cd = MAX32, MAX32, MAX32
        centrale += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            (3 << 8) | version,
            version,
            drapeaux,
            membre.methode,
            HEURE_DOS,
            DATE_DOS,
            crc,
            taille_c_cd,
            taille_cd,
            len(nom),
            len(extra),
            0,
            0,
            0,
            0o100644 << 16,
            position_cd,
        )
        centrale += nom + extra
    return bytes(_terminer(sortie, centrale, len(membres), zip64_fin, commentaire) + apres)


def _terminer(
    sortie: bytearray, centrale: bytes, nombre: int, zip64: bool, commentaire: bytes
) -> bytearray:
    debut_cd = len(sortie)
    sortie += centrale
    if zip64:
        position_z64 = len(sortie)
        sortie += struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, nombre, nombre, len(centrale), debut_cd
        )
        sortie += struct.pack("<4sLQL", b"PK\x06\x07", 0, position_z64, 1)
        sortie += struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, MAX16, MAX16, MAX32, MAX32, len(commentaire)
        )
    else:
        sortie += struct.pack(
            "<4s4H2LH",
            b"PK\x05\x06",
            0,
            0,
            nombre,
            nombre,
            len(centrale),
            debut_cd,
            len(commentaire),
        )
    sortie += commentaire
    return sortie


# --- valid archives -----------------------------------------------------------------------


def archive_valide() -> bytes:
    return construire(
        [
            Membre("MS1_devis-00001.pdf", pdf("Devis 1")),
            Membre("MS1_bdc-00001.PDF", pdf("Bon de commande"), methode=0),
            Membre("capture écran.png", png()),
            Membre("photo.JPEG", jpeg(), methode=0),
            Membre("scan.jpg", jpeg()),
        ],
        commentaire=b"archive de test",
    )


def archive_descripteurs() -> bytes:
    """A streamed archive: data descriptors, with and without their signature."""
    return construire(
        [
            Membre("a.pdf", pdf("A"), descripteur=True),
            Membre("b.png", png(), descripteur=True, signature_descripteur=False),
            Membre("c.jpg", jpeg(), methode=0, descripteur=True),
        ]
    )


def archive_descripteurs_zipfile() -> bytes:
    """A streamed archive as Python's zipfile writes it to an unseekable stream."""

    class NonPositionnable(io.RawIOBase):
        def __init__(self) -> None:
            self.tampon = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, donnees: bytes) -> int:  # type: ignore[override]
            self.tampon += donnees
            return len(donnees)

    import zipfile

    cible = NonPositionnable()
    with zipfile.ZipFile(cible, "w", zipfile.ZIP_DEFLATED) as archive:
        for nom, contenu in [("x.pdf", pdf("X")), ("y.png", png()), ("z.jpeg", jpeg())]:
            with archive.open(nom, "w") as membre:
                membre.write(contenu)
    return bytes(cible.tampon)


def archive_zip64() -> bytes:
    """ZIP64 everywhere: saturated fields, ZIP64 extras, ZIP64 end record and locator."""
    return construire(
        [
            Membre("a.pdf", pdf("A"), zip64=True),
            Membre("b.png", png(), zip64=True, methode=0),
            Membre("c.jpg", jpeg(), zip64=True, descripteur=True),
        ],
        zip64_fin=True,
    )


def archive_de(nombre: int) -> bytes:
    contenu = pdf("x")
    return construire([Membre(f"p{i:05d}.pdf", contenu) for i in range(nombre)])


# --- hostile archives ---------------------------------------------------------------------


def bombe_imbriquee(niveaux: int = 3, largeur: int = 16, feuille: int = 16 * 2**20) -> bytes:
    """In the style of 42.zip: ZIPs of ZIPs; the leaves are 16 MB of zeros each. Some
    inner archives are named .pdf (a nested archive is found by its content)."""
    zeros = comprimer(b"\x00" * feuille, 9)
    courant = construire(
        [Membre("0.pdf", donnees=zeros, crc=zlib.crc32(b"\x00" * feuille), taille=feuille)]
    )
    for niveau in range(1, niveaux):
        courant = construire(
            [
                Membre(f"lib {niveau}-{i}.{'pdf' if i % 2 else 'zip'}", courant)
                for i in range(largeur)
            ]
        )
    return courant


def bombe_superposee(nombre: int = 200, taille_noyau: int = 2**20) -> bytes:
    """D. Fifield, "A better zip bomb" (quoted overlap): each local header is quoted in a
    stored deflate block inside the previous member's data, so every member's data runs to
    the end of the one shared kernel."""
    noyau_clair = b"a" * taille_noyau
    noyau = comprimer(noyau_clair, 9)
    noms = [f"{i:04d}.pdf".encode() for i in range(nombre)]
    # from the last member back to the first: its header, its data, its sizes and CRC
    entetes: list[bytes] = [b""] * nombre
    tailles: list[int] = [0] * nombre
    tailles_c: list[int] = [0] * nombre
    crcs: list[int] = [0] * nombre
    donnees_suivantes = noyau
    clair_crc, clair_taille = zlib.crc32(noyau_clair), taille_noyau
    for i in range(nombre - 1, -1, -1):
        tailles[i], tailles_c[i], crcs[i] = clair_taille, len(donnees_suivantes), clair_crc
        entetes[i] = (
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                8,
                HEURE_DOS,
                DATE_DOS,
                crcs[i],
                tailles_c[i],
                tailles[i],
                len(noms[i]),
                0,
            )
            + noms[i]
        )
        if i:
            citation = b"\x00" + struct.pack("<HH", len(entetes[i]), len(entetes[i]) ^ 0xFFFF)
            donnees_suivantes = citation + entetes[i] + donnees_suivantes
            clair_crc = zlib.crc32(noyau_clair, zlib.crc32(entetes[i] + b"".join(entetes[i + 1 :])))
            clair_taille += len(entetes[i])
    sortie = bytearray()
    positions = []
    for i in range(nombre):
        positions.append(len(sortie))
        sortie += entetes[i]
        if i + 1 < nombre:
            sortie += b"\x00" + struct.pack(
                "<HH", len(entetes[i + 1]), len(entetes[i + 1]) ^ 0xFFFF
            )
    sortie += noyau
    centrale = bytearray()
    for i in range(nombre):
        centrale += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                HEURE_DOS,
                DATE_DOS,
                crcs[i],
                tailles_c[i],
                tailles[i],
                len(noms[i]),
                0,
                0,
                0,
                0,
                0,
                positions[i],
            )
            + noms[i]
        )
    return bytes(_terminer(sortie, centrale, nombre, False, b""))


def bombe_superposee_totale(nombre: int = 1000) -> bytes:
    """Every central directory entry points at the same local header and kernel."""
    clair = b"%PDF-1.4\n" + b" " * (2 * 2**20) + b"\n%%EOF\n"
    noyau = comprimer(clair, 9)
    crc = zlib.crc32(clair)
    nom0 = b"0000.pdf"
    sortie = bytearray(
        struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            0,
            8,
            HEURE_DOS,
            DATE_DOS,
            crc,
            len(noyau),
            len(clair),
            len(nom0),
            0,
        )
        + nom0
        + noyau
    )
    centrale = bytearray()
    for i in range(nombre):
        nom = f"{i:04d}.pdf".encode()
        centrale += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                HEURE_DOS,
                DATE_DOS,
                crc,
                len(noyau),
                len(clair),
                len(nom),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + nom
        )
    return bytes(_terminer(sortie, centrale, nombre, False, b""))


def taux_excessif() -> bytes:
    """A PDF of 2 MB of spaces: about 1000:1, declared as such."""
    return construire([Membre("rapport.pdf", pdf(remplissage=b" " * (2 * 2**20)))])


def taux_excessif_cache() -> bytes:
    """The same, but the central directory declares a modest size: found while inflating."""
    contenu = pdf(remplissage=b" " * (2 * 2**20))
    donnees = comprimer(contenu)
    return construire(
        [Membre("rapport.pdf", contenu, donnees=donnees, taille_cd=len(donnees) * 50)]
    )


def piece_trop_grosse() -> bytes:
    contenu = pdf(remplissage=os.urandom(3 * 2**20))
    return construire([Membre("gros.pdf", contenu, methode=0)])


def piece_trop_grosse_cachee() -> bytes:
    """3.5 MB of hex text (ratio ~2), declared as 1 MB: found while inflating."""
    contenu = pdf(remplissage=os.urandom(1_800_000).hex().encode())
    return construire([Membre("gros.pdf", contenu, taille_cd=2**20)])


def chemins_interdits() -> bytes:
    noms = ["../x.pdf", "/x.pdf", "C:\\x.pdf", "dossier/x.pdf", "..", "a\\b.pdf", "c:x.pdf"]
    return construire([Membre(nom, pdf()) for nom in noms])


def chiffree() -> bytes:
    """Encryption flag set, and 12-byte header + garbage as data."""
    return construire(
        [
            Membre(
                "secret.pdf",
                os.urandom(200),
                methode=0,
                drapeaux=0x1,
                donnees=os.urandom(12 + 200),
            )
        ]
    )


def tronquee() -> bytes:
    archive = archive_valide()
    return archive[: len(archive) * 6 // 10]


def debut_manquant() -> bytes:
    archive = archive_valide()
    return archive[500:]


def repertoire_menteur_taille() -> bytes:
    """The central directory gives another uncompressed size than the local header."""
    return construire([Membre("a.pdf", pdf(), taille_cd=len(pdf()) + 1000)])


def repertoire_menteur_compresse() -> bytes:
    """The central directory gives a compressed size smaller than the deflate stream."""
    contenu = pdf(remplissage=os.urandom(5000))
    donnees = comprimer(contenu)
    return construire(
        [Membre("a.pdf", contenu, taille_compressee_cd=len(donnees) - 100), Membre("b.png", png())]
    )


def mauvais_crc() -> bytes:
    return construire([Membre("a.pdf", pdf(), crc=0x12345678)])


def png_en_pdf() -> bytes:
    return construire([Membre("devis.pdf", png())])


def executables() -> bytes:
    return construire([Membre("facture.pdf", ELF), Membre("devis.pdf", MZ, methode=0)])


def piece_vide() -> bytes:
    return construire([Membre("vide.pdf", b"", methode=0), Membre("ok.pdf", pdf())])


def doublons() -> bytes:
    return construire([Membre("a.pdf", pdf("1")), Membre("a.pdf", pdf("2"))])


def doublons_unicode() -> bytes:
    """The same name, composed (NFC) and decomposed (NFD, as macOS writes it)."""
    return construire([Membre("résumé.pdf", pdf("1")), Membre("re\u0301sume\u0301.pdf", pdf("2"))])


def nom_trop_long() -> bytes:
    return construire([Membre("a" * 97 + ".pdf", pdf())])


def nom_cp437() -> bytes:
    return construire([Membre("résumé.pdf".encode("cp437"), pdf(), utf8=False)])


def nom_utf8_invalide() -> bytes:
    return construire([Membre(b"r\xe9sum\xe9.pdf", pdf(), utf8=True)])


def zip_dans_zip() -> bytes:
    return construire([Membre("annexe.pdf", archive_valide()), Membre("ok.png", png())])


def zip_en_fin_de_pdf() -> bytes:
    """A PDF with a ZIP appended after %%EOF (a polyglot)."""
    petit = construire([Membre("x.pdf", pdf())])
    return construire([Membre("devis.pdf", pdf() + petit)])


def pas_un_zip() -> bytes:
    return pdf("ceci n'est pas une archive")


def methode_bzip2() -> bytes:
    return construire([Membre("a.pdf", pdf(), methode=12, donnees=b"BZh91AY&SY" + b"\x00" * 40)])


def extension_interdite() -> bytes:
    return construire([Membre("programme.exe", MZ), Membre("notes.txt", b"bonjour")])


def pdf_sans_fin() -> bytes:
    return construire([Membre("a.pdf", pdf()[:-7] + b"x" * 2000)])


def png_sans_iend() -> bytes:
    return construire([Membre("a.png", png()[:-12])])


def jpeg_sans_fin() -> bytes:
    return construire([Membre("a.jpg", jpeg()[:-2] + b"\x00" * 1500)])


def auto_extractible() -> bytes:
    """An executable with a ZIP after it: offsets inside are not those of a plain ZIP."""
    return construire([Membre("a.pdf", pdf())], avant=MZ)


def donnees_apres_la_fin() -> bytes:
    return archive_valide() + b"\x00" * 100


def nom_local_different() -> bytes:
    return construire([Membre("a.pdf", pdf(), nom_local=b"a.exe")])


def deflate_invalide() -> bytes:
    contenu = pdf()
    return construire([Membre("a.pdf", contenu, donnees=b"\xff" * 40)])


def plusieurs_problemes() -> bytes:
    """One archive, many problems: each must be reported, not only the first."""
    return construire(
        [
            Membre("ok.pdf", pdf()),
            Membre("../evasion.pdf", pdf()),
            Membre("faux.pdf", png()),
            Membre("vide.png", b"", methode=0),
            Membre("crc.jpg", jpeg(), crc=1),
            Membre("notes.txt", b"x"),
        ]
    )


def membres_dans_le_repertoire() -> bytes:
    """Two entries whose local header would lie inside the central directory itself."""

    def membres(debut_cd: int) -> list[Membre]:
        return [
            Membre("a.pdf", pdf()),
            Membre("b.pdf", b"x", methode=0, position_cd=debut_cd),
            Membre("c.pdf", b"y", methode=0, position_cd=debut_cd + 60),
        ]

    brouillon = construire(membres(0))
    debut_cd = struct.unpack_from("<L", brouillon, len(brouillon) - 6)[0]
    return construire(membres(debut_cd))
