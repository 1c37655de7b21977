"""Base of the S3 adapters: one bucket, and a client that tests may give (moto, a fake);
otherwise the bucket named by the settings and the platform's client (shared/aws.py)."""

from __future__ import annotations

from typing import Any

from shared import aws
from shared.settings import settings


class BucketS3:
    # The field of shared.settings.Settings naming this adapter's bucket (a subclass sets it).
    reglage_bucket = "bucket_documents"

    def __init__(self, bucket: str | None = None, client: Any | None = None) -> None:
        self._bucket = bucket
        self._client = client

    @property
    def bucket(self) -> str:
        return self._bucket or str(getattr(settings(), self.reglage_bucket))

    @property
    def client(self) -> Any:
        return self._client if self._client is not None else aws.client("s3")

    @property
    def s3(self) -> Any:
        return self.client
