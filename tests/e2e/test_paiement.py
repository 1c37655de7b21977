"""Paiement over HTTP on the local runtime (issue 10): the authorisation matrix of every
route, then DECIDEE → lot → SEPA file (XSD) → pain.002 ACSC uploaded by presigned POST →
PAYE → instruction PAYEE, courriel, avis de paiement signed, suivi financier; and RJCT
AC04 → REJETE → bank details changed → re-issued → paid."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

import pytest
import requests

from infra.local.runtime import RuntimeLocal
from tests.fixtures.attente import attendre as _attendre_

SIRET_A = "44306184100047"
SIRET_B = "55208131766522"
ANS = "ANSPAIE1"
EMAIL = "tresorerie@editeur-paye.example.fr"
IBAN_1 = "FR7630006000011234567890189"
IBAN_2 = "FR7610107001011234567890129"
BIC = "BNPAFRPPXXX"
T = TypeVar("T")


def attendre(condition: Any, delai: float = 60, message: str = "") -> Any:
    return _attendre_(condition, delai, message)


def _enroler(iban: str) -> None:
    """The éditeur's enrolment record with validated bank details, written through the
    shared contract (IBAN encrypted with the enrolment KMS key of the runtime)."""
    from shared.enrolement import EnrolementEditeur
    from tests.fixtures.enrolements import enregistrer_enrolement

    enregistrer_enrolement(
        EnrolementEditeur(
            siret=SIRET_A,
            numero_ans=ANS,
            statut="VALIDE",
            email=EMAIL,
            raison_sociale="ÉDITEUR PAYÉ SAS",
            iban=iban,
            bic=BIC,
            titulaire="EDITEUR PAYE SAS",
            coordonnees_validees_le=datetime.now(UTC),
        )
    )


def _dossier() -> str:
    from tests.fixtures.dossiers import dossier_exemple, semer

    numero = f"FINMS2{uuid.uuid4().int % 1_000_000:06d}"
    le = datetime(2024, 2, 20, 9, tzinfo=UTC)
    montants = {"montantFinance": "22222.22", "avance": "6666.67", "solde": "15555.55"}
    return semer(dossier_exemple(numero, SIRET_A, ANS, le, regime_tva="TTC", montants=montants))


def _instruire(numero: str) -> None:
    """Start the instruction and wait for the gestionnaire's turn."""
    from services.instruction.bootstrap import composants
    from shared.aws import client
    from shared.campagnes import TypeDemande
    from shared.messages import InstructionDemandee
    from shared.settings import settings
    from shared.statuts import Attendu, StatutDemande

    entree = InstructionDemandee(
        numeroAsp=numero, siret=SIRET_A, typeDemande="AVANCE", montantFinance="22222.22"
    )
    client("stepfunctions").start_execution(
        stateMachineArn=settings().state_machine_instruction,
        name=f"{numero}-AVANCE-1",
        input=entree.model_dump_json(),
    )

    def pret() -> bool:
        etat = composants().instructions.lire(numero, TypeDemande.AVANCE)
        return bool(
            etat and etat.statut is StatutDemande.EN_COURS and etat.attendu is Attendu.GESTIONNAIRE
        )

    attendre(pret, message=f"{numero} jamais EN_COURS")


@pytest.fixture(scope="module")
def jetons(runtime: RuntimeLocal) -> dict[str, str | None]:
    from infra.local.jetons import jeton

    _enroler(IBAN_1)
    return {
        "anonyme": None,
        "editeur_a": jeton("editeurs", siret=SIRET_A),
        "editeur_b": jeton("editeurs", siret=SIRET_B),
        "gestionnaire": jeton("gestionnaires", nom="MARTIN"),
    }


