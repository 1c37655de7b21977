"""Versements: amounts to the cent, states, end-to-end ids, re-issue rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.paiement.domain.motifs import MOTIFS_REJET, motif_rejet
from services.paiement.domain.suivi import suivi_financier
from services.paiement.domain.versement import (
    CoordonneesBancaires,
    ErreurPaiement,
    EtatVersement,
    TypeVersement,
    end_to_end,
    lire_end_to_end,
    montant_avance,
    nouveau_solde,
    nouvelle_avance,
)
from shared.montant import Montant
from tests.unit.paiement.fakes import BIC_A, BIC_B, IBAN_A, IBAN_B

LE = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
COMPTE_A = CoordonneesBancaires("Éditeur", IBAN_A, BIC_A, True, "chiffre-A")
COMPTE_B = CoordonneesBancaires("Éditeur", IBAN_B, BIC_B, True, "chiffre-B")


@pytest.mark.parametrize(
    ("finance", "avance", "solde"),
    [
        ("22222.22", "6666.67", "15555.55"),  # the seed's 6 666,67 €
        ("22222.23", "6666.67", "15555.56"),
        ("100.00", "30.00", "70.00"),
        ("0.05", "0.02", "0.03"),  # 0.015: half a cent, rounded up
        ("0.15", "0.05", "0.10"),  # 0.045 → 0.05 (round(0.15 * 0.3, 2) gives 0.04)
        ("1.05", "0.32", "0.73"),  # 0.315 → 0.32
        ("10.05", "3.02", "7.03"),  # 3.015 → 3.02
        ("18000.00", "5400.00", "12600.00"),  # HT 15 000 € × 1,20 (TTC)
        ("15000.00", "4500.00", "10500.00"),  # HT non assujetti
        ("21600.05", "6480.02", "15120.03"),  # 6480.015 → 6480.02 (a float: 6480.01)
        ("999999.99", "300000.00", "699999.99"),  # 299999.997 → 300000.00
    ],
)
def test_avance_30_pour_cent_half_up_et_solde_au_centime(
    finance: str, avance: str, solde: str
) -> None:
    montant = Montant(finance)
    assert montant_avance(montant) == Montant(avance)
    v_avance = nouvelle_avance("FINMS1000001", "73282932000074", "ANS1", montant, LE)
    assert v_avance.montant == Montant(avance)
    paye = v_avance.mettre_en_paiement("L1", LE, COMPTE_A).payer(Montant(avance), LE)
    v_solde = nouveau_solde("FINMS1000001", "73282932000074", "ANS1", montant, LE, paye)
    assert v_solde.etat is EtatVersement.A_PAYER
    assert v_solde.montant == Montant(solde)
    assert Montant(avance) + Montant(solde) == montant


def test_numero_objet_et_identifiant_de_bout_en_bout() -> None:
    v = nouvelle_avance("FINMSS006702", "52121449400036", "zbuMSS0045", Montant("22222.22"), LE)
    assert v.numero_demande == "FINMSS006702M0"
    assert v.objet == "VERSE001"
    assert v.end_to_end == "FINMSS006702M0-VERSE001-1"
    assert len(end_to_end("F" * 20, TypeVersement.SOLDE, 999)) <= 35
    assert lire_end_to_end("FINMSS006702M0-VERSE002-3") == (
        "FINMSS006702",
        TypeVersement.SOLDE,
        3,
    )
    for inconnu in ("", "FINMSS006702M0-VERSE003-1", "FINMSS006702-VERSE001-1", "X-0"):
        assert lire_end_to_end(inconnu) is None


def test_solde_attend_son_avance_puis_recoit_le_reste() -> None:
    avance = nouvelle_avance("FINMS1000001", "1", "A", Montant("1000.00"), LE)
    solde = nouveau_solde("FINMS1000001", "1", "A", Montant("1200.00"), LE, avance)
    assert solde.etat is EtatVersement.EN_ATTENTE_AVANCE and solde.montant is None
    assert solde.objet == "VERSE002"
    libere = solde.liberer(Montant("300.00"))
    assert libere.etat is EtatVersement.A_PAYER and libere.montant == Montant("900.00")
    # A solde lower than the avance paid: nothing more to pay, never negative.
    nul = solde.liberer(Montant("1200.00"))
    assert nul.etat is EtatVersement.SANS_OBJET and nul.montant == Montant("0")


def test_transitions_interdites() -> None:
    v = nouvelle_avance("FINMS1000001", "1", "A", Montant("100"), LE)
    with pytest.raises(ErreurPaiement) as erreur:
        v.payer(Montant("30"), LE)
    assert erreur.value.code == "ETAT_INCOMPATIBLE"
    assert "« À payer »" in erreur.value.message
    envoye = v.mettre_en_paiement("L1", LE, COMPTE_A)
    with pytest.raises(ErreurPaiement):
        envoye.mettre_en_paiement("L2", LE, COMPTE_A)  # never sent twice
    with pytest.raises(ErreurPaiement) as montant:
        envoye.payer(Montant("29.99"), LE)
    assert montant.value.code == "MONTANT_DIFFERENT"
    paye = envoye.payer(Montant("30"), LE)
    with pytest.raises(ErreurPaiement):
        paye.payer(Montant("30"), LE)  # never paid twice
    with pytest.raises(ErreurPaiement):
        paye.rejeter("AC04", LE)


def test_reemission_apres_changement_de_coordonnees_validees() -> None:
    v = nouvelle_avance("FINMS1000001", "1", "A", Montant("100"), LE)
    envoye = v.mettre_en_paiement("L1", LE, COMPTE_A)
    # The versement keeps the enrolment's ciphertext and the masked IBAN, never the clear.
    assert (envoye.iban_chiffre, envoye.iban_masque) == (
        "chiffre-A",
        "FR76 **** **** **** **** **** 0189",
    )
    assert IBAN_A not in repr(envoye)
    rejete = envoye.rejeter("AC04", LE)
    assert rejete.motif_rejet == "Compte clôturé"
    with pytest.raises(ErreurPaiement) as inchangees:
        rejete.reemettre(COMPTE_A, IBAN_A)
    assert inchangees.value.code == "COORDONNEES_INCHANGEES"
    # Compared in clear: the same IBAN encrypted again (another ciphertext) is unchanged.
    with pytest.raises(ErreurPaiement) as rechiffre:
        rejete.reemettre(CoordonneesBancaires("Éditeur", IBAN_A, BIC_A, True, "autre"), IBAN_A)
    assert rechiffre.value.code == "COORDONNEES_INCHANGEES"
    with pytest.raises(ErreurPaiement) as non_validees:
        rejete.reemettre(CoordonneesBancaires("Éditeur", IBAN_B, BIC_B, False, "c"), IBAN_A)
    assert non_validees.value.code == "COORDONNEES_NON_VALIDEES"
    reemis = rejete.reemettre(COMPTE_B, IBAN_A)
    assert reemis.etat is EtatVersement.A_PAYER
    assert reemis.end_to_end == "FINMS1000001M0-VERSE001-2" != v.end_to_end
    assert reemis.reemissions == 1 and reemis.motif_rejet is None
    assert reemis.emissions_rejetees[0].code_rejet == "AC04"
    assert reemis.emissions_rejetees[0].iban_chiffre == "chiffre-A"
    assert reemis.emissions_rejetees[0].iban_masque == "FR76 **** **** **** **** **** 0189"
    assert reemis.iban_chiffre is None and reemis.iban_masque is None


def test_mise_en_paiement_sans_iban_chiffre_refusee() -> None:
    v = nouvelle_avance("FINMS1000001", "1", "A", Montant("100"), LE)
    with pytest.raises(ValueError, match="chiffré"):
        v.mettre_en_paiement("L1", LE, CoordonneesBancaires("Éditeur", IBAN_A, BIC_A, True))


def test_motifs_iso_en_francais() -> None:
    for code in ("AC01", "AC04", "AC06", "AG01", "AM04", "AM05", "BE04", "MD07", "MS02", "MS03"):
        assert code in MOTIFS_REJET
        assert motif_rejet(code) and code not in motif_rejet(code)
    assert motif_rejet("ZZ99") == "Rejet bancaire (code motif ZZ99)"
    assert "sans code" in motif_rejet(None)


def test_suivi_colonnes_du_portail() -> None:
    avance = nouvelle_avance(
        "FINMSS006702", "52121449400036", "A", Montant("22222.22"), LE
    ).mettre_en_paiement("L1", datetime(2022, 10, 10, 12, tzinfo=UTC), COMPTE_A)
    paye = avance.payer(Montant("6666.67"), datetime(2022, 10, 10, 22, 30, tzinfo=UTC))
    solde = nouveau_solde("FINMSS006702", "52121449400036", "A", Montant("22222.22"), LE, None)
    lignes = suivi_financier([solde, paye])
    assert [ligne.type for ligne in lignes] == ["AVANCE", "SOLDE"]
    premiere = lignes[0]
    assert premiere.numero_demande == "FINMSS006702M0"
    assert premiere.objet == "VERSE001"
    assert premiere.etat_libelle == "Paiement effectué"
    assert premiere.montant_calcule == premiere.montant_paye == Montant("6666.67")
    assert str(premiere.date_mise_en_paiement) == "2022-10-10"
    assert str(premiere.date_paiement) == "2022-10-11"  # 00:30 in Paris
    assert lignes[1].montant_calcule is None
