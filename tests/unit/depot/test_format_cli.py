"""`segurnum simuler` and `segurnum schema` (D7, B6): exit codes 0/1/3/2, outputs."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from services.depot.cli import app
from tests.fixtures.depot.generateur import octets
from tests.unit.depot.aide_format import EXEMPLE_SEED, VALIDE_3_LIGNES, valide

runner = CliRunner()


def _ecrire(tmp_path: Path, document: object, nom: str = "demandes.json") -> Path:
    chemin = tmp_path / nom
    chemin.write_bytes(document if isinstance(document, bytes) else octets(document))
    return chemin


def test_tout_importable_sort_en_0() -> None:
    resultat = runner.invoke(app, ["simuler", str(VALIDE_3_LIGNES), "--tva", "5.5"])
    assert resultat.exit_code == 0, resultat.output
    assert "importables : 3" in resultat.output
    assert "20,05 €" in resultat.output  # montants (B5)


def test_une_ligne_rejetee_sort_en_1(tmp_path: Path) -> None:
    document = valide()
    document["demandes"][2]["verrouillage"] = "v1"
    resultat = runner.invoke(app, ["simuler", str(_ecrire(tmp_path, document))])
    assert resultat.exit_code == 1, resultat.output
    assert "VERROUILLAGE_INVALIDE" in resultat.output
    assert "/demandes/2/verrouillage" in resultat.output


def test_fichier_rejete_sort_en_3() -> None:
    resultat = runner.invoke(app, ["simuler", str(EXEMPLE_SEED)])
    assert resultat.exit_code == 3, resultat.output
    assert "Fichier rejeté en entier" in resultat.output


def test_format_json_est_exactement_le_compte_rendu(tmp_path: Path) -> None:
    document = valide()
    document["demandes"][0]["commande"]["dateCommande"] = "31/02/2023"
    resultat = runner.invoke(app, ["simuler", str(_ecrire(tmp_path, document)), "--format", "json"])
    assert resultat.exit_code == 1
    compte_rendu = json.loads(resultat.stdout)
    assert list(compte_rendu) == [
        "fichier",
        "nombreLignes",
        "lignesImportables",
        "lignesRejetees",
        "erreursFichier",
        "erreursPieces",
        "lignes",
    ]
    assert compte_rendu["fichier"] == "demandes.json"
    assert compte_rendu["lignes"][0]["erreurs"][0]["code"] == "DATE_COMMANDE_INVALIDE"
    assert compte_rendu["lignes"][1]["montants"]["montantFinance"] == "22.80"  # 19.00 HT at 20 %


def test_format_json_d_un_fichier_illisible(tmp_path: Path) -> None:
    resultat = runner.invoke(
        app, ["simuler", str(_ecrire(tmp_path, b"\xff\xfe{")), "--format", "json"]
    )
    assert resultat.exit_code == 3
    compte_rendu = json.loads(resultat.stdout)
    assert compte_rendu["nombreLignes"] == 0 and compte_rendu["lignes"] == []
    assert compte_rendu["erreursFichier"][0]["code"] == "ENCODAGE_INVALIDE"


def test_guichet_seulement_avec_date_de_depot() -> None:
    fichier = str(VALIDE_3_LIGNES)
    assert (
        runner.invoke(app, ["simuler", fichier, "--date-depot", "2024-02-28T13:59"]).exit_code == 0
    )
    tard = runner.invoke(
        app, ["simuler", fichier, "--date-depot", "2024-02-28T14:00", "--format", "json"]
    )
    assert tard.exit_code == 1
    messages = {e["message"] for x in json.loads(tard.stdout)["lignes"] for e in x["erreurs"]}
    assert messages == {"Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00."}


def test_annoter(tmp_path: Path) -> None:
    sortie = tmp_path / "annote.json"
    document = valide()
    document["demandes"][1]["commande"]["regimeTVA"] = "HTVA"
    resultat = runner.invoke(
        app,
        ["simuler", str(_ecrire(tmp_path, document)), "--annoter", str(sortie), "--format", "json"],
    )
    assert resultat.exit_code == 1
    json.loads(resultat.stdout)  # nothing else on standard output
    annote = json.loads(sortie.read_bytes(), parse_float=Decimal)
    assert annote["idFichier"] == "SIMULATION"
    assert [d["codeTraitement"] for d in annote["demandes"]] == [0, 1, 0]
    assert annote["demandes"][0]["libelleTraitement"] == "Demande importable."
    assert "VALEUR_NON_AUTORISEE" in annote["demandes"][1]["libelleTraitement"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--tva", "7"], "--tva"),
        (["--type", "acompte"], "--type"),
        (["--couloir", "MS3"], "--couloir"),
        (["--date-depot", "demain"], "--date-depot"),
        (["--format", "xml"], "--format"),
    ],
)
def test_erreur_d_utilisation_sort_en_2(options: list[str], message: str) -> None:
    resultat = runner.invoke(app, ["simuler", str(VALIDE_3_LIGNES), *options])
    assert resultat.exit_code == 2
    assert message in resultat.stderr and "Erreur" in resultat.stderr
    assert "permis" in resultat.stderr or "attendu" in resultat.stderr


def test_fichier_absent_sort_en_2(tmp_path: Path) -> None:
    resultat = runner.invoke(app, ["simuler", str(tmp_path / "absent.json")])
    assert resultat.exit_code == 2
    assert "n'existe pas" in resultat.stderr


def test_options_acceptees() -> None:
    resultat = runner.invoke(
        app,
        [
            "simuler",
            str(VALIDE_3_LIGNES),
            "--type",
            "AVANCE",
            "--tva",
            "2,1",
            "--couloir",
            "ms1",
            "--format",
            "json",
        ],
    )
    assert resultat.exit_code == 0, resultat.output
    montants = json.loads(resultat.stdout)["lignes"][1]["montants"]
    assert montants["montantFinance"] == "19.40"  # 19.00 × 1,021 = 19.399 → 19.40


def test_type_solde(tmp_path: Path) -> None:
    resultat = runner.invoke(
        app, ["simuler", str(VALIDE_3_LIGNES), "--type", "solde", "--format", "json"]
    )
    assert resultat.exit_code == 1
    codes = {e["code"] for x in json.loads(resultat.stdout)["lignes"] for e in x["erreurs"]}
    assert codes == {"NUMERO_ASP_OBLIGATOIRE", "PIECE_OBLIGATOIRE_MANQUANTE"}


def test_schema() -> None:
    resultat = runner.invoke(app, ["schema"])
    assert resultat.exit_code == 0
    schema = json.loads(resultat.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["version"] == "ms-v1" and schema["$id"]
    Draft202012Validator.check_schema(schema)
    document = json.loads(VALIDE_3_LIGNES.read_bytes(), parse_float=Decimal)
    schema_decimal = json.loads(resultat.stdout, parse_float=Decimal)
    assert list(Draft202012Validator(schema_decimal).iter_errors(document)) == []


def test_un_fichier_tres_imbrique_ne_fait_jamais_planter(tmp_path: Path) -> None:
    for profondeur in (900, 1000, 1023, 1100, 5000):
        document = octets(valide()).replace(
            b'"verrouillage": "1.4.2",',
            b'"x": ' + b"[" * profondeur + b"]" * profondeur + b', "verrouillage": "1.4.2",',
            1,
        )
        sortie = tmp_path / "annote.json"
        resultat = runner.invoke(
            app,
            [
                "simuler",
                str(_ecrire(tmp_path, document)),
                "--format",
                "json",
                "--annoter",
                str(sortie),
            ],
        )
        assert resultat.exception is None or isinstance(resultat.exception, SystemExit)
        assert resultat.exit_code in (1, 3), (profondeur, resultat.output)
        json.loads(resultat.stdout)


@pytest.mark.parametrize("colonnes", [40, 60, 80, 100, 120, 160, 200])
def test_le_tableau_suit_la_largeur_et_ne_coupe_aucun_pointeur(
    tmp_path: Path, colonnes: int
) -> None:
    document = valide()
    etablissement = document["demandes"][0]["beneficiaires"][0]["etablissementsClients"][0]
    etablissement["emailResponsable"] = "pas-un-courriel"
    document["demandes"][1]["commande"]["dateCommande"] = "31/02/2023"
    resultat = runner.invoke(
        app, ["simuler", str(_ecrire(tmp_path, document))], env={"COLUMNS": str(colonnes)}
    )
    assert resultat.exit_code == 1, resultat.output
    # rich never breaks a pointer: each is whole on one line of the output.
    for pointeur in (
        "/demandes/0/beneficiaires/0/etablissementsClients/0/emailResponsable",
        "/demandes/1/commande/dateCommande",
    ):
        assert any(pointeur in ligne for ligne in resultat.output.splitlines()), resultat.output
    lignes_tableau = [ligne for ligne in resultat.output.splitlines() if "│" in ligne]
    assert all(len(ligne) <= colonnes for ligne in lignes_tableau)
    if colonnes >= 160:  # wide enough for a table: as wide as the terminal
        assert lignes_tableau and max(len(ligne) for ligne in lignes_tableau) == colonnes


def test_annoter_un_fichier_rejete_le_copie_tel_que_recu(tmp_path: Path) -> None:
    contenu = octets(valide()).replace(b'"siret":', b'"siret": "1", "siret":', 1)
    sortie = tmp_path / "annote.json"
    resultat = runner.invoke(
        app, ["simuler", str(_ecrire(tmp_path, contenu)), "--annoter", str(sortie)]
    )
    assert resultat.exit_code == 3, resultat.output
    assert "CLE_DUPLIQUEE" in resultat.output
    assert sortie.read_bytes() == contenu
    assert "copié tel que reçu" in resultat.output