@pytest.fixture(scope="module")
def numero(runtime: RuntimeLocal) -> str:
    return _dossier()  # imported, not decided: no versement yet


ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/dossiers/{n}/versements", None),
    ("GET", "/gestion/dossiers/{n}/versements", None),
    ("POST", "/gestion/dossiers/{n}/versements/AVANCE/reemettre", None),
    ("POST", "/gestion/paiements/lots", None),
    ("GET", "/gestion/paiements/lots", None),
    ("POST", "/gestion/paiements/retours", None),
    ("GET", "/gestion/paiements/retours/RET20240220100000DEADBEEF", None),
]
# The éditeur sees its own suivi only (another's dossier is unknown: 404); bank files,
# lots and re-issues are gestionnaire-only. The dossier has no versement yet (reemettre
# 404); a lot with nothing to pay answers 200, one with versements 201.
ATTENDU: dict[str, list[set[int]]] = {
    "anonyme": [{401}] * 7,
    "editeur_a": [{200}] + [{403}] * 6,
    "editeur_b": [{404}] + [{403}] * 6,
    "gestionnaire": [{403}, {200}, {404}, {200, 201}, {200}, {201}, {404}],
}


@pytest.mark.parametrize("appelant", list(ATTENDU))
@pytest.mark.parametrize("rang", range(len(ROUTES)))
def test_matrice_d_autorisation(
    runtime: RuntimeLocal, jetons: dict[str, str | None], numero: str, appelant: str, rang: int
) -> None:
    methode, chemin, corps = ROUTES[rang]
    entetes = {"Authorization": jetons[appelant]} if jetons[appelant] else {}
    r = requests.request(
        methode, runtime.url_api + chemin.format(n=numero), json=corps, headers=entetes, timeout=60
    )
    assert r.status_code in ATTENDU[appelant][rang], r.text
    if r.status_code >= 400:
        assert set(r.json()) >= {"code", "message"}
    if appelant == "editeur_b":
        assert SIRET_A not in r.text and numero not in r.text.replace(f"{numero[:40]} n'", "")


class Plateforme:
    def __init__(self, runtime: RuntimeLocal, jetons: dict[str, Any], http: requests.Session):
        self.api = runtime.url_api
        self.g = {"Authorization": jetons["gestionnaire"]}
        self.e = {"Authorization": jetons["editeur_a"]}
        self.http = http

    def appel(self, methode: str, chemin: str, entetes: dict[str, str], **o: Any) -> Any:
        r = self.http.request(methode, self.api + chemin, headers=entetes, timeout=120, **o)
        assert r.status_code < 500, r.text
        return r

    def suivi(self, n: str, gestion: bool = False) -> list[dict[str, Any]]:
        chemin = f"/gestion/dossiers/{n}/versements" if gestion else f"/dossiers/{n}/versements"
        r = self.appel("GET", chemin, self.g if gestion else self.e)
        assert r.status_code == 200, r.text
        return list(r.json()["versements"])

    def attendre_etat(self, n: str, etat: str) -> dict[str, Any]:
        def lu() -> dict[str, Any] | None:
            lignes = self.suivi(n, gestion=True)
            return lignes[0] if lignes and lignes[0]["etat"] == etat else None

        return attendre(lu, message=f"{n}: versement jamais {etat}: {self.suivi(n, True)}")

    def lot(self) -> tuple[dict[str, Any], bytes]:
        r = self.appel("POST", "/gestion/paiements/lots", self.g)
        assert r.status_code == 201, r.text
        lot = r.json()["lot"]
        fichier = requests.get(lot["fichier"]["url"], timeout=30)
        assert fichier.status_code == 200
        return lot, fichier.content

    def retour(self, contenu: bytes) -> dict[str, Any]:
        r = self.appel("POST", "/gestion/paiements/retours", self.g)
        assert r.status_code == 201, r.text
        demande = r.json()
        envoi = demande["envoi"]
        depot = requests.post(
            envoi["url"],
            data=envoi["champs"],
            files={"file": ("retour.xml", contenu, "application/xml")},
            timeout=30,
        )
        assert depot.status_code in (200, 204), depot.text
        chemin = f"/gestion/paiements/retours/{demande['idRetour']}"

        def traite() -> dict[str, Any] | None:
            vue = self.appel("GET", chemin, self.g).json()
            return vue if vue["statut"] != "ATTENDU" else None

        return attendre(traite, message="retour bancaire jamais traité")


