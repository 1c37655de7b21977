"""S3 notifications delivered through SQS: the objects they announce.

Keys arrive URL-encoded (`/` included), an `s3:TestEvent` arrives when the notification is
configured, and a multipart upload may fire twice: callers must be idempotent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus


@dataclass(frozen=True)
class ObjetRecu:
    bucket: str
    cle: str
    taille: int
    etag: str
    version: str | None
    recu_le: datetime  # S3's event time: when S3 received the object


def objets_recus(corps_sqs: str) -> list[ObjetRecu]:
    try:
        message: dict[str, Any] = json.loads(corps_sqs)
    except ValueError:
        return []
    if message.get("Event") == "s3:TestEvent":
        return []
    objets = []
    for record in message.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        s3 = record["s3"]
        objet = s3["object"]
        objets.append(
            ObjetRecu(
                bucket=s3["bucket"]["name"],
                cle=unquote_plus(objet["key"]),
                taille=int(objet.get("size", 0)),
                etag=str(objet.get("eTag", "")),
                version=objet.get("versionId"),
                recu_le=datetime.fromisoformat(record["eventTime"].replace("Z", "+00:00")),
            )
        )
    return objets
