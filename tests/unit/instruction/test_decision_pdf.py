"""The décision d'attribution: every number of the récapitulatif, signed, same bytes twice."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from services.instruction.adapters.decision_pdf import decision_signee, rendre_decision
from services.instruction.domain.decision import (
    DonneesDecision,
    EtablissementFinance,
    nom_fichier_decision,
)
from shared.campagnes import CAMPAGNE_MS_VAGUE1, TypeDemande, VoiesDeRecours, campagne
from shared.montant import Montant
from shared.signature import MaterielSignature, generer_materiel, verifier

DECIDE_LE = datetime(2022, 11, 9, 14, 52, 1, tzinfo=UTC)  # 15:52:01 in Paris
MS = campagne(CAMPAGNE_MS_VAGUE1)


class MaterielFixe:
    def __init__(self, materiel: MaterielSignature) -> None:
        self._materiel = materiel
        self.lectures = 0

    def materiel(self) -> MaterielSignature:
        self.lectures += 1
        return self._materiel


@pytest.fixture(scope="module")
def source() -> MaterielFixe:
    return MaterielFixe(generer_materiel("Plateforme de test", taille_cle=2048))


def donnees(nombre: int = 2, **changes: object) -> DonneesDecision:
    base = DonneesDecision(
        numero_asp="FINM55007206",
        type_demande=TypeDemande.AVANCE,
        siret="39177919600040",
        denomination_sociale="PROCVIS IMMOBILIER",
        adresse="87 CHEM DE MONS 59009 VILLENEUVE D ASCQ",
        numero_ans="zbuM550046",
        couloir="MSSANTE",
        campagne="Ségur vague 2",
        taux_tva=Decimal(20),
        etablissements=tuple(
            EtablissementFinance(f"59{i:07d}", f"EHPAD Les Tilleuls {i}") for i in range(nombre)
        ),
        montant_finance=Montant("22222.23"),
        avance=Montant("6666.67"),
        depose_le=date(2022, 11, 9),
        decide_le=DECIDE_LE,
        programme=MS.programme,
        bases_legales=MS.bases_legales_du_couloir("MS1"),
        recours=MS.recours,
        regime_tva="TTC",
        complements=(("Montant max éligible pour l'opérateur", "8000"),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def texte(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    # U+202F (narrow no-break space) in amounts and rates: compared as plain spaces.
    return "\n".join(p.extract_text() for p in pages).replace("\u202f", " ")


def plat(pdf: bytes) -> str:
    """The text on one line: paragraphs wrap where the page width says."""
    return " ".join(texte(pdf).split())


def test_nom_du_fichier() -> None:
    assert nom_fichier_decision("FINM55007206") == "decision_attribution_FINM55007206.pdf"
    assert donnees().nom_fichier == "decision_attribution_FINM55007206.pdf"


def test_le_pdf_porte_tout_le_recapitulatif() -> None:
    contenu = texte(rendre_decision(donnees()))
    for attendu in [
        "Décision d'attribution",
        "Numéro de Dossier : FINM55007206",
        "SIRET : 39177919600040",
        "Dénomination sociale : PROCVIS IMMOBILIER",
        "87 CHEM DE MONS 59009 VILLENEUVE D ASCQ",
        "zbuM550046",
        "Couloir : MSSANTE",
        "Campagne : Ségur vague 2",
        "Taux de TVA applicable : 20 %",
        "590000000",
        "EHPAD Les Tilleuls 0",
        "590000001",
        "EHPAD Les Tilleuls 1",
        "Montant financé (TTC) : 22 222,23 €",
        "Avance de 30 % (TTC) : 6 666,67 €",
        "Solde (TTC) : 15 555,56 €",
        "Déposé le : 09/11/2022",
        "Décision prise le 9 novembre 2022 (09/11/2022 à 15:52:01, heure de Paris)",
        "Montant max éligible pour",  # the label wraps in its column
        "8000",
        "Établissements financés (2)",
    ]:
        assert attendu in contenu, attendu


def test_la_decision_nomme_son_programme_sa_base_legale_et_les_voies_de_recours() -> None:
    """What makes it a décision an administration can issue: the programme it finances, the
    texts it rests on, and the voies et délais de recours (CRPA, art. R.421-5), all taken from
    the campaign's data (G1). The médico-social couloir's programme, not MSSanté's."""
    contenu = plat(rendre_decision(donnees()))
    assert "MSSanté" not in contenu
    for attendu in [
        "système ouvert et non sélectif (SONS)",
        "couloir médico-social, vague 1",
        "au titre du programme Ségur du numérique en santé",
        "Vu le code de la santé publique, notamment son article L. 1111-24;",
        "Vu l'arrêté du 2 février 2022 relatif à un programme de financement destiné à "
        "encourager l'équipement numérique des établissements et services sociaux ou "
        "médico-sociaux (ESSMS)",
        "(NOR : SSAD2202411A)",
        "Voies et délais de recours",
        "dans un délai de deux mois à compter de sa notification, d'un recours gracieux auprès "
        "de l'Agence de services et de paiement (ASP), auteur de la décision, ou d'un recours "
        "contentieux devant le tribunal administratif territorialement compétent.",
        "« Télérecours citoyens »",
        "www.telerecours.fr",
    ]:
        assert attendu in contenu, attendu
    # The protection de l'enfance couloir (MS2) rests on its own arrêté, not on MS1's.
    ms2 = plat(rendre_decision(donnees(bases_legales=MS.bases_legales_du_couloir("MS2"))))
    assert "(NOR : SPRD2214208A)" in ms2 and "SSAD2202411A" not in ms2