def _decider(p: Plateforme, n: str) -> None:
    _instruire(n)
    r = p.appel("POST", f"/gestion/dossiers/{n}/AVANCE/decision", p.g, json={"decision": "DECIDEE"})
    assert r.status_code == 200, r.text


def _reponse_banque(pain001: bytes, e2e: str, statut: str, code: str | None = None) -> bytes:
    """The bank answers for this transaction only (others in the file are not ours)."""
    from services.paiement.adapters.banque_locale import (
        Reponse,
        message_pain001,
        rapport_pain002,
        transactions_pain001,
    )
    from shared.horloge import horloge

    montant = dict(transactions_pain001(pain001))[e2e]
    origine = message_pain001(pain001)
    return rapport_pain002(
        f"RET-{uuid.uuid4().hex[:20]}",
        origine,
        horloge().maintenant(),  # the runtime's clock: the avis prints this date of payment
        [Reponse(e2e, statut, code, montant)],
    )


def test_avance_payee_de_bout_en_bout(
    runtime: RuntimeLocal, jetons: dict[str, Any], http: requests.Session
) -> None:
    from services.paiement.domain.sepa import valider_pain001
    from shared.secrets_aws import lire_materiel
    from shared.signature import verifier

    p = Plateforme(runtime, jetons, http)
    n = _dossier()
    _decider(p, n)
    ligne = p.attendre_etat(n, "A_PAYER")
    assert (ligne["numeroDemande"], ligne["objet"], ligne["typeVersement"]) == (
        f"{n}M0",
        "VERSE001",
        "AVANCE",
    )
    assert ligne["montantCalcule"] == "6666.67"  # 30 % of 22 222,22, half-up

    lot, pain001 = p.lot()
    valider_pain001(pain001)  # the XSD sepaxml ships
    e2e = f"{n}M0-VERSE001-1"
    assert e2e.encode() in pain001 and f"{n}M0 VERSE001".encode() in pain001
    assert lot["nombreTransactions"] >= 1
    ligne = p.attendre_etat(n, "MIS_EN_PAIEMENT")
    assert ligne["dateMiseEnPaiement"]
    premiere = p.appel("GET", "/gestion/paiements/lots?limite=1", p.g).json()
    assert premiere["elements"][0]["idLot"] == lot["idLot"]  # newest first

    retour = p.retour(_reponse_banque(pain001, e2e, "ACSC"))
    assert retour["statut"] == "TRAITE", retour
    assert [x["endToEnd"] for x in retour["payes"]] == [e2e] and not retour["anomalies"]

    def payee() -> dict[str, Any] | None:
        vue = p.appel("GET", f"/dossiers/{n}", p.e).json()
        demande = vue["demandes"][0]
        return vue if demande["libelleStatut"] == "Décidée et payée" else None

    vue = attendre(payee, message="l'instruction n'est jamais PAYEE")
    assert any(c["objet"].startswith("Paiement de") for c in vue["courriels"])

    ligne = p.suivi(n)[0]
    assert ligne["etat"] == "PAYE" and ligne["libelleEtat"] == "Paiement effectué"
    assert ligne["montantPaye"] == "6666.67" and ligne["datePaiement"]
    assert ligne["dateValidation"] and ligne["dateMiseEnPaiement"]
    avis = ligne["avisPaiement"]
    assert avis["nom"] == f"avis_paiement_{n}M0_VERSE001.pdf"
    pdf = requests.get(avis["url"], timeout=30).content
    assert pdf.startswith(b"%PDF")
    assert verifier(pdf, lire_materiel().certificat).valide

    # The same file again changes nothing.
    encore = p.retour(_reponse_banque(pain001, e2e, "ACSC"))
    assert encore["dejaTraites"] == 1 and not encore["payes"]


