"""Nothing lost when AWS fails: the seed's whole story (dépôt, simulation, import, ZIP,
terminer, the instruction's start; then A_MODIFIER answered by an M file, DECIDEE, the lot,
the bank's pain.002) on the local runtime with faults injected into the platform's own AWS
calls (infra/local/pannes.py: 3 % of calls failing after the SDK's retries, 1 % of writes
applied then answered with an error), then faults off and time to settle. The éditeur's
client retries a 5xx as any client would; the invariants are checked at the end:
- every line of the file is one dossier, none shared or lost;
- every dossier complete and its instruction started once, waiting for a gestionnaire;
- each accusé de réception listed once on its dossier, sent once (twice only after an
  SES answer lost once sent: SES has no idempotency key);
- each decided demande paid once (« Décidée et payée »), Σ of the bank files = Σ of the
  avances, no transaction in two files;
- each courriel listed once on its dossier and sent (twice only after an ambiguous send);
- nothing in any DLQ; no answer shows internals (a stack trace, a file path).

Bounded for `make test` (one éditeur, 12 demandes, one seed: SEGURNUM_GRAINE_PANNES picks
another, SEGURNUM_EDITEURS_PANNES and SEGURNUM_DEMANDES_PANNES the size);
`benchmarks/bench_pannes.py` plays the issue's 3 éditeurs × 15 demandes, more seeds, and
services one at a time."""

from __future__ import annotations

import copy
import io
import json
import os
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests

from infra.local.jetons import jeton
from infra.local.pannes import Pannes, injecter
from infra.local.runtime import RuntimeLocal
from shared.aws import client
from shared.settings import settings
from tests.fixtures.attente import attendre as _attendre
from tests.fixtures.depot.generateur import fichier_valide
from tests.fixtures.enrolements import enroler
from tests.unit.lecteur_zip.zips import pdf

SIRETS = ("55203253400646", "44306184100047", "55208131766522", "73282932000074")
# Bounded for `make test`; the story is 3 éditeurs × 15 demandes (bench_pannes.py).
EDITEURS = int(os.environ.get("SEGURNUM_EDITEURS_PANNES", "1"))
DEMANDES = int(os.environ.get("SEGURNUM_DEMANDES_PANNES", "12"))
A_MODIFIER = 3  # of them asked to change, answered by an M file
INTERNES = ("Traceback", 'File "', "/var/task", "site-packages", "botocore", "ClientError")


class Client:
    """The éditeur's software: retries what the platform answers 5xx or 429, and keeps every
    answer to check that none shows internals."""

    def __init__(self, api: str, jeton_: str) -> None:
        self.api = api
        self.entetes = {"Authorization": jeton_}
        self.reponses: list[str] = []

    def appeler(self, methode: str, chemin: str, **options: Any) -> requests.Response:
        for essai in range(8):
            reponse = requests.request(
                methode, f"{self.api}{chemin}", headers=self.entetes, timeout=60, **options
            )
            self.reponses.append(reponse.text)
            if reponse.status_code < 500 and reponse.status_code != 429:
                return reponse
            time.sleep(0.2 * 2**essai)
        raise AssertionError(f"{methode} {chemin}: toujours {reponse.status_code}")


def _envoyer(envoi: dict[str, Any], nom: str, contenu: bytes) -> None:
    reponse = requests.post(
        envoi["url"], data=envoi["champs"], files={"file": (nom, contenu)}, timeout=60
    )
    assert reponse.status_code in (200, 201, 204), reponse.text


def _zip(noms: list[str]) -> bytes:
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        for nom in noms:
            z.writestr(nom, pdf(nom))
    return tampon.getvalue()


def _dlq_vides() -> dict[str, int]:
    sqs = client("sqs")
    restes = {}
    for url in sqs.list_queues(QueueNamePrefix="segurnum-").get("QueueUrls", []):
        if url.endswith("-dlq"):
            attributs = sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                ],
            )["Attributes"]
            total = sum(int(v) for v in attributs.values())
            if total:
                restes[url.rsplit("/", 1)[1]] = total
    return restes