def test_les_mentions_viennent_des_donnees_de_la_campagne() -> None:
    autre = donnees(
        programme="Programme d'essai",
        bases_legales=("le décret d'essai",),
        recours=VoiesDeRecours("la direction d'essai", "le tribunal administratif d'Essai", 1),
    )
    contenu = plat(rendre_decision(autre))
    assert "Vu le décret d'essai;" in contenu and "au titre du programme Programme d'essai" in (
        contenu
    )
    assert "dans un délai d'un mois à compter de sa notification" in contenu
    assert "recours gracieux auprès de la direction d'essai, auteur de la décision" in contenu
    assert "devant le tribunal administratif d'Essai." in contenu
    assert "ESSMS" not in contenu and "Agence de services et de paiement" not in contenu


def test_un_etablissement_sans_raison_sociale_et_un_taux_decimal() -> None:
    un = donnees(
        etablissements=(EtablissementFinance("2A0000011"),),
        taux_tva=Decimal("5.5"),
        regime_tva="",
    )
    contenu = plat(rendre_decision(un))
    assert "2A0000011" in contenu
    assert "Taux de TVA applicable : 5,5 %" in contenu
    assert "Montant financé : 22 222,23 €" in contenu
    assert "pour 1 établissement (" in contenu


def test_la_decision_du_solde_dit_que_le_solde_est_verse() -> None:
    contenu = plat(rendre_decision(donnees(type_demande=TypeDemande.SOLDE)))
    assert "Type de demande : Solde" in contenu
    assert "Le solde, 15 555,56 €, est versé sur le compte bancaire" in contenu


def test_cent_etablissements_sur_plusieurs_pages() -> None:
    pdf = rendre_decision(donnees(nombre=100))
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    contenu = texte(pdf)
    for i in range(100):
        assert f"59{i:07d}" in contenu
        assert f"EHPAD Les Tilleuls {i}\n" in contenu + "\n"
    assert "Établissements financés (100)" in contenu
    assert f"Page {len(pages)}/{len(pages)}" in contenu


def test_signee_valide_et_meme_octets(source: MaterielFixe) -> None:
    premier = decision_signee(donnees(), source)
    resultat = verifier(premier, source.materiel().certificat)
    assert resultat.valide, resultat.motif
    assert resultat.instant_signature == DECIDE_LE
    assert resultat.signataire == "Plateforme de test"
    assert decision_signee(donnees(), source) == premier
    assert "22 222,23 €" in texte(premier)


def test_un_octet_change_invalide_la_decision(source: MaterielFixe) -> None:
    signe = decision_signee(donnees(), source)
    altere = bytearray(signe)
    altere[len(signe) // 3] ^= 0x20
    assert not verifier(bytes(altere), source.materiel().certificat).valide


def test_des_donnees_differentes_donnent_un_autre_document(source: MaterielFixe) -> None:
    assert decision_signee(donnees(), source) != decision_signee(
        donnees(avance=Montant("6666.66")), source
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"etablissements": ()}, "au moins un établissement"),
        ({"avance": Montant("30000")}, "l'avance"),
        ({"avance": Montant("-1")}, "l'avance"),
        ({"taux_tva": Decimal(100)}, "taux de TVA"),
        ({"bases_legales": ()}, "base légale"),
        ({"programme": " "}, "programme"),
    ],
)
def test_donnees_incoherentes_refusees(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        donnees(**changes)


def test_instant_sans_fuseau_refuse() -> None:
    with pytest.raises(ValueError):
        donnees(decide_le=datetime(2022, 11, 9, 14, 52))
