"""Implements `StockageFichiers`: bank files in the documents bucket (SSE-S3 by default)."""

from __future__ import annotations

from typing import Any

from shared import aws
from shared.pannes_aws import reessayer
from shared.settings import settings


class StockageS3:
    def __init__(self, bucket: str | None = None, client: Any | None = None) -> None:
        self._bucket = bucket
        self._client = client

    @property
    def bucket(self) -> str:
        return self._bucket or settings().bucket_documents

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("s3")

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
