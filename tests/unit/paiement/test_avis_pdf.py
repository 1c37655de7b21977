"""The avis de paiement: the suivi financier's line of a paid versement, IBAN masked."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from services.paiement.adapters.avis_pdf import avis_signe, rendre_avis
from services.paiement.domain.avis import DonneesAvis, nom_fichier_avis
from shared.campagnes import CAMPAGNE_MS_VAGUE1, TypeDemande, campagne
from shared.identifiants import iban_masque
from shared.montant import Montant
from shared.signature import MaterielSignature, generer_materiel, verifier

IBAN = "FR7630006000011234567890189"


def donnees(**changes: object) -> DonneesAvis:
    base = DonneesAvis(
        beneficiaire="NJJ IMMOBILIER",
        siret="52121449400036",
        numero_asp="FINMSS006702",
        numero_demande="FINMSS006702M0",
        objet="VERSE001",
        type_versement=TypeDemande.AVANCE,
        montant_paye=Montant("6666.67"),
        paye_le=date(2022, 10, 11),
        iban_masque=iban_masque(IBAN),
        emis_le=datetime(2022, 10, 11, 16, 0, tzinfo=UTC),
        programme=campagne(CAMPAGNE_MS_VAGUE1).programme,
        bic="AGRIFRPP",
        reference="FINMSS006702M0-VERSE001-1",
        valide_le=date(2022, 10, 10),
        mis_en_paiement_le=date(2022, 10, 10),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def texte(pdf: bytes) -> str:
    contenu = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    return contenu.replace("\u202f", " ")


def test_l_avis_porte_chaque_valeur_du_suivi_financier() -> None:
    contenu = texte(rendre_avis(donnees()))
    for attendu in [
        "Avis de paiement",
        "Bénéficiaire : NJJ IMMOBILIER",
        "SIRET : 52121449400036",
        "Numéro de la demande : FINMSS006702M0",
        "Objet du versement : VERSE001",
        "Type du versement : AVANCE",
        "Etat du paiement : Paiement effectué",
        "Montant payé : 6 666,67 €",
        "Date de validation : 10/10/2022",
        "Date de mise en paiement : 10/10/2022",
        "Date de paiement effective : 11/10/2022",
        "FR76 **** **** **** **** **** 0189",
        "FINMSS006702M0-VERSE001-1",
    ]:
        assert attendu in contenu, attendu
    assert "au titre de l'avance de la demande" in " ".join(contenu.split())
    # The programme is the campaign's (G1): the médico-social couloir's, not MSSanté's.
    plat = " ".join(contenu.split())
    assert "système ouvert et non sélectif (SONS)" in plat and "MSSanté" not in plat


def test_un_avis_nomme_son_programme() -> None:
    with pytest.raises(ValueError, match="programme"):
        donnees(programme="")


def test_l_iban_complet_n_apparait_nulle_part() -> None:
    pdf = rendre_avis(donnees())
    assert IBAN not in texte(pdf)
    assert "30006000011234567890" not in texte(pdf).replace(" ", "")
    assert IBAN.encode() not in pdf


def test_le_solde() -> None:
    contenu = texte(
        rendre_avis(
            donnees(
                objet="VERSE002",
                type_versement=TypeDemande.SOLDE,
                montant_paye=Montant("15555.56"),
                bic="",
                reference="",
                valide_le=None,
                mis_en_paiement_le=None,
            )
        )
    )
    assert "Type du versement : SOLDE" in contenu
    assert "Montant payé : 15 555,56 €" in contenu
    assert "au titre du solde" in " ".join(contenu.split())
    assert "Date de validation" not in contenu


def test_nom_du_fichier() -> None:
    assert nom_fichier_avis("FINMSS006702M0", "VERSE001") == (
        "avis_paiement_FINMSS006702M0_VERSE001.pdf"
    )
    assert donnees().nom_fichier == "avis_paiement_FINMSS006702M0_VERSE001.pdf"


def test_memes_donnees_memes_octets() -> None:
    assert rendre_avis(donnees()) == rendre_avis(donnees())
    assert rendre_avis(donnees()) != rendre_avis(donnees(paye_le=date(2022, 10, 12)))


class MaterielFixe:
    def __init__(self, materiel: MaterielSignature) -> None:
        self._materiel = materiel

    def materiel(self) -> MaterielSignature:
        return self._materiel


def test_l_avis_signe_se_verifie() -> None:
    source = MaterielFixe(generer_materiel(taille_cle=2048))
    signe = avis_signe(donnees(), source)
    assert verifier(signe, source.materiel().certificat).valide
    assert avis_signe(donnees(), source) == signe


@pytest.mark.parametrize("montant", ["0", "-1"])
def test_un_montant_paye_positif(montant: str) -> None:
    with pytest.raises(ValueError, match="montant payé positif"):
        donnees(montant_paye=Montant(montant))


@pytest.mark.parametrize(
    ("iban", "masque"),
    [
        ("FR7630006000011234567890189", "FR76 **** **** **** **** **** 0189"),
        ("FR76 3000 6000 0112 3456 7890 189", "FR76 **** **** **** **** **** 0189"),
        ("fr7630006000011234567890189", "FR76 **** **** **** **** **** 0189"),
        ("DE89370400440532013000", "DE89 **** **** **** **** 3000"),
        ("BE68539007547034", "BE68 **** **** 7034"),
        ("FR76123", "*******"),
    ],
)
def test_iban_masque(iban: str, masque: str) -> None:
    assert iban_masque(iban) == masque
