"""The content rules of a pièce (signature at the start, end marker), shared by the dépôt's
ZIP and the documents sent alone (enrolment)."""

from __future__ import annotations

import pytest

from lecteur_zip.contenu import (
    DefautContenu,
    juger_contenu,
    type_attendu,
    verifier_contenu,
)
from tests.unit.lecteur_zip import zips


def _juger(nom: str, contenu: bytes) -> tuple[str | None, DefautContenu | None]:
    constat = juger_contenu(nom, type_attendu(nom), contenu[:16], contenu[-1024:])
    return constat.type_contenu, constat.defaut


@pytest.mark.parametrize(
    ("nom", "contenu", "nature"),
    [("a.pdf", zips.pdf(), "pdf"), ("a.PNG", zips.png(), "png"), ("a.jpg", zips.jpeg(), "jpeg")],
)
def test_un_contenu_conforme_a_son_extension_est_accepte(
    nom: str, contenu: bytes, nature: str
) -> None:
    assert _juger(nom, contenu) == (nature, None)
    assert verifier_contenu(nom.rsplit(".", 1)[1], contenu) is None


def test_un_executable_renomme_en_pdf_est_nomme() -> None:
    constat = juger_contenu("a.pdf", "pdf", b"MZ\x90\x00" + b"\x00" * 12, b"%%EOF")
    assert constat.defaut is DefautContenu.CONTENU_NON_CONFORME
    assert constat.message is not None and "exécutable Windows" in constat.message


def test_une_fin_absente_est_refusee_quand_la_fin_est_lue_seulement() -> None:
    tronque = zips.png()[:-12]
    assert _juger("a.png", tronque) == (None, DefautContenu.CONTENU_NON_CONFORME)
    # End not read (queue None): nothing said, nothing accepted.
    constat = juger_contenu("a.png", "png", tronque[:16], None)
    assert (constat.type_contenu, constat.defaut) == (None, None)


def test_une_archive_cachee_a_la_fin_est_refusee() -> None:
    polyglotte = zips.pdf() + b"PK\x05\x06" + b"\x00" * 18
    assert _juger("a.pdf", polyglotte) == (None, DefautContenu.ARCHIVE_IMBRIQUEE)
    assert "archive" in (verifier_contenu("pdf", polyglotte) or "")


def test_verifier_contenu_explique_en_minuscule() -> None:
    assert verifier_contenu("gif", b"GIF89a") == (
        "seuls les fichiers .png, .jpg, .jpeg ou .pdf sont acceptés."
    )
    message = verifier_contenu("png", zips.pdf())
    assert message is not None and message.startswith("le contenu du fichier .png est un document")
