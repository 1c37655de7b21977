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
another); `benchmarks/bench_pannes.py` plays more seeds and services one at a time."""

from __future__ import annotations

import copy
import io
import json
import os
import time
import zipfile
from collections import Counter
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

SIRET = "55203253400646"
NUMERO_ANS = "PANNES0001"
EMAIL = "pannes@editeur.example.fr"
DEMANDES = 12
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


def test_le_parcours_de_l_editeur_tient_sous_les_pannes(runtime: RuntimeLocal) -> None:
    enroler(SIRET, NUMERO_ANS, "MS1", email=EMAIL)
    editeur = Client(runtime.url_api, jeton("editeurs", siret=SIRET))
    gestion = Client(runtime.url_api, jeton("gestionnaires", nom="PANNES"))
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
    injecter(pannes)
    try:
        cree = editeur.appeler(
            "POST",
            "/depots",
            json={"typeDemande": "AVANCE", "numeroAns": NUMERO_ANS, "tauxTva": 20},
        )
        assert cree.status_code == 201, cree.text
        depot = cree.json()
        id_depot = depot["idDepot"]
        document = fichier_valide(
            DEMANDES, seed=graine % 10_000, siret=SIRET, numero_ans=NUMERO_ANS
        )
        _envoyer(depot["envoi"], "demandes.json", json.dumps(document).encode())

        def vue() -> dict[str, Any]:
            return editeur.appeler("GET", f"/depots/{id_depot}").json()  # type: ignore[no-any-return]

        simule = _attendre(lambda: (v := vue())["statut"] == "SIMULE" and v, 120, "simulation")
        assert simule["simulation"]["lignesImportables"] == DEMANDES, simule
        demande = editeur.appeler("POST", f"/depots/{id_depot}/import")
        # A replayed request finds the import asked or done: never a second import.
        assert demande.status_code in (202, 409), demande.text
        importe = _attendre(lambda: (v := vue())["statut"] == "IMPORTE" and v, 240, "import")

        noms = [p["nomFichier"] for d in document["demandes"] for p in d["piecesJustificatives"]]
        envoi_zip = editeur.appeler("POST", f"/depots/{id_depot}/pieces")
        assert envoi_zip.status_code == 201, envoi_zip.text
        _envoyer(envoi_zip.json()["envoi"], "pieces.zip", _zip(noms))
        _attendre(lambda: vue()["zips"][0]["statut"] == "OK", 240, "contrôle du ZIP")
    finally:
        injecter(None)

    # Faults off: what was left to redeliver settles (failed messages come back after 30 s).
    numeros = sorted(importe["numerosAsp"].values())
    assert len(numeros) == DEMANDES and len(set(numeros)) == DEMANDES
    assert sorted(int(n) for n in importe["numerosAsp"]) == list(range(1, DEMANDES + 1))

    def instruits() -> list[dict[str, Any]] | None:
        vus = []
        for numero in numeros:
            dossier = gestion.appeler("GET", f"/gestion/dossiers/{numero}").json()
            avance = next(d for d in dossier["demandes"] if d["typeDemande"] == "AVANCE")
            if avance["statut"] == "EN_ERREUR_TECHNIQUE":
                gestion.appeler("POST", f"/gestion/dossiers/{numero}/AVANCE/relancer")
                return None
            if avance["statut"] != "EN_COURS" or avance.get("attendu") != "GESTIONNAIRE":
                return None
            vus.append(dossier)
        return vus

    dossiers = _attendre(instruits, 240, "instruction de chaque dossier")
    # One execution per dossier (named: a replay starts nothing twice).
    executions = client("stepfunctions").list_executions(
        stateMachineArn=settings().state_machine_instruction, maxResults=1000
    )["executions"]
    par_dossier = [e["name"].split("-")[0] for e in executions]
    assert sorted(n for n in par_dossier if n in numeros) == numeros

    # Each accusé de réception once, sent and listed on its dossier.
    for dossier in dossiers:
        accuses = [c for c in dossier["courriels"] if c["objet"].startswith("Accusé de réception")]
        assert len(accuses) == 1, (dossier["numeroAsp"], dossier["courriels"])
    boite = requests.get(
        f"{runtime.url_api}/_local/courriels", params={"destinataire": EMAIL}, timeout=30
    ).json()["elements"]
    envoyes = [m for m in boite if str(m["objet"]).startswith("Accusé de réception")]
    par_dossier = Counter(n for m in envoyes for n in numeros if n in str(m["objet"]))
    assert set(par_dossier) == set(numeros), par_dossier  # each one sent
    # Listed once on each dossier (above), sent at least once, and twice only after SES's
    # answer was lost once sent (an ambiguous SendEmail: SES has no idempotency key, so the
    # send is tried again rather than risk an accusé never sent).
    doubles = {n: c for n, c in par_dossier.items() if c > 1}
    ambigus = pannes.injectees["ambigue:sesv2:SendEmail"]
    assert sum(c - 1 for c in doubles.values()) <= ambigus, (doubles, dict(pannes.injectees))

    assert _dlq_vides() == {}
    for texte in editeur.reponses + gestion.reponses:
        assert not any(interne in texte for interne in INTERNES), texte[:500]

    # --- 2. The gestionnaire's part, faults on again: A_MODIFIER answered by an M file,
    # DECIDEE for all, the lots, the bank's answer.
    par_ligne = {int(ligne): numero for ligne, numero in importe["numerosAsp"].items()}
    a_modifier = [par_ligne[i] for i in range(1, A_MODIFIER + 1)]
    fichiers: dict[str, bytes] = {}  # the bank files, by lot
    repondus: set[str] = set()  # the lots the bank answered
    injecter(pannes)
    try:
        _terminer(editeur, id_depot)
        for numero in a_modifier:
            _decider(gestion, numero, {"decision": "A_MODIFIER", "motif": "Montant à revoir"})
        _attendre_tous(gestion, a_modifier, "A_MODIFIER", "EDITEUR")
        modification = {
            **document,
            "demandes": [
                {
                    **copy.deepcopy(document["demandes"][i - 1]),
                    "typeAction": "M",
                    "numeroASP": par_ligne[i],
                }
                for i in range(1, A_MODIFIER + 1)
            ],
        }
        _deposer_modification(editeur, modification)
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
    transactions = [t for contenu in fichiers.values() for t in _transactions(contenu)]
    assert len({e2e for e2e, _ in transactions}) == len(transactions), transactions
    versements = {n: _versements(gestion, n) for n in numeros}
    for numero, lignes in versements.items():
        assert [v["etat"] for v in lignes] == ["PAYE"], (numero, lignes)
    assert sum(m for _, m in transactions) == sum(
        Decimal(v["montantCalcule"]) for lignes in versements.values() for v in lignes
    )
    assert sorted(e2e.split("M0-")[0] for e2e, _ in transactions) == numeros

    # Each courriel listed once on its dossier, and sent: twice only after an ambiguous send.
    boite = requests.get(
        f"{runtime.url_api}/_local/courriels", params={"destinataire": EMAIL}, timeout=30
    ).json()["elements"]
    envoyes = Counter(str(m["objet"]) for m in boite)
    surplus = 0
    for numero in numeros:
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
    ambigus = pannes.injectees["ambigue:sesv2:SendEmail"]
    assert surplus <= ambigus, (surplus, dict(pannes.injectees))

    assert _dlq_vides() == {}
    for texte in editeur.reponses + gestion.reponses:
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


def _deposer_modification(editeur: Client, document: dict[str, Any]) -> None:
    cree = editeur.appeler(
        "POST", "/depots", json={"typeDemande": "AVANCE", "numeroAns": NUMERO_ANS, "tauxTva": 20}
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


def _transactions(pain001: bytes) -> list[tuple[str, Decimal]]:
    from services.paiement.adapters.banque_locale import transactions_pain001

    return [(e2e, Decimal(str(montant))) for e2e, montant in transactions_pain001(pain001)]


def _payer(
    gestion: Client, numeros: list[str], fichiers: dict[str, bytes], repondus: set[str]
) -> None:
    """Runs lots until every avance is in a bank file, then answers each file ACSC (the
    bank's pain.002, uploaded as the gestionnaire does); keeps the files by lot."""
    from services.paiement.adapters.banque_locale import Reponse, message_pain001, rapport_pain002
    from shared.horloge import horloge

    def tous_mis_en_paiement() -> bool:
        lancement = gestion.appeler("POST", "/gestion/paiements/lots")
        assert lancement.status_code in (200, 201, 409), lancement.text
        for lot in _lots(gestion):
            if lot["idLot"] not in fichiers and lot.get("fichier"):
                contenu = requests.get(lot["fichier"]["url"], timeout=30)
                if contenu.status_code == 200:
                    fichiers[lot["idLot"]] = contenu.content
        etats = [v["etat"] for n in numeros for v in _versements(gestion, n)]
        return len(etats) == len(numeros) and all(e != "A_PAYER" for e in etats)

    _attendre(tous_mis_en_paiement, 300, "chaque avance dans un fichier de virements")
    for id_lot, contenu in fichiers.items():
        reponses = [Reponse(e2e, "ACSC", None, str(m)) for e2e, m in _transactions(contenu)]
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
