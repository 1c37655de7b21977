"""PAdES signing: valid, broken by one changed byte, deterministic; the secret's adapter."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from shared import aws as shared_aws
from shared.documents import nouveau_document
from shared.settings import recharger
from shared.signature import (
    MaterielSignature,
    SignatureImpossible,
    generer_materiel,
    main,
    materiel_depuis_json,
    materiel_en_json,
    signer,
    verifier,
)

INSTANT = datetime(2022, 11, 9, 14, 52, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def materiel() -> MaterielSignature:
    return generer_materiel("Plateforme de test", taille_cle=2048)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    doc = nouveau_document("Décision", "FINM55007206", INSTANT)
    doc.titre("Décision d'attribution")
    doc.champ("Montant financé", "6\u202f666,67\u202f€")
    return doc.en_octets()


@pytest.fixture(scope="module")
def signe(pdf: bytes, materiel: MaterielSignature) -> bytes:
    return signer(pdf, materiel.cle, materiel.certificat, INSTANT)


def test_la_signature_valide(signe: bytes, materiel: MaterielSignature) -> None:
    resultat = verifier(signe, materiel.certificat)
    assert resultat.valide, resultat.motif
    assert resultat.intacte
    assert resultat.signataire == "Plateforme de test"
    assert resultat.instant_signature == INSTANT
    assert resultat.motif is None


def test_le_document_signe_garde_son_texte(signe: bytes) -> None:
    assert "6\u202f666,67\u202f€" in PdfReader(io.BytesIO(signe)).pages[0].extract_text()


def _plage_signee(signe: bytes) -> list[int]:
    """Offsets of the signed bytes (the /ByteRange pairs), without /Contents itself."""
    debut = signe.rindex(b"/ByteRange")
    nombres = signe[signe.index(b"[", debut) + 1 : signe.index(b"]", debut)].split()
    a, la, b, lb = (int(n) for n in nombres)
    return [*range(a, a + la), *range(b, b + lb)]


@pytest.mark.parametrize("position", [0.02, 0.3, 0.5, 0.7, 0.98])
def test_un_octet_change_dans_le_contenu_signe_fait_echouer(
    signe: bytes, materiel: MaterielSignature, position: float
) -> None:
    plage = _plage_signee(signe)
    index = plage[int(len(plage) * position)]
    altere = bytearray(signe)
    altere[index] = altere[index] ^ 0x01 if altere[index] not in b"\r\n" else ord(" ")
    resultat = verifier(bytes(altere), materiel.certificat)
    assert not resultat.valide
    assert resultat.motif


def test_un_octet_change_dans_un_texte_affiche_fait_echouer(
    pdf: bytes, materiel: MaterielSignature
) -> None:
    # Uncompressed, so that the amount's glyphs can be changed in place: "6666,67" is
    # written as glyph ids (6 6 6 6 , 6 7); turning the first 6 into a 7 changes one byte.
    doc = nouveau_document("Décision", "FINM55007206", INSTANT)
    doc.compress = False
    doc.champ("Montant financé", "6666,67")
    signe = signer(doc.en_octets(), materiel.cle, materiel.certificat, INSTANT)
    assert verifier(signe, materiel.certificat).valide
    montant = re.search(rb"\(\x00(.)\x00\1\x00\1\x00\1\x00.\x00\1\x00(.)\) Tj", signe, re.S)
    assert montant is not None
    altere = bytearray(signe)
    altere[montant.start(1)] = signe[montant.start(2)]
    assert "7666,67" in PdfReader(io.BytesIO(bytes(altere))).pages[0].extract_text()
    resultat = verifier(altere, materiel.certificat)
    assert not resultat.valide
    assert not resultat.intacte
    assert resultat.motif == "le contenu signé a été modifié"


def test_un_autre_certificat_de_confiance_refuse(signe: bytes) -> None:
    autre = generer_materiel("Usurpateur", taille_cle=2048)
    resultat = verifier(signe, autre.certificat)
    assert not resultat.valide
    assert resultat.intacte
    assert resultat.motif == "le signataire n'est pas le certificat de confiance"


def test_un_ajout_apres_la_signature_refuse(signe: bytes, materiel: MaterielSignature) -> None:
    resultat = verifier(signe + b"\n% ajout\n", materiel.certificat)
    assert not resultat.valide
    assert resultat.motif == "le fichier a été complété après la signature"


def test_un_pdf_non_signe_ou_illisible(pdf: bytes, materiel: MaterielSignature) -> None:
    assert verifier(pdf, materiel.certificat).motif == "le PDF ne porte aucune signature"
    assert not verifier(b"pas un PDF", materiel.certificat).valide


def test_memes_entrees_memes_octets(pdf: bytes, signe: bytes, materiel: MaterielSignature) -> None:
    assert signer(pdf, materiel.cle, materiel.certificat, INSTANT) == signe
    autre_instant = datetime(2022, 11, 9, 14, 52, 2, tzinfo=UTC)
    assert signer(pdf, materiel.cle, materiel.certificat, autre_instant) != signe


def test_la_cle_doit_correspondre_au_certificat(pdf: bytes, materiel: MaterielSignature) -> None:
    autre = generer_materiel(taille_cle=2048)
    with pytest.raises(SignatureImpossible, match="ne correspond pas"):
        signer(pdf, autre.cle, materiel.certificat, INSTANT)
    with pytest.raises(SignatureImpossible):
        signer(pdf, b"pas une cle", materiel.certificat, INSTANT)
    with pytest.raises(ValueError):
        signer(pdf, materiel.cle, materiel.certificat, datetime(2022, 11, 9))


def test_le_secret_json_fait_l_aller_retour(materiel: MaterielSignature) -> None:
    assert materiel_depuis_json(materiel_en_json(materiel)) == materiel
    for mauvais in ["", "{}", '{"cle": 1, "certificat": 2}', "[]"]:
        with pytest.raises(SignatureImpossible):
            materiel_depuis_json(mauvais)


@pytest.fixture
def secrets_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from moto import mock_aws

    for cle, valeur in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-3",
        "AWS_REGION": "eu-west-3",
    }.items():
        monkeypatch.setenv(cle, valeur)
    monkeypatch.delenv("SEGURNUM_ENDPOINT_URL", raising=False)
    recharger()
    shared_aws.oublier_clients()
    with mock_aws():
        yield
    shared_aws.oublier_clients()
    recharger()


@pytest.mark.integration
def test_secrets_manager_rend_la_paire(
    secrets_moto: None, materiel: MaterielSignature, pdf: bytes
) -> None:
    from shared.secrets_aws import (
        MaterielSecretsManager,
        assurer_materiel_local,
        deposer_materiel,
        lire_materiel,
    )

    with pytest.raises(SignatureImpossible, match="n'existe pas"):
        lire_materiel("segurnum-signature-test")
    # Declared by the template without a value, then filled by the deploy step.
    shared_aws.client("secretsmanager").create_secret(Name="segurnum-signature-test")
    with pytest.raises(SignatureImpossible):
        lire_materiel("segurnum-signature-test")
    deposer_materiel(materiel, "segurnum-signature-test")

    source = MaterielSecretsManager("segurnum-signature-test")
    assert source.materiel() == materiel
    signe = signer(pdf, source.materiel().cle, source.materiel().certificat, INSTANT)
    assert verifier(signe, materiel.certificat).valide

    # The local runtime keeps the pair it finds, and creates one when there is none.
    assert assurer_materiel_local("segurnum-signature-test") == materiel
    nouvelle = assurer_materiel_local("segurnum-signature-locale")
    assert lire_materiel("segurnum-signature-locale") == nouvelle
    assert b"BEGIN CERTIFICATE" in nouvelle.certificat


def test_la_ligne_de_commande(
    tmp_path: Path, signe: bytes, materiel: MaterielSignature, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "decision.pdf").write_bytes(signe)
    (tmp_path / "certificat.pem").write_bytes(materiel.certificat)
    altere = bytearray(signe)
    altere[len(signe) // 4] ^= 0x01
    (tmp_path / "altere.pdf").write_bytes(bytes(altere))
    certificat = str(tmp_path / "certificat.pem")
    assert main([str(tmp_path / "decision.pdf"), certificat]) == 0
    assert "signature valide: Plateforme de test" in capsys.readouterr().out
    assert main([str(tmp_path / "altere.pdf"), certificat]) == 1
    assert "signature NON valide" in capsys.readouterr().out
    assert main([]) == 2
