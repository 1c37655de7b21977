"""The paiement service on moto: versements and lots in the single table, SEPA files in
the documents bucket, bank details read from the enrolment item."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from services.paiement.adapters.banque_locale import Reponse, repondre
from services.paiement.adapters.dynamodb import (
    EnrolementsDynamo,
    VersementsDynamo,
    cle_versement,
)
from services.paiement.adapters.s3 import StockageS3
from services.paiement.application.contexte import Paiement
from services.paiement.application.lots import lancer_lot
from services.paiement.application.retours import traiter_retour
from services.paiement.application.versements import creer_versement, reemettre, suivi
from services.paiement.domain.lot import StatutLot
from services.paiement.domain.sepa import Payeur, totaux_pain001, valider_pain001
from services.paiement.domain.versement import EtatVersement, TypeVersement, Versement
from shared.campagnes import TypeDemande
from shared.chiffrement import contexte_iban
from shared.dynamo import vers_dynamo
from shared.horloge import HorlogeFixe
from shared.messages import VersementDemande
from shared.montant import Montant
from tests.fixtures.dossiers import versement_demande
from tests.fixtures.enrolements import chiffrement_local, enroler
from tests.integration.test_guichet_moto import creer_table

pytestmark = pytest.mark.integration

REGION = "eu-west-3"
TABLE = "segurnum-donnees"
BUCKET = "segurnum-documents"
SIRET = "73282932000074"
ANS = "ANS0000001"
LE = datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
PAYEUR = Payeur("Agence de services et de paiement", "FR0510071750000000100000000", "TRPUFRP1XXX")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Any]]:
    for nom, valeur in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(nom, valeur)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        s3 = boto3.client("s3", region_name=REGION)
        creer_table(ddb)
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield ddb, s3


def service(ddb: Any, s3: Any, horloge: HorlogeFixe, depot: Any = None) -> Paiement:
    versements = depot or VersementsDynamo(TABLE, ddb)
    return Paiement(
        versements=versements,
        lots=versements,
        enrolements=EnrolementsDynamo(TABLE, ddb),
        stockage=StockageS3(BUCKET, s3),
        horloge=horloge,
        payeur=PAYEUR,
        chiffrement=chiffrement_local(),
    )


def decision(asp: str, montant: str, type_demande: str = "AVANCE") -> VersementDemande:
    le = LE - timedelta(days=1)
    return versement_demande(asp, SIRET, ANS, montant, le, TypeDemande(type_demande))


def test_cycle_complet_avance_puis_solde(aws: tuple[Any, Any]) -> None:
    ddb, s3 = aws
    enroler(SIRET, ANS, client=ddb)
    horloge = HorlogeFixe(LE)
    paiement = service(ddb, s3, horloge)
    avance = creer_versement(paiement, decision("FINMS1000001", "22222.22"))
    assert creer_versement(paiement, decision("FINMS1000001", "22222.22")) == avance
    solde = creer_versement(paiement, decision("FINMS1000001", "22222.22", "SOLDE"))
    assert solde.etat is EtatVersement.EN_ATTENTE_AVANCE

    item = ddb.get_item(
        TableName=TABLE, Key=vers_dynamo(cle_versement("FINMS1000001", TypeVersement.AVANCE))
    )["Item"]
    assert item["GSI2PK"]["S"] == "VERSEMENT#A_PAYER"
    assert item["numeroDemande"]["S"] == "FINMS1000001M0" and item["objet"]["S"] == "VERSE001"
    assert item["montant"]["S"] == "6666.67" and item["jetonInstruction"]["S"] == "jeton-de-tache"

    resultat = lancer_lot(paiement)
    lot = resultat.lot
    assert lot is not None and lot.statut is StatutLot.EMIS and resultat.anomalies == []
    contenu = s3.get_object(Bucket=BUCKET, Key=lot.cle_fichier)["Body"].read()
    valider_pain001(contenu)
    assert totaux_pain001(contenu) == (1, Montant("6666.67"))
    assert [x.id for x in VersementsDynamo(TABLE, ddb).lots()] == [lot.id]
    assert lancer_lot(paiement).lot is None  # nothing left: no file

    horloge.regler(LE + timedelta(days=1))
    retour = traiter_retour(paiement, repondre(contenu, horloge.maintenant()))
    (paye,) = retour.payes
    assert paye.jeton == "jeton-de-tache" and paye.paye_le == LE + timedelta(days=1)
    assert [v.montant for v in retour.soldes_liberes] == [Montant("15555.55")]
    assert traiter_retour(paiement, repondre(contenu, horloge.maintenant())).deja_traites == 1

    second = lancer_lot(paiement).lot
    assert second is not None and second.total == Montant("15555.55")
    lignes = suivi(paiement, "FINMS1000001")
    assert [(ligne.objet, ligne.etat) for ligne in lignes] == [
        ("VERSE001", "PAYE"),
        ("VERSE002", "MIS_EN_PAIEMENT"),
    ]
    assert [x.id for x in VersementsDynamo(TABLE, ddb).lots()] == [second.id, lot.id]


def test_ecritures_conditionnelles_et_verrou(aws: tuple[Any, Any]) -> None:
    ddb, _ = aws
    depot = VersementsDynamo(TABLE, ddb)
    paiement = service(ddb, aws[1], HorlogeFixe(LE))
    v = creer_versement(paiement, decision("FINMS1000002", "100.00"))
    assert not depot.creer(replace(v, version=0))
    assert depot.remplacer(v, replace(v, cle_avis="x")) is not None
    assert depot.remplacer(v, replace(v, cle_avis="y")) is None  # stale version
    lu = depot.lire("FINMS1000002", TypeVersement.AVANCE)
    assert lu is not None and lu.cle_avis == "x" and lu.version == 2

    assert depot.prendre_verrou("A", LE, LE + timedelta(minutes=20))
    # The same run's write replayed (its first answer lost): its own lock, recognised.
    assert depot.prendre_verrou("A", LE, LE + timedelta(minutes=20))
    assert not depot.prendre_verrou("B", LE + timedelta(minutes=5), LE + timedelta(minutes=25))
    depot.rendre_verrou("B")  # not B's: stays
    assert not depot.prendre_verrou("B", LE + timedelta(minutes=6), LE + timedelta(minutes=26))
    assert depot.prendre_verrou("B", LE + timedelta(minutes=21), LE + timedelta(minutes=41))
    depot.rendre_verrou("B")
    assert depot.prendre_verrou("C", LE, LE + timedelta(minutes=1))


class _Concurrent(VersementsDynamo):
    """Another batch claims the first candidate right after this run's query."""

    def dans_l_etat(self, etat: EtatVersement, limite: int) -> list[Versement]:
        candidats = super().dans_l_etat(etat, limite)
        if etat is EtatVersement.A_PAYER and candidats:
            premier = candidats[0]
            autre = premier.mettre_en_paiement(
                "LOT-AUTRE",
                LE,
                EnrolementsDynamo(TABLE, self.client).coordonnees(SIRET, ANS),  # type: ignore[arg-type]
            )
            assert self.remplacer(premier, autre) is not None
        return candidats


