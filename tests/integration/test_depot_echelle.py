"""The dépôt at the spec's limits, on moto, counting the AWS calls (a botocore hook on the
clients): the simulation reads the registres in batches, the import writes a bounded
number of times per demande, reading a dépôt does not grow with its size; a demande of
any size is imported (claims beyond one transaction), all or nothing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from infra.local import dynamodb_moto
from services.depot.adapters.dynamodb import (
    CompteurRepository,
    DepotRepository,
    DossierRepository,
    RegistrePlateformeDynamo,
)
from services.depot.adapters.pieces_aws import PiecesDynamo, ZipsDynamo
from services.depot.adapters.s3 import StockageS3
from services.depot.application.consultation import Consultation
from services.depot.application.demarrage import DemarrerDepot
from services.depot.application.importation import Importer, ResultatImport
from services.depot.application.pieces import ConsulterPieces, Debut, StatutZip
from services.depot.application.ports import ReservationLigne, TypeIssue
from services.depot.application.reception import IssueReception, TraiterJsonRecu
from services.depot.application.simulation import annoter, simuler
from services.depot.domain.depot import StatutDepot
from shared import aws as shared_aws
from shared.enrolement_table import LecteurEnrolements
from shared.horloge import HorlogeFixe
from tests.fixtures.depot.generateur import demande_valide, fichier_valide, finess_valides, octets
from tests.fixtures.enrolements import enroler
from tests.integration.test_depot_dynamodb import (  # noqa: F401 - fixtures
    BUCKET,
    INSTANT,
    TABLE,
    _dossier,
    _entree,
    aws,
    importer_par_la_file,
    item_brut,
)

pytestmark = pytest.mark.integration

SIRET, ANS = "73282932000074", "1234567890"
LECTURES = {"GetItem", "BatchGetItem", "Query"}
ECRITURES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}


@pytest.fixture
def dynamodb_serialise() -> Iterator[None]:
    """These tests run on one thread: moto without the lock (it would wrap the patch)."""
    yield


@pytest.fixture
def moto_rapide(request: pytest.FixtureRequest) -> Iterator[None]:
    """moto with the local runtime's patch (installed before the lock that wraps it)."""
    dynamodb_moto.installer()
    try:
        request.getfixturevalue("aws")
        yield
    finally:
        dynamodb_moto.desinstaller()


@pytest.fixture
def sur_moto(request: pytest.FixtureRequest) -> None:
    request.getfixturevalue("aws")


class Compteur:
    """Counts the calls of this thread's boto3 clients, per operation."""

    def __init__(self) -> None:
        self.appels: Counter[str] = Counter()
        for service in ("dynamodb", "s3"):
            shared_aws.client(service).meta.events.register(f"before-call.{service}", self._compter)

    def _compter(self, model: Any, **_: Any) -> None:
        self.appels[model.name] += 1

    def remettre(self) -> Counter[str]:
        vus, self.appels = self.appels, Counter()
        return vus

    @staticmethod
    def somme(appels: Counter[str], operations: set[str]) -> int:
        return sum(n for op, n in appels.items() if op in operations)


def _flux() -> tuple[DemarrerDepot, TraiterJsonRecu, Callable[[str, str], ResultatImport]]:
    h = HorlogeFixe(INSTANT)
    importeur = Importer(
        DepotRepository(), DossierRepository(), CompteurRepository(), StockageS3(), h, annoter
    )

    def importer(id_depot: str, siret: str) -> ResultatImport:
        return importer_par_la_file(importeur, h, id_depot, siret)

    return (
        DemarrerDepot(DepotRepository(), LecteurEnrolements(), StockageS3(), h),
        TraiterJsonRecu(
            DepotRepository(), StockageS3(), RegistrePlateformeDynamo(), h, simuler, annoter
        ),
        importer,
    )


def _deposer(document: dict[str, Any], compteur: Compteur) -> tuple[str, Counter[str]]:
    demarrer, traiter, _ = _flux()
    demarre = demarrer(SIRET, "AVANCE", ANS, "20")
    reponse = shared_aws.client("s3").put_object(
        Bucket=BUCKET, Key=demarre.envoi.cle, Body=octets(document, indent=None)
    )
    compteur.remettre()
    issue = traiter(
        BUCKET, demarre.envoi.cle, INSTANT, version_id=reponse["VersionId"], etag=reponse["ETag"]
    )
    assert issue is IssueReception.SIMULE
    return demarre.depot.id, compteur.remettre()


