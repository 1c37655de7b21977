"""The shared PDF toolkit: Unicode text, French formats, multi-page tables, same bytes."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from shared.documents import (
    date_francaise,
    date_heure_francaise,
    date_longue,
    montant_francais,
    nouveau_document,
)
from shared.montant import Montant

INSTANT = datetime(2022, 11, 9, 14, 52, 1, tzinfo=UTC)


def texte(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def document(lignes: int = 3) -> bytes:
    doc = nouveau_document("Essai", "REF-1", INSTANT)
    doc.titre("Décision d'attribution", "Œuvre, « guillemets », €, ç")
    doc.section("Récapitulatif")
    doc.champ("Montant financé", montant_francais(Montant("6666.67")))
    doc.paragraphe("Un paragraphe assez long pour passer à la ligne. " * 5)
    doc.tableau(
        ["FINESS", "Raison sociale"],
        [[f"0{i:08d}", f"EHPAD numéro {i}"] for i in range(lignes)],
        largeurs=[40, 130],
    )
    return doc.en_octets()


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        ("6666.67", "6\u202f666,67\u202f€"),
        ("0", "0,00\u202f€"),
        ("1234567.5", "1\u202f234\u202f567,50\u202f€"),
        ("-20", "-20,00\u202f€"),
    ],
)
def test_montant_francais_espaces_fines_insecables(valeur: str, attendu: str) -> None:
    assert montant_francais(Montant(valeur)) == attendu


def test_dates_francaises_a_l_heure_de_paris() -> None:
    # 23:30 UTC on 8 November is already 9 November in Paris.
    tard = datetime(2022, 11, 8, 23, 30, tzinfo=UTC)
    assert date_francaise(tard) == "09/11/2022"
    assert date_francaise(date(2022, 3, 1)) == "01/03/2022"
    assert date_longue(date(2022, 11, 9)) == "9 novembre 2022"
    assert date_longue(date(2023, 2, 1)) == "1er février 2023"
    assert date_longue(date(2023, 8, 15)) == "15 août 2023"
    assert date_heure_francaise(INSTANT) == "09/11/2022 à 15:52:01"


def test_un_instant_sans_fuseau_est_refuse() -> None:
    with pytest.raises(ValueError):
        date_francaise(datetime(2022, 11, 9, 12, 0))
    with pytest.raises(ValueError):
        nouveau_document("Essai", "REF", datetime(2022, 11, 9, 12, 0))


def test_le_texte_unicode_et_les_montants_se_relisent() -> None:
    contenu = texte(document())
    for attendu in [
        "Décision d'attribution",
        "Œuvre, « guillemets », €, ç",
        "Récapitulatif",
        "6\u202f666,67\u202f€",
        "EHPAD numéro 2",
        "Page 1/1",
        "REF-1",
    ]:
        assert attendu in contenu


def test_memes_donnees_memes_octets() -> None:
    assert document() == document()


def test_un_autre_instant_change_le_document() -> None:
    autre = nouveau_document("Essai", "REF-1", datetime(2022, 11, 10, tzinfo=UTC)).en_octets()
    assert nouveau_document("Essai", "REF-1", INSTANT).en_octets() != autre


def test_un_long_tableau_continue_sur_plusieurs_pages_avec_son_en_tete() -> None:
    pdf = document(lignes=150)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    contenu = texte(pdf)
    for i in range(150):
        assert f"EHPAD numéro {i}\n" in contenu + "\n"
    assert all("FINESS" in page.extract_text() for page in pages[1:])
    assert f"Page {len(pages)}/{len(pages)}" in contenu


def test_la_police_est_embarquee() -> None:
    polices = PdfReader(io.BytesIO(document())).pages[0]["/Resources"]["/Font"]
    noms = {str(f.get_object()["/BaseFont"]) for f in polices.values()}
    assert any("DejaVu" in nom for nom in noms)