def test_deux_lancements_aucun_versement_dans_deux_fichiers(aws: tuple[Any, Any]) -> None:
    ddb, s3 = aws
    enroler(SIRET, ANS, client=ddb)
    horloge = HorlogeFixe(LE)
    for n in (3, 4, 5):
        creer_versement(service(ddb, s3, horloge), decision(f"FINMS100000{n}", "1000.00"))
    # A run holding the lock: the other one makes no file.
    depot = VersementsDynamo(TABLE, ddb)
    assert depot.prendre_verrou("EN-COURS", LE, LE + timedelta(minutes=20))
    assert lancer_lot(service(ddb, s3, horloge)).lot is None
    depot.rendre_verrou("EN-COURS")
    # A versement claimed by someone else between the query and the claim is left out.
    lot = lancer_lot(service(ddb, s3, horloge, _Concurrent(TABLE, ddb))).lot
    assert lot is not None and lot.nombre == 2
    contenu = s3.get_object(Bucket=BUCKET, Key=lot.cle_fichier)["Body"].read()
    assert b"FINMS1000003M0-VERSE001-1" not in contenu
    assert {v.end_to_end for v in depot.du_lot(lot.id)} == {
        "FINMS1000004M0-VERSE001-1",
        "FINMS1000005M0-VERSE001-1",
    }