def test_depot_maximal_appels_bornes(moto_rapide: None) -> None:
    """200 demandes × 100 établissements: simulated, imported, its view read."""
    enroler(SIRET, ANS, "MS1")
    compteur = Compteur()
    demandes, etablissements = 200, 100
    finess = demandes * etablissements
    document = fichier_valide(demandes, etablissements=etablissements, beneficiaires=5, seed=7)

    id_depot, appels = _deposer(document, compteur)
    # Simulation: one BatchGetItem per 100 FINESS, plus a constant.
    assert appels["BatchGetItem"] <= finess / 100 + 4, appels
    assert Compteur.somme(appels, LECTURES) <= finess / 100 + 8, appels

    _, _, importer = _flux()
    resultat = importer(id_depot, SIRET)
    appels = compteur.remettre()
    assert len(resultat.numeros_asp) == demandes and not resultat.refus
    # At most 3 writes per demande plus 1 per 25 FINESS (S3 reports aside).
    assert Compteur.somme(appels, ECRITURES) <= 3 * demandes + finess / 25, appels

    # Reading the dépôt costs the same whatever its size (no read per dossier).
    consultation = Consultation(DepotRepository(), StockageS3())
    pieces = ConsulterPieces(DepotRepository(), DossierRepository(), ZipsDynamo(), PiecesDynamo())
    consultation.lire_depot(id_depot, SIRET)
    etat = pieces(id_depot, SIRET)
    appels = compteur.remettre()
    assert len(etat.dossiers) == demandes
    assert all(e.pieces_manquantes for e in etat.dossiers)
    assert sum(appels.values()) <= 8, appels


def _semer_dossiers(document: dict[str, Any]) -> dict[int, str]:
    """The dossiers of `document`'s lines and their claims, straight into moto's table."""
    from moto.dynamodb.models import dynamodb_backends

    from services.depot.adapters.dynamodb import (
        _reservation_finess,
        _reservation_numero_dossier,
    )
    from shared.dossier import item_dossier
    from shared.dynamo import vers_dynamo

    table = dynamodb_backends["123456789012"]["eu-west-3"].get_table(TABLE)
    numeros = {}
    for d in document["demandes"]:
        numero = f"FINMS1{d['numLigne']:06d}"
        finess = tuple(
            e["finessGeo"] for b in d["beneficiaires"] for e in b["etablissementsClients"]
        )
        dossier = replace(
            _dossier(numero=numero, siret=SIRET, numero_dossier=d["numeroDossier"]),
            finess=finess,
            num_ligne=d["numLigne"],
        )
        table.put_item(vers_dynamo(item_dossier(dossier)))
        table.put_item(vers_dynamo(_reservation_numero_dossier(dossier, INSTANT)))
        for f in finess:
            table.put_item(vers_dynamo(_reservation_finess(dossier, f, INSTANT)))
        numeros[d["numLigne"]] = numero
    return numeros


def _modifications(document: dict[str, Any], numeros: dict[int, str]) -> dict[str, Any]:
    return {
        **document,
        "demandes": [
            {**d, "typeAction": "M", "numeroASP": numeros[d["numLigne"]]}
            for d in document["demandes"]
        ],
    }


def test_un_fichier_de_modifications_ne_relit_pas_un_dossier_par_finess(
    moto_rapide: None,
) -> None:
    """200 modifications (M) of dossiers holding 100 FINESS each: the simulation reads
    the claims and the dossiers in batches, never the dossier of each FINESS."""
    enroler(SIRET, ANS, "MS1")
    document = fichier_valide(200, etablissements=100, beneficiaires=5, seed=11)
    numeros = _semer_dossiers(document)
    compteur = Compteur()
    _, appels = _deposer(_modifications(document, numeros), compteur)
    assert appels["BatchGetItem"] <= 200 * 100 / 100 + 6, appels
    assert appels["GetItem"] <= 4, appels


def test_l_import_de_modifications_ecrit_au_plus_3_fois_par_demande(
    moto_rapide: None,
) -> None:
    enroler(SIRET, ANS, "MS1")
    compteur = Compteur()
    document = fichier_valide(20, etablissements=100, beneficiaires=5, seed=13)
    id_depot, _ = _deposer(document, compteur)
    importer = _flux()[2]
    numeros = dict(importer(id_depot, SIRET).numeros_asp)
    id_m, _ = _deposer(_modifications(document, numeros), compteur)
    resultat = importer(id_m, SIRET)
    appels = compteur.remettre()
    assert dict(resultat.numeros_asp) == numeros and not resultat.refus
    assert Compteur.somme(appels, ECRITURES) <= 3 * 20, appels


