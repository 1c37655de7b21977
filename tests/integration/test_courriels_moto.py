"""shared.courriels on moto: the acceptance courriel through SES v2 (in moto's backend), the
claim in DynamoDB preventing a second send, the journal listing it on the dossier."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from shared import aws
from shared.campagnes import TypeDemande
from shared.courriels.composition import courrier
from shared.courriels.contrat import (
    PEREMPTION_RESERVATION,
    CleEnvoi,
    CourrielEnvoye,
    EnvoiImpossible,
    StatutEnvoi,
)
from shared.courriels.dossier import (
    DemandeNotifiee,
    TransitionCourriel,
    avis_decidee,
    cle_transition,
)
from shared.courriels.dynamodb import JournalCourrielsDynamo, ReservationsDynamo
from shared.courriels.envoi import Courrier
from shared.courriels.redaction import RedactionJinja
from shared.courriels.ses import ExpediteurSes
from shared.horloge import PARIS, HorlogeFixe
from shared.settings import recharger

pytestmark = pytest.mark.integration

REGION = "eu-west-3"
TABLE = "segurnum-donnees"
EXPEDITEUR = "ne-pas-repondre@segurnum.example.fr"
DESTINATAIRE = "op-av.ms@outlook.com"
DEMANDE = DemandeNotifiee(
    numero_asp="FINM55007206",
    type_demande=TypeDemande.AVANCE,
    siret="39177919600040",
    depose_le=datetime(2022, 11, 9, 10, 0, tzinfo=PARIS),
    url_portail="https://segurnum.example.fr",
)


@pytest.fixture
def ddb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for variable in ("SEGURNUM_ENDPOINT_URL", "SEGURNUM_TABLE_DONNEES"):
        monkeypatch.delenv(variable, raising=False)
    # The sender has no default: the handlers' is the environment's (shared/settings.py).
    monkeypatch.setenv("SEGURNUM_EXPEDITEUR", EXPEDITEUR)
    for variable, valeur in {
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }.items():
        monkeypatch.setenv(variable, valeur)
    recharger()
    aws.oublier_clients()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName=TABLE,
            AttributeDefinitions=[
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"},
            ],
            KeySchema=[
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        boto3.client("ses", region_name=REGION).verify_email_identity(EmailAddress=EXPEDITEUR)
        yield client
    aws.oublier_clients()
    recharger()


def messages_envoyes() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def courrier_moto(ddb: Any, horloge: HorlogeFixe, sesv2: Any | None = None) -> Courrier:
    return Courrier(
        expediteur=ExpediteurSes(EXPEDITEUR, sesv2 or boto3.client("sesv2", region_name=REGION)),
        redaction=RedactionJinja(),
        reservations=ReservationsDynamo(TABLE, ddb),
        horloge=horloge,
    )


def test_acceptation_envoyee_une_fois_et_listee_sur_le_dossier(ddb: Any) -> None:
    horloge = HorlogeFixe(datetime(2022, 11, 9, 15, 52, 1, tzinfo=PARIS))
    cle = cle_transition(DEMANDE, TransitionCourriel.DECIDEE)

    premier = courrier_moto(ddb, horloge).envoyer_une_fois(
        cle, [DESTINATAIRE], avis_decidee(DEMANDE), dossiers=[DEMANDE.numero_asp]
    )
    # A retry (another Lambda invocation, new clients) sends nothing.
    second = courrier_moto(ddb, horloge).envoyer_une_fois(
        cle, [DESTINATAIRE], avis_decidee(DEMANDE), dossiers=[DEMANDE.numero_asp]
    )

    assert premier.statut is StatutEnvoi.ENVOYE
    assert second.statut is StatutEnvoi.DEJA_ENVOYE
    (message,) = messages_envoyes()
    assert message.source == EXPEDITEUR
    assert message.destinations["ToAddresses"] == [DESTINATAIRE]
    assert message.subject.startswith(
        "Acceptation de votre demande de financement dans le cadre du financement des "
        "opérateurs MSSanté FINM55007206 déposé le 09/11/2022 pour le SIRET 39177919600040."
    )
    assert "https://segurnum.example.fr/" in message.body

    reservation = ReservationsDynamo(TABLE, ddb).reservation(cle)
    assert reservation is not None
    assert (reservation["PK"], reservation["SK"]) == (
        "DOSSIER#FINM55007206",
        "ENVOI#AVANCE#DECIDEE",
    )
    assert reservation["messageId"] == premier.message_id

    (consigne,) = JournalCourrielsDynamo(TABLE, ddb).courriels_du_dossier("FINM55007206")
    assert consigne.date_envoi == "09/11/2022 15:52:01"
    assert consigne.destinataire == DESTINATAIRE
    assert consigne.objet == message.subject
    assert consigne.corps.startswith("Madame, Monsieur,\n\nVous avez déposé une demande")
    assert consigne.message_id == premier.message_id
    assert consigne == premier.consignes[0]


def test_un_refus_de_ses_libere_la_reservation(ddb: Any) -> None:
    horloge = HorlogeFixe(datetime(2022, 11, 9, 15, 52, tzinfo=PARIS))
    cle = cle_transition(DEMANDE, TransitionCourriel.DECIDEE)
    # The sender's identity is not verified in this SES: SendEmail is refused.
    en_panne = Courrier(
        expediteur=ExpediteurSes("inconnu@ailleurs.example", boto3.client("sesv2", REGION)),
        redaction=RedactionJinja(),
        reservations=ReservationsDynamo(TABLE, ddb),
        horloge=horloge,
    )
    with pytest.raises(EnvoiImpossible):
        en_panne.envoyer_une_fois(
            cle, [DESTINATAIRE], avis_decidee(DEMANDE), dossiers=[DEMANDE.numero_asp]
        )
    assert ReservationsDynamo(TABLE, ddb).reservation(cle) is None
    assert JournalCourrielsDynamo(TABLE, ddb).courriels_du_dossier("FINM55007206") == []

    reprise = courrier_moto(ddb, horloge).envoyer_une_fois(
        cle, [DESTINATAIRE], avis_decidee(DEMANDE), dossiers=[DEMANDE.numero_asp]
    )
    assert reprise.statut is StatutEnvoi.ENVOYE
    assert len(messages_envoyes()) == 1


def test_une_reservation_confirmee_n_est_jamais_liberee(ddb: Any) -> None:
    reservations = ReservationsDynamo(TABLE, ddb)
    cle = cle_transition(DEMANDE, TransitionCourriel.REJETEE)
    instant = datetime(2022, 11, 9, 15, 52, tzinfo=PARIS)
    assert reservations.reserver(cle, "objet", instant, "envoi-1") is True
    # The same send's write replayed (its first answer lost): its own claim.
    assert reservations.reserver(cle, "objet", instant, "envoi-1") is True
    assert reservations.reserver(cle, "objet", instant, "envoi-2") is False
    reservations.liberer(cle, "envoi-2")  # not its claim
    assert reservations.reservation(cle) is not None
    reservations.confirmer(cle, "m-1", instant, ())
    reservations.liberer(cle, "envoi-1")
    assert reservations.reservation(cle) is not None
    # Confirmed: never taken over, however old.
    plus_tard = instant + PEREMPTION_RESERVATION + timedelta(hours=1)
    assert reservations.reserver(cle, "objet", plus_tard, "envoi-3") is False


def test_une_reservation_abandonnee_est_reprise_apres_peremption(ddb: Any) -> None:
    reservations = ReservationsDynamo(TABLE, ddb)
    cle = cle_transition(DEMANDE, TransitionCourriel.A_MODIFIER)
    instant = datetime(2022, 11, 9, 15, 52, tzinfo=PARIS)
    assert reservations.reserver(cle, "objet", instant, "mort")
    juste_avant = instant + PEREMPTION_RESERVATION - timedelta(seconds=1)
    assert not reservations.reserver(cle, "objet", juste_avant, "vivant")
    apres = instant + PEREMPTION_RESERVATION + timedelta(seconds=1)
    assert reservations.reserver(cle, "objet", apres, "vivant")


def test_confirmation_et_journal_ensemble_au_dela_d_une_transaction(ddb: Any) -> None:
    """A courriel listed on 150 dépôts: the records beyond one transaction go first, the
    last 99 with the confirmation; every record is written."""
    reservations = ReservationsDynamo(TABLE, ddb)
    cle = CleEnvoi("CAMPAGNE#MS-VAGUE1", "RAPPEL#AVANCE#FERMETURE#1")
    instant = datetime(2022, 11, 9, 15, 52, tzinfo=PARIS)
    assert reservations.reserver(cle, "objet", instant, "envoi")
    consignes = [
        CourrielEnvoye(
            envoye_le=instant,
            destinataires=(DESTINATAIRE,),
            objet="o",
            corps="c",
            message_id="m",
            id_depot=f"dep-{n}",
        )
        for n in range(150)
    ]
    reservations.confirmer(cle, "m", instant, consignes)
    journal = JournalCourrielsDynamo(TABLE, ddb)
    assert all(len(journal.courriels_du_depot(f"dep-{n}")) == 1 for n in range(150))
    assert (reservations.reservation(cle) or {}).get("messageId") == "m"


def test_composition_des_handlers(ddb: Any) -> None:
    """`courrier()` as the handlers build it: clients from shared.aws, names from settings."""
    from shared.aws import client

    horloge = HorlogeFixe(datetime(2022, 11, 9, 15, 52, tzinfo=PARIS))
    appels: list[str] = []
    client("dynamodb").meta.events.register(
        "before-call.dynamodb", lambda model, **_: appels.append(model.name)
    )
    cle = cle_transition(DEMANDE, TransitionCourriel.DECIDEE)
    envoi = courrier(horloge).envoyer_une_fois(
        cle,
        [DESTINATAIRE],
        avis_decidee(DEMANDE),
        dossiers=[DEMANDE.numero_asp, "FINM55007207"],
    )
    assert envoi.statut is StatutEnvoi.ENVOYE
    # the claim, then its confirmation and the two records in one transaction
    assert appels == ["PutItem", "TransactWriteItems"]
    reservation = ReservationsDynamo().reservation(cle)
    assert reservation is not None
    assert reservation["messageId"] == envoi.message_id
    assert reservation["objet"] == envoi.consignes[0].objet
    assert reservation["reserveLe"] == "2022-11-09T14:52:00+00:00"
    assert reservation["envoyeLe"] == "2022-11-09T14:52:00+00:00"
    journal = JournalCourrielsDynamo()
    assert [c.numero_asp for c in journal.courriels_du_dossier("FINM55007206")] == ["FINM55007206"]
    assert len(journal.courriels_du_dossier("FINM55007207")) == 1
    assert len(messages_envoyes()) == 1
