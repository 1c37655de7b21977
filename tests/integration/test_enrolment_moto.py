"""The enrolment service on moto: référentiel and demandes in DynamoDB, documents in their
bucket (presigned POST), accounts in Cognito, courriels through SES via shared/courriels;
the records the dépôt service reads."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws

from infra.anti_robot import resoudre
from services.enrolment.adapters.anti_robot import AntiRobotAltcha, SolutionsDynamo
from services.enrolment.adapters.cognito import ComptesCognito
from services.enrolment.adapters.courriels import CourrielsPartages
from services.enrolment.adapters.dynamodb import (
    CompteurRepository,
    DemandeRepository,
    EnrolementRepository,
    ReferentielAnsRepository,
)
from services.enrolment.adapters.paiement_sqs import AnnoncesPaiementSqs
from services.enrolment.adapters.s3 import StockageDocuments
from services.enrolment.application.instruction import Decider, LireDemande, ListerDemandes
from services.enrolment.application.ports import CurseurInvalide, VersionPerimee
from services.enrolment.application.referentiel import ChargerReferentiel, donnees_initiales
from services.enrolment.application.soumission import (
    AutoriserTeleversement,
    DemanderChangementCoordonnees,
    SoumettreComplementaire,
    SoumettreEnrolement,
)
from services.enrolment.domain.anti_robot import (
    VALIDITE_DEFI,
    AntiRobotInvalide,
    VerdictAntiRobot,
)
from services.enrolment.domain.demande import StatutDemandeEnrolement
from services.enrolment.domain.erreurs import DemandeInvalide
from services.paiement.adapters.dynamodb import EnrolementsDynamo
from shared import aws
from shared.courriels.composition import courrier
from shared.courriels.ses import ExpediteurSes
from shared.enrolement_table import LecteurEnrolements
from shared.horloge import PARIS, HorlogeFixe
from shared.messages import QUEUE_COORDONNEES, CoordonneesBancairesValidees
from shared.secrets_aws import CleSecretsManager, SecretAbsent, assurer_cle_locale, lire_texte
from shared.settings import recharger
from tests.fixtures.enrolements import chiffrement_local
from tests.integration.test_depot_dynamodb import creer_table
from tests.unit.enrolment.fakes import PDF, PNG, formulaire, personne

pytestmark = pytest.mark.integration

REGION = "eu-west-3"
TABLE = "segurnum-donnees-enrolement"
SECRET_ALTCHA = "segurnum-altcha-test"
BUCKET = "segurnum-enrolement-test"
EXPEDITEUR = "ne-pas-repondre@segurnum.example.fr"
URL = "https://segurnum.example.fr"
SIRET = "41234567000019"
NOUVEL_IBAN = "FR1420041010050500013M02606"
INSTANT = datetime(2024, 1, 20, 10, 0, tzinfo=PARIS)


@pytest.fixture
def moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    for cle, valeur in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "SEGURNUM_TABLE_DONNEES": TABLE,
        "SEGURNUM_BUCKET_ENROLEMENT": BUCKET,
        "SEGURNUM_EXPEDITEUR": EXPEDITEUR,
    }.items():
        monkeypatch.setenv(cle, valeur)
    monkeypatch.delenv("SEGURNUM_ENDPOINT_URL", raising=False)
    with mock_aws():
        idp = boto3.client("cognito-idp", region_name=REGION)
        pool = idp.create_user_pool(
            PoolName="segurnum",
            UsernameAttributes=["email"],
            Schema=[{"Name": "siret", "AttributeDataType": "String", "Mutable": True}],
        )["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(
            UserPoolId=pool, ClientName="portail", ExplicitAuthFlows=["ADMIN_USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        for groupe in ("editeurs", "gestionnaires"):
            idp.create_group(GroupName=groupe, UserPoolId=pool)
        monkeypatch.setenv("SEGURNUM_USER_POOL_ID", pool)
        recharger()
        aws.oublier_clients()
        creer_table(aws.client("dynamodb"), TABLE)
        chiffrement_local()  # the enrolment KMS key and its alias
        aws.client("s3").create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=EXPEDITEUR)
        yield {"idp": idp, "pool": pool, "client_id": client_id}
    aws.oublier_clients()
    recharger()


class Service:
    """The use cases on the real adapters."""

    def __init__(self) -> None:
        self.horloge = HorlogeFixe(INSTANT)
        self.referentiel = ReferentielAnsRepository()
        self.demandes = DemandeRepository()
        self.enrolements = EnrolementRepository()
        self.stockage = StockageDocuments()
        self.comptes = ComptesCognito()
        self.courriels = CourrielsPartages(
            courrier(self.horloge), ExpediteurSes(), self.horloge, URL
        )
        ChargerReferentiel(self.referentiel, self.horloge)(donnees_initiales(), "init")
        commun: dict[str, Any] = {
            "referentiel": self.referentiel,
            "demandes": self.demandes,
            "enrolements": self.enrolements,
            "compteur": CompteurRepository(),
            "stockage": self.stockage,
            "courriels": self.courriels,
            "horloge": self.horloge,
            "url_portail": URL,
        }
        # The secret as the local runtime provisions it; a lighter proof of work.
        assurer_cle_locale(SECRET_ALTCHA)
        self.anti_robot = AntiRobotAltcha(
            CleSecretsManager(SECRET_ALTCHA),
            self.horloge,
            SolutionsDynamo(self.horloge),
            cout=50,
            compteurs=(5, 20),
        )
        self.soumettre = SoumettreEnrolement(**commun, anti_robot=self.anti_robot)
        self.complementaire = SoumettreComplementaire(**commun)
        self.decider = Decider(
            self.demandes, self.enrolements, self.comptes, self.courriels, self.horloge, URL
        )

    def solution(self) -> str:
        """A challenge solved, as the widget does it."""
        return resoudre(self.anti_robot.defi())

    def televerser(self, type_document: str, contenu: bytes = PDF, nom: str = "a.pdf") -> str:
        """Like a browser: multipart POST to the presigned URL."""
        televersement = AutoriserTeleversement(self.stockage)(type_document, nom)
        envoi = televersement.envoi
        reponse = requests.post(
            envoi.url, data=envoi.champs, files={"file": (nom, contenu)}, timeout=10
        )
        assert reponse.status_code in (200, 201, 204), reponse.text
        return televersement.reference

    def documents(self, *types: str) -> dict[str, str]:
        return {t: self.televerser(t) for t in types}


class _Adaptateur:
    """What `formulaire()` of the unit fakes needs: documents uploaded to S3."""

    def __init__(self, service: Service) -> None:
        self.documents = service.documents


def demande_valide(service: Service, **autres: Any) -> dict[str, Any]:
    return formulaire(_Adaptateur(service), **autres)  # type: ignore[arg-type]


def messages_envoyes() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def test_referentiel_charge_historique_et_versions(moto: dict[str, Any]) -> None:
    service = Service()
    assert len(service.referentiel.tous()) == 6
    donnees = donnees_initiales()
    donnees["version"] = "2024-03-01"
    donnees["referencements"][0]["versionSolution"] = "4.3"
    plus_tard = HorlogeFixe(datetime(2024, 3, 1, 9, tzinfo=PARIS))
    bilan = ChargerReferentiel(service.referentiel, plus_tard)(donnees, "g-1")
    assert bilan.modifies == ("zbuMSS0001",) and bilan.inchanges == 5
    assert service.referentiel.trouver("zbuMSS0001").version_solution == "4.3"  # type: ignore[union-attr]
    (ancien,) = service.referentiel.historique("zbuMSS0001")
    assert ancien.version_solution == "4.2"
    assert [v.version for v in service.referentiel.versions()] == ["2024-03-01", "2024-01-15"]
    # The dépôt service reads the same item through the contract.
    lu = LecteurEnrolements().referencement("zbuMSS0002")
    assert lu is not None and (lu.couloir, lu.type_logiciel) == ("MS2", "DUI-PDE")


def test_parcours_complet_compte_cree_connexion_extension(moto: dict[str, Any]) -> None:
    service = Service()
    confirmation = service.soumettre(demande_valide(service), service.solution())
    assert confirmation.numero == "ENR0001M0"
    assert service.stockage.lire("enrolements/demandes/ENR0001M0/rib.pdf", 10) == PDF[:11]
    lue = service.demandes.lire("ENR0001M0")
    assert lue == confirmation.demande

    # Not enrolled yet: the dépôt service refuses deposits.
    assert LecteurEnrolements().enrolement(SIRET, "zbuMSS0001") is None

    vue = LireDemande(service.demandes, service.stockage)("ENR0001M0", None)
    assert vue["coordonneesBancaires"]["iban"] == "FR7630006000011234567890189"
    assert all(BUCKET in d["url"] for d in vue["documents"])

    service.decider("ENR0001M0", "VALIDEE", None, "gestionnaire-1")
    enrolement = LecteurEnrolements().enrolement(SIRET, "zbuMSS0001")
    assert enrolement is not None and enrolement.valide
    assert enrolement.email == "rep@medisoft.example.fr"

    objets = [m.subject for m in messages_envoyes()]
    assert len(objets) == 3 and "ENR0001M0" in objets[0]
    (mot_de_passe_courriel,) = [m for m in messages_envoyes() if "mot de passe" in m.subject]
    provisoire = _mot_de_passe(mot_de_passe_courriel.body)

    # The éditeur signs in with the identifiant and temporary password, sets its own.
    idp = moto["idp"]
    defi = idp.admin_initiate_auth(
        UserPoolId=moto["pool"],
        ClientId=moto["client_id"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "rep@medisoft.example.fr", "PASSWORD": provisoire},
    )
    assert defi["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    jetons = idp.admin_respond_to_auth_challenge(
        UserPoolId=moto["pool"],
        ClientId=moto["client_id"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=defi["Session"],
        ChallengeResponses={
            "USERNAME": "rep@medisoft.example.fr",
            "NEW_PASSWORD": "Nouveau-2024!x",
        },
    )
    assert jetons["AuthenticationResult"]["IdToken"]
    compte = service.comptes.par_email("rep@medisoft.example.fr")
    assert compte is not None and compte.siret == SIRET and compte.groupes == {"editeurs"}

    # E5: a second référencement; the account is extended, not duplicated.
    complementaire = {
        "numeroAns": "zbuMSS0002",
        "cguAcceptees": True,
        "sinceriteAttestee": True,
        "documents": service.documents("certificatReferencement"),
    }
    seconde = service.complementaire(complementaire, SIRET)
    demande = service.decider(seconde.numero, "VALIDEE", None, "gestionnaire-1")
    assert demande.decision is not None and demande.decision.compte == "ETENDU"
    assert len(idp.list_users(UserPoolId=moto["pool"])["Users"]) == 1
    assert "extension" in messages_envoyes()[-1].subject
    second = service.enrolements.lire(SIRET, "zbuMSS0002")
    assert second is not None and second.couloir == "MS2"
    # The records keep the IBAN encrypted (read masked); paiement decrypts it.
    assert second.iban is None and second.iban_masque == "FR76 **** **** **** **** **** 0189"
    coordonnees = EnrolementsDynamo().coordonnees(SIRET, "zbuMSS0002")
    assert coordonnees is not None and coordonnees.iban == "FR7630006000011234567890189"
    assert_aucun_iban_en_clair("FR7630006000011234567890189")
    assert {e.numero_ans for e in service.enrolements.du_siret(SIRET)} == {
        "zbuMSS0001",
        "zbuMSS0002",
    }


def assert_aucun_iban_en_clair(iban: str) -> None:
    """No attribute of any item of the table holds the IBAN (records, demandes, forms)."""
    items = aws.client("dynamodb").scan(TableName=TABLE)["Items"]
    assert items and not [i for i in items if iban in repr(i)]
    assert not [i for i in items if iban[4:] in repr(i)]  # not even without its prefix


def test_changement_de_coordonnees_annonce_a_paiement(moto: dict[str, Any]) -> None:
    """VALIDEE of new bank details: every record re-encrypted with the new IBAN, then the
    message on the paiement queue (no IBAN in it)."""
    service = Service()
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName=QUEUE_COORDONNEES)["QueueUrl"]
    service.decider = replace(service.decider, paiement=AnnoncesPaiementSqs())
    premiere = service.soumettre(demande_valide(service), service.solution())
    service.decider(premiere.numero, "VALIDEE", None, "g")
    assert "Messages" not in sqs.receive_message(QueueUrl=url)  # a first enrolment
    changement = DemanderChangementCoordonnees(
        service.referentiel,
        service.demandes,
        service.enrolements,
        CompteurRepository(),
        service.stockage,
        service.courriels,
        service.horloge,
        URL,
    )(
        {
            "coordonneesBancaires": {
                "iban": NOUVEL_IBAN,
                "bic": "PSSTFRPPPAR",
                "titulaire": "MEDISOFT SOLUTIONS",
                "domiciliation": "La Banque Postale",
            },
            "sinceriteAttestee": True,
            "documents": service.documents("rib"),
        },
        SIRET,
    )
    lue = service.demandes.lire(changement.numero)  # by number: in clear (gestionnaire)
    assert lue is not None and lue.coordonnees is not None and lue.coordonnees.iban == NOUVEL_IBAN
    (listee,) = [d for d in service.demandes.du_siret(SIRET) if d.numero == changement.numero]
    assert listee.coordonnees is not None and "*" in listee.coordonnees.iban
    service.decider(changement.numero, "VALIDEE", None, "g")
    (message,) = sqs.receive_message(QueueUrl=url)["Messages"]
    recu = CoordonneesBancairesValidees.model_validate_json(message["Body"])
    assert (recu.siret, recu.numeroDemande) == (SIRET, changement.numero)
    assert NOUVEL_IBAN not in message["Body"]
    coordonnees = EnrolementsDynamo().coordonnees(SIRET, "zbuMSS0001")
    assert coordonnees is not None and coordonnees.iban == NOUVEL_IBAN
    assert_aucun_iban_en_clair(NOUVEL_IBAN)
    assert_aucun_iban_en_clair("FR7630006000011234567890189")


def _mot_de_passe(corps: str) -> str:
    trouve = re.search(r"<strong>([^<]+)</strong>", corps)
    assert trouve is not None, corps
    return html.unescape(trouve.group(1))


def test_un_compte_existant_est_etendu(moto: dict[str, Any]) -> None:
    idp = moto["idp"]
    idp.admin_create_user(
        UserPoolId=moto["pool"],
        Username="rep@medisoft.example.fr",
        UserAttributes=[{"Name": "email", "Value": "rep@medisoft.example.fr"}],
        MessageAction="SUPPRESS",
    )
    service = Service()
    confirmation = service.soumettre(demande_valide(service), service.solution())
    demande = service.decider(confirmation.numero, "VALIDEE", None, "g")
    assert demande.decision is not None and demande.decision.compte == "ETENDU"
    assert len(idp.list_users(UserPoolId=moto["pool"])["Users"]) == 1
    compte = service.comptes.par_email("rep@medisoft.example.fr")
    assert compte is not None and compte.siret == SIRET and "editeurs" in compte.groupes


def test_rejet_liste_curseur_et_verrou(moto: dict[str, Any]) -> None:
    service = Service()
    numeros = []
    for numero_ans, siret, nom in [
        ("zbuMSS0001", SIRET, "MEDISOFT SOLUTIONS"),
        ("lgsMS10417", "52871234200013", "LOGICIELS DU SOCIAL"),
        ("acoMS20233", "80245678000013", "ACCOMPAGNEO"),
    ]:
        brut = demande_valide(service, numeroAns=numero_ans, representant=personne(siret))
        brut["demandeur"].update(siret=siret, denominationSociale=nom)
        numeros.append(service.soumettre(brut, service.solution()).numero)
    assert numeros == ["ENR0001M0", "ENR0002M0", "ENR0003M0"]
    service.decider("ENR0002M0", "REJETEE", "Certificat illisible.", "g")
    assert "Rejet" in messages_envoyes()[-1].subject
    assert "Certificat illisible." in messages_envoyes()[-1].body

    lister = ListerDemandes(service.demandes)
    page = lister(None, None, 2)
    assert [d.numero for d in page.demandes] == numeros[:2] and page.curseur_suivant
    suite = lister(None, page.curseur_suivant, 2)
    assert [d.numero for d in suite.demandes] == numeros[2:]
    soumises = lister("SOUMISE", None, 10)
    assert [d.numero for d in soumises.demandes] == ["ENR0001M0", "ENR0003M0"]
    rejetees = lister("REJETEE", None, 10)
    assert [d.statut for d in rejetees.demandes] == [StatutDemandeEnrolement.REJETEE]
    for mauvais in ("xyz", page.curseur_suivant[:-3], "e30"):
        with pytest.raises(CurseurInvalide):
            lister(None, mauvais, 2)
    with pytest.raises(CurseurInvalide):  # a cursor of another listing
        lister("SOUMISE", page.curseur_suivant, 2)

    perimee = service.demandes.lire("ENR0001M0")
    assert perimee is not None
    service.demandes.enregistrer(perimee)
    with pytest.raises(VersionPerimee):
        service.demandes.enregistrer(replace(perimee, statut=StatutDemandeEnrolement.VALIDEE))


def test_document_au_contenu_non_conforme_dans_le_bucket(moto: dict[str, Any]) -> None:
    service = Service()
    brut = demande_valide(service)
    brut["documents"]["rib"] = service.televerser("rib", PNG, "rib.pdf")
    with pytest.raises(DemandeInvalide) as exc:
        service.soumettre(brut, service.solution())
    assert [(x.champ, x.code) for x in exc.value.problemes] == [
        ("documents.rib", "CONTENU_NON_CONFORME")
    ]


def test_une_solution_sert_une_fois(moto: dict[str, Any]) -> None:
    """The conditional PutItem on the data table: once, kept until the challenge expires
    (the table's TTL attribute); a replay writes nothing and is refused."""
    service = Service()
    defi = service.anti_robot.defi()
    solution = resoudre(defi)
    assert service.anti_robot.verifier(solution) is VerdictAntiRobot.VALIDE
    cle = {"PK": {"S": f"ANTIROBOT#{defi['signature']}"}, "SK": {"S": "ANTIROBOT"}}
    item = aws.client("dynamodb").get_item(TableName=TABLE, Key=cle)["Item"]
    assert item["expiration"] == {"N": str(defi["parameters"]["data"]["expire"])}
    assert int(item["expiration"]["N"]) == int((INSTANT + VALIDITE_DEFI).timestamp())
    assert service.anti_robot.verifier(solution) is VerdictAntiRobot.DEJA_UTILISE
    assert aws.client("dynamodb").get_item(TableName=TABLE, Key=cle)["Item"] == item
    with pytest.raises(AntiRobotInvalide):
        service.soumettre(demande_valide(service), solution)


def test_la_cle_hmac_lue_une_fois(moto: dict[str, Any]) -> None:
    """Read once per container; the local runtime makes its own and keeps it."""
    with pytest.raises(SecretAbsent, match="n'existe pas"):
        lire_texte(SECRET_ALTCHA)
    assurer_cle_locale(SECRET_ALTCHA)
    premiere = lire_texte(SECRET_ALTCHA)
    assert len(premiere) >= 48
    assurer_cle_locale(SECRET_ALTCHA)
    assert lire_texte(SECRET_ALTCHA) == premiere
    cle = CleSecretsManager(SECRET_ALTCHA)
    assert cle() == premiere
    aws.client("secretsmanager").put_secret_value(SecretId=SECRET_ALTCHA, SecretString="autre")
    assert cle() == premiere  # kept: no call per challenge
    assert CleSecretsManager(SECRET_ALTCHA)() == "autre"