@dataclass
class Editeur:
    """One éditeur's path: its software (a client that retries), its dépôt and its file."""

    siret: str
    numero_ans: str
    email: str
    client: Client
    id_depot: str = ""
    document: dict[str, Any] = field(default_factory=dict)
    importe: dict[str, Any] = field(default_factory=dict)

    def vue(self) -> dict[str, Any]:
        return self.client.appeler("GET", f"/depots/{self.id_depot}").json()  # type: ignore[no-any-return]

    def deposer(self, graine: int) -> None:
        cree = self.client.appeler(
            "POST",
            "/depots",
            json={"typeDemande": "AVANCE", "numeroAns": self.numero_ans, "tauxTva": 20},
        )
        assert cree.status_code == 201, cree.text
        depot = cree.json()
        self.id_depot = depot["idDepot"]
        self.document = fichier_valide(
            DEMANDES, seed=graine % 10_000, siret=self.siret, numero_ans=self.numero_ans
        )
        _envoyer(depot["envoi"], "demandes.json", json.dumps(self.document).encode())

    def importer(self) -> None:
        simule = _attendre(lambda: (v := self.vue())["statut"] == "SIMULE" and v, 120, "simulation")
        assert simule["simulation"]["lignesImportables"] == DEMANDES, simule
        demande = self.client.appeler("POST", f"/depots/{self.id_depot}/import")
        # A replayed request finds the import asked or done: never a second import.
        assert demande.status_code in (202, 409), demande.text

    def envoyer_zip(self) -> None:
        self.importe = _attendre(
            lambda: (v := self.vue())["statut"] == "IMPORTE" and v, 240, "import"
        )
        noms = [
            p["nomFichier"] for d in self.document["demandes"] for p in d["piecesJustificatives"]
        ]
        envoi_zip = self.client.appeler("POST", f"/depots/{self.id_depot}/pieces")
        assert envoi_zip.status_code == 201, envoi_zip.text
        _envoyer(envoi_zip.json()["envoi"], "pieces.zip", _zip(noms))

    def zip_controle(self) -> None:
        _attendre(lambda: self.vue()["zips"][0]["statut"] == "OK", 240, "contrôle du ZIP")

    @property
    def numeros(self) -> list[str]:
        return sorted(self.importe["numerosAsp"].values())

    def par_ligne(self, ligne: int) -> str:
        return str(self.importe["numerosAsp"][str(ligne)])

    def boite(self, api: str) -> list[dict[str, Any]]:
        reponse = requests.get(
            f"{api}/_local/courriels", params={"destinataire": self.email}, timeout=30
        )
        return list(reponse.json()["elements"])


