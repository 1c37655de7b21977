"""The guichet on moto: closing twice and the reminders, with the items the dépôt and
enrolment services write, courriels through SES v2, records in DynamoDB."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from services.guichet.adapters.dynamodb import RegistreGuichetDynamo
from services.guichet.application.guichet import ServiceGuichet
from services.guichet.bootstrap import composants
from services.guichet.domain.guichet import Rappel, moment_rappel
from shared import aws
from shared.campagnes import CAMPAGNE_MS_VAGUE1, TypeDemande, campagne
from shared.courriels.dynamodb import JournalCourrielsDynamo, ReservationsDynamo
from shared.courriels.envoi import Courrier
from shared.courriels.redaction import RedactionJinja
from shared.courriels.ses import ExpediteurSes
from shared.horloge import PARIS, HorlogeFixe, installer_horloge
from shared.horloge import horloge as horloge_du_processus
from shared.settings import recharger

pytestmark = pytest.mark.integration

REGION = "eu-west-3"
TABLE = "segurnum-donnees"
EXPEDITEUR = "ne-pas-repondre@segurnum.example.fr"
SIRET_A = "11111111111111"  # a dépôt simulated, never imported
SIRET_B = "22222222222222"  # an incomplete dossier, and a complete one
SIRET_C = "33333333333333"  # everything done
MS1 = campagne(CAMPAGNE_MS_VAGUE1)


def _iso(*args: int) -> str:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC).isoformat()  # type: ignore[misc]


def creer_table(ddb: Any) -> None:
    """docs/dynamodb.md: PK/SK, GSI1 and GSI2 (projection ALL), on demand."""
    ddb.create_table(
        TableName=TABLE,
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": "S"}
            for n in ("PK", "SK", "GSI1PK", "GSI1SK", "GSI2PK", "GSI2SK")
        ],
        KeySchema=[
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": nom,
                "KeySchema": [
                    {"AttributeName": f"{nom}PK", "KeyType": "HASH"},
                    {"AttributeName": f"{nom}SK", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for nom in ("GSI1", "GSI2")
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def enrolement(siret: str, numero_ans: str, email: str) -> dict[str, Any]:
    """As the enrolment service writes it: through the contract (shared/enrolement.py)."""
    from shared.chiffrement import ChiffrementFactice
    from shared.enrolement import EnrolementEditeur, item_enrolement

    return item_enrolement(
        EnrolementEditeur(
            siret=siret,
            numero_ans=numero_ans,
            statut="VALIDE",
            email=email,
            raison_sociale=f"Éditeur {siret[:2]}",
            couloir="MS1",
        ),
        ChiffrementFactice(),
    )


def depot(
    id_: str,
    siret: str,
    statut: str,
    type_demande: str = "AVANCE",
    campagne_id: str = CAMPAGNE_MS_VAGUE1,
    cree_le: str = _iso(2024, 2, 20, 9, 0),
) -> dict[str, Any]:
    """As services/depot/adapters/dynamodb.py writes them."""
    item: dict[str, Any] = {
        "PK": f"DEPOT#{id_}",
        "SK": "DEPOT",
        "GSI1PK": f"EDITEUR#{siret}",
        "GSI1SK": f"DEPOT#{cree_le}",
        "GSI2PK": f"DEPOT_STATUT#{statut}",
        "GSI2SK": cree_le,
        "type": "DEPOT",
        "idDepot": id_,
        "siret": siret,
        "numeroAns": "ANS-0001",
        "couloir": "MS1",
        "campagne": campagne_id,
        "typeDemande": type_demande,
        "tauxTva": "20",
        "statut": statut,
        "creeLe": cree_le,
        "modification": False,
        "version": 3,
    }
    if statut != "CREE":
        item["jsonRecuLe"] = cree_le
        item["fichier"] = {
            "cle": f"json/{siret}/{id_}/demandes.json",
            "nom": f"demandes-{id_}.json",
            "empreinte": "etag",
            "recuLe": cree_le,
            "taille": 1234,
        }
        item["simulation"] = {
            "nombreLignes": 3,
            "lignesImportables": 2,
            "lignesRejetees": 1,
            "erreursFichier": 0,
            "simuleLe": cree_le,
        }
    return item


def dossier(
    numero: str, siret: str, statut: str, solde: dict[str, Any] | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "PK": f"DOSSIER#{numero}",
        "SK": "DOSSIER",
        "GSI1PK": f"EDITEUR#{siret}",
        "GSI1SK": f"DOSSIER#{numero}",
        "GSI2PK": f"STATUT#{statut}",
        "GSI2SK": numero,
        "type": "DOSSIER",
        "numeroAsp": numero,
        "siret": siret,
        "numeroAns": "ANS-0001",
        "couloir": "MS1",
        "campagne": CAMPAGNE_MS_VAGUE1,
        "typeDemande": "AVANCE",
        "statut": statut,
        "idDepot": "dep",
        "numLigne": 1,
        "numeroDossier": f"DOS-{numero[-3:]}",
        "demande": '{"numeroDossier":"x"}',
        "deposeLe": _iso(2024, 2, 20, 9, 0),
        "creeLe": _iso(2024, 2, 20, 9, 1),
        "modifieLe": _iso(2024, 2, 20, 9, 1),
        "version": 1,
    }
    if solde is not None:
        item["solde"] = solde
    return item


@pytest.fixture
def aws_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    for variable in ("SEGURNUM_ENDPOINT_URL", "SEGURNUM_TABLE_DONNEES"):
        monkeypatch.delenv(variable, raising=False)
    # The sender has no default: the handlers' is the environment's (shared/settings.py).
    monkeypatch.setenv("SEGURNUM_EXPEDITEUR", EXPEDITEUR)
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    recharger()
    aws.oublier_clients()
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        creer_table(ddb)
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=EXPEDITEUR)
        from boto3.dynamodb.types import TypeSerializer

        serialiseur = TypeSerializer()
        items = [
            enrolement(SIRET_A, "ANS-0001", "depot@editeur-a.fr"),
            enrolement(SIRET_B, "ANS-0001", "contact@editeur-b.fr"),
            enrolement(SIRET_C, "ANS-0001", "contact@editeur-c.fr"),
            depot("dep-a1", SIRET_A, "SIMULE"),
            depot("dep-a2", SIRET_A, "TERMINE"),
            depot("dep-b1", SIRET_B, "IMPORTE"),
            depot("dep-c1", SIRET_C, "TERMINE"),
            depot("dep-c2", SIRET_C, "CREE"),
            depot("dep-c3", SIRET_C, "SIMULE", type_demande="SOLDE"),
            depot("dep-x1", SIRET_C, "SIMULE", campagne_id="MS-VAGUE2"),
            dossier("FINMS1000001", SIRET_A, "EN_COURS"),
            dossier("FINMS1000002", SIRET_B, "INCOMPLET"),
            dossier("FINMS1000003", SIRET_B, "EN_COURS"),
            dossier(
                "FINMS1000004",
                SIRET_C,
                "DECIDEE",
                solde={"statut": "INCOMPLET", "numeroDossier": "SOL-4", "idDepot": "dep-s"},
            ),
        ]
        for item in items:
            ddb.put_item(
                TableName=TABLE, Item={k: serialiseur.serialize(v) for k, v in item.items()}
            )
        yield {"ddb": ddb, "sesv2": boto3.client("sesv2", region_name=REGION)}
    aws.oublier_clients()
    recharger()


def messages_envoyes() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def destinataires(message: Any) -> list[str]:
    return list(message.destinations["ToAddresses"])


def service(clients: dict[str, Any], horloge: HorlogeFixe) -> ServiceGuichet:
    return ServiceGuichet(
        registre=RegistreGuichetDynamo(TABLE, clients["ddb"]),
        courrier=Courrier(
            expediteur=ExpediteurSes(EXPEDITEUR, clients["sesv2"]),
            redaction=RedactionJinja(),
            reservations=ReservationsDynamo(TABLE, clients["ddb"]),
            horloge=horloge,
        ),
        horloge=horloge,
        url_portail="https://segurnum.example.fr",
    )


def lire(ddb: Any, pk: str, sk: str) -> dict[str, Any] | None:
    from boto3.dynamodb.types import TypeDeserializer

    item = ddb.get_item(TableName=TABLE, Key={"PK": {"S": pk}, "SK": {"S": sk}}).get("Item")
    if not item:
        return None
    return {k: TypeDeserializer().deserialize(v) for k, v in item.items()}


def sous_cles(ddb: Any, pk: str, prefixe: str) -> list[dict[str, Any]]:
    reponse = ddb.query(
        TableName=TABLE,
        KeyConditionExpression="PK = :pk AND begins_with(SK, :p)",
        ExpressionAttributeValues={":pk": {"S": pk}, ":p": {"S": prefixe}},
    )
    return list(reponse["Items"])


def test_le_registre_lit_les_items_des_autres_services(aws_moto: dict[str, Any]) -> None:
    registre = RegistreGuichetDynamo(TABLE, aws_moto["ddb"])
    depots = registre.depots(CAMPAGNE_MS_VAGUE1, TypeDemande.AVANCE)
    assert sorted(d.id for d in depots) == ["dep-a1", "dep-a2", "dep-b1", "dep-c1", "dep-c2"]
    a1 = next(d for d in depots if d.id == "dep-a1")
    assert a1.nom_fichier == "demandes-dep-a1.json"
    assert a1.lignes_importables == 2
    assert a1.cree_le == datetime(2024, 2, 20, 9, 0, tzinfo=PARIS)
    avances = registre.dossiers(CAMPAGNE_MS_VAGUE1, TypeDemande.AVANCE)
    assert sorted((d.numero_asp, d.statut) for d in avances) == [
        ("FINMS1000001", "EN_COURS"),
        ("FINMS1000002", "INCOMPLET"),
        ("FINMS1000003", "EN_COURS"),
        ("FINMS1000004", "DECIDEE"),
    ]
    soldes = registre.dossiers(CAMPAGNE_MS_VAGUE1, TypeDemande.SOLDE)
    assert [(d.numero_asp, d.statut, d.numero_dossier) for d in soldes] == [
        ("FINMS1000004", "INCOMPLET", "SOL-4")
    ]
    assert registre.adresses(SIRET_B, ["ANS-0001"]) == ("contact@editeur-b.fr",)
    assert registre.adresses(SIRET_B, ["ANS-INCONNU"]) == ("contact@editeur-b.fr",)
    assert registre.adresses("99999999999999", ["ANS-0001"]) == ()


def test_fermeture_deux_fois_un_courriel_par_editeur(aws_moto: dict[str, Any]) -> None:
    ddb = aws_moto["ddb"]
    horloge = HorlogeFixe(datetime(2024, 2, 28, 14, 0, 2, tzinfo=PARIS))

    premier = service(aws_moto, horloge).fermer_guichet(CAMPAGNE_MS_VAGUE1, "AVANCE")
    horloge.regler(datetime(2024, 2, 28, 14, 5, tzinfo=PARIS))
    second = service(aws_moto, horloge).fermer_guichet(CAMPAGNE_MS_VAGUE1, "AVANCE")

    envoyes = messages_envoyes()
    assert sorted(destinataires(m)[0] for m in envoyes) == [
        "contact@editeur-b.fr",
        "depot@editeur-a.fr",
    ]
    assert all(m.source == EXPEDITEUR for m in envoyes)
    a = next(m for m in envoyes if destinataires(m) == ["depot@editeur-a.fr"])
    assert a.subject.startswith("Fermeture du guichet des demandes d'avance")
    assert "Le guichet des demandes d&#39;avance est fermé depuis le 28/02/2024 à 14h00." in (
        a.body
    )
    assert "dep-a1" in a.body

    assert premier.envoyes == [SIRET_A, SIRET_B]
    assert second.envoyes == [] and second.deja_ferme is True

    fermeture = lire(ddb, f"CAMPAGNE#{CAMPAGNE_MS_VAGUE1}", "FERMETURE#AVANCE")
    assert fermeture is not None
    assert fermeture["fermeeLe"] == _iso(2024, 2, 28, 14, 0, 2)
    assert fermeture["echeance"] == _iso(2024, 2, 28, 14, 0)
    comptes = fermeture["comptes"]
    assert comptes["depots"] == 5
    assert comptes["depotsNonImportes"] == 1
    assert comptes["depotsIncomplets"] == 1
    assert comptes["dossiersImportes"] == 4
    assert comptes["dossiersIncomplets"] == 1
    assert comptes["editeursSignales"] == 2
    assert fermeture["editeurs"] == [SIRET_A, SIRET_B]
    assert len(sous_cles(ddb, f"CAMPAGNE#{CAMPAGNE_MS_VAGUE1}", "FERMETURE#")) == 1

    reservations = sous_cles(ddb, f"CAMPAGNE#{CAMPAGNE_MS_VAGUE1}", "RAPPEL#AVANCE#FERMETURE#")
    assert len(reservations) == 2
    assert all("messageId" in r and "envoyeLe" in r for r in reservations)

    # The courriel is recorded on the dossier (and on the dépôt) it concerns, once.
    courriels_b = sous_cles(ddb, "DOSSIER#FINMS1000002", "COURRIEL#")
    assert len(courriels_b) == 1
    assert courriels_b[0]["destinataire"] == {"S": "contact@editeur-b.fr"}
    assert courriels_b[0]["objet"]["S"].startswith("Fermeture du guichet")
    assert courriels_b[0]["dateEnvoi"]["S"] == "2024-02-28T14:00:02+01:00"  # Paris time
    assert courriels_b[0]["SK"]["S"].startswith(f"COURRIEL#{_iso(2024, 2, 28, 14, 0, 2)}#")
    lus = JournalCourrielsDynamo(TABLE, ddb).courriels_du_dossier("FINMS1000002")
    assert [(c.destinataire, c.date_envoi) for c in lus] == [
        ("contact@editeur-b.fr", "28/02/2024 14:00:02")
    ]
    assert sous_cles(ddb, "DOSSIER#FINMS1000003", "COURRIEL#") == []
    assert len(sous_cles(ddb, "DEPOT#dep-a1", "COURRIEL#")) == 1


def test_rappels_j7_et_j1_une_fois_par_editeur(aws_moto: dict[str, Any]) -> None:
    ddb = aws_moto["ddb"]
    horloge = HorlogeFixe(moment_rappel(MS1, TypeDemande.AVANCE, Rappel.J_MOINS_7))
    guichet = service(aws_moto, horloge)

    assert guichet.envoyer_rappels(CAMPAGNE_MS_VAGUE1, "AVANCE", "J-7").envoyes == [
        SIRET_A,
        SIRET_B,
    ]
    assert guichet.envoyer_rappels(CAMPAGNE_MS_VAGUE1, "AVANCE", "J-7").envoyes == []
    assert len(messages_envoyes()) == 2
    assert all("N'attendez pas le dernier jour" in m.body for m in messages_envoyes())

    horloge.regler(moment_rappel(MS1, TypeDemande.AVANCE, Rappel.J_MOINS_1))
    assert guichet.envoyer_rappels(CAMPAGNE_MS_VAGUE1, "AVANCE", "J-1").envoyes == [
        SIRET_A,
        SIRET_B,
    ]
    assert guichet.envoyer_rappels(CAMPAGNE_MS_VAGUE1, "AVANCE", "J-1").envoyes == []
    assert len(messages_envoyes()) == 4
    assert len(sous_cles(ddb, f"CAMPAGNE#{CAMPAGNE_MS_VAGUE1}", "RAPPEL#AVANCE#J-7#")) == 2
    assert len(sous_cles(ddb, f"CAMPAGNE#{CAMPAGNE_MS_VAGUE1}", "RAPPEL#AVANCE#J-1#")) == 2

    # The solde window: C's incomplete solde and its simulated solde dépôt.
    horloge.regler(moment_rappel(MS1, TypeDemande.SOLDE, Rappel.J_MOINS_7))
    solde = guichet.envoyer_rappels(CAMPAGNE_MS_VAGUE1, "SOLDE", "J-7")
    assert solde.envoyes == [SIRET_C]
    dernier = messages_envoyes()[-1]
    assert destinataires(dernier) == ["contact@editeur-c.fr"]
    assert "FINMS1000004" in dernier.body and "dep-c3" in dernier.body


def test_composition_des_handlers(
    aws_moto: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`composants().service` as the Lambda handlers build it (clients from shared.aws, the
    process's clock, the settings checked at cold start)."""
    monkeypatch.setenv("SEGURNUM_URL_PORTAIL", "https://segurnum.example.fr")
    recharger()
    composants.cache_clear()
    avant = horloge_du_processus()
    installer_horloge(HorlogeFixe(datetime(2024, 12, 19, 14, 0, tzinfo=PARIS)))
    try:
        resultat = composants().service.fermer_guichet(CAMPAGNE_MS_VAGUE1, "SOLDE")
        assert resultat.to_dict()["courrielsEnvoyes"] == 1
        assert resultat.to_dict()["comptes"]["dossiersIncomplets"] == 1
        assert destinataires(messages_envoyes()[-1]) == ["contact@editeur-c.fr"]
        etat = composants().service.etat_guichet()
        assert etat["campagnes"][0]["guichets"]["SOLDE"]["ouvert"] is False
    finally:
        installer_horloge(avant)
        composants.cache_clear()
