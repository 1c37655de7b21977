"""Common PDF rendering (fpdf2): embedded DejaVu Sans font, header, footer, fields,
tables over several pages, and the French formats of amounts and dates.

Determinism: same data → same bytes. The PDF's creation date is the business instant
given (never the current time) and fpdf2 computes the /ID from the content and that
date. That is what lets the same document be signed twice into the same file.

Spaces in an amount: all are U+202F (narrow no-break space), the thousands separator
as well as the space before « € », so that an amount is never split at the end of a
line. Montant.en_francais() already uses U+202F for thousands.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from shared.horloge import PARIS, exiger_fuseau
from shared.montant import Montant

# Every campaign's documents: the programme each one belongs to is in its own text (G1).
EMETTEUR = "Plateforme Ségur numérique"
POLICE = "DejaVu"
_POLICES = Path(__file__).parent / "polices"
ESPACE_FINE = "\u202f"

_MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

Alignement = Literal["LEFT", "RIGHT", "CENTER"]


def montant_francais(montant: Montant) -> str:
    """« 6 666,67 € » with narrow no-break spaces (U+202F) throughout."""
    return montant.en_francais().replace(" ", ESPACE_FINE)


def taux_francais(taux: Decimal) -> str:
    """« 20 % », « 5,5 % » (narrow no-break space before the sign)."""
    texte = format(taux.normalize(), "f")
    return f"{texte.replace('.', ',')}{ESPACE_FINE}%"


def _jour(valeur: date | datetime) -> date:
    if isinstance(valeur, datetime):
        return exiger_fuseau(valeur).astimezone(PARIS).date()
    return valeur


def date_francaise(valeur: date | datetime) -> str:
    """« 09/11/2022 », as the portal's dates; an instant is read at Paris time."""
    return _jour(valeur).strftime("%d/%m/%Y")


def date_longue(valeur: date | datetime) -> str:
    """« 1er novembre 2022 », « 9 novembre 2022 » (without depending on the system locale)."""
    jour = _jour(valeur)
    quantieme = "1er" if jour.day == 1 else str(jour.day)
    return f"{quantieme} {_MOIS[jour.month - 1]} {jour.year}"


def date_heure_francaise(instant: datetime) -> str:
    """« 09/11/2022 à 15:52:01 » at Paris time."""
    paris = exiger_fuseau(instant).astimezone(PARIS)
    return f"{paris:%d/%m/%Y} à {paris:%H:%M:%S}"


class DocumentPdf(FPDF):
    """An A4 page with 20 mm margins, a header (issuer, reference) and « Page n/N »."""

    def __init__(self, titre: str, reference: str, instant: datetime) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(POLICE, "", str(_POLICES / "DejaVuSans.ttf"))
        self.add_font(POLICE, "B", str(_POLICES / "DejaVuSans-Bold.ttf"))
        # The document's dates and /ID come from the business instant: same input, same bytes.
        self.set_creation_date(exiger_fuseau(instant))
        self.set_title(titre)
        self.set_subject(reference)
        self.set_author(EMETTEUR)
        self.set_creator("segurnum")
        self.set_lang("fr-FR")
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=20)
        self._reference = reference
        self.set_font(POLICE, size=10)
        self.add_page()

    def header(self) -> None:
        self.set_font(POLICE, size=8)
        self.set_text_color(90)
        self.cell(0, 5, EMETTEUR, new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.cell(0, 5, self._reference, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(6)
        self.set_text_color(0)
        self.set_font(POLICE, size=10)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(POLICE, size=8)
        self.set_text_color(90)
        self.cell(0, 5, f"Page {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    def titre(self, texte: str, sous_titre: str | None = None) -> None:
        self.set_font(POLICE, "B", 15)
        self.multi_cell(0, 8, texte, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if sous_titre:
            self.set_font(POLICE, size=10)
            self.multi_cell(0, 6, sous_titre, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)
        self.set_font(POLICE, size=10)

    def section(self, texte: str) -> None:
        self.ln(2)
        self.set_font(POLICE, "B", 11)
        self.set_fill_color(230, 236, 245)
        self.cell(0, 7, texte, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        # fpdf2's tables take the current fill colour as their cells' background.
        self.set_fill_color(255)
        self.ln(1)
        self.set_font(POLICE, size=10)

    def champ(self, libelle: str, valeur: str) -> None:
        self.champs([(libelle, valeur)])

    def champs(self, lignes: Iterable[tuple[str, str]], largeur_libelle: float = 74) -> None:
        """« Libellé : valeur » in two borderless columns; each one wraps."""
        self.set_font(POLICE, size=10)
        gras = FontFace(emphasis="BOLD")
        with self.table(
            borders_layout="NONE",
            cell_fill_mode=TableCellFillMode.NONE,
            first_row_as_headings=False,
            v_align="TOP",
            col_widths=(largeur_libelle, self.epw - largeur_libelle),
            line_height=5.5,
            padding=(0.6, 1, 0.6, 0),
            text_align="LEFT",
        ) as table:
            for libelle, valeur in lignes:
                ligne = table.row()
                ligne.cell(f"{libelle} :", style=gras)
                ligne.cell(valeur)
        self.ln(2)

    def paragraphe(self, texte: str) -> None:
        self.set_font(POLICE, size=10)
        self.multi_cell(0, 5.5, texte, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def tableau(
        self,
        entetes: Sequence[str],
        lignes: Iterable[Sequence[str]],
        largeurs: Sequence[float] | None = None,
        alignements: Sequence[Alignement] | None = None,
    ) -> None:
        """A table that continues over the following pages, repeating its header."""
        self.set_font(POLICE, size=9)
        options: dict[str, Any] = {
            "headings_style": FontFace(emphasis="BOLD", fill_color=(230, 236, 245)),
            "cell_fill_color": (247, 247, 247),
            "cell_fill_mode": TableCellFillMode.ROWS,
            "line_height": 5.5,
            "repeat_headings": 1,
            "text_align": tuple(alignements) if alignements else "LEFT",
        }
        if largeurs:
            options["col_widths"] = tuple(largeurs)
        with self.table(**options) as table:
            entete = table.row()
            for texte in entetes:
                entete.cell(texte)
            for valeurs in lignes:
                ligne = table.row()
                for valeur in valeurs:
                    ligne.cell(valeur)
        self.ln(2)
        self.set_font(POLICE, size=10)

    def en_octets(self) -> bytes:
        return bytes(self.output())


def nouveau_document(titre: str, reference: str, instant: datetime) -> DocumentPdf:
    """A blank document (first page open) dated at the business instant."""
    return DocumentPdf(titre, reference, instant)
