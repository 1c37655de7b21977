"""PAdES signature of the platform's documents (pyHanko) and its verification.

An RSA PKCS#1 v1.5 / SHA-256 signature is deterministic. pyHanko adds three variable
values to the signed revision: the signing time (current time), the /ModDate and the
second half of the file's /ID (16 random bytes). Here the signing time and /ModDate are
the business instant given, and the second half of the /ID is derived from the input
PDF and that instant: signing the same PDF twice at the same instant gives the same
bytes. This rests on two internal methods of pyHanko, hence the version pinned exactly
in pyproject.toml; a test compares two signatures byte for byte.

The material (private key and certificate, PEM) comes from a secret: see
shared/secrets_aws.py on AWS; generer_materiel() makes a self-signed pair for the local
runtime and the tests.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from shared.horloge import exiger_fuseau

CHAMP_SIGNATURE = "SignaturePlateforme"
NOM_LOCAL = "Plateforme Ségur numérique (runtime local)"


class SignatureImpossible(RuntimeError):
    """The signing material is unreadable or does not match."""


@dataclass(frozen=True)
class MaterielSignature:
    """Private key (PKCS#8, PEM, unencrypted) and X.509 certificate (PEM)."""

    cle: bytes
    certificat: bytes


def materiel_en_json(materiel: MaterielSignature) -> str:
    """The secret's value: {"cle": "<PEM PKCS#8>", "certificat": "<PEM X.509>"}."""
    return json.dumps(
        {"cle": materiel.cle.decode("ascii"), "certificat": materiel.certificat.decode("ascii")}
    )


def materiel_depuis_json(texte: str) -> MaterielSignature:
    try:
        valeur = json.loads(texte)
        cle, certificat = valeur["cle"], valeur["certificat"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SignatureImpossible(
            'le secret de signature doit être {"cle": "<PEM>", "certificat": "<PEM>"}'
        ) from exc
    if not isinstance(cle, str) or not isinstance(certificat, str):
        raise SignatureImpossible("la clé et le certificat du secret sont des textes PEM")
    return MaterielSignature(cle=cle.encode("ascii"), certificat=certificat.encode("ascii"))


class SourceMaterielSignature(Protocol):
    """Port: where the signing material comes from (Secrets Manager on AWS)."""

    def materiel(self) -> MaterielSignature: ...


@dataclass(frozen=True)
class ResultatVerification:
    valide: bool
    """Vrai seulement si la signature est intègre, cryptographiquement valide, émise par le
    certificat de confiance et couvre tout le fichier (rien n'a été ajouté après elle)."""
    intacte: bool
    """Le contenu signé n'a pas changé d'un octet."""
    signataire: str | None
    instant_signature: datetime | None
    motif: str | None = None
    """Pourquoi la signature n'est pas valide (None si elle l'est)."""


def generer_materiel(
    nom: str = NOM_LOCAL,
    *,
    debut: datetime = datetime(2020, 1, 1, tzinfo=UTC),
    duree: timedelta = timedelta(days=365 * 25),
    taille_cle: int = 3072,
) -> MaterielSignature:
    """An RSA key and a self-signed certificate (local runtime, tests).

    The certificate is valid from 2020 by default: the local runtime shifts its clock to
    past campaign dates, and the signing time must fall within its validity.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    cle = rsa.generate_private_key(public_exponent=65537, key_size=taille_cle)
    sujet = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Plateforme Ségur numérique"),
            x509.NameAttribute(NameOID.COMMON_NAME, nom),
        ]
    )
    debut = exiger_fuseau(debut)
    certificat = (
        x509.CertificateBuilder()
        .subject_name(sujet)
        .issuer_name(sujet)
        .public_key(cle.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(debut)
        .not_valid_after(debut + duree)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(cle.public_key()), False)
        .sign(cle, hashes.SHA256())
    )
    return MaterielSignature(
        cle=cle.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificat=certificat.public_bytes(serialization.Encoding.PEM),
    )


def _charger_certificat(pem: bytes) -> Any:
    from pyhanko.keys import load_certs_from_pemder_data

    try:
        certificats = list(load_certs_from_pemder_data(pem))
    except ValueError as exc:
        raise SignatureImpossible(f"certificat illisible: {exc}") from exc
    if len(certificats) != 1:
        raise SignatureImpossible(f"un seul certificat attendu, {len(certificats)} reçus")
    return certificats[0]


def _ecrivain_fige(pdf: bytes, instant: datetime) -> Any:
    """An IncrementalPdfFileWriter whose /ModDate and /ID depend only on the inputs."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class EcrivainFige(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            super()._update_meta()  # type: ignore[no-untyped-call]
            info = self._info.get_object() if self._info is not None else None  # type: ignore[no-untyped-call]
            if info is not None and "/ModDate" in info:
                info["/ModDate"] = generic.pdf_date(instant)

    ecrivain = EcrivainFige(io.BytesIO(pdf))
    empreinte = hashlib.sha256(pdf + instant.isoformat().encode()).digest()[:16]
    premier, _ = ecrivain._document_id
    ecrivain._document_id = generic.ArrayObject([premier, generic.ByteStringObject(empreinte)])
    return ecrivain


def signer(
    pdf: bytes,
    cle: bytes,
    certificat: bytes,
    instant: datetime,
    *,
    raison: str = "Document émis par la plateforme Ségur numérique",
) -> bytes:
    """The signed PDF (PAdES B-B, invisible signature) at the given business instant."""
    from cryptography.hazmat.primitives import serialization
    from pyhanko.keys import load_private_key_from_pemder_data
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    instant = exiger_fuseau(instant)
    cert = _charger_certificat(certificat)
    try:
        cle_privee = load_private_key_from_pemder_data(cle, passphrase=None)
        publique = (
            serialization.load_pem_private_key(cle, password=None)
            .public_key()
            .public_bytes(
                serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    except (ValueError, TypeError) as exc:
        raise SignatureImpossible(f"clé privée illisible: {exc}") from exc
    if publique != cert.public_key.dump():
        raise SignatureImpossible("la clé privée ne correspond pas au certificat")

    signataire = signers.SimpleSigner(
        signing_cert=cert,
        signing_key=cle_privee,
        cert_registry=SimpleCertificateStore.from_certs([cert]),  # type: ignore[no-untyped-call]
    )
    meta = signers.PdfSignatureMetadata(
        field_name=CHAMP_SIGNATURE,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=raison,
    )

    class SignataireAInstant(signers.PdfSigner):
        # pyHanko takes the signing time from the system clock; the business instant is used.
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = instant
            return session

    sortie = SignataireAInstant(meta, signer=signataire).sign_pdf(_ecrivain_fige(pdf, instant))
    return bytes(sortie.getvalue())


def verifier(pdf: bytes, certificat_de_confiance: bytes) -> ResultatVerification:
    """Verifies the PDF's (last) signature against the platform's certificate."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    confiance = _charger_certificat(certificat_de_confiance)
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception as exc:  # a damaged file is an answer, not a crash
        return ResultatVerification(False, False, None, None, f"PDF illisible: {exc}")
    if not signatures:
        return ResultatVerification(False, False, None, None, "le PDF ne porte aucune signature")
    contexte = ValidationContext(trust_roots=[confiance], allow_fetching=False)
    try:
        statut = validate_pdf_signature(signatures[-1], signer_validation_context=contexte)
    except (SignatureValidationError, ValueError, KeyError) as exc:
        return ResultatVerification(False, False, None, None, f"signature invalide: {exc}")
    signataire = statut.signing_cert.subject.native.get("common_name")
    couvre_tout = statut.coverage == SignatureCoverageLevel.ENTIRE_FILE
    motif = None
    if not statut.intact:
        motif = "le contenu signé a été modifié"
    elif not statut.valid:
        motif = "la signature ne correspond pas au contenu"
    elif not statut.trusted:
        motif = "le signataire n'est pas le certificat de confiance"
    elif not couvre_tout:
        motif = "le fichier a été complété après la signature"
    return ResultatVerification(
        valide=motif is None and statut.bottom_line,
        intacte=bool(statut.intact),
        signataire=signataire,
        instant_signature=statut.signer_reported_dt,
        motif=motif if motif or statut.bottom_line else "signature non conforme",
    )


def main(arguments: list[str] | None = None) -> int:
    """python -m shared.signature document.pdf certificat.pem: 0 if the signature is valid."""
    import sys
    from pathlib import Path

    args = sys.argv[1:] if arguments is None else arguments
    if len(args) != 2:
        print("usage: python -m shared.signature document.pdf certificat.pem", file=sys.stderr)
        return 2
    resultat = verifier(Path(args[0]).read_bytes(), Path(args[1]).read_bytes())
    if resultat.valide:
        instant = resultat.instant_signature.isoformat() if resultat.instant_signature else "?"
        print(f"signature valide: {resultat.signataire}, signé le {instant}")
        return 0
    print(f"signature NON valide: {resultat.motif}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
