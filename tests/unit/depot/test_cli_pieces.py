"""`segurnum simuler --pieces`: the ZIP checked and reconciled offline (D5, D7, B3)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from services.depot.cli import app
from tests.unit.lecteur_zip.zips import pdf

FIXTURE = Path(__file__).parents[2] / "fixtures" / "depot" / "valide_3_lignes.json"
DOCUMENT = json.loads(FIXTURE.read_text(encoding="utf-8"))
NOMS = [p["nomFichier"] for d in DOCUMENT["demandes"] for p in d["piecesJustificatives"]]


def _zip(chemin: Path, membres: dict[str, bytes]) -> Path:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        for nom, contenu in membres.items():
            z.writestr(nom, contenu)
    chemin.write_bytes(tampon.getvalue())
    return chemin


def _simuler(*options: str) -> tuple[int, dict]:
    resultat = CliRunner().invoke(
        app,
        ["simuler", str(FIXTURE), "--date-depot", "2024-02-20T10:00", "--format", "json", *options],
    )
    return resultat.exit_code, json.loads(resultat.stdout) if resultat.stdout.strip() else {}


def test_zip_complet_tout_importable(tmp_path: Path) -> None:
    code, cr = _simuler("--pieces", str(_zip(tmp_path / "p.zip", {n: pdf(n) for n in NOMS})))
    assert (code, cr["erreursPieces"], cr["lignesRejetees"]) == (0, [], 0)


def test_piece_manquante_a_son_pointeur(tmp_path: Path) -> None:
    archive = _zip(tmp_path / "p.zip", {n: pdf(n) for n in NOMS[1:]})
    code, cr = _simuler("--pieces", str(archive))
    assert code == 1 and cr["erreursPieces"] == []
    erreurs = [e for ligne in cr["lignes"] for e in ligne["erreurs"]]
    assert [(e["code"], e["chemin"]) for e in erreurs] == [
        ("PIECE_MANQUANTE", "/demandes/0/piecesJustificatives/0/nomFichier")
    ]


def test_piece_non_referencee_et_zip_refuse(tmp_path: Path) -> None:
    membres = {n: pdf(n) for n in NOMS} | {"MS1_inconnu-BDC-X.pdf": pdf("x")}
    code, cr = _simuler("--pieces", str(_zip(tmp_path / "p.zip", membres)))
    assert code == 1
    assert [(e["fichier"], e["code"]) for e in cr["erreursPieces"]] == [
        ("MS1_inconnu-BDC-X.pdf", "PIECE_NON_REFERENCEE")
    ]
    # A ZIP with a problem is refused whole: every line needing a pièce from it is told.
    assert cr["lignesRejetees"] == cr["nombreLignes"]


def test_pas_un_zip(tmp_path: Path) -> None:
    faux = tmp_path / "p.zip"
    faux.write_bytes(b"ceci n'est pas une archive")
    code, cr = _simuler("--pieces", str(faux))
    assert code == 1 and cr["erreursPieces"][0]["fichier"] is None


def test_zip_introuvable_erreur_d_usage(tmp_path: Path) -> None:
    resultat = CliRunner().invoke(
        app, ["simuler", str(FIXTURE), "--pieces", str(tmp_path / "absent.zip")]
    )
    assert resultat.exit_code == 2 and "introuvable" in resultat.output


def test_le_texte_montre_les_problemes_du_zip(tmp_path: Path) -> None:
    membres = {n: pdf(n) for n in NOMS} | {"MS1_inconnu-BDC-X.pdf": pdf("x")}
    resultat = CliRunner().invoke(
        app,
        ["simuler", str(FIXTURE), "--pieces", str(_zip(tmp_path / "p.zip", membres))],
        env={"COLUMNS": "120"},
    )
    assert resultat.exit_code == 1, resultat.output
    assert "Problèmes du ZIP de pièces" in resultat.output
    assert "PIECE_NON_REFERENCEE" in resultat.output
    assert "MS1_inconnu-BDC-X.pdf" in resultat.output
    assert "Toutes les demandes sont importables" not in resultat.output


def test_le_texte_montre_une_archive_illisible(tmp_path: Path) -> None:
    faux = tmp_path / "p.zip"
    faux.write_bytes(b"ceci n'est pas une archive")
    resultat = CliRunner().invoke(app, ["simuler", str(FIXTURE), "--pieces", str(faux)])
    assert resultat.exit_code == 1
    assert "ZIP_ILLISIBLE" in resultat.output and "(l'archive)" in resultat.output