def test_l_histoire_de_la_graine_tient_sous_les_pannes(runtime: RuntimeLocal) -> None:
    gestion = Client(runtime.url_api, jeton("gestionnaires", nom="PANNES"))
    editeurs = []
    for i, siret in enumerate(SIRETS[:EDITEURS]):
        ans, email = f"PANNES{i + 1:04d}", f"pannes{i + 1}@editeur.example.fr"
        enroler(siret, ans, "MS1", email=email)
        editeurs.append(
            Editeur(siret, ans, email, Client(runtime.url_api, jeton("editeurs", siret=siret)))
        )
    graine = int(os.environ.get("SEGURNUM_GRAINE_PANNES", "1"))
    # One service at a time (dynamodb, s3, sqs, stepfunctions, sesv2, kms, secretsmanager):
    # benchmarks/bench_pannes.py; all of them by default.
    services = os.environ.get("SEGURNUM_SERVICES_PANNES")
    # Rates: 3 % of calls failed, 1 % of writes ambiguous; the benchmark raises them when one
    # service alone fails (this path makes few calls of some services).
    echecs, ambigues = (
        float(t) for t in os.environ.get("SEGURNUM_TAUX_PANNES", "0.03,0.01").split(",")
    )
    pannes = Pannes(
        graine=graine,
        echecs=echecs,
        ambigues=ambigues,
        services=frozenset(services.split(",")) if services else None,
    )
    # --- 1. The éditeurs' part, side by side: dépôt, simulation, import, ZIP.
    injecter(pannes)
    try:
        for i, e in enumerate(editeurs):
            e.deposer(graine * 10 + i)
        for etape in (Editeur.importer, Editeur.envoyer_zip, Editeur.zip_controle):
            for e in editeurs:
                etape(e)
    finally:
        injecter(None)

    # Faults off: what was left to redeliver settles (failed messages come back after 30 s).
    for e in editeurs:
        assert len(e.numeros) == DEMANDES and len(set(e.numeros)) == DEMANDES
        assert sorted(int(n) for n in e.importe["numerosAsp"]) == list(range(1, DEMANDES + 1))
    numeros = sorted(n for e in editeurs for n in e.numeros)
    assert len(set(numeros)) == len(numeros)  # no dossier shared between éditeurs
    _attendre_tous(gestion, numeros, "EN_COURS", "GESTIONNAIRE")
    # One execution per dossier (named: a replay starts nothing twice).
    executions = client("stepfunctions").list_executions(
        stateMachineArn=settings().state_machine_instruction, maxResults=1000
    )["executions"]
    par_dossier = [x["name"].split("-")[0] for x in executions]
    assert sorted(n for n in par_dossier if n in numeros) == numeros

    # Each accusé de réception once, sent and listed on its dossier; twice only after SES's
    # answer was lost once sent (an ambiguous SendEmail: SES has no idempotency key, so the
    # send is tried again rather than risk an accusé never sent).
    surplus = 0
    for e in editeurs:
        for numero in e.numeros:
            dossier = gestion.appeler("GET", f"/gestion/dossiers/{numero}").json()
            accuses = [c for c in dossier["courriels"] if c["objet"].startswith("Accusé de")]
            assert len(accuses) == 1, (numero, dossier["courriels"])
        envoyes = [m for m in e.boite(runtime.url_api) if str(m["objet"]).startswith("Accusé de")]
        par_numero = Counter(n for m in envoyes for n in e.numeros if n in str(m["objet"]))
        assert set(par_numero) == set(e.numeros), par_numero  # each one sent
        surplus += sum(c - 1 for c in par_numero.values())
    assert surplus <= pannes.injectees["ambigue:sesv2:SendEmail"], dict(pannes.injectees)
    assert _dlq_vides() == {}

    # --- 2. The gestionnaire's part, faults on again: A_MODIFIER answered by an M file,
    # DECIDEE for all, the lots, the bank's answer.
    a_modifier = [e.par_ligne(i) for e in editeurs for i in range(1, A_MODIFIER + 1)]
    fichiers: dict[str, bytes] = {}  # the bank files, by lot
    repondus: set[str] = set()  # the lots the bank answered
    injecter(pannes)
    try:
        for e in editeurs:
            _terminer(e.client, e.id_depot)
        for numero in a_modifier:
            _decider(gestion, numero, {"decision": "A_MODIFIER", "motif": "Montant à revoir"})
        _attendre_tous(gestion, a_modifier, "A_MODIFIER", "EDITEUR")
        for e in editeurs:
            modification = {
                **e.document,
                "demandes": [
                    {
                        **copy.deepcopy(e.document["demandes"][i - 1]),
                        "typeAction": "M",
                        "numeroASP": e.par_ligne(i),
                    }
                    for i in range(1, A_MODIFIER + 1)
                ],
            }
            _deposer_modification(e.client, e.numero_ans, modification)
        _attendre_tous(gestion, numeros, "EN_COURS", "GESTIONNAIRE")
        for numero in numeros:
            _decider(gestion, numero, {"decision": "DECIDEE"})
        _attendre_tous(gestion, numeros, "DECIDEE", "PAIEMENT")
        _payer(gestion, numeros, fichiers, repondus)
    finally:
        injecter(None)
    # Faults off: what was left settles (redeliveries, relances, lots run again).
    _payer(gestion, numeros, fichiers, repondus)
    _attendre_tous(gestion, numeros, "PAYEE", "PERSONNE")

    # Each avance paid once: one transaction per dossier across the bank files, and the
    # files' total is the total of the avances the platform computed.
    transactions = [t for contenu in fichiers.values() for t in _transactions(contenu, numeros)]
    assert len({e2e for e2e, _ in transactions}) == len(transactions), transactions
    versements = {n: _versements(gestion, n) for n in numeros}
    for numero, lignes in versements.items():
        assert [v["etat"] for v in lignes] == ["PAYE"], (numero, lignes)
    assert sum(m for _, m in transactions) == sum(
        Decimal(v["montantCalcule"]) for lignes in versements.values() for v in lignes
    )
    assert sorted(e2e.split("M0-")[0] for e2e, _ in transactions) == numeros

    # Each courriel listed once on its dossier, and sent: twice only after an ambiguous send.
    surplus = 0
    for e in editeurs:
        envoyes = Counter(str(m["objet"]) for m in e.boite(runtime.url_api))
        for numero in e.numeros:
            dossier = gestion.appeler("GET", f"/gestion/dossiers/{numero}").json()
            listes = Counter(c["objet"] for c in dossier["courriels"])
            attendus = ["Acceptation de", "Paiement de"] + (
                ["Modification attendue de"] if numero in a_modifier else []
            )
            for debut in attendus:
                objets = [o for o in listes if o.startswith(debut)]
                assert len(objets) == 1 and listes[objets[0]] == 1, (numero, debut, listes)
            for objet, fois in listes.items():
                assert envoyes[objet] >= fois, (numero, objet, envoyes[objet])
                surplus += envoyes[objet] - fois
    assert surplus <= pannes.injectees["ambigue:sesv2:SendEmail"], dict(pannes.injectees)

    assert _dlq_vides() == {}
    for texte in gestion.reponses + [t for e in editeurs for t in e.client.reponses]:
        assert not any(interne in texte for interne in INTERNES), texte[:500]
    # The faults did happen (the seed's plan); bench_pannes.py reads this line.
    if not services:
        assert pannes.total() > 0, pannes.injectees
    print(f"PANNES {json.dumps({'graine': graine, 'injectees': dict(pannes.injectees)})}")


