"""The bucket of enrolment documents (identity, bank: sensitive). Its own bucket and KMS
key (infra/resources.yaml), name from `SEGURNUM_BUCKET_ENROLEMENT`.

The presigned POST binds the exact key, a size range (1 byte – 4 Mo) and a short expiry:
S3 enforces them on AWS (moto does not: the submission checks size and content again).
"""

from __future__ import annotations

from datetime import timedelta

from botocore.exceptions import ClientError

from services.enrolment.application.ports import EnvoiAutorise
from shared.bucket_s3 import BucketS3
from shared.envois import autoriser_envoi_s3
from shared.settings import settings

BUCKET_PAR_DEFAUT = "segurnum-enrolement"


def bucket_enrolement() -> str:
    return settings().bucket_enrolement


class StockageDocuments(BucketS3):
    """Implements `Stockage`."""

    reglage_bucket = "bucket_enrolement"

    def autoriser_envoi(self, cle: str, taille_max: int, expiration: timedelta) -> EnvoiAutorise:
        secondes = int(expiration.total_seconds())
        return autoriser_envoi_s3(self.client, self.bucket, cle, taille_max, secondes)

    def lire(self, cle: str, limite: int) -> bytes | None:
        arguments = {"Bucket": self.bucket, "Key": cle, "Range": f"bytes=0-{limite}"}
        try:
            reponse = self.client.get_object(**arguments)
        except ClientError as erreur:
            code = str(erreur.response.get("Error", {}).get("Code", ""))
            if code in ("NoSuchKey", "404"):
                return None
            if code != "InvalidRange":  # an empty object has no byte 0
                raise
            del arguments["Range"]
            reponse = self.client.get_object(**arguments)
        return bytes(reponse["Body"].read())

    def copier(self, source: str, destination: str) -> None:
        self.client.copy_object(
            Bucket=self.bucket,
            Key=destination,
            CopySource={"Bucket": self.bucket, "Key": source},
        )

    def autoriser_lecture(self, cle: str, expiration: timedelta) -> str:
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": cle},
                ExpiresIn=int(expiration.total_seconds()),
            )
        )