def test_rejet_ac04_puis_reemission_apres_nouvel_iban(aws: tuple[Any, Any]) -> None:
    ddb, s3 = aws
    enroler(SIRET, ANS, client=ddb)
    horloge = HorlogeFixe(LE)
    paiement = service(ddb, s3, horloge)
    creer_versement(paiement, decision("FINMS1000006", "1000.00"))
    lot = lancer_lot(paiement).lot
    assert lot is not None
    pain001 = s3.get_object(Bucket=BUCKET, Key=lot.cle_fichier)["Body"].read()
    e2e = "FINMS1000006M0-VERSE001-1"
    rejet = repondre(pain001, LE, {e2e: Reponse(e2e, "RJCT", "AC04")})
    (rejete,) = traiter_retour(paiement, rejet).rejetes
    assert rejete.motif_rejet == "Compte clôturé"
    item = ddb.get_item(
        TableName=TABLE, Key=vers_dynamo(cle_versement("FINMS1000006", TypeVersement.AVANCE))
    )["Item"]
    assert item["motifRejet"]["S"] == "Compte clôturé" and item["codeRejet"]["S"] == "AC04"

    enroler(SIRET, ANS, client=ddb, iban="FR7630001007941234567890185", bic="BNPAFRPPXXX")
    reemis = reemettre(paiement, "FINMS1000006", TypeVersement.AVANCE)
    assert reemis.etat is EtatVersement.A_PAYER and reemis.reemissions == 1
    second = lancer_lot(paiement).lot
    assert second is not None
    contenu = s3.get_object(Bucket=BUCKET, Key=second.cle_fichier)["Body"].read()
    assert b"FR7630001007941234567890185" in contenu and b"FINMS1000006M0-VERSE001-2" in contenu
    (paye,) = traiter_retour(paiement, repondre(contenu, LE)).payes
    assert paye.montant_paye == Montant("300.00")
    lu = VersementsDynamo(TABLE, ddb).lire("FINMS1000006", TypeVersement.AVANCE)
    assert lu is not None and lu.emissions_rejetees[0].code_rejet == "AC04"


