"""An upload the platform authorises: a presigned POST bound to one key, a size range and
a short expiry (S3 enforces them on AWS). One record for every service that hands one out
(dépôt JSON and ZIP, enrolment documents, bank returns), and one way to make it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class EnvoiAutorise:
    """A presigned POST: the form fields to send with the file, to `url`."""

    url: str
    champs: dict[str, str]
    cle: str
    expire_le: datetime
    taille_max: int


def conditions_envoi(taille_max: int) -> list[Any]:
    """The policy conditions besides bucket and key (boto3 adds those two itself): 1 byte
    to `taille_max`. `Content-Type` may be sent (browsers do) but is not required. moto does
    not enforce them: this is what the unit tests inspect, in the policy document itself."""
    return [
        ["content-length-range", 1, taille_max],
        ["starts-with", "$Content-Type", ""],
    ]


def autoriser_envoi_s3(
    s3: Any, bucket: str, cle: str, taille_max: int, secondes: int
) -> EnvoiAutorise:
    """The presigned POST of `cle` in `bucket`, valid `secondes`."""
    presigne = s3.generate_presigned_post(
        Bucket=bucket,
        Key=cle,
        Fields=None,
        Conditions=conditions_envoi(taille_max),
        ExpiresIn=secondes,
    )
    return EnvoiAutorise(
        url=str(presigne["url"]),
        champs={str(k): str(v) for k, v in presigne["fields"].items()},
        cle=cle,
        expire_le=datetime.now(UTC) + timedelta(seconds=secondes),
        taille_max=taille_max,
    )
