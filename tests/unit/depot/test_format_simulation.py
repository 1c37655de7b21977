"""The compte rendu (§6), the importable lines, the expected pièces and the annotation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from services.depot.application.simulation import annoter
from services.depot.domain.erreurs import Erreur, ErreurPiece
from services.depot.domain.format_ms import RegimeTva
from services.depot.domain.montants import calculer_montants
from tests.fixtures.depot.generateur import fichier_valide, octets
from tests.unit.depot.aide_format import (
    VALIDE_3_LIGNES,
    RegistreFactice,
    contexte,
    simuler_doc,
    valide,
)

CLES_COMPTE_RENDU = [
    "fichier",
    "nombreLignes",
    "lignesImportables",
    "lignesRejetees",
    "erreursFichier",
    "erreursPieces",
    "lignes",
]


@pytest.mark.parametrize(
    ("montant", "regime", "taux", "attendu"),
    [
        ("19.00", RegimeTva.HT, "5.5", ("20.05", "6.02", "14.03")),  # the example of §6
        ("18750.00", RegimeTva.HT, "20", ("22500.00", "6750.00", "15750.00")),
        ("18750.00", RegimeTva.TTC, "20", ("18750.00", "5625.00", "13125.00")),
        ("18750.00", RegimeTva.HT, "0", ("18750.00", "5625.00", "13125.00")),
        ("0.01", RegimeTva.TTC, "20", ("0.01", "0.00", "0.01")),
        ("100.05", RegimeTva.HT, "2.1", ("102.15", "30.65", "71.50")),
    ],
)
def test_montants(montant: str, regime: RegimeTva, taux: str, attendu: tuple[str, ...]) -> None:
    montants = calculer_montants(Decimal(montant), regime, Decimal(taux))
    assert (str(montants.montant_finance), str(montants.avance), str(montants.solde)) == attendu


def test_le_compte_rendu_est_exactement_le_document_du_6() -> None:
    document = valide()
    document["demandes"][1]["beneficiaires"][0]["etablissementsClients"][0]["finessGeo"] = (
        "75071218"
    )
    document["demandes"][1]["scenarioInstallation"][0]["finessGeo"] = "75071218"
    resultat = simuler_doc(document, contexte(taux="5.5"))
    cr = resultat.compte_rendu.to_dict()
    assert list(cr) == CLES_COMPTE_RENDU
    assert cr["fichier"] == "demandes.json"
    assert (cr["nombreLignes"], cr["lignesImportables"], cr["lignesRejetees"]) == (3, 2, 1)
    assert cr["erreursFichier"] == [] and cr["erreursPieces"] == []
    assert cr["lignes"][1] == {
        "numLigne": 2,
        "statut": "REJETEE",
        "erreurs": [
            {
                "code": "FINESS_INVALIDE",
                "chemin": "/demandes/1/beneficiaires/0/etablissementsClients/0/finessGeo",
                "message": "Le numéro FINESS géographique 75071218 doit compter 9 caractères.",
            }
        ],
        "avertissements": [],
        "montants": {"montantFinance": "20.05", "avance": "6.02", "solde": "14.03"},
    }
    assert cr["lignes"][0]["statut"] == "IMPORTABLE"
    assert cr["lignes"][0]["montants"] == {
        "montantFinance": "18750.00",
        "avance": "5625.00",
        "solde": "13125.00",
    }
    json.dumps(cr)  # serialisable as is


def test_lignes_importables_pour_l_import() -> None:
    resultat = simuler_doc(valide())
    lignes = resultat.lignes_importables
    assert [x.num_ligne for x in lignes] == [1, 2, 3]
    premiere = lignes[0]
    assert premiere.index == 0 and premiere.type_action == "C" and premiere.numero_asp is None
    assert premiere.numero_dossier == "DOSS-0001"
    assert premiere.demande["commande"]["montantSegur"] == "18750.00"
    assert len(lignes[2].finess) == 2
    assert premiere.montants.to_dict()["avance"] == "5625.00"
    json.dumps(premiere.demande)


def test_rejeter_une_ligne_apres_coup() -> None:
    resultat = simuler_doc(valide())
    erreur = Erreur(
        "FINESS_DEJA_FINANCE",
        "/demandes/1/beneficiaires/0/etablissementsClients/0/finessGeo",
        "L'établissement … fait déjà l'objet d'une demande.",
    )
    resultat.compte_rendu.rejeter_ligne(1, erreur)
    cr = resultat.compte_rendu.to_dict()
    assert (cr["lignesImportables"], cr["lignesRejetees"]) == (2, 1)
    assert cr["lignes"][1]["statut"] == "REJETEE"
    assert [x.num_ligne for x in resultat.lignes_importables] == [1, 3]
    assert resultat.code_sortie() == 1


def test_erreurs_des_pieces_et_code_de_sortie() -> None:
    resultat = simuler_doc(valide())
    assert resultat.code_sortie() == 0
    resultat.ajouter_erreurs_pieces([ErreurPiece(None, "ZIP_ILLISIBLE", "Le ZIP est tronqué.")])
    cr = resultat.compte_rendu.to_dict()
    assert cr["erreursPieces"] == [
        {"fichier": None, "code": "ZIP_ILLISIBLE", "message": "Le ZIP est tronqué."}
    ]
    assert resultat.code_sortie() == 1


def test_pieces_attendues() -> None:
    document = valide()
    document["demandes"][2]["verrouillage"] = "x"
    resultat = simuler_doc(document)
    attendues = resultat.pieces_attendues()
    assert attendues["MS1_Bon de commande signé-BDC-DOSS-0001.pdf"] == (
        1,
        "/demandes/0/piecesJustificatives/0/nomFichier",
    )
    assert attendues["MS1_attestation HT-HT-DOSS-0002.pdf"] == (
        2,
        "/demandes/1/piecesJustificatives/1/nomFichier",
    )
    assert len(attendues) == 4
    assert len(resultat.pieces_attendues(importables_seulement=True)) == 3
    assert resultat.pieces_par_ligne()[2] == [
        ("MS1_bon de commande-BDC-DOSS-0003.pdf", "/demandes/2/piecesJustificatives/0/nomFichier")
    ]


def test_annoter_le_fichier_depose() -> None:
    document = valide()
    document["demandes"][1]["verrouillage"] = "v2"
    contenu = octets(document)
    resultat = simuler_doc(contenu)
    annote = json.loads(annoter(contenu, resultat.compte_rendu, "7152"), parse_float=Decimal)
    assert annote["idFichier"] == "7152"
    assert list(annote) == ["idFichier", "numeroAns", "siret", "demandes"]
    codes = [(d["codeTraitement"], d["libelleTraitement"]) for d in annote["demandes"]]
    assert codes[0] == (0, "Demande importée.")
    assert codes[1][0] == 1 and "VERROUILLAGE_INVALIDE" in codes[1][1]
    assert "/demandes/1/verrouillage" in codes[1][1]
    # The rest of the file is intact, exact amounts included.
    assert annote["demandes"][0]["commande"]["montantSegur"] == Decimal("18750.00")
    assert b"18750.00" in annoter(contenu, resultat.compte_rendu, "7152")
    simulation = json.loads(annoter(contenu, resultat.compte_rendu, "7152", simulation=True))
    assert simulation["demandes"][0]["libelleTraitement"] == "Demande importable."


@pytest.mark.parametrize(
    "contenu",
    [
        # A duplicated key: rewriting the file would keep one value and lose the other.
        b'{"idFichier": null, "numeroAns": "A1B2C3D4E5", "numeroAns": "X", "demandes": []}',
        b"pas du json",
        b"[1, 2]",  # the wrong root
        b'\xef\xbb\xbf{"siret": "123",\n  "demandes": [{"a": 1.50}]}  ',
        b'{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    ],
)
def test_un_fichier_rejete_en_entier_est_rendu_tel_que_recu(contenu: bytes) -> None:
    resultat = simuler_doc(contenu)
    assert resultat.compte_rendu.erreurs_fichier
    assert annoter(contenu, resultat.compte_rendu, "1") == contenu
    assert annoter(contenu, resultat.compte_rendu, "1", simulation=True) == contenu


def test_une_cle_dupliquee_n_est_jamais_restructuree() -> None:
    document = valide()
    contenu = octets(document).replace(
        b'"verrouillage": "1.4.2",', b'"verrouillage": "1.4.2", "verrouillage": "2",', 1
    )
    resultat = simuler_doc(contenu)
    assert "CLE_DUPLIQUEE" in {e.code for e in resultat.compte_rendu.erreurs_fichier}
    assert annoter(contenu, resultat.compte_rendu, "1") == contenu


def test_un_fichier_rejete_pour_son_entete_est_rendu_tel_que_recu() -> None:
    document = valide()
    document["siret"] = "123"
    contenu = octets(document)
    resultat = simuler_doc(contenu)
    assert annoter(contenu, resultat.compte_rendu, "1") == contenu


def test_simulation_sans_registre_ne_juge_pas_les_registres() -> None:
    """Offline (spec §4b): neither enrolment nor FINESS already funded."""
    assert simuler_doc(valide(), registre=None).compte_rendu.lignes_importables == 3
    registre = RegistreFactice()
    cr = simuler_doc(valide(), registre=registre).compte_rendu
    assert [e.code for e in cr.erreurs_fichier] == ["EDITEUR_NON_ENROLE"]


def test_un_grand_fichier_valide() -> None:
    document = fichier_valide(200, etablissements=10, beneficiaires=2, pieces_supplementaires=2)
    resultat = simuler_doc(octets(document, indent=None))
    assert resultat.compte_rendu.lignes_importables == 200
    assert len(resultat.pieces_attendues()) == 200 * 3


def test_le_fichier_partage_reste_valide() -> None:
    """valide_3_lignes.json also serves the other tests (e2e, ZIP): it must stay valid."""
    assert simuler_doc(VALIDE_3_LIGNES.read_bytes()).compte_rendu.lignes_importables == 3
