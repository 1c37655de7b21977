"""The ZIP of pièces read from S3 (moto): ranged GETs only, each byte fetched once."""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from lecteur_zip import verifier_archive
from services.depot.adapters.sources_zip import SourceFichier, SourceS3, copier_membre
from tests.unit.lecteur_zip import zips

pytestmark = pytest.mark.integration

REGION = "eu-west-3"
BUCKET = "segurnum-depots"
CLE = "editeurs/12345678200010/depots/D1/pieces.zip"


class CorpsCompte:
    """Wraps a StreamingBody: counts the bytes read, and the largest single read."""

    def __init__(self, corps: Any, compteur: ClientCompteur) -> None:
        self._corps = corps
        self._compteur = compteur

    def read(self, amt: int | None = None) -> bytes:
        donnees: bytes = self._corps.read(amt)
        self._compteur.octets += len(donnees)
        self._compteur.plus_grande_lecture = max(self._compteur.plus_grande_lecture, len(donnees))
        return donnees

    def iter_chunks(self, chunk_size: int = 1024) -> Iterator[bytes]:
        while donnees := self.read(chunk_size):
            yield donnees

    def close(self) -> None:
        self._corps.close()


@dataclass
class ClientCompteur:
    """A boto3 S3 client that records each call and counts the bytes fetched."""

    client: Any
    appels: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    octets: int = 0
    plus_grande_lecture: int = 0

    def head_object(self, **parametres: Any) -> Any:
        self.appels.append(("head_object", parametres))
        return self.client.head_object(**parametres)

    def get_object(self, **parametres: Any) -> Any:
        self.appels.append(("get_object", parametres))
        reponse = self.client.get_object(**parametres)
        reponse["Body"] = CorpsCompte(reponse["Body"], self)
        return reponse

    def put_object(self, **parametres: Any) -> Any:
        self.appels.append(("put_object", {k: v for k, v in parametres.items() if k != "Body"}))
        return self.client.put_object(**parametres)

    def gets(self) -> list[dict[str, Any]]:
        return [parametres for nom, parametres in self.appels if nom == "get_object"]


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(variable, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield client


def archive_moyenne() -> bytes:
    """About 1.5 MB: 5 PDFs of 300 KB (incompressible), stored and deflate, plus images."""
    membres = [
        zips.Membre(
            f"MS1_devis-{i:05d}.pdf",
            zips.pdf(remplissage=random.Random(i).randbytes(300_000)),
            methode=0 if i % 2 else 8,
        )
        for i in range(5)
    ]
    membres += [zips.Membre("plan.png", zips.png(64, 64)), zips.Membre("photo.jpg", zips.jpeg())]
    return zips.construire(membres)


def test_verification_par_plages_chaque_octet_une_fois(s3: Any) -> None:
    archive = archive_moyenne()
    s3.put_object(Bucket=BUCKET, Key=CLE, Body=archive)
    compteur = ClientCompteur(s3)

    resultat = verifier_archive(SourceS3(compteur, BUCKET, CLE))

    assert resultat.accepte, resultat.problemes
    assert len(resultat.membres) == 7
    gets = compteur.gets()
    assert all("Range" in parametres for parametres in gets), "jamais de GET sans Range"
    assert all(parametres.get("IfMatch") for parametres in gets)
    # structure: the end of the object (EOCD + central directory); content: ONE ranged GET
    debut_fin = len(archive) - 256 * 1024
    assert gets[0]["Range"] == f"bytes={debut_fin}-{len(archive) - 1}"
    assert gets[1]["Range"] == f"bytes=0-{debut_fin - 1}"
    assert len(gets) == 2
    assert [nom for nom, _ in compteur.appels].count("head_object") == 1
    assert compteur.octets == len(archive)
    assert compteur.plus_grande_lecture <= 1024 * 1024


def test_taille_et_etag_de_l_evenement_sans_head(s3: Any) -> None:
    archive = archive_moyenne()
    etag = s3.put_object(Bucket=BUCKET, Key=CLE, Body=archive)["ETag"]
    compteur = ClientCompteur(s3)

    source = SourceS3(compteur, BUCKET, CLE, taille=len(archive), etag=etag.strip('"'))
    assert verifier_archive(source).accepte
    assert [nom for nom, _ in compteur.appels] == ["get_object", "get_object"]


def test_petite_archive_un_seul_get(s3: Any) -> None:
    archive = zips.archive_valide()
    s3.put_object(Bucket=BUCKET, Key=CLE, Body=archive)
    compteur = ClientCompteur(s3)
    assert verifier_archive(SourceS3(compteur, BUCKET, CLE)).accepte
    assert len(compteur.gets()) == 1
    assert compteur.octets == len(archive)


def test_bombe_refusee_sans_telecharger_les_donnees(s3: Any) -> None:
    archive = zips.bombe_superposee_totale()
    s3.put_object(Bucket=BUCKET, Key=CLE, Body=archive)
    compteur = ClientCompteur(s3)

    resultat = verifier_archive(SourceS3(compteur, BUCKET, CLE))

    assert (None, "MEMBRES_SUPERPOSES") in {(p.fichier, p.code.value) for p in resultat.problemes}
    assert all("Range" in parametres for parametres in compteur.gets())
    assert compteur.octets <= len(archive)


def test_copier_les_membres_acceptes(s3: Any) -> None:
    archive = archive_moyenne()
    etag = s3.put_object(Bucket=BUCKET, Key=CLE, Body=archive)["ETag"]
    resultat = verifier_archive(SourceS3(s3, BUCKET, CLE))
    originaux = zipfile.ZipFile(io.BytesIO(archive))

    for membre in resultat.membres:
        compteur = ClientCompteur(s3)
        cle = f"dossiers/FINMS1000042/pieces/{membre.nom}"
        copier_membre(
            compteur,
            membre,
            bucket=BUCKET,
            cle_archive=CLE,
            bucket_destination=BUCKET,
            cle_destination=cle,
            etag_archive=etag,
            metadonnees={"archive": CLE},
        )
        (get,) = compteur.gets()
        assert get["Range"] == (
            f"bytes={membre.debut_donnees}-{membre.debut_donnees + membre.taille_compressee - 1}"
        )
        assert compteur.octets == membre.taille_compressee
        copie = s3.get_object(Bucket=BUCKET, Key=cle)
        assert copie["Body"].read() == originaux.read(membre.nom)
        assert copie["ContentType"] == membre.type_mime
        assert copie["Metadata"] == {"archive": CLE}


def test_archive_remplacee_pendant_la_copie_refusee(s3: Any) -> None:
    archive = archive_moyenne()
    etag = s3.put_object(Bucket=BUCKET, Key=CLE, Body=archive)["ETag"]
    membre = verifier_archive(SourceS3(s3, BUCKET, CLE, etag=etag)).membres[0]
    s3.put_object(Bucket=BUCKET, Key=CLE, Body=zips.archive_valide())

    with pytest.raises(ClientError) as erreur:
        copier_membre(
            s3,
            membre,
            bucket=BUCKET,
            cle_archive=CLE,
            bucket_destination=BUCKET,
            cle_destination="dossiers/x.pdf",
            etag_archive=etag,
        )
    assert erreur.value.response["Error"]["Code"] in {"PreconditionFailed", "412"}


def test_source_fichier_local(tmp_path: Path) -> None:
    chemin = tmp_path / "pieces.zip"
    chemin.write_bytes(zips.archive_descripteurs())
    with SourceFichier(chemin) as source:
        resultat = verifier_archive(source)
    assert resultat.accepte
    assert [m.nom for m in resultat.membres] == ["a.pdf", "b.png", "c.jpg"]