def test_aucun_iban_en_clair_apres_un_cycle_complet(aws: tuple[Any, Any]) -> None:
    """Lot, RJCT, new bank details, re-issue, paid: the versement items keep each emission's
    IBAN encrypted (the enrolment's KMS ciphertext) and masked, never in clear; the SEPA
    files (for the bank) are the only place it is written."""
    ddb, s3 = aws
    ancien, nouveau = "FR7630006000011234567890189", "FR7630001007941234567890185"
    enroler(SIRET, ANS, client=ddb, iban=ancien)
    horloge = HorlogeFixe(LE)
    paiement = service(ddb, s3, horloge)
    creer_versement(paiement, decision("FINMS1000007", "1000.00"))
    lot = lancer_lot(paiement).lot
    assert lot is not None
    pain001 = s3.get_object(Bucket=BUCKET, Key=lot.cle_fichier)["Body"].read()
    assert ancien.encode() in pain001
    e2e = "FINMS1000007M0-VERSE001-1"
    traiter_retour(paiement, repondre(pain001, LE, {e2e: Reponse(e2e, "RJCT", "AC04")}))
    enroler(SIRET, ANS, client=ddb, iban=nouveau, bic="BNPAFRPPXXX")
    reemettre(paiement, "FINMS1000007", TypeVersement.AVANCE)
    second = lancer_lot(paiement).lot
    assert second is not None
    contenu = s3.get_object(Bucket=BUCKET, Key=second.cle_fichier)["Body"].read()
    assert nouveau.encode() in contenu
    (paye,) = traiter_retour(paiement, repondre(contenu, LE)).payes

    items = ddb.scan(TableName=TABLE)["Items"]
    (item,) = [i for i in items if i["SK"]["S"] == "VERSEMENT#AVANCE"]
    assert item["etat"]["S"] == "PAYE" and "iban" not in item
    assert item["ibanMasque"]["S"] == "FR76 **** **** **** **** **** 0185"
    (rejetee,) = item["emissionsRejetees"]["L"]
    assert rejetee["M"]["ibanMasque"]["S"] == "FR76 **** **** **** **** **** 0189"
    assert "iban" not in rejetee["M"]
    for iban in (ancien, nouveau):
        assert not [i for i in items if iban in repr(i)], iban
    # The ciphertexts are the enrolment key's, bound to the SIRET: they decrypt.
    kms = chiffrement_local()
    contexte = contexte_iban(SIRET)
    assert kms.dechiffrer(item["ibanChiffre"]["S"], contexte) == nouveau
    assert kms.dechiffrer(rejetee["M"]["ibanChiffre"]["S"], contexte) == ancien
    assert paye.iban_masque == item["ibanMasque"]["S"]


def test_l_avis_et_le_courriel_lisent_l_enrolement_par_son_contrat(aws: tuple[Any, Any]) -> None:
    """Raison sociale (the avis' bénéficiaire) and email (the PAYEE courriel) come from the
    enrolment as the enrolment service writes it (shared/enrolement.py), never a raw item."""
    from services.paiement.adapters.aws import DonneesEditeur

    ddb, _ = aws
    enroler(
        SIRET, ANS, email=" paie@editeur.example.fr ", raison_sociale="ÉDITEUR PAYÉ", client=ddb
    )
    editeurs = DonneesEditeur(TABLE, ddb)
    lu = editeurs.enrolement(SIRET, ANS)
    assert lu is not None and lu.raison_sociale == "ÉDITEUR PAYÉ"
    assert lu.iban is None and lu.iban_masque  # read, not decrypted
    assert editeurs.email(SIRET, ANS) == "paie@editeur.example.fr"
    assert editeurs.enrolement(SIRET, "ANS-INCONNU") is None
    assert editeurs.email(SIRET, "ANS-INCONNU") is None


def test_les_comptes_d_un_lot_sont_lus_ensemble(aws: tuple[Any, Any]) -> None:
    """A lot reads its enrolments' bank details in one BatchGetItem per 100, through the
    enrolment's contract; an unknown enrolment is left out, as `compte` answers None."""
    ddb, _ = aws
    autre = "41234567000019"
    enroler(SIRET, ANS, client=ddb)
    enroler(autre, "ANS0000002", client=ddb, iban="FR7630001007941234567890185", bic="BNPAFRPPXXX")
    enrolements = EnrolementsDynamo(TABLE, ddb)
    lus = enrolements.lire_comptes([(SIRET, ANS), (autre, "ANS0000002"), (SIRET, "INCONNU")])
    assert set(lus) == {(SIRET, ANS), (autre, "ANS0000002")}
    assert lus[(SIRET, ANS)] == enrolements.compte(SIRET, ANS)
    assert lus[(autre, "ANS0000002")].bic == "BNPAFRPPXXX" and lus[(SIRET, ANS)].validees
    assert enrolements.lire_comptes([]) == {}
