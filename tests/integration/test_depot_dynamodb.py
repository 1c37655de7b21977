"""The dépôt service on moto: DynamoDB repositories (claims, transactions, versions), S3,
and the platform flow wired on the real adapters.

moto's TransactWriteItems is not atomic between threads (it checks, writes, and on a
failure restores a deep copy of the whole table, which can erase another thread's
writes). DynamoDB serialises transactions on the items they touch; the fixture
`dynamodb_serialise` gives moto that property by running its item operations under
one lock, so the concurrency test checks our code, not moto's race.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local import verrou_dynamodb
from services.depot.adapters.dynamodb import (
    CompteurRepository,
    DepotRepository,
    DossierRepository,
    RegistrePlateformeDynamo,
)
from services.depot.adapters.s3 import StockageS3
from services.depot.application.consultation import Consultation
from services.depot.application.demarrage import DemarrerDepot
from services.depot.application.importation import DemanderImport, Importer, ResultatImport
from services.depot.application.ports import ReservationLigne, TypeIssue, VersionPerimee
from services.depot.application.reception import IssueReception, TraiterJsonRecu
from services.depot.domain.depot import Depot, Dossier, StatutDepot
from services.enrolment.adapters.dynamodb import EnrolementRepository, ReferentielAnsRepository
from shared import aws as shared_aws
from shared.campagnes import TypeDemande
from shared.contrats import cle_dossier
from shared.enrolement_table import LecteurEnrolements
from shared.historique import EntreeHistorique
from shared.horloge import PARIS, HorlogeFixe
from shared.settings import recharger
from shared.statuts import StatutDemande
from tests.fixtures.enrolements import enroler
from tests.unit.depot.fakes import (
    FileImportEnMemoire,
    SimulateurFactice,
    annoter_factice,
    demande,
    fichier,
)

pytestmark = pytest.mark.integration

REGION = "eu-west-3"
TABLE = "segurnum-donnees-test"
BUCKET = "segurnum-depots-test"
SIRET_A, ANS_A = "73282932000074", "ANS000000A"
SIRET_B, ANS_B = "44306184100047", "ANS000000B"
INSTANT = datetime(2024, 2, 1, 10, 0, tzinfo=PARIS)


def creer_table(client: Any, nom: str = TABLE) -> None:
    """The table of docs/dynamodb.md (as infra/resources.yaml declares it)."""
    client.create_table(
        TableName=nom,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": a, "AttributeType": "S"}
            for a in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
        ],
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": f"GSI{n}",
                "KeySchema": [
                    {"AttributeName": f"GSI{n}PK", "KeyType": "HASH"},
                    {"AttributeName": f"GSI{n}SK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for n in (1, 2)
        ],
    )


@pytest.fixture
def dynamodb_serialise() -> Iterator[None]:
    verrou_dynamodb.installer()
    yield
    verrou_dynamodb.desinstaller()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, dynamodb_serialise: None) -> Iterator[None]:
    for cle, valeur in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "SEGURNUM_TABLE_DONNEES": TABLE,
        "SEGURNUM_BUCKET_DEPOTS": BUCKET,
    }.items():
        monkeypatch.setenv(cle, valeur)
    monkeypatch.delenv("SEGURNUM_ENDPOINT_URL", raising=False)
    recharger()
    shared_aws.oublier_clients()
    with mock_aws():
        creer_table(shared_aws.client("dynamodb"))
        s3 = shared_aws.client("s3")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
        yield
    shared_aws.oublier_clients()
    recharger()


def item_brut(pk: str, sk: str) -> dict[str, Any] | None:
    reponse = shared_aws.client("dynamodb").get_item(
        TableName=TABLE, Key={"PK": {"S": pk}, "SK": {"S": sk}}
    )
    item: dict[str, Any] | None = reponse.get("Item")
    return item


def items_de(pk: str) -> list[dict[str, Any]]:
    reponse = shared_aws.client("dynamodb").query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
    )
    return list(reponse["Items"])


# --- Dépôts ------------------------------------------------------------------------------


def _depot(id_depot: str = "d1", siret: str = SIRET_A, instant: datetime = INSTANT) -> Depot:
    return Depot.creer(
        id_depot=id_depot,
        siret=siret,
        numero_ans=ANS_A,
        couloir="MS1",
        campagne="MS-VAGUE1",
        type_demande=TypeDemande.AVANCE,
        taux_tva="5.5",
        cree_le=instant,
    )


def test_depot_aller_retour_et_verrou_optimiste(aws: None) -> None:
    depots = DepotRepository()
    depot = depots.ajouter(_depot())
    assert depot.version == 1
    assert depots.lire("d1") == depot
    # The same write replayed (its first answer lost): recognised as this very dépôt.
    assert depots.ajouter(_depot()) == depot
    with pytest.raises(VersionPerimee):  # another dépôt under that id: never overwritten
        depots.ajouter(_depot(siret=SIRET_B))

    from services.depot.domain.depot import FichierRecu, ResumeSimulation

    suite = depot.recevoir_json(
        FichierRecu("json/x/d1/demandes.json", "demandes.json", "v1", INSTANT, 12)
    ).enregistrer_simulation(ResumeSimulation(3, 2, 1, 0, INSTANT))
    enregistre = depots.enregistrer(suite)
    assert enregistre.version == 2
    assert depots.lire("d1") == enregistre
    with pytest.raises(VersionPerimee):
        depots.enregistrer(suite)  # written from version 1 again: stale

    brut = item_brut("DEPOT#d1", "DEPOT")
    assert brut is not None
    assert brut["GSI1PK"] == {"S": f"EDITEUR#{SIRET_A}"}
    assert brut["GSI1SK"]["S"].startswith("DEPOT#2024-02-01T09:00:00")
    assert brut["GSI2PK"] == {"S": "DEPOT_STATUT#SIMULE"}
    assert brut["tauxTva"] == {"S": "5.5"}
    assert brut["jsonRecuLe"] == {"S": "2024-02-01T09:00:00+00:00"}


def test_retirer_un_orphelin_seulement_s_il_est_cree(aws: None) -> None:
    depots = DepotRepository()
    depots.ajouter(_depot("orphelin"))
    depots.retirer_orphelin("orphelin")
    assert depots.lire("orphelin") is None
    depots.retirer_orphelin("orphelin")  # already gone: nothing to do
    from services.depot.domain.depot import FichierRecu

    recu = depots.ajouter(_depot("d2")).recevoir_json(
        FichierRecu("json/x/d2/demandes.json", "demandes.json", "v1", INSTANT, 12)
    )
    depots.enregistrer(recu)
    depots.retirer_orphelin("d2")  # a JSON arrived: kept
    assert depots.lire("d2") is not None


def test_lister_les_depots_du_plus_recent_au_plus_ancien(aws: None) -> None:
    depots = DepotRepository()
    depots.ajouter(_depot("d1"))
    depots.ajouter(_depot("d2", instant=INSTANT + timedelta(hours=1)))
    depots.ajouter(_depot("d3", siret=SIRET_B))
    assert [d.id for d in depots.lister(SIRET_A)] == ["d2", "d1"]


# --- Dossiers and claims ---------------------------------------------------------------


def _dossier(
    numero: str = "FINMS1000001",
    finess: tuple[str, ...] = ("750712184", "130780018"),
    siret: str = SIRET_A,
    numero_dossier: str = "REF-1",
) -> Dossier:
    return Dossier(
        numero_asp=numero,
        siret=siret,
        numero_ans=ANS_A,
        couloir="MS1",
        campagne="MS-VAGUE1",
        type_demande=TypeDemande.AVANCE,
        statut=StatutDemande.INCOMPLET,
        numero_dossier=numero_dossier,
        demande={"numLigne": 1, "commande": {"montantSegur": Decimal("1500.50")}},
        finess=finess,
        montants={"montantFinance": "1500.50", "avance": "450.15", "solde": "1050.35"},
        taux_tva=Decimal("5.5"),
        pieces=({"nomFichier": "MS1_a-BDC-REF-1.pdf", "typeFichier": "BON_COMMANDE"},),
        id_depot="d1",
        num_ligne=1,
        depose_le=INSTANT,
        cree_le=INSTANT,
        modifie_le=INSTANT,
    )


def _entree(action: str = "CREATION") -> EntreeHistorique:
    le = INSTANT if action == "CREATION" else INSTANT + timedelta(minutes=1)
    return EntreeHistorique("jeanne", action, le, details={"idDepot": "d1", "numLigne": 1})


def test_creer_ecrit_le_dossier_et_ses_reservations_ensemble(aws: None) -> None:
    dossiers = DossierRepository()
    issue = dossiers.creer(_dossier(), ReservationLigne("d1", 1), _entree())
    assert issue.type is TypeIssue.ECRIT

    assert dossiers.lire("FINMS1000001") == _dossier()
    brut = item_brut("DOSSIER#FINMS1000001", "DOSSIER")
    assert brut is not None
    assert (brut["GSI1PK"]["S"], brut["GSI1SK"]["S"]) == (
        f"EDITEUR#{SIRET_A}",
        "DOSSIER#FINMS1000001",
    )
    assert (brut["GSI2PK"]["S"], brut["GSI2SK"]["S"]) == ("STATUT#INCOMPLET", "FINMS1000001")
    assert brut["version"] == {"N": "1"}
    assert '"montantSegur":1500.50' in brut["demande"]["S"]
    for finess in ("750712184", "130780018"):
        claim = item_brut(f"FINESS#MS-VAGUE1#MS1#{finess}", "FINESS")
        assert claim is not None and claim["numeroAsp"] == {"S": "FINMS1000001"}
    assert dossiers.detenteur_finess("MS-VAGUE1", "MS1", "750712184") == "FINMS1000001"
    assert dossiers.numero_dossier_utilise(SIRET_A, "REF-1") == "FINMS1000001"
    assert dossiers.ligne_importee(ReservationLigne("d1", 1)) == "FINMS1000001"
    (entree,) = dossiers.historique("FINMS1000001")
    assert (entree.action, entree.qui, entree.instant) == ("CREATION", "jeanne", INSTANT)
    assert entree.details == {"idDepot": "d1", "numLigne": 1}
    assert [d.numero_asp for d in dossiers.lister(SIRET_A)] == ["FINMS1000001"]


def test_la_meme_ligne_ne_cree_rien_deux_fois(aws: None) -> None:
    dossiers = DossierRepository()
    dossiers.creer(_dossier(), ReservationLigne("d1", 1), _entree())
    issue = dossiers.creer(_dossier("FINMS1000002"), ReservationLigne("d1", 1), _entree())
    assert issue.type is TypeIssue.LIGNE_DEJA_IMPORTEE
    assert issue.numero_asp == "FINMS1000001"
    assert dossiers.lire("FINMS1000002") is None
    assert dossiers.historique("FINMS1000002") == []


def test_un_finess_detenu_annule_tout(aws: None) -> None:
    dossiers = DossierRepository()
    dossiers.creer(_dossier(finess=("750712184",)), ReservationLigne("d1", 1), _entree())

    issue = dossiers.creer(
        _dossier("FINMS1000002", finess=("690000880", "750712184"), siret=SIRET_B),
        ReservationLigne("d2", 1),
        _entree(),
    )

    assert issue.type is TypeIssue.FINESS_DEJA_DETENU
    assert issue.finess == "750712184"
    # nothing of the cancelled transaction exists: no dossier, no half claim
    assert dossiers.lire("FINMS1000002") is None
    assert dossiers.detenteur_finess("MS-VAGUE1", "MS1", "690000880") is None
    assert dossiers.numero_dossier_utilise(SIRET_B, "REF-1") is None
    assert dossiers.ligne_importee(ReservationLigne("d2", 1)) is None
    assert items_de("DOSSIER#FINMS1000002") == []


def test_un_numero_de_dossier_deja_utilise(aws: None) -> None:
    dossiers = DossierRepository()
    dossiers.creer(_dossier(finess=("750712184",)), ReservationLigne("d1", 1), _entree())
    issue = dossiers.creer(
        _dossier("FINMS1000002", finess=("690000880",)), ReservationLigne("d1", 2), _entree()
    )
    assert issue.type is TypeIssue.NUMERO_DOSSIER_UTILISE
    assert dossiers.lire("FINMS1000002") is None


def test_modifier_deplace_les_reservations_et_garde_les_champs_des_autres(aws: None) -> None:
    dossiers = DossierRepository()
    avant = _dossier()
    dossiers.creer(avant, ReservationLigne("d1", 1), _entree())
    # the instruction service writes its own attributes on the dossier item
    shared_aws.client("dynamodb").update_item(
        TableName=TABLE,
        Key={"PK": {"S": "DOSSIER#FINMS1000001"}, "SK": {"S": "DOSSIER"}},
        UpdateExpression="SET taskToken = :t, statut = :s, GSI2PK = :g, version = :v",
        ExpressionAttributeValues={
            ":t": {"S": "jeton"},
            ":s": {"S": "EN_COURS"},
            ":g": {"S": "STATUT#EN_COURS"},
            ":v": {"N": "2"},
        },
    )
    lu = dossiers.lire("FINMS1000001")
    assert lu is not None and lu.statut is StatutDemande.EN_COURS
    apres = replace(
        lu,
        finess=("750712184", "690000880"),
        numero_dossier="REF-2",
        demande={"numLigne": 3},
        version=lu.version + 1,
    )

    issue = dossiers.modifier(lu, apres, ReservationLigne("d9", 3), _entree("MODIFICATION"))

    assert issue.type is TypeIssue.ECRIT
    relu = dossiers.lire("FINMS1000001")
    assert relu is not None
    assert (relu.version, relu.statut, relu.demande) == (3, StatutDemande.EN_COURS, {"numLigne": 3})
    brut = item_brut("DOSSIER#FINMS1000001", "DOSSIER")
    assert brut is not None and brut["taskToken"] == {"S": "jeton"}
    assert brut["GSI2PK"] == {"S": "STATUT#EN_COURS"}
    assert dossiers.detenteur_finess("MS-VAGUE1", "MS1", "690000880") == "FINMS1000001"
    assert dossiers.detenteur_finess("MS-VAGUE1", "MS1", "130780018") is None
    assert dossiers.numero_dossier_utilise(SIRET_A, "REF-2") == "FINMS1000001"
    assert dossiers.numero_dossier_utilise(SIRET_A, "REF-1") is None
    assert [e.action for e in dossiers.historique("FINMS1000001")] == [
        "CREATION",
        "MODIFICATION",
    ]
    # the same modification again, from the stale version: refused, nothing written
    encore = dossiers.modifier(lu, apres, ReservationLigne("d9", 4), _entree("MODIFICATION"))
    assert encore.type is TypeIssue.VERSION_PERIMEE
    assert dossiers.ligne_importee(ReservationLigne("d9", 4)) is None


def test_modifier_ne_prend_pas_le_finess_d_un_autre(aws: None) -> None:
    dossiers = DossierRepository()
    dossiers.creer(_dossier(finess=("750712184",)), ReservationLigne("d1", 1), _entree())
    autre = _dossier("FINMS1000002", finess=("690000880",), siret=SIRET_B)
    dossiers.creer(autre, ReservationLigne("d2", 1), _entree())
    apres = replace(autre, finess=("750712184",), version=2)
    issue = dossiers.modifier(autre, apres, ReservationLigne("d3", 1), _entree())
    assert issue.type is TypeIssue.FINESS_DEJA_DETENU
    assert dossiers.detenteur_finess("MS-VAGUE1", "MS1", "690000880") == "FINMS1000002"


def test_le_solde_est_stocke_sur_le_dossier(aws: None) -> None:
    dossiers = DossierRepository()
    avant = _dossier()
    dossiers.creer(avant, ReservationLigne("d1", 1), _entree())
    solde = {
        "statut": "INCOMPLET",
        "demande": {"commande": {"montantSegur": Decimal("10.10")}},
        "montants": {"montantFinance": "10.10"},
        "pieces": [{"nomFichier": "f.pdf", "typeFichier": "FACTURE"}],
        "numLigne": 4,
    }
    issue = dossiers.modifier(
        avant, replace(avant, solde=solde, version=2), ReservationLigne("s1", 4), _entree("SOLDE")
    )
    assert issue.type is TypeIssue.ECRIT
    relu = dossiers.lire("FINMS1000001")
    assert relu is not None and relu.solde == solde


def test_le_compteur_est_atomique(aws: None) -> None:
    valeurs: list[int] = []

    def tirer() -> None:
        compteur = CompteurRepository()  # this thread's own boto3 client
        valeurs.extend(compteur.suivant("FINMS1") for _ in range(10))

    fils = [threading.Thread(target=tirer) for _ in range(5)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert sorted(valeurs) == list(range(1, 51))
    assert CompteurRepository().suivant("FINMS2") == 1


# --- Enrolments: written by the enrolment repository, read by the dépôt's adapter -------


def test_enrolement_ecrit_par_l_enrolement_lu_par_le_depot(aws: None) -> None:
    enroler(SIRET_A, ANS_A, "MS2", email="a@example.fr")
    assert EnrolementRepository().trouver(SIRET_A, ANS_A) is not None
    assert ReferentielAnsRepository().trouver(ANS_A).couloir == "MS2"  # type: ignore[union-attr]
    lecteur = LecteurEnrolements()
    enrolement = lecteur.enrolement(SIRET_A, ANS_A)
    assert enrolement is not None and enrolement.valide
    assert enrolement.email == "a@example.fr"
    referencement = lecteur.referencement(ANS_A)
    assert referencement is not None and referencement.couloir == "MS2"
    assert lecteur.enrolement(SIRET_B, ANS_A) is None
    brut = item_brut(f"EDITEUR#{SIRET_A}", f"ENROLEMENT#{ANS_A}")
    assert brut is not None
    assert (brut["GSI1PK"]["S"], brut["GSI1SK"]["S"]) == ("ENROLEMENT", f"{ANS_A}#{SIRET_A}")
    assert RegistrePlateformeDynamo().editeur_enrole(SIRET_A, ANS_A)


# --- The platform flow on the real adapters -----------------------------------------------


def importer_par_la_file(
    importeur: Importer, horloge: HorlogeFixe, id_depot: str, siret: str
) -> ResultatImport:
    """POST /depots/{id}/import on the table, then the import queue's worker on the message
    it sent (the queue in memory)."""
    file = FileImportEnMemoire()
    DemanderImport(DepotRepository(), file, horloge)(id_depot, siret)
    ((demande_id, auteur),) = file.demandes
    resultat = importeur.executer(demande_id, auteur)
    assert resultat is not None
    return resultat


class Flux:
    """The use cases composed as api.py composes them (adapters on settings)."""

    def __init__(self, horloge: HorlogeFixe) -> None:
        self.horloge = horloge
        self.simulateur = SimulateurFactice()

    def demarrer(self) -> DemarrerDepot:
        return DemarrerDepot(DepotRepository(), LecteurEnrolements(), StockageS3(), self.horloge)

    def traiter(self) -> TraiterJsonRecu:
        return TraiterJsonRecu(
            DepotRepository(),
            StockageS3(),
            RegistrePlateformeDynamo(),
            self.horloge,
            self.simulateur,
            annoter_factice,
        )

    def importer(self, id_depot: str, siret: str) -> ResultatImport:
        importeur = Importer(
            DepotRepository(), DossierRepository(), CompteurRepository(), StockageS3(), self.horloge
        )
        return importer_par_la_file(importeur, self.horloge, id_depot, siret)

    def consultation(self) -> Consultation:
        return Consultation(DepotRepository(), StockageS3())

    def deposer(self, siret: str, numero_ans: str, contenu: bytes) -> str:
        demarre = self.demarrer()(siret, "AVANCE", numero_ans, "20")
        reponse = shared_aws.client("s3").put_object(
            Bucket=BUCKET, Key=demarre.envoi.cle, Body=contenu
        )
        issue = self.traiter()(
            BUCKET,
            demarre.envoi.cle,
            self.horloge.maintenant(),
            version_id=reponse["VersionId"],
            etag=reponse["ETag"],
        )
        assert issue is IssueReception.SIMULE
        return demarre.depot.id


def test_flux_complet_depot_simulation_import(aws: None) -> None:
    enroler(SIRET_A, ANS_A, "MS1")
    flux = Flux(HorlogeFixe(INSTANT))
    contenu = fichier(
        demande(1, ("750712184",)),
        demande(2, ("130780018",), _erreur="X"),
        siret=SIRET_A,
        numero_ans=ANS_A,
    )
    id_depot = flux.deposer(SIRET_A, ANS_A, contenu)

    vue = flux.consultation().lire_depot(id_depot, SIRET_A)
    assert vue["statut"] == "SIMULE"
    assert vue["compteRendu"]["lignesImportables"] == 1
    assert flux.consultation().lire_fichier_annote(id_depot, SIRET_A).startswith(b"{")

    resultat = flux.importer(id_depot, SIRET_A)

    assert resultat.numeros_asp == {1: "FINMS1000001"}
    assert DepotRepository().lire(id_depot).statut is StatutDepot.IMPORTE  # type: ignore[union-attr]
    dossier = DossierRepository().lire("FINMS1000001")
    assert dossier is not None
    assert (dossier.siret, dossier.statut) == (SIRET_A, StatutDemande.INCOMPLET)
    assert dossier.demande["commande"]["montantSegur"] == Decimal("18750.00")
    assert [e.action for e in DossierRepository().historique("FINMS1000001")] == ["CREATION"]
    assert (
        flux.consultation().lire_depot(id_depot, SIRET_A)["compteRendu"]["lignes"][0]["numeroAsp"]
        == "FINMS1000001"
    )
    # a duplicated S3 event, after the import, changes nothing
    depot = DepotRepository().lire(id_depot)
    assert depot is not None and depot.fichier is not None
    issue = flux.traiter()(BUCKET, depot.fichier.cle, INSTANT, version_id=depot.fichier.empreinte)
    assert issue is IssueReception.DEJA_TRAITE
    assert DepotRepository().lire(id_depot) == depot


def test_deux_editeurs_importent_le_meme_finess_en_meme_temps(aws: None) -> None:
    """Acceptance: exactly one dossier holds the FINESS; the other line is REJETEE."""
    enroler(SIRET_A, ANS_A, "MS1")
    enroler(SIRET_B, ANS_B, "MS1")
    flux = Flux(HorlogeFixe(INSTANT))
    manches = 5
    depots: list[tuple[str, str]] = []
    for manche in range(manches):
        commun = f"7507{manche:04d}"
        commun += str(
            (
                10
                - sum(
                    int(c) if i % 2 == 0 else (2 * int(c)) // 10 + (2 * int(c)) % 10
                    for i, c in enumerate(reversed(commun))
                )
                % 10
            )
            % 10
        )  # not a real Luhn: the fake simulator doesn't check it
        # both simulated before either imports: the line is importable in both
        for siret, ans, propre in ((SIRET_A, ANS_A, "690000880"), (SIRET_B, ANS_B, "130780018")):
            contenu = fichier(
                demande(1, (commun,), numero_dossier=f"M{manche}"),
                demande(2, (f"{propre[:-1]}{manche}",), numero_dossier=f"P{manche}"),
                siret=siret,
                numero_ans=ans,
            )
            depots.append((siret, flux.deposer(siret, ans, contenu)))

    resultats: dict[str, ResultatImport] = {}
    erreurs: list[BaseException] = []
    depart = threading.Barrier(len(depots))

    def importer(siret: str, id_depot: str) -> None:
        try:
            shared_aws.oublier_clients()
            client = shared_aws.client("dynamodb")  # each thread has its own boto3 client
            assert client is not None
            depart.wait()
            resultats[id_depot] = flux.importer(id_depot, siret)
        except BaseException as exc:  # reported below
            erreurs.append(exc)

    fils = [threading.Thread(target=importer, args=d) for d in depots]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    assert not erreurs, erreurs

    dossiers = DossierRepository()
    for manche in range(manches):
        paire = depots[2 * manche : 2 * manche + 2]
        gagnants = [resultats[i] for _, i in paire if 1 in resultats[i].numeros_asp]
        perdants = [resultats[i] for _, i in paire if 1 not in resultats[i].numeros_asp]
        assert (len(gagnants), len(perdants)) == (1, 1), manche
        numero = gagnants[0].numeros_asp[1]
        commun = dossiers.lire(numero).finess[0]  # type: ignore[union-attr]
        assert dossiers.detenteur_finess("MS-VAGUE1", "MS1", commun) == numero
        detenteurs = [
            d.numero_asp
            for siret in (SIRET_A, SIRET_B)
            for d in dossiers.lister(siret)
            if commun in d.finess
        ]
        assert detenteurs == [numero]
        refus = perdants[0].refus[1]
        assert refus.code == "FINESS_DEJA_FINANCE"
        assert "au statut « incomplet (pièces manquantes) »" in refus.message
        ligne = next(lg for lg in perdants[0].compte_rendu["lignes"] if lg["numLigne"] == 1)
        assert ligne["statut"] == "REJETEE"
        # the loser's other line was imported all the same
        assert 2 in perdants[0].numeros_asp and 2 in gagnants[0].numeros_asp
    tous = [n for r in resultats.values() for n in r.numeros_asp.values()]
    assert len(tous) == len(set(tous)) == 3 * manches
    for _siret, id_depot in depots:
        depot = DepotRepository().lire(id_depot)
        assert depot is not None and depot.statut is StatutDepot.IMPORTE


def test_le_dossier_brut_suit_docs_dynamodb(aws: None) -> None:
    DossierRepository().creer(_dossier(), ReservationLigne("d1", 1), _entree())
    types = sorted(item["SK"]["S"].split("#")[0] for item in items_de("DOSSIER#FINMS1000001"))
    assert types == ["DOSSIER", "HISTO"]
    assert item_brut("DEPOT#d1", "LIGNE#1")["numeroAsp"] == {"S": "FINMS1000001"}  # type: ignore[index]
    assert item_brut(f"EDITEUR#{SIRET_A}", "NUMDOSSIER#REF-1") is not None
    assert cle_dossier("FINMS1000001") == {"PK": "DOSSIER#FINMS1000001", "SK": "DOSSIER"}
    assert boto3.__name__ == "boto3"
