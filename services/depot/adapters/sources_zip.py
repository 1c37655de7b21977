"""Where the ZIP of pièces is read from: a local file (CLI `--pieces`) or an S3 object.

The S3 source never downloads the whole object into memory: the structure pass uses small
ranged GETs (`Range: bytes=a-b`), the content pass ONE ranged GET read in chunks. Every GET
carries `IfMatch` with the ETag seen first, so an archive replaced under the same key while
it is being checked fails loudly (412) instead of mixing two uploads.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, BinaryIO

from lecteur_zip import MO, MembreArchive, extraire_membre
from shared.pannes_aws import reessayer

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

TAILLE_BLOC = MO


class SourceFichier:
    """A ZIP on the local disk (seekable). Use it as a context manager, or call fermer()."""

    def __init__(self, chemin: str | os.PathLike[str], taille_bloc: int = TAILLE_BLOC) -> None:
        self._fichier: BinaryIO = open(chemin, "rb")  # noqa: SIM115 (closed by fermer)
        self._taille = os.fstat(self._fichier.fileno()).st_size
        self._taille_bloc = taille_bloc

    @property
    def taille(self) -> int:
        return self._taille

    def lire(self, debut: int, longueur: int) -> bytes:
        self._fichier.seek(debut)
        return self._fichier.read(max(0, longueur))

    def flux(self, debut: int, fin: int) -> Iterator[bytes]:
        position = debut
        while position < fin:
            self._fichier.seek(position)  # lire() may have moved it in between
            bloc = self._fichier.read(min(self._taille_bloc, fin - position))
            if not bloc:
                return
            position += len(bloc)
            yield bloc

    def fermer(self) -> None:
        self._fichier.close()

    def __enter__(self) -> SourceFichier:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.fermer()


class SourceS3:
    """An S3 object read by ranges.

    `taille` and `etag` can come from the S3 event record (object.size, object.eTag): then
    no HeadObject is made. Otherwise the first use of `taille` makes one.
    """

    def __init__(
        self,
        client: S3Client,
        bucket: str,
        cle: str,
        *,
        taille: int | None = None,
        etag: str | None = None,
        taille_bloc: int = TAILLE_BLOC,
    ) -> None:
        self._client = client
        self.bucket = bucket
        self.cle = cle
        self._taille = taille
        self.etag = etag
        self._taille_bloc = taille_bloc

    @property
    def taille(self) -> int:
        if self._taille is None:
            reponse = self._client.head_object(**self._parametres())
            self._taille = int(reponse["ContentLength"])
            if self.etag is None:
                self.etag = reponse["ETag"]
        return self._taille

    def _parametres(self, plage: str | None = None) -> dict[str, Any]:
        parametres: dict[str, Any] = {"Bucket": self.bucket, "Key": self.cle}
        if self.etag is not None:
            parametres["IfMatch"] = self.etag
        if plage is not None:
            parametres["Range"] = plage
        return parametres

    def lire(self, debut: int, longueur: int) -> bytes:
        fin = min(debut + longueur, self.taille)
        if fin <= debut:
            return b""
        parametres = self._parametres(f"bytes={debut}-{fin - 1}")

        def lire_plage() -> bytes:
            corps = self._client.get_object(**parametres)["Body"]
            try:
                return bytes(corps.read())
            finally:
                corps.close()

        # A range of a pinned object: replayed as is after a passing failure (the ZIP's
        # check reads hundreds of ranges; one throttled GET must not restart it).
        return reessayer(lire_plage)

    def flux(self, debut: int, fin: int) -> Iterator[bytes]:
        if fin <= debut:
            return
        parametres = self._parametres(f"bytes={debut}-{fin - 1}")
        reponse = reessayer(lambda: self._client.get_object(**parametres))
        corps = reponse["Body"]
        try:
            yield from corps.iter_chunks(self._taille_bloc)
        finally:
            corps.close()


def copier_membre(
    client: S3Client,
    membre: MembreArchive,
    *,
    bucket: str,
    cle_archive: str,
    bucket_destination: str,
    cle_destination: str,
    etag_archive: str | None = None,
    metadonnees: Mapping[str, str] | None = None,
) -> str:
    """Copy one accepted member out of the archive to its own S3 object; returns its ETag.

    Reads only that member's compressed bytes (one ranged GET), inflates it (≤ 3 MB, held
    in memory), checks its size and CRC-32 again, then uploads it with its CRC-32 as the S3
    checksum so S3 verifies it end to end. Raises ExtractionImpossible when the archive no
    longer holds what the check accepted (pass `etag_archive` to make S3 refuse a replaced
    archive outright).
    """
    source = SourceS3(client, bucket, cle_archive, etag=etag_archive)
    contenu = extraire_membre(source, membre)
    reponse = client.put_object(
        Bucket=bucket_destination,
        Key=cle_destination,
        Body=contenu,
        ContentType=membre.type_mime,
        ChecksumCRC32=base64.b64encode(membre.crc.to_bytes(4, "big")).decode("ascii"),
        Metadata=dict(metadonnees or {}),
    )
    return reponse["ETag"]
