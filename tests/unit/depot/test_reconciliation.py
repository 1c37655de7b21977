"""The ZIP of pièces reconciled with the JSON (format MS v1 §5, §6; mission B3)."""

from __future__ import annotations

from lecteur_zip import CodeProbleme, ResultatArchive, SourceOctets, verifier_archive
from services.depot.domain.reconciliation import CodeErreurLigne, rapprocher
from tests.unit.lecteur_zip import zips


def _resultat(*membres: zips.Membre) -> ResultatArchive:
    return verifier_archive(SourceOctets(zips.construire(list(membres))))


def _pointeur(ligne: int, piece: int = 0) -> str:
    return f"/demandes/{ligne - 1}/pieces/{piece}/nomFichier"


def test_piece_manquante_erreur_au_pointeur_et_zip_garde() -> None:
    resultat = _resultat(zips.Membre("devis.pdf", zips.pdf()))
    rapprochement = rapprocher(
        resultat, {"devis.pdf": [(1, _pointeur(1))], "bdc.pdf": [(2, _pointeur(2))]}
    )
    assert rapprochement.accepte
    assert rapprochement.erreurs_pieces == ()
    assert [m.nom for m in rapprochement.pieces_a_conserver] == ["devis.pdf"]
    (erreur,) = rapprochement.erreurs_lignes
    assert (erreur.num_ligne, erreur.code, erreur.chemin) == (
        2,
        CodeErreurLigne.PIECE_MANQUANTE,
        _pointeur(2),
    )
    assert "« bdc.pdf »" in erreur.message
    assert rapprochement.erreurs_par_ligne() == {
        2: [{"code": "PIECE_MANQUANTE", "chemin": _pointeur(2), "message": erreur.message}]
    }


def test_piece_recue_precedemment_pas_d_erreur() -> None:
    resultat = _resultat(zips.Membre("devis.pdf", zips.pdf()))
    rapprochement = rapprocher(
        resultat,
        {"devis.pdf": [(1, _pointeur(1))], "bdc.pdf": [(2, _pointeur(2))]},
        deja_recues={"bdc.pdf"},
    )
    assert rapprochement.accepte
    assert rapprochement.erreurs_lignes == ()


def test_membre_non_reference_refuse_le_zip() -> None:
    resultat = _resultat(
        zips.Membre("devis.pdf", zips.pdf()), zips.Membre("MS1_x-BDC-00009.pdf", zips.pdf())
    )
    rapprochement = rapprocher(resultat, {"devis.pdf": [(1, _pointeur(1))]})
    assert not rapprochement.accepte
    assert rapprochement.pieces_a_conserver == ()
    assert rapprochement.erreurs_pieces_json() == [
        {
            "fichier": "MS1_x-BDC-00009.pdf",
            "code": "PIECE_NON_REFERENCEE",
            "message": rapprochement.erreurs_pieces[0].message,
        }
    ]
    assert "nomFichier" in rapprochement.erreurs_pieces[0].message
    (erreur,) = rapprochement.erreurs_lignes
    assert (erreur.code, erreur.chemin) == (CodeErreurLigne.PIECE_REFUSEE, _pointeur(1))


def test_zip_a_probleme_toutes_les_lignes_concernees_en_erreur() -> None:
    resultat = _resultat(
        zips.Membre("devis.pdf", zips.pdf()),
        zips.Membre("bdc.pdf", zips.png()),  # CONTENU_NON_CONFORME
        zips.Membre("rib.pdf", zips.pdf()),
    )
    attendues = {
        "devis.pdf": [(1, _pointeur(1)), (3, _pointeur(3))],
        "bdc.pdf": [(2, _pointeur(2))],
        "rib.pdf": [(4, _pointeur(4, 1))],
        "autre.pdf": [(5, _pointeur(5))],
        "ancien.pdf": [(6, _pointeur(6))],
    }
    rapprochement = rapprocher(resultat, attendues, deja_recues={"ancien.pdf"})
    assert not rapprochement.accepte
    assert [(e.num_ligne, e.code.value, e.chemin) for e in rapprochement.erreurs_lignes] == [
        (1, "PIECE_REFUSEE", _pointeur(1)),
        (2, "PIECE_REFUSEE", _pointeur(2)),
        (3, "PIECE_REFUSEE", _pointeur(3)),
        (4, "PIECE_REFUSEE", _pointeur(4, 1)),
        (5, "PIECE_MANQUANTE", _pointeur(5)),
    ]
    messages = {e.num_ligne: e.message for e in rapprochement.erreurs_lignes}
    assert "CONTENU_NON_CONFORME" in messages[2]
    assert "autres erreurs" in messages[1]
    assert [p.code for p in rapprochement.erreurs_pieces] == [CodeProbleme.CONTENU_NON_CONFORME]


def test_zip_illisible_toutes_les_pieces_attendues_refusees() -> None:
    resultat = verifier_archive(SourceOctets(zips.pas_un_zip()))
    rapprochement = rapprocher(
        resultat,
        {"devis.pdf": [(1, _pointeur(1))], "bdc.pdf": [(2, _pointeur(2))]},
        deja_recues={"bdc.pdf"},
    )
    assert not rapprochement.accepte
    assert [(e.num_ligne, e.code.value) for e in rapprochement.erreurs_lignes] == [
        (1, "PIECE_REFUSEE")
    ]
    assert rapprochement.erreurs_pieces_json()[0]["fichier"] is None


def test_noms_rapproches_apres_normalisation_nfc() -> None:
    resultat = _resultat(zips.Membre("re\u0301sume\u0301.pdf", zips.pdf()))
    rapprochement = rapprocher(resultat, {"résumé.pdf": [(1, _pointeur(1))]})
    assert rapprochement.accepte
    assert rapprochement.erreurs_lignes == ()


def test_casse_differente_signalee() -> None:
    resultat = _resultat(zips.Membre("Devis.PDF", zips.pdf()))
    rapprochement = rapprocher(resultat, {"devis.pdf": [(1, _pointeur(1))]})
    assert not rapprochement.accepte
    assert codes_pieces(rapprochement.erreurs_pieces) == {("Devis.PDF", "PIECE_NON_REFERENCEE")}
    (erreur,) = rapprochement.erreurs_lignes
    assert erreur.code == CodeErreurLigne.PIECE_MANQUANTE
    assert "la casse du nom diffère" in erreur.message


def test_sans_zip_toutes_les_pieces_manquent() -> None:
    rapprochement = rapprocher(None, {"devis.pdf": [(1, _pointeur(1))]})
    assert not rapprochement.accepte
    assert [e.code for e in rapprochement.erreurs_lignes] == [CodeErreurLigne.PIECE_MANQUANTE]


def codes_pieces(problemes: tuple[object, ...]) -> set[tuple[str | None, str]]:
    return {(p.fichier, p.code.value) for p in problemes}  # type: ignore[attr-defined]
