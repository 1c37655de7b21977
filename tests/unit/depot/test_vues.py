"""The dépôt's views (services/depot/vues.py), built from its use cases' objects: the
answers keep the keys, values and order they had when routes validated dicts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from services.depot.api_modeles import VueCompteRendu
from services.depot.application.consultation import vue_depot as dictionnaire_depot
from services.depot.application.demarrage import DepotDemarre
from services.depot.application.importation import appliquer_import
from services.depot.application.pieces import (
    DossierIncomplet,
    EtatDossier,
    EtatPiecesDepot,
    ResultatTerminer,
    StatutZip,
    ZipDepose,
)
from services.depot.application.ports import EnvoiAutorise
from services.depot.domain.compte_rendu import CompteRendu, LigneCompteRendu
from services.depot.domain.depot import (
    Depot,
    FichierRecu,
    ImportEnCours,
    ResumeSimulation,
    StatutDepot,
    json_canonique,
    lire_json,
)
from services.depot.domain.erreurs import Erreur, ErreurPiece
from services.depot.domain.montants import Montants
from services.depot.vues import (
    vue_depot,
    vue_depot_demarre,
    vue_depot_detaille,
    vue_terminer,
    vue_zip,
)
from shared.api import en_json
from shared.campagnes import TypeDemande
from shared.montant import Montant

LE = datetime(2024, 2, 20, 9, 0, 1, 123456, tzinfo=UTC)
PARIS = "2024-02-20T10:00:01.123456+01:00"


def _depot(en_cours: ImportEnCours | None = None) -> Depot:
    return Depot(
        id="D1",
        siret="73282932000074",
        numero_ans="AB12345678",
        couloir="MS1",
        campagne="MS-VAGUE1",
        type_demande=TypeDemande.AVANCE,
        taux_tva=Decimal("5.5"),
        statut=StatutDepot.IMPORT_EN_COURS,
        cree_le=LE,
        fichier=FichierRecu("json/x/D1/demandes.json", "demandes.json", "e", LE, 10),
        simulation=ResumeSimulation(2, 1, 1, 0, LE),
        numeros_asp={1: "ASP1"},
        import_en_cours=en_cours,
    )


def _stocke(document: dict[str, Any]) -> Any:
    """The report as GET /depots/{id} reads it back (json_canonique: keys sorted)."""
    return lire_json(json_canonique(document).encode("utf-8"))


def _comptes_rendus() -> dict[str, Any]:
    montants = Montants(
        Montant(Decimal("22500.00")), Montant(Decimal("6750.00")), Montant(Decimal("15750.00"))
    )
    cr = CompteRendu(
        fichier="demandes.json",
        erreurs_pieces=[
            ErreurPiece("x.pdf", "PIECE_NON_REFERENCEE", "m1"),
            ErreurPiece(None, "Z", "m"),
        ],
        lignes=[
            LigneCompteRendu(1, 0, montants=montants),
            LigneCompteRendu(
                2,
                1,
                erreurs=[Erreur("FINESS_INVALIDE", "/demandes/1/finess", "Le numéro…")],
                avertissements=[Erreur("MANDATAIRE_IGNORE", "", "ignoré")],
            ),
        ],
    )
    simule = {"idFichier": "D1", **cr.to_dict()}
    _, importe = appliquer_import(simule, [], {1: "ASP1"}, {})
    rejete = CompteRendu("f.json", erreurs_fichier=[Erreur("JSON_ILLISIBLE", "", "x")])
    rejete.lignes.append(LigneCompteRendu(1, 0))
    return {
        "simule": _stocke(simule),
        "importe": _stocke(importe),
        "rejete": _stocke({"idFichier": "D2", **rejete.to_dict()}),
    }


def _cles(valeur: Any) -> list[Any]:
    """Every object's keys in order, depth first: what the bytes of an answer follow."""
    if isinstance(valeur, dict):
        return [list(valeur), *(k for v in valeur.values() for k in _cles(v))]
    if isinstance(valeur, list):
        return [k for v in valeur for k in _cles(v)]
    return []


@pytest.mark.parametrize("nom", ["simule", "importe", "rejete"])
def test_compte_rendu_tel_qu_enregistre(nom: str) -> None:
    document = _comptes_rendus()[nom]
    rendu = json.loads(en_json(VueCompteRendu.model_validate(document)))
    assert rendu == json.loads(json.dumps(document, default=str))
    # The keys in the stored order, but an erreursPieces entry's: fichier, code, message
    # (the order of §6 and of a ZIP's erreursPieces; one model for both).
    piece = ["fichier", "code", "message"]
    attendu = [piece if k == sorted(piece) else k for k in _cles(document)]
    assert _cles(rendu) == attendu