def test_rejet_ac04_puis_reemission_puis_paye(
    runtime: RuntimeLocal, jetons: dict[str, Any], http: requests.Session
) -> None:
    p = Plateforme(runtime, jetons, http)
    _enroler(IBAN_1)
    n = _dossier()
    _decider(p, n)
    p.attendre_etat(n, "A_PAYER")
    _, pain001 = p.lot()
    retour = p.retour(_reponse_banque(pain001, f"{n}M0-VERSE001-1", "RJCT", "AC04"))
    assert [x["codeRejet"] for x in retour["rejetes"]] == ["AC04"]
    ligne = p.suivi(n)[0]
    assert (ligne["etat"], ligne["codeRejet"], ligne["motifRejet"]) == (
        "REJETE",
        "AC04",
        "Compte clôturé",
    )
    reemettre = f"/gestion/dossiers/{n}/versements/AVANCE/reemettre"
    r = p.appel("POST", reemettre, p.g)
    assert r.status_code == 409 and r.json()["code"] == "COORDONNEES_INCHANGEES"

    _enroler(IBAN_2)  # the éditeur's new bank details, validated
    r = p.appel("POST", reemettre, p.g)
    assert r.status_code == 200 and r.json()["etat"] == "A_PAYER", r.text
    assert r.json()["reemissions"] == 1
    lot, pain001 = p.lot()
    assert IBAN_2.encode() in pain001
    # Two lots at least now: page by page with the cursor, each once, newest first.
    vus: list[str] = []
    curseur: str | None = None
    for _ in range(100):
        page = p.appel(
            "GET",
            "/gestion/paiements/lots?limite=1" + (f"&curseur={curseur}" if curseur else ""),
            p.g,
        ).json()
        vus += [x["idLot"] for x in page["elements"]]
        curseur = page["curseurSuivant"]
        if not curseur:
            break
    assert vus[0] == lot["idLot"] and len(vus) >= 2 and len(vus) == len(set(vus))
    e2e = f"{n}M0-VERSE001-2"
    retour = p.retour(_reponse_banque(pain001, e2e, "ACSC"))
    assert [x["endToEnd"] for x in retour["payes"]] == [e2e]
    ligne = p.suivi(n)[0]
    assert ligne["etat"] == "PAYE" and ligne["montantPaye"] == "6666.67"


PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
IBAN_3 = "FR1420041010050500013M02606"
BIC_3 = "PSSTFRPPPAR"


def _televerser_rib(p: Plateforme) -> str:
    t = p.appel(
        "POST", "/enrolements/documents", {}, json={"typeDocument": "rib", "nomFichier": "rib.pdf"}
    )
    assert t.status_code == 201, t.text
    envoi = t.json()["envoi"]
    envoye = requests.post(
        envoi["url"], data=envoi["champs"], files={"file": ("rib.pdf", PDF)}, timeout=30
    )
    assert envoye.status_code in (200, 201, 204), envoye.text
    return str(t.json()["reference"])


