"""The pydantic models and the published JSON Schema (B6) agree with the validation."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import ValidationError

from services.depot.domain.format_ms import (
    CODE_NOMENCLATURE,
    FormatFichier,
    ProfilMotif,
    TypeFichier,
    analyser_nom_fichier,
)
from services.depot.domain.modeles import FichierDemandes, PieceJustificative, schema_json
from tests.unit.depot.aide_format import EXEMPLE_SEED, charger, chemins, simuler_doc, valide


def _schema_decimal() -> dict[str, Any]:
    # Read again as Decimal: multipleOf 0.01 is then judged exactly.
    schema: dict[str, Any] = json.loads(json.dumps(schema_json()), parse_float=Decimal)
    return schema


def test_le_schema_est_un_draft_2020_12_versionne() -> None:
    schema = schema_json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["version"] == "ms-v1"
    Draft202012Validator.check_schema(schema)
    demande = schema["$defs"]["Demande"]
    assert demande["additionalProperties"] is False
    assert schema["properties"]["demandes"]["maxItems"] == 200
    montant = schema["$defs"]["Commande"]["properties"]["montantSegur"]
    assert montant["type"] == "number" and montant["multipleOf"] == 0.01


def test_le_fichier_valide_passe_partout() -> None:
    document = valide()
    assert chemins(simuler_doc(document)) == set()
    FichierDemandes.model_validate(document)
    validateur = Draft202012Validator(_schema_decimal(), format_checker=FormatChecker())
    assert list(validateur.iter_errors(document)) == []


def test_l_exemple_du_seed_est_refuse_partout() -> None:
    document = charger(EXEMPLE_SEED)
    with pytest.raises(ValidationError):
        FichierDemandes.model_validate(document)
    validateur = Draft202012Validator(_schema_decimal())
    assert list(validateur.iter_errors(document))
    assert chemins(simuler_doc(EXEMPLE_SEED.read_bytes()))


def _etab(d: dict[str, Any]) -> dict[str, Any]:
    e: dict[str, Any] = d["demandes"][0]["beneficiaires"][0]["etablissementsClients"][0]
    return e


DEFAUTS_DE_CHAMP = [
    ("siret", lambda d: d.update(siret="73282932000075")),
    ("numeroAns", lambda d: d.update(numeroAns="123")),
    ("idFichier", lambda d: d.update(idFichier="1")),
    ("champ inconnu", lambda d: d.update(leptid=None)),
    ("aucune demande", lambda d: d.update(demandes=[])),
    ("numLigne chaîne", lambda d: d["demandes"][0].update(numLigne="1")),
    ("numLigne booléen", lambda d: d["demandes"][0].update(numLigne=True)),
    ("typeAction", lambda d: d["demandes"][0].update(typeAction="c")),
    ("numeroDossier", lambda d: d["demandes"][0].update(numeroDossier="a b")),
    ("verrouillage", lambda d: d["demandes"][0].update(verrouillage="1.x")),
    ("dateCommande", lambda d: d["demandes"][0]["commande"].update(dateCommande="30/02/2023")),
    ("montant chaîne", lambda d: d["demandes"][0]["commande"].update(montantSegur="10.00")),
    (
        "montant décimales",
        lambda d: d["demandes"][0]["commande"].update(montantSegur=Decimal("10.001")),
    ),
    ("montant négatif", lambda d: d["demandes"][0]["commande"].update(montantSegur=-1)),
    ("FINESS clé", lambda d: _etab(d).update(finessGeo="111111111")),
    ("courriel", lambda d: _etab(d).update(emailResponsable="a@b")),
    ("téléphone", lambda d: _etab(d).update(telephoneResponsable="0000000000")),
    ("nom vide", lambda d: _etab(d).update(nomResponsable=" ")),
    (
        "mandataire sans nom",
        lambda d: d["demandes"][0]["beneficiaires"][0].update(nomMandataire=None),
    ),
    (
        "formatFichier",
        lambda d: d["demandes"][0]["piecesJustificatives"][0].update(formatFichier="pdf"),
    ),
    (
        "nomenclature",
        lambda d: d["demandes"][0]["piecesJustificatives"][0].update(
            nomFichier="bon de commande.pdf"
        ),
    ),
    ("profilMotif", lambda d: d["demandes"][0]["scenarioInstallation"][0].update(profilMotif="pa")),
    (
        "opérateur",
        lambda d: d["demandes"][0]["scenarioInstallation"][0].update(operateurMessagerie=""),
    ),
    ("isRefSoins", lambda d: d["demandes"][0]["scenarioInstallation"][0].update(isRefSoins="null")),
    ("aucun scénario", lambda d: d["demandes"][0].update(scenarioInstallation=[])),
]


@pytest.mark.parametrize(("nom", "defaut"), DEFAUTS_DE_CHAMP, ids=[n for n, _ in DEFAUTS_DE_CHAMP])
def test_un_defaut_de_champ_est_refuse_par_les_deux(nom: str, defaut: Any) -> None:
    document = copy.deepcopy(valide())
    defaut(document)
    assert chemins(simuler_doc(document)), nom
    with pytest.raises(ValidationError):
        FichierDemandes.model_validate(document)


def test_les_valeurs_permises_des_modeles_sont_celles_du_format() -> None:
    proprietes = schema_json()["$defs"]
    assert proprietes["PieceJustificative"]["properties"]["typeFichier"]["enum"] == [
        t.value for t in TypeFichier
    ]
    assert proprietes["PieceJustificative"]["properties"]["formatFichier"]["enum"] == [
        f.value for f in FormatFichier
    ]
    assert proprietes["ScenarioInstallation"]["properties"]["profilMotif"]["enum"] == [
        p.value for p in ProfilMotif
    ]


@pytest.mark.parametrize("type_fichier", list(TypeFichier))
def test_nomenclature_du_modele_et_de_la_validation(type_fichier: TypeFichier) -> None:
    code = CODE_NOMENCLATURE[type_fichier]
    nom = f"MS1_Pièce signée-{code}-D-01.pdf"
    assert analyser_nom_fichier(nom, "MS1", "D-01", type_fichier).problemes == ()
    PieceJustificative.model_validate(
        {"nomFichier": nom, "formatFichier": "PDF", "typeFichier": type_fichier.value}
    )
