"""S3 adapter of the dépôt service: presigned POSTs, reading uploads, writing reports.

The presigned POST binds the exact key (éditeur + dépôt), a size range and a short
expiry (`shared.envois`); S3 enforces them on AWS.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from botocore.exceptions import ClientError

from services.depot.application.ports import ObjetLu
from shared.bucket_s3 import BucketS3
from shared.envois import EnvoiAutorise, autoriser_envoi_s3

_INTERVALLE = re.compile(r"bytes \d+-\d+/(\d+)")


class StockageS3(BucketS3):
    """Implements `Stockage` on the dépôts bucket."""

    reglage_bucket = "bucket_depots"

    def autoriser_envoi(self, cle: str, taille_max: int, expiration: timedelta) -> EnvoiAutorise:
        secondes = int(expiration.total_seconds())
        return autoriser_envoi_s3(self.client, self.bucket, cle, taille_max, secondes)

    def lire(
        self, cle: str, version_id: str | None = None, limite: int | None = None
    ) -> ObjetLu | None:
        arguments: dict[str, Any] = {"Bucket": self.bucket, "Key": cle}
        if version_id:
            arguments["VersionId"] = version_id
        if limite is not None:
            # One byte more than allowed: enough for the simulation to say "too large".
            arguments["Range"] = f"bytes=0-{limite}"
        try:
            reponse = self.client.get_object(**arguments)
        except ClientError as erreur:
            code = str(erreur.response.get("Error", {}).get("Code", ""))
            if code in ("NoSuchKey", "NoSuchVersion", "404"):
                return None
            if code == "InvalidRange":  # an empty object has no byte 0
                arguments.pop("Range", None)
                reponse = self.client.get_object(**arguments)
            else:
                raise
        contenu = reponse["Body"].read()
        taille = len(contenu)
        intervalle = _INTERVALLE.fullmatch(str(reponse.get("ContentRange") or ""))
        if intervalle:
            taille = int(intervalle.group(1))
        return ObjetLu(
            contenu=contenu,
            etag=str(reponse.get("ETag", "")).strip('"'),
            version_id=reponse.get("VersionId") if reponse.get("VersionId") != "null" else None,
            taille=taille,
        )

    def ecrire(self, cle: str, contenu: bytes, type_contenu: str = "application/json") -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=cle,
            Body=contenu,
            ContentType=f"{type_contenu}; charset=utf-8"
            if type_contenu.startswith(("application/json", "text/"))
            and "charset" not in type_contenu
            else type_contenu,
        )