def _grand_dossier(n: int, numero: str = "FINMS1000001", seed: int = 1) -> Any:
    return replace(_dossier(numero=numero), finess=tuple(finess_valides(n, seed=seed)))


def _claims_de(numero: str, finess: tuple[str, ...]) -> list[str]:
    return [
        f
        for f in finess
        if (item := item_brut(f"FINESS#MS-VAGUE1#MS1#{f}", "FINESS")) is not None
        and item["numeroAsp"]["S"] == numero
    ]


@pytest.mark.parametrize("taille", [95, 96, 100, 150, 250])
def test_une_demande_de_toute_taille_s_ecrit_en_entier(sur_moto: None, taille: int) -> None:
    compteur = Compteur()
    dossier = _grand_dossier(taille)
    issue = DossierRepository().creer(dossier, ReservationLigne("d1", 1), _entree())
    assert issue.type is TypeIssue.ECRIT
    assert len(_claims_de(dossier.numero_asp, dossier.finess)) == taille
    assert compteur.remettre()["TransactWriteItems"] <= 1 + -(-max(0, taille - 95) // 100)


@pytest.mark.parametrize("position", [0, -1])
def test_un_finess_pris_annule_tout_meme_au_dela_d_une_transaction(
    sur_moto: None, position: int
) -> None:
    """The FINESS held by another is the first claimed (a claim before the dossier's
    transaction) or the last (in it): either way nothing of the dossier remains."""
    dossier = _grand_dossier(150)
    pris = sorted(dossier.finess)[position]
    autre = replace(_dossier(numero="FINMS1000009", numero_dossier="AUTRE"), finess=(pris,))
    assert DossierRepository().creer(autre, ReservationLigne("d0", 1), _entree()).type is (
        TypeIssue.ECRIT
    )
    issue = DossierRepository().creer(dossier, ReservationLigne("d1", 1), _entree())
    assert issue.type is TypeIssue.FINESS_DEJA_DETENU and issue.finess == pris
    assert _claims_de(dossier.numero_asp, dossier.finess) == []
    assert item_brut("DOSSIER#FINMS1000001", "DOSSIER") is None
    assert item_brut("DEPOT#d1", "LIGNE#1") is None


def test_une_modification_de_150_finess_remplaces(sur_moto: None) -> None:
    avant = _grand_dossier(150)
    DossierRepository().creer(avant, ReservationLigne("d1", 1), _entree())
    stocke = DossierRepository().lire(avant.numero_asp)
    assert stocke is not None
    apres = replace(stocke, finess=tuple(finess_valides(150, seed=2)), version=stocke.version + 1)
    issue = DossierRepository().modifier(
        stocke, apres, ReservationLigne("d2", 1), _entree("MODIFICATION")
    )
    assert issue.type is TypeIssue.ECRIT
    assert len(_claims_de(avant.numero_asp, apres.finess)) == 150
    assert _claims_de(avant.numero_asp, avant.finess) == []


def test_seules_les_cles_delivrees_sont_traitees_zip(sur_moto: None) -> None:
    zips = ZipsDynamo()
    cle = f"pieces/{SIRET}/d1/x.zip"
    assert zips.commencer("d1", cle, "e", 10, INSTANT) is Debut.NON_AUTORISE
    assert item_brut("DEPOT#d1", f"ZIP#{cle}") is None
    zips.enregistrer_attente("d1", cle, INSTANT)
    assert zips.commencer("d1", cle, "e", 10, INSTANT) is Debut.NOUVEAU
    zips.terminer("d1", cle, "e", StatutZip.OK, [], [], INSTANT)
    assert zips.commencer("d1", cle, "e", 10, INSTANT) is Debut.DEJA_TRAITE


def test_une_demande_de_100_etablissements_est_importee(sur_moto: None) -> None:
    """Before: IMPORTABLE at simulation, then TROP_D_ETABLISSEMENTS at import."""
    enroler(SIRET, ANS, "MS1")
    compteur = Compteur()
    document = {
        **fichier_valide(1),
        "demandes": [demande_valide(1, finess_valides(100, seed=9), "D00001", beneficiaires=5)],
    }
    id_depot, _ = _deposer(document, compteur)
    resultat = _flux()[2](id_depot, SIRET)
    assert resultat.numeros_asp == {1: "FINMS1000001"} and not resultat.refus
    depot = DepotRepository().lire(id_depot)
    assert depot is not None and depot.statut is StatutDepot.IMPORTE
    assert json.loads(json.dumps(resultat.compte_rendu))["lignesImportees"] == 1