def test_compte_rendu_importe_porte_ses_numeros() -> None:
    vue = VueCompteRendu.model_validate(_comptes_rendus()["importe"])
    assert vue.lignes_importees == 1
    assert [ligne.numero_asp for ligne in vue.lignes] == ["ASP1", None]
    assert "numeroAsp" not in json.loads(en_json(vue))["lignes"][1]  # absent, not null


def test_compte_rendu_a_champ_inconnu_refuse() -> None:
    document = dict(_comptes_rendus()["simule"], inattendu=1)
    with pytest.raises(ValidationError, match="inattendu"):
        VueCompteRendu.model_validate(document)


@pytest.mark.parametrize("en_cours", [None, ImportEnCours(lignes_a_traiter=25, lignes_traitees=12)])
def test_vue_depot_comme_le_dictionnaire(en_cours: ImportEnCours | None) -> None:
    depot = _depot(en_cours)
    attendu = dict(dictionnaire_depot(depot))
    for cle in ("creeLe", "jsonRecuLe"):
        attendu[cle] = PARIS
    attendu["simulation"] = dict(attendu["simulation"], simuleLe=PARIS)
    assert en_json(vue_depot(depot)) == json.dumps(attendu, ensure_ascii=False)


def test_vue_depot_detaillee() -> None:
    depot = _depot(ImportEnCours(lignes_a_traiter=2, lignes_traitees=1))
    zip_ = ZipDepose(
        id_depot="D1",
        cle="pieces/x/D1/lot.zip",
        statut=StatutZip.REJETE,
        recu_le=LE,
        taille=3,
        erreurs_pieces=({"fichier": None, "code": "ZIP_ILLISIBLE", "message": "m"},),
    )
    pieces = EtatPiecesDepot((zip_,), (EtatDossier("ASP1", 1, "INCOMPLET", ("FAC-1.png",)),))
    compte_rendu = _comptes_rendus()["simule"]
    rendu = json.loads(en_json(vue_depot_detaille(depot, compte_rendu, pieces)))
    assert list(rendu)[-4:] == ["compteRendu", "zips", "dossiers", "importEnCours"]
    assert rendu["importEnCours"] == {"lignesATraiter": 2, "lignesTraitees": 1}
    assert rendu["compteRendu"] == json.loads(json.dumps(compte_rendu, default=str))
    assert rendu["zips"] == [
        {
            "nom": "lot.zip",
            "cle": "pieces/x/D1/lot.zip",
            "statut": "REJETE",
            "autoriseLe": None,
            "recuLe": PARIS,
            "verifieLe": None,
            "taille": 3,
            "erreursPieces": [{"fichier": None, "code": "ZIP_ILLISIBLE", "message": "m"}],
            "pieces": [],
        }
    ]
    assert rendu["dossiers"] == [
        {
            "numeroAsp": "ASP1",
            "numLigne": 1,
            "statut": "INCOMPLET",
            "piecesManquantes": ["FAC-1.png"],
        }
    ]
    assert json.loads(en_json(vue_depot_detaille(depot, None, pieces)))["compteRendu"] is None


def test_vues_demarre_et_terminer() -> None:
    depot = _depot()
    envoi = EnvoiAutorise("https://s3/x", {"key": "k"}, "json/x/D1/demandes.json", LE, 20)
    assert json.loads(en_json(vue_depot_demarre(DepotDemarre(depot, envoi)))) == {
        "idDepot": "D1",
        "statut": "IMPORT_EN_COURS",
        "typeDemande": "AVANCE",
        "numeroAns": "AB12345678",
        "couloir": "MS1",
        "tauxTva": "5.5",
        "envoi": {
            "url": "https://s3/x",
            "champs": {"key": "k"},
            "cle": "json/x/D1/demandes.json",
            "expireLe": PARIS,
            "tailleMax": 20,
        },
    }
    resultat = ResultatTerminer(depot, (DossierIncomplet("ASP1", 1, ("FAC-1.png",)),))
    assert json.loads(en_json(vue_terminer(resultat))) == {
        "idDepot": "D1",
        "statut": "IMPORT_EN_COURS",
        "termineLe": None,
        "dossiersIncomplets": [
            {"numeroAsp": "ASP1", "numLigne": 1, "piecesManquantes": ["FAC-1.png"]}
        ],
    }
    assert vue_zip(ZipDepose(id_depot="D1", cle="a/b.zip", statut=StatutZip.OK)).nom == "b.zip"
