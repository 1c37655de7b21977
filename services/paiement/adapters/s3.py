"""Implements `StockageFichiers`: bank files in the documents bucket (SSE-S3 by default)."""

from __future__ import annotations

from shared.bucket_s3 import BucketS3
from shared.pannes_aws import reessayer


class StockageS3(BucketS3):
    reglage_bucket = "bucket_documents"

    def deposer(self, cle: str, contenu: bytes, type_contenu: str) -> None:
        # The same bytes to the same key: safe to replay after a passing failure.
        reessayer(
            lambda: self.client.put_object(
                Bucket=self.bucket, Key=cle, Body=contenu, ContentType=type_contenu
            )
        )

    def lire(self, cle: str) -> bytes:
        reponse = self.client.get_object(Bucket=self.bucket, Key=cle)
        contenu: bytes = reponse["Body"].read()
        return contenu