def _terminer(editeur: Client, id_depot: str) -> None:
    fin = editeur.appeler("POST", f"/depots/{id_depot}/terminer")
    # A replayed request finds the dépôt already TERMINE.
    assert fin.status_code in (200, 409), fin.text
    vue = editeur.appeler("GET", f"/depots/{id_depot}").json()
    assert vue["statut"] == "TERMINE", vue


def _decider(gestion: Client, numero: str, corps: dict[str, Any]) -> None:
    chemin = f"/gestion/dossiers/{numero}/AVANCE/decision"
    reponse = gestion.appeler("POST", chemin, json=corps)
    # 200, or the replay of a decision already recorded (its answer was lost).
    assert reponse.status_code == 200, reponse.text


def _attendre_tous(gestion: Client, numeros: list[str], statut: str, attendu: str) -> None:
    def en_retard() -> list[tuple[str, str, str]]:
        restes = []
        for numero in numeros:
            dossier = gestion.appeler("GET", f"/gestion/dossiers/{numero}").json()
            avance = next(d for d in dossier["demandes"] if d["typeDemande"] == "AVANCE")
            if avance["statut"] == "EN_ERREUR_TECHNIQUE":
                gestion.appeler("POST", f"/gestion/dossiers/{numero}/AVANCE/relancer")
            if avance["statut"] != statut or avance.get("attendu") != attendu:
                restes.append((numero, avance["statut"], avance.get("attendu", "")))
        return restes

    restes: list[tuple[str, str, str]] = []

    def atteints() -> bool:
        restes[:] = en_retard()
        return not restes

    try:
        _attendre(atteints, 300, f"toutes les demandes {statut} / {attendu}")
    except AssertionError as exc:
        raise AssertionError(f"{exc}; en retard: {restes}") from None


