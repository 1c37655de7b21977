"""One source of truth: the local runtime provisions what resources.yaml declares, and
every deadline of every campaign has its schedule."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from moto import mock_aws

from infra.local import cfn
from shared.campagnes import campagnes


@pytest.fixture(scope="module")
def provisionne() -> Iterator[dict[str, Any]]:
    from infra.local import shim
    from infra.local.provision import Provisionneur
    from shared.aws import client, oublier_clients
    from shared.settings import recharger

    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "t",
            "AWS_SECRET_ACCESS_KEY": "t",
            "AWS_REGION": "eu-west-3",
            "AWS_DEFAULT_REGION": "eu-west-3",
        }
    )
    os.environ.pop("SEGURNUM_ENDPOINT_URL", None)
    recharger()
    oublier_clients()
    with mock_aws():
        shim.installer()
        try:
            Provisionneur().tout()
            sch = client("scheduler")
            yield {
                "tables": set(client("dynamodb").list_tables()["TableNames"]),
                "buckets": {b["Name"] for b in client("s3").list_buckets()["Buckets"]},
                "queues": {u.rsplit("/", 1)[1] for u in client("sqs").list_queues()["QueueUrls"]},
                "machines": {
                    m["name"]
                    for m in client("stepfunctions").list_state_machines()["stateMachines"]
                },
                "schedules": {
                    s["Name"]: sch.get_schedule(Name=s["Name"])
                    for s in sch.list_schedules()["Schedules"]
                },
                "fonctions": {
                    f["FunctionName"] for f in client("lambda").list_functions()["Functions"]
                },
                "mappings": client("lambda").list_event_source_mappings()["EventSourceMappings"],
            }
        finally:
            shim.desinstaller()
            oublier_clients()


def _noms(type_cfn: str, propriete: str) -> set[str]:
    r = cfn.Resolveur({})
    return {r.resoudre(p["Properties"][propriete]) for p in cfn.ressources(type_cfn).values()}


def test_memes_tables(provisionne: dict[str, Any]) -> None:
    assert provisionne["tables"] == _noms("AWS::DynamoDB::Table", "TableName")


def test_memes_buckets(provisionne: dict[str, Any]) -> None:
    assert provisionne["buckets"] == _noms("AWS::S3::Bucket", "BucketName")


def test_memes_queues(provisionne: dict[str, Any]) -> None:
    assert provisionne["queues"] == _noms("AWS::SQS::Queue", "QueueName")


def test_memes_machines_a_etats(provisionne: dict[str, Any]) -> None:
    assert provisionne["machines"] == _noms("AWS::Serverless::StateMachine", "Name")


def test_memes_schedules(provisionne: dict[str, Any]) -> None:
    assert set(provisionne["schedules"]) == _noms("AWS::Scheduler::Schedule", "Name")


def test_chaque_file_sqs_a_son_handler(provisionne: dict[str, Any]) -> None:
    from infra.local.provision import fonctions_chalice

    assert provisionne["fonctions"] == {f["nom"] for f in fonctions_chalice().values()}
    files = {m["EventSourceArn"].rsplit(":", 1)[1] for m in provisionne["mappings"]}
    assert {"segurnum-depot-json", "segurnum-depot-zip", "segurnum-depot-import"} <= files
    # every queue a handler reads is declared (with its DLQ), and each has one handler
    declarees = _noms("AWS::SQS::Queue", "QueueName")
    assert files <= declarees
    assert len(provisionne["mappings"]) == len(files)


def _echeances(schedules: dict[str, Any]) -> set[tuple[str, str, datetime]]:
    resultat = set()
    for s in schedules.values():
        cible = json.loads(s["Target"]["Input"])
        if "rappel" in cible or not s["ScheduleExpression"].startswith("at("):
            continue  # a reminder, or a recurring schedule (the SEPA batch)
        quand = datetime.fromisoformat(s["ScheduleExpression"][3:-1]).replace(
            tzinfo=ZoneInfo(s["ScheduleExpressionTimezone"])
        )
        resultat.add((cible["campagne"], cible["typeDemande"], quand))
    return resultat


def test_chaque_echeance_de_chaque_campagne_a_sa_fermeture(provisionne: dict[str, Any]) -> None:
    attendues = {
        (c.id, t, e)
        for c in campagnes()
        for t, e in (("AVANCE", c.echeance_avance), ("SOLDE", c.echeance_solde))
    }
    # In the local runtime…
    assert _echeances(provisionne["schedules"]) == attendues
    # …and in resources.yaml, with Paris time, a DLQ and a retry policy.
    r = cfn.Resolveur(
        {
            "DepotFermerGuichet": "f",
            "DepotRappelGuichet": "r",
            "PaiementLancerLot": "p",
            "InstructionReconcilier": "c",
        }
    )
    declares = {
        p["Properties"]["Name"]: r.resoudre(p["Properties"])
        for p in cfn.ressources("AWS::Scheduler::Schedule").values()
    }
    assert _echeances(declares) == attendues
    for s in declares.values():
        assert s["ScheduleExpressionTimezone"] == "Europe/Paris"
        assert s["Target"]["DeadLetterConfig"]["Arn"]
        assert s["Target"]["RetryPolicy"]["MaximumRetryAttempts"] > 0


def test_rappels_j7_et_j1_pour_chaque_echeance(provisionne: dict[str, Any]) -> None:
    rappels = {
        (
            json.loads(s["Target"]["Input"])["typeDemande"],
            json.loads(s["Target"]["Input"])["rappel"],
        )
        for s in provisionne["schedules"].values()
        if "rappel" in json.loads(s["Target"]["Input"])
    }
    assert rappels == {(t, r) for t in ("AVANCE", "SOLDE") for r in ("J-7", "J-1")}


def _getatt(tag: Any) -> str:
    """The logical id of a `!GetAtt Id.Attribut`."""
    assert tag.nom == "GetAtt", tag.nom
    return str(tag.valeur).split(".")[0]


def test_chaque_dlq_a_son_alarme_vers_l_exploitation() -> None:
    """A message in a DLQ is work that failed for good: an alarm on each DLQ tells the
    operators' topic as soon as one lands there (nothing waits unseen)."""
    files = cfn.ressources("AWS::SQS::Queue")
    dlqs = {
        id_logique
        for id_logique, q in files.items()
        if q["Properties"]["QueueName"].endswith("-dlq")
    }
    # every queue's redrive target is one of them; the scheduler's too
    cibles = {
        _getatt(q["Properties"]["RedrivePolicy"]["deadLetterTargetArn"])
        for q in files.values()
        if "RedrivePolicy" in q["Properties"]
    }
    assert cibles <= dlqs and "SchedulerDLQ" in dlqs
    surveillees = set()
    for alarme in cfn.ressources("AWS::CloudWatch::Alarm").values():
        p = alarme["Properties"]
        if p.get("MetricName") != "ApproximateNumberOfMessagesVisible":
            continue  # the other alarms: tests/infra/test_gabarit.py
        assert p["Namespace"] == "AWS/SQS"
        assert (p["ComparisonOperator"], p["Threshold"]) == ("GreaterThanThreshold", 0)
        assert [(a.nom, a.valeur) for a in p["AlarmActions"]] == [("Ref", "AlertesTopic")]
        surveillees.add(_getatt(p["Dimensions"][0]["Value"]))
    assert surveillees == dlqs
