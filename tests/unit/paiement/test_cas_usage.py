"""Use cases with fakes: decisions, batches (one at a time, resumed), re-issue, suivi."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.paiement.adapters.banque_locale import Reponse, repondre
from services.paiement.application.lots import lancer_lot
from services.paiement.application.retours import traiter_retour
from services.paiement.application.versements import (
    coordonnees_validees,
    creer_versement,
    reemettre,
    reemettre_pour_editeur,
    suivi,
)
from services.paiement.domain.lot import StatutLot, nouveau_lot
from services.paiement.domain.sepa import totaux_pain001
from services.paiement.domain.versement import ErreurPaiement, EtatVersement, TypeVersement
from shared.campagnes import TypeDemande
from shared.chiffrement import ChiffrementFactice, contexte_iban
from shared.messages import CoordonneesBancairesValidees, VersementDemande
from shared.montant import Montant
from shared.refus import NatureRefus
from tests.fixtures.dossiers import versement_demande
from tests.unit.paiement.fakes import BIC_B, IBAN_A, IBAN_B, paiement_en_memoire

SIRET = "73282932000074"
LE = datetime(2024, 3, 1, 10, tzinfo=UTC)


def decision(asp: str, montant: str, type_demande: str = "AVANCE") -> VersementDemande:
    return versement_demande(asp, SIRET, "ANS1", montant, LE, TypeDemande(type_demande), "jeton-0")


def test_decision_cree_un_versement_une_seule_fois() -> None:
    paiement, depot, _enrolements, _, _ = paiement_en_memoire()
    premier = creer_versement(paiement, decision("FINMS1000001", "22222.22"))
    assert premier.etat is EtatVersement.A_PAYER and premier.montant == Montant("6666.67")
    assert premier.valide_le == LE and premier.version == 1
    again = creer_versement(paiement, decision("FINMS1000001", "22222.22"))
    assert again == premier and depot.ecritures == 1


def test_lot_paiement_et_solde_libere() -> None:
    paiement, depot, enrolements, stockage, horloge = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    creer_versement(paiement, decision("FINMS1000001", "22222.22"))
    solde = creer_versement(paiement, decision("FINMS1000001", "22222.22", "SOLDE"))
    assert solde.etat is EtatVersement.EN_ATTENTE_AVANCE
    resultat = lancer_lot(paiement)
    assert resultat.lot is not None and resultat.lot.statut is StatutLot.EMIS
    assert (resultat.lot.nombre, resultat.lot.total) == (1, Montant("6666.67"))
    contenu = stockage.lire(resultat.lot.cle_fichier or "")
    assert totaux_pain001(contenu) == (1, Montant("6666.67"))
    avance = depot.lire("FINMS1000001", TypeVersement.AVANCE)
    assert avance is not None and avance.etat is EtatVersement.MIS_EN_PAIEMENT
    assert avance.mis_en_paiement_le == horloge.maintenant() and avance.lot == resultat.lot.id
    # Nothing else to pay: no second file.
    assert lancer_lot(paiement).lot is None
    assert len(stockage.fichiers) == 1
    retour = traiter_retour(paiement, repondre(contenu, horloge.maintenant() + timedelta(1)))
    assert [v.type for v in retour.payes] == [TypeVersement.AVANCE]
    assert [v.montant for v in retour.soldes_liberes] == [Montant("15555.55")]
    assert traiter_retour(paiement, repondre(contenu, horloge.maintenant())).deja_traites == 1
    second = lancer_lot(paiement)
    assert second.lot is not None and second.lot.total == Montant("15555.55")
    lignes = suivi(paiement, "FINMS1000001")
    assert [ligne.etat for ligne in lignes] == ["PAYE", "MIS_EN_PAIEMENT"]


def test_un_seul_lot_a_la_fois_puis_reprise_d_un_lot_inacheve() -> None:
    paiement, depot, enrolements, stockage, horloge = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    creer_versement(paiement, decision("FINMS1000001", "100.00"))
    maintenant = horloge.maintenant()
    assert depot.prendre_verrou("AUTRE", maintenant, maintenant + timedelta(minutes=20))
    occupe = lancer_lot(paiement)
    assert occupe.lot is None and "déjà en préparation" in occupe.message
    assert stockage.fichiers == {}
    # The other run died after claiming (lot EN_PREPARATION, versement MIS_EN_PAIEMENT).
    v = depot.lire("FINMS1000001", TypeVersement.AVANCE)
    assert v is not None
    coordonnees = enrolements.coordonnees(SIRET, "ANS1")
    assert coordonnees is not None
    depot.creer_lot(nouveau_lot("AUTRE", maintenant))
    depot.remplacer(v, v.mettre_en_paiement("AUTRE", maintenant, coordonnees))
    horloge.regler(maintenant + timedelta(minutes=21))  # its lock expired
    reprise = lancer_lot(paiement)
    assert reprise.lot is None  # nothing new to pay...
    assert [lot.id for lot in reprise.repris] == ["AUTRE"]  # ...but the dead lot's file
    assert depot.lire_lot("AUTRE").statut is StatutLot.EMIS  # type: ignore[union-attr]
    assert len(stockage.fichiers) == 1 and depot.verrou is None


def test_un_dechiffrement_par_siret_et_par_lot() -> None:
    """40 versements of two éditeurs (one with two référencements, each record its own
    ciphertext): 2 Decrypt calls for the whole lot, and none more to write the file."""
    paiement, depot, enrolements, stockage, _ = paiement_en_memoire()
    autre = "41234567000019"
    enrolements.definir(SIRET, "ANS1")
    enrolements.definir(SIRET, "ANS2")
    enrolements.definir(autre, "ANS3", IBAN_B, BIC_B)
    for n in range(40):
        siret, ans = [(SIRET, "ANS1"), (SIRET, "ANS2"), (autre, "ANS3")][n % 3]
        creer_versement(
            paiement,
            decision(f"FINMS10{n:05d}", "100.00").model_copy(
                update={"siret": siret, "numeroAns": ans}
            ),
        )
    chiffrement = paiement.chiffrement
    assert isinstance(chiffrement, ChiffrementFactice)
    avant = chiffrement.dechiffrements
    lot = lancer_lot(paiement).lot
    assert lot is not None and lot.nombre == 40
    assert chiffrement.dechiffrements - avant == 2
    # The three enrolments read in one batch, not once per versement.
    assert (enrolements.lectures_groupees, enrolements.lectures) == (1, 0)
    fichier = stockage.lire(lot.cle_fichier or "")
    assert fichier.count(IBAN_A.encode()) == 27 and fichier.count(IBAN_B.encode()) == 13
    # Each versement keeps a ciphertext of its SIRET's IBAN and the masked copy only.
    for v in depot.items.values():
        assert v.iban_chiffre and v.iban_masque and "****" in v.iban_masque
        assert IBAN_A not in repr(v) and IBAN_B not in repr(v)
    # The next run reads the details afresh (the cache lived for one lot).
    creer_versement(paiement, decision("FINMS1099999", "100.00"))
    avant = chiffrement.dechiffrements
    assert lancer_lot(paiement).lot is not None
    assert chiffrement.dechiffrements - avant == 1


def test_reprise_d_un_lot_inacheve_avec_l_iban_de_sa_reservation() -> None:
    """A lot resumed after its details changed pays the account it was claimed for."""
    paiement, depot, enrolements, stockage, horloge = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    creer_versement(paiement, decision("FINMS1000001", "100.00"))
    v = depot.lire("FINMS1000001", TypeVersement.AVANCE)
    coordonnees = enrolements.coordonnees(SIRET, "ANS1")
    assert v is not None and coordonnees is not None
    maintenant = horloge.maintenant()
    depot.creer_lot(nouveau_lot("AUTRE", maintenant))
    depot.remplacer(v, v.mettre_en_paiement("AUTRE", maintenant, coordonnees))
    enrolements.definir(SIRET, "ANS1", IBAN_B, BIC_B)
    reprise = lancer_lot(paiement)
    assert [lot.id for lot in reprise.repris] == ["AUTRE"]
    fichier = stockage.lire(reprise.repris[0].cle_fichier or "")
    assert IBAN_A.encode() in fichier and IBAN_B.encode() not in fichier


def test_coordonnees_absentes_laisse_a_payer_et_le_signale() -> None:
    paiement, depot, _enrolements, stockage, _ = paiement_en_memoire()
    creer_versement(paiement, decision("FINMS1000001", "100.00"))
    resultat = lancer_lot(paiement)
    assert resultat.lot is None and stockage.fichiers == {}
    assert [a.code for a in resultat.anomalies] == ["COORDONNEES_INUTILISABLES"]
    assert depot.lots() == []
    v = depot.lire("FINMS1000001", TypeVersement.AVANCE)
    assert v is not None and v.etat is EtatVersement.A_PAYER


def test_rejet_puis_reemission_apres_changement_de_coordonnees() -> None:
    paiement, _depot, enrolements, stockage, horloge = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    creer_versement(paiement, decision("FINMS1000001", "100.00"))
    lot = lancer_lot(paiement).lot
    assert lot is not None
    e2e = "FINMS1000001M0-VERSE001-1"
    pain001 = stockage.lire(lot.cle_fichier or "")
    rejet = repondre(pain001, horloge.maintenant(), {e2e: Reponse(e2e, "RJCT", "AC04")})
    assert [v.motif_rejet for v in traiter_retour(paiement, rejet).rejetes] == ["Compte clôturé"]
    with pytest.raises(ErreurPaiement) as inchange:
        reemettre(paiement, "FINMS1000001", TypeVersement.AVANCE)
    assert inchange.value.code == "COORDONNEES_INCHANGEES"
    enrolements.definir(SIRET, "ANS1", IBAN_B, BIC_B)
    reemis, refus = reemettre_pour_editeur(paiement, SIRET, "ANS1")
    assert refus == [] and [v.end_to_end for v in reemis] == ["FINMS1000001M0-VERSE001-2"]
    # The old rejection replayed changes nothing.
    assert traiter_retour(paiement, rejet).deja_traites == 1
    second = lancer_lot(paiement).lot
    assert second is not None
    paye = traiter_retour(paiement, repondre(stockage.lire(second.cle_fichier or ""), LE))
    (payee,) = paye.payes
    assert payee.iban_masque == "FR76 **** **** **** **** **** 0185"
    assert paiement.chiffrement.dechiffrer(payee.iban_chiffre or "", contexte_iban(SIRET)) == IBAN_B
    assert payee.emissions_rejetees[0].iban_masque == "FR76 **** **** **** **** **** 0189"
    assert IBAN_B.encode() in stockage.lire(second.cle_fichier or "")
    ligne = suivi(paiement, "FINMS1000001")[0]
    assert (ligne.etat, ligne.reemissions, ligne.montant_paye) == ("PAYE", 1, Montant("30.00"))
    # The first emission announced paid after all: reported, not paid twice.
    tardif = repondre(pain001, LE)
    resultat = traiter_retour(paiement, tardif)
    assert [a.code for a in resultat.anomalies] == ["STATUT_CONTRADICTOIRE"]
    assert resultat.payes == []


def test_reemettre_un_versement_inconnu() -> None:
    paiement, *_ = paiement_en_memoire()
    with pytest.raises(ErreurPaiement) as erreur:
        reemettre(paiement, "FINMS1000009", TypeVersement.SOLDE)
    assert erreur.value.nature is NatureRefus.INTROUVABLE


def test_coordonnees_validees_reemet_les_rejets_de_l_editeur_une_seule_fois() -> None:
    """Enrolment's message: every REJETE versement of the SIRET (all its référencements)
    re-issued with the new details; the same message again re-issues nothing."""
    paiement, depot, enrolements, stockage, horloge = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    enrolements.definir(SIRET, "ANS2")
    enrolements.definir("41234567000019", "ANS3")  # another éditeur, also rejected
    creer_versement(paiement, decision("FINMS1000001", "100.00"))
    creer_versement(
        paiement, decision("FINMS1000002", "200.00").model_copy(update={"numeroAns": "ANS2"})
    )
    creer_versement(
        paiement,
        decision("FINMS1000003", "300.00").model_copy(
            update={"siret": "41234567000019", "numeroAns": "ANS3"}
        ),
    )
    lot = lancer_lot(paiement).lot
    assert lot is not None and lot.nombre == 3
    pain001 = stockage.lire(lot.cle_fichier or "")
    rejets = {
        f"FINMS100000{i}M0-VERSE001-1": Reponse(f"FINMS100000{i}M0-VERSE001-1", "RJCT", "AC04")
        for i in (1, 2, 3)
    }
    assert (
        len(traiter_retour(paiement, repondre(pain001, horloge.maintenant(), rejets)).rejetes) == 3
    )
    message = CoordonneesBancairesValidees(
        siret=SIRET, valideesLe=horloge.maintenant(), numeroDemande="ENR0002M0"
    )
    # Not changed yet: nothing re-issued, each refusal reported by its code.
    reemis, refus = coordonnees_validees(paiement, message)
    assert reemis == [] and {e.code for e in refus} == {"COORDONNEES_INCHANGEES"}
    enrolements.definir(SIRET, "ANS1", IBAN_B, BIC_B)
    enrolements.definir(SIRET, "ANS2", IBAN_B, BIC_B)
    reemis, refus = coordonnees_validees(paiement, message)
    assert refus == []
    assert sorted(v.end_to_end or "" for v in reemis) == [
        "FINMS1000001M0-VERSE001-2",
        "FINMS1000002M0-VERSE001-2",
    ]
    encore, refus = coordonnees_validees(paiement, message)  # redelivered
    assert encore == [] and refus == []
    autre = depot.lire("FINMS1000003", TypeVersement.AVANCE)
    assert autre is not None and autre.etat is EtatVersement.REJETE  # not this SIRET's
    second = lancer_lot(paiement).lot
    assert second is not None and second.nombre == 2


def test_un_verrou_pris_mais_repondu_en_erreur_est_rendu() -> None:
    """The lock's PutItem applied, its answer lost: the run releases what may be its lock,
    and the next lot is not refused « déjà en préparation » until the lock expires."""
    paiement, depot, enrolements, stockage, _ = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    creer_versement(paiement, decision("FINMS1000001", "100.00"))
    prendre = depot.prendre_verrou

    def applique_puis_echoue(proprietaire: str, maintenant: datetime, expire: datetime) -> bool:
        prendre(proprietaire, maintenant, expire)
        raise TimeoutError("réponse perdue")

    depot.prendre_verrou = applique_puis_echoue  # type: ignore[method-assign]
    with pytest.raises(TimeoutError):
        lancer_lot(paiement)
    assert depot.verrou is None
    depot.prendre_verrou = prendre  # type: ignore[method-assign]
    resultat = lancer_lot(paiement)
    assert resultat.lot is not None and len(stockage.fichiers) == 1


def test_une_demande_rejouee_avec_un_nouveau_jeton_le_garde() -> None:
    """The instruction's task ran again after an ambiguous SendMessage: its new token is the
    one the payment signal must reach; a redelivery of the same message writes nothing."""
    paiement, depot, _enrolements, _, _ = paiement_en_memoire()
    premier = creer_versement(
        paiement, decision("FINMS1000001", "100.00").model_copy(update={"jeton": "jeton-1"})
    )
    assert premier.jeton == "jeton-1"
    ecritures = depot.ecritures
    assert (
        creer_versement(
            paiement, decision("FINMS1000001", "100.00").model_copy(update={"jeton": "jeton-1"})
        ).jeton
        == "jeton-1"
    )
    assert depot.ecritures == ecritures
    rejoue = creer_versement(
        paiement, decision("FINMS1000001", "100.00").model_copy(update={"jeton": "jeton-2"})
    )
    assert rejoue.jeton == "jeton-2"
    lu = depot.lire("FINMS1000001", TypeVersement.AVANCE)
    assert lu is not None and lu.jeton == "jeton-2" and lu.etat is EtatVersement.A_PAYER