def test_rejet_ac04_nouvelles_coordonnees_validees_reemission_automatique(
    runtime: RuntimeLocal, jetons: dict[str, Any], http: requests.Session
) -> None:
    """RJCT AC04 → REJETE → the éditeur submits new bank details → a gestionnaire
    validates them → enrolment tells paiement (queue) → re-issued without anyone asking →
    next lot to the new IBAN → paid. Neither IBAN is ever stored in clear."""
    from shared.aws import client
    from shared.dynamo import depuis_dynamo, vers_dynamo
    from shared.enrolement import cle_enrolement
    from shared.settings import settings

    p = Plateforme(runtime, jetons, http)
    _enroler(IBAN_1)
    n = _dossier()
    _decider(p, n)
    p.attendre_etat(n, "A_PAYER")
    _, pain001 = p.lot()
    assert IBAN_1.encode() in pain001  # decrypted for the bank file only
    p.retour(_reponse_banque(pain001, f"{n}M0-VERSE001-1", "RJCT", "AC04"))
    p.attendre_etat(n, "REJETE")

    corps = {
        "coordonneesBancaires": {
            "iban": IBAN_3,
            "bic": BIC_3,
            "titulaire": "EDITEUR PAYE SAS",
            "domiciliation": "La Banque Postale",
        },
        "sinceriteAttestee": True,
        "documents": {"rib": _televerser_rib(p)},
    }
    r = p.appel("POST", "/enrolements/coordonnees-bancaires", p.e, json=corps)
    assert r.status_code == 201, r.text
    demande = r.json()["numero"]
    # Until a gestionnaire validates, nothing is re-issued.
    time.sleep(1)
    assert p.suivi(n, gestion=True)[0]["etat"] == "REJETE"
    vue = p.appel("GET", f"/gestion/enrolements/{demande}", p.g).json()
    assert vue["coordonneesBancaires"]["iban"] == IBAN_3  # gestionnaires: in clear
    r = p.appel(
        "POST", f"/gestion/enrolements/{demande}/decision", p.g, json={"decision": "VALIDEE"}
    )
    assert r.status_code == 200, r.text

    ligne = p.attendre_etat(n, "A_PAYER")  # the queue's handler re-issued it
    assert ligne["reemissions"] == 1
    item = client("dynamodb").get_item(
        TableName=settings().table_donnees, Key=vers_dynamo(cle_enrolement(SIRET_A, ANS))
    )["Item"]
    enrolement = depuis_dynamo(item)
    assert enrolement["ibanMasque"].endswith("2606") and "iban" not in enrolement
    assert IBAN_3 not in repr(item) and IBAN_1 not in repr(item)

    _, pain001 = p.lot()
    assert IBAN_3.encode() in pain001 and BIC_3.encode() in pain001
    e2e = f"{n}M0-VERSE001-2"
    retour = p.retour(_reponse_banque(pain001, e2e, "ACSC"))
    assert [x["endToEnd"] for x in retour["payes"]] == [e2e]
    ligne = p.attendre_etat(n, "PAYE")
    assert ligne["montantPaye"] == "6666.67"


def test_retour_illisible(runtime: RuntimeLocal, jetons: dict[str, Any], http: requests.Session):
    p = Plateforme(runtime, jetons, http)
    bombe = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<Document>&b;</Document>"
    )
    retour = p.retour(bombe)
    assert retour["statut"] == "ILLISIBLE" and retour["erreur"]


def test_le_lot_planifie_met_en_paiement(
    runtime: RuntimeLocal, jetons: dict[str, Any], http: requests.Session
) -> None:
    """The working-day schedule's target, invoked as Scheduler does (the template's Input):
    the A_PAYER versement leaves in its SEPA file, written by paiement_lancer_lot itself."""
    import json

    from infra.local import cfn
    from shared.aws import client

    p = Plateforme(runtime, jetons, http)
    n = _dossier()
    _decider(p, n)
    p.attendre_etat(n, "A_PAYER")
    cible = cfn.ressources("AWS::Scheduler::Schedule")["LotSepaQuotidien"]["Properties"]["Target"]
    reponse = client("lambda").invoke(
        FunctionName="paiement_lancer_lot", Payload=cible["Input"].encode()
    )
    assert "FunctionError" not in reponse
    resultat = json.loads(reponse["Payload"].read())
    assert resultat["lot"], resultat
    ligne = p.attendre_etat(n, "MIS_EN_PAIEMENT")
    assert ligne["dateMiseEnPaiement"]
    lots = p.appel("GET", "/gestion/paiements/lots?limite=1", p.g).json()["elements"]
    assert lots[0]["idLot"] == resultat["lot"]
