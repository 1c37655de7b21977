"""The least-privilege check's evaluator can say no: by action, by resource, by wildcard."""

from __future__ import annotations

import pytest

from tests.privileges.iam import actions_accordees, autorise, correspond

TABLE = "arn:aws:dynamodb:eu-west-3:123456789012:table/segurnum-donnees"
POLITIQUE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"], "Resource": TABLE},
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::segurnum-depots-123456789012/json/*",
        },
        {"Effect": "Allow", "Action": "xray:Put*", "Resource": "*"},
    ],
}


def test_autorise_l_action_sur_la_ressource() -> None:
    assert autorise([POLITIQUE], "dynamodb:GetItem", TABLE)
    assert autorise([POLITIQUE], "DynamoDB:getitem", TABLE)  # actions ignore case
    assert autorise(
        [POLITIQUE], "s3:GetObject", "arn:aws:s3:::segurnum-depots-123456789012/json/a/b.json"
    )
    assert autorise([POLITIQUE], "xray:PutTraceSegments", "*")


def test_refuse_une_action_non_accordee() -> None:
    assert not autorise([POLITIQUE], "dynamodb:PutItem", TABLE)
    assert not autorise(
        [POLITIQUE], "s3:PutObject", "arn:aws:s3:::segurnum-depots-123456789012/json/a"
    )


def test_refuse_une_autre_ressource() -> None:
    assert not autorise([POLITIQUE], "dynamodb:GetItem", TABLE + "-bis")
    assert not autorise([POLITIQUE], "dynamodb:GetItem", TABLE + "/index/GSI1")
    assert not autorise(
        [POLITIQUE], "s3:GetObject", "arn:aws:s3:::segurnum-depots-123456789012/pieces/a.zip"
    )
    # resources are case-sensitive
    assert not autorise([POLITIQUE], "dynamodb:GetItem", TABLE.upper())


def test_jokers_iam_et_non_fnmatch() -> None:
    assert correspond("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y:z")
    assert correspond("a?c", "abc") and not correspond("a?c", "abbc")
    assert not correspond("arn:aws:s3:::b[12]", "arn:aws:s3:::b1")  # `[` is literal in IAM
    assert correspond("arn:aws:s3:::b[12]", "arn:aws:s3:::b[12]")


def test_ce_qui_n_est_pas_evalue_est_refuse_plutot_que_devine() -> None:
    for declaration in (
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"},
        {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {}},
    ):
        with pytest.raises(ValueError, match="non évaluée"):
            autorise([{"Statement": [declaration]}], "s3:GetObject", "arn:aws:s3:::b/k")


def test_actions_accordees() -> None:
    assert actions_accordees([POLITIQUE]) == {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "s3:GetObject",
        "xray:Put*",
    }