def _deposer_modification(editeur: Client, numero_ans: str, document: dict[str, Any]) -> None:
    cree = editeur.appeler(
        "POST", "/depots", json={"typeDemande": "AVANCE", "numeroAns": numero_ans, "tauxTva": 20}
    )
    assert cree.status_code == 201, cree.text
    depot = cree.json()
    _envoyer(depot["envoi"], "modification.json", json.dumps(document).encode())
    chemin = f"/depots/{depot['idDepot']}"
    _attendre(lambda: editeur.appeler("GET", chemin).json()["statut"] == "SIMULE", 120, "M")
    demande = editeur.appeler("POST", f"{chemin}/import")
    assert demande.status_code in (202, 409), demande.text
    vue = _attendre(
        lambda: (v := editeur.appeler("GET", chemin).json())["statut"] == "IMPORTE" and v,
        240,
        "import du fichier M",
    )
    assert vue["compteRendu"]["lignesImportees"] == len(document["demandes"]), vue


def _versements(gestion: Client, numero: str) -> list[dict[str, Any]]:
    reponse = gestion.appeler("GET", f"/gestion/dossiers/{numero}/versements")
    assert reponse.status_code == 200, reponse.text
    return list(reponse.json()["versements"])


def _transactions(pain001: bytes, numeros: list[str]) -> list[tuple[str, Decimal]]:
    """(end-to-end id, amount) of the file's transactions for these dossiers."""
    from services.paiement.adapters.banque_locale import transactions_pain001

    return [
        (e2e, Decimal(str(montant)))
        for e2e, montant in transactions_pain001(pain001)
        if e2e.split("M0-")[0] in numeros
    ]


def _payer(
    gestion: Client, numeros: list[str], fichiers: dict[str, bytes], repondus: set[str]
) -> None:
    """Runs lots until every avance is in a bank file, then answers each file ACSC (the
    bank's pain.002, uploaded as the gestionnaire does); keeps the files by lot. The e2e
    session shares one platform: only the lots holding these dossiers count, and only
    their transactions are answered (another test's versements are not ours to pay)."""
    from services.paiement.adapters.banque_locale import Reponse, message_pain001, rapport_pain002
    from shared.horloge import horloge

    def tous_mis_en_paiement() -> bool:
        lancement = gestion.appeler("POST", "/gestion/paiements/lots")
        assert lancement.status_code in (200, 201, 409), lancement.text
        for lot in _lots(gestion):
            if lot["idLot"] not in fichiers and lot.get("fichier"):
                contenu = requests.get(lot["fichier"]["url"], timeout=30)
                if contenu.status_code == 200 and _transactions(contenu.content, numeros):
                    fichiers[lot["idLot"]] = contenu.content
        etats = [v["etat"] for n in numeros for v in _versements(gestion, n)]
        return len(etats) == len(numeros) and all(e != "A_PAYER" for e in etats)

    _attendre(tous_mis_en_paiement, 300, "chaque avance dans un fichier de virements")
    for id_lot, contenu in fichiers.items():
        reponses = [
            Reponse(e2e, "ACSC", None, str(m)) for e2e, m in _transactions(contenu, numeros)
        ]
        retour = rapport_pain002(
            f"RET-{id_lot[-20:]}", message_pain001(contenu), horloge().maintenant(), reponses
        )
        if id_lot in repondus:
            continue
        depose = gestion.appeler("POST", "/gestion/paiements/retours")
        assert depose.status_code == 201, depose.text
        _envoyer(depose.json()["envoi"], "retour.xml", retour)
        chemin = f"/gestion/paiements/retours/{depose.json()['idRetour']}"
        _attendre(
            lambda: gestion.appeler("GET", chemin).json()["statut"] != "ATTENDU",  # noqa: B023
            240,
            "retour bancaire traité",
        )
        repondus.add(id_lot)


def _lots(gestion: Client) -> list[dict[str, Any]]:
    lots: list[dict[str, Any]] = []
    curseur = None
    while True:
        chemin = "/gestion/paiements/lots?limite=50" + (f"&curseur={curseur}" if curseur else "")
        page = gestion.appeler("GET", chemin).json()
        lots.extend(page["elements"])
        curseur = page.get("curseurSuivant")
        if not curseur:
            return lots
