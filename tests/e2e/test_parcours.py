"""The seed's whole story over HTTP (issue 12): the same scenario as `segurnum demo`
(infra/demo/scenario.py), each step followed by what it must have left on the platform:
statuses, amounts to the cent (avance = 30 % half-up of the montant financé, avance + solde
= montant financé), courriels, documents (PDFs parse and their signatures verify against the
platform's certificate; every pain.001 validates against its XSD).

Its own platform, started like `make run HORLOGE=2024-02-20T10:00` (`segurnum local` in a
child process, its own state file): the session's runtime is shared by tests that move the
clock past the avance deadline, and a deadline fires once per platform."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from infra.demo import depot, echeances, enrolement, instruction, paiement
from infra.demo.contexte import Contexte
from infra.demo.paiement import avance_attendue, versement
from infra.demo.plateforme import Plateforme
from infra.demo.scenario import ETAPES, contexte
from infra.local.runtime import port_libre
from services.paiement.domain.sepa import valider_pain001
from shared.horloge import PARIS, heure_paris
from shared.signature import verifier

RACINE = Path(__file__).resolve().parents[2]
D = Decimal


@pytest.fixture(scope="module")
def plateforme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Plateforme]:
    dossier = tmp_path_factory.mktemp("plateforme")
    etat = dossier / "etat.json"
    # Not the session runtime's AWS settings: the child provisions its own.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SEGURNUM_", "MOTO_"))}
    env["SEGURNUM_ETAT_LOCAL"] = str(etat)
    commande = [str(Path(sys.executable).with_name("segurnum")), "local"]
    commande += ["--port", str(port_libre()), "--port-moto", str(port_libre())]
    commande += ["--port-portail", str(port_libre()), "--horloge", "2024-02-20T10:00"]
    journal = (dossier / "plateforme.log").open("w")
    processus = subprocess.Popen(
        commande, cwd=RACINE, env=env, stdout=journal, stderr=subprocess.STDOUT
    )
    try:
        fin = time.monotonic() + 90
        while not etat.exists():
            assert processus.poll() is None, (dossier / "plateforme.log").read_text()
            assert time.monotonic() < fin, "la plateforme ne démarre pas en 90 s"
            time.sleep(0.2)
        time.sleep(0.2)  # the state file is written in one go, but let it be closed
        yield Plateforme.depuis_etat(etat)
    finally:
        processus.send_signal(signal.SIGINT)
        try:
            processus.wait(timeout=30)
        except subprocess.TimeoutExpired:
            processus.kill()
            processus.wait()
        journal.close()


# --- what each step must have left ------------------------------------------------------------


def _objets(ctx: Contexte, email: str) -> list[str]:
    return [str(c["objet"]) for c in ctx.p.courriels(email)]


def _signe(ctx: Contexte, chemin: Path) -> None:
    """A PDF of the platform: it parses, has text, and its signature verifies."""
    contenu = chemin.read_bytes()
    lecteur = PdfReader(io.BytesIO(contenu))
    assert lecteur.pages and lecteur.pages[0].extract_text().strip(), chemin
    resultat = verifier(contenu, ctx.faits["certificat"])
    assert resultat.valide and resultat.intacte, (chemin, resultat.motif)


DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def _dates_de_la_plateforme(ctx: Contexte, chemin: Path, fin: datetime) -> int:
    """Every date a document prints (jj/mm/aaaa), its creation and modification dates and
    its signing time lie between the story's start and the platform's clock now: the story
    runs in 2024 while this machine's clock does not, so a date from any other clock (the
    bank's return dated by the machine, pyHanko's own time) shows. Returns how many."""
    contenu = chemin.read_bytes()
    lecteur = PdfReader(io.BytesIO(contenu))
    texte = " ".join(p.extract_text() for p in lecteur.pages)
    debut = heure_paris(echeances.DEBUT)
    jours = [date(int(a), int(m), int(j)) for j, m, a in DATE.findall(texte)]
    assert jours, chemin
    for jour in jours:
        assert debut.date() <= jour <= fin.astimezone(PARIS).date(), (chemin, jour, fin)
    meta = lecteur.metadata
    instants = [verifier(contenu, ctx.faits["certificat"]).instant_signature]
    instants += [meta.creation_date, meta.modification_date] if meta else []
    assert all(instants), (chemin, instants)
    for instant in instants:
        assert instant is not None and debut <= instant <= fin, (chemin, instant, fin)
    return len(jours) + len(instants)


def _mentions_de_la_decision(chemin: Path) -> None:
    """The médico-social programme, its legal basis and the voies et délais de recours."""
    lecteur = PdfReader(io.BytesIO(chemin.read_bytes()))
    texte = " ".join(" ".join(p.extract_text() for p in lecteur.pages).split())
    for attendu in [
        "système ouvert et non sélectif (SONS)",
        "couloir médico-social, vague 1",
        "Vu le code de la santé publique, notamment son article L. 1111-24;",
        "Vu l'arrêté du 2 février 2022",
        "Voies et délais de recours",
        "recours gracieux auprès de l'Agence de services et de paiement (ASP)",
        "recours contentieux devant le tribunal administratif",
        "dans un délai de deux mois",
        "Télérecours citoyens",
    ]:
        assert attendu in texte, (chemin, attendu)
    assert "MSSanté" not in texte, chemin


def _gestion(ctx: Contexte, role: str, type_demande: str = "AVANCE") -> dict[str, Any]:
    return instruction.etat(ctx, role, type_demande)


def apres_referentiel(ctx: Contexte) -> None:
    a = ctx.jeu.editeurs["A"]
    trouve = ctx.faits["referencement"]
    assert (trouve["siret"], trouve["raisonSociale"]) == (a.siret, a.raison_sociale)
    ctx.faits["certificat"] = ctx.p.certificat()


def apres_demandes(ctx: Contexte) -> None:
    for e in ctx.jeu.editeurs.values():
        numero = ctx.enrolements[e.cle]
        assert numero.startswith("ENR")
        assert any(numero in o and "Accusé" in o for o in _objets(ctx, e.email))
    # The tiers déclarant's courriels go to the dépositaire, not the représentant légal.
    b = ctx.jeu.editeurs["B"]
    assert b.email_depositaire and _objets(ctx, b.email_representant) == []


def apres_validation(ctx: Contexte) -> None:
    for e in ctx.jeu.editeurs.values():
        assert ctx.faits["enrolementsValides"][e.cle]["statut"] == "VALIDEE"
        identifiant, mot_de_passe = ctx.faits["identifiants"][e.cle]
        assert identifiant == e.email and len(mot_de_passe) >= 8


def apres_connexions(ctx: Contexte) -> None:
    for e in ctx.jeu.editeurs.values():
        assert ctx.p.appel("GET", "/editeurs/moi", ctx.jetons[e.cle])["siret"] == e.siret


def apres_simulation(ctx: Contexte) -> None:
    vue = ctx.faits["simulationFautive"]
    s = vue["simulation"]
    assert (s["nombreLignes"], s["lignesImportables"], s["lignesRejetees"]) == (10, 8, 2)
    codes = {
        d["numLigne"]: [err["code"] for err in d.get("erreurs") or []]
        for d in vue["compteRendu"]["lignes"]
    }
    assert {n: c for n, c in codes.items() if c} == {
        4: ["FINESS_INVALIDE"],
        8: ["MONTANT_PLAFOND_DEPASSE"],
    }
    annote = json.loads((ctx.sortie / "depots/demandes_avance_v1_annote.json").read_bytes())
    traitements = {d["numLigne"]: d["codeTraitement"] for d in annote["demandes"]}
    assert traitements[4] and traitements[8] and len(traitements) == 10


def apres_import(ctx: Contexte) -> None:
    vue = ctx.faits["importA"]
    assert vue["statut"] == "IMPORTE" and len(vue["numerosAsp"]) == 10
    for ligne in vue["compteRendu"]["lignes"]:
        financé = D(str(ligne["montants"]["montantFinance"]))
        assert financé == depot.MONTANTS_A[ligne["numLigne"] - 1]
        assert D(str(ligne["montants"]["avance"])) == avance_attendue(financé)


def apres_pieces(ctx: Contexte) -> None:
    (incomplet,) = ctx.faits["incompletsApresZip1"]
    assert incomplet["numLigne"] == 10 and incomplet["statut"] == "INCOMPLET"
    assert incomplet["piecesManquantes"] == [depot.pieces_de(ctx.faits["fichierA"])[-1]]
    fin = ctx.faits["terminerA"]
    assert fin["statut"] == "TERMINE" and fin["dossiersIncomplets"] == []


def apres_depot_b(ctx: Contexte) -> None:
    n = ctx.dossiers["B1"]
    assert n.startswith("FINMS2") and ctx.montants[n] == depot.MONTANT_B
    assert set(ctx.depots) == {"fautif", "A", "B"}


def apres_bureau(ctx: Contexte) -> None:
    attendus = {"A1": "A_MODIFIER", "A2": "EN_ATTENTE_PIECES", "A9": "A_MODIFIER"}
    attendus["A10"] = "EN_ATTENTE_PIECES"
    for role, statut in attendus.items():
        instruction.attendre_statut(ctx, role, statut)
    assert _gestion(ctx, "A2")["piecesDemandees"] == [instruction.piece_demandee(ctx, 2)]
    objets = _objets(ctx, ctx.jeu.editeurs["A"].email)
    for role in ("A1", "A9"):
        assert any(ctx.dossiers[role] in o and "Modification" in o for o in objets)
    for role in ("A2", "A10"):
        assert any(ctx.dossiers[role] in o and "Pièces" in o for o in objets)


def apres_modification(ctx: Contexte) -> None:
    n = ctx.dossiers["A1"]
    assert ctx.montants[n] == D("17500.00")
    montants = _gestion(ctx, "A1")["montants"]
    assert (D(montants["montantFinance"]), D(montants["avance"])) == (D("17500"), D("5250"))


def apres_reponse_pieces(ctx: Contexte) -> None:
    d = _gestion(ctx, "A2")
    assert d["statut"] == "EN_COURS" and d["piecesDemandees"] == []


def apres_decisions(ctx: Contexte) -> None:
    statuts = {role: _gestion(ctx, role)["statut"] for role in sorted(ctx.dossiers)}
    assert statuts == {
        "A1": "DECIDEE",
        "A2": "DECIDEE",
        "A3": "REJETEE",
        "A4": "DECIDEE",
        "A5": "DECIDEE",
        "A6": "DECIDEE",
        "A7": "DECIDEE",
        "A8": "EN_COURS",
        "A9": "A_MODIFIER",
        "A10": "EN_ATTENTE_PIECES",
        "B1": "DECIDEE",
    }
    assert _gestion(ctx, "A3")["decision"]["motif"] == instruction.MOTIF_REJET
    (pdf,) = ctx.faits["decisions"]
    assert pdf.name == f"decision_attribution_{ctx.dossiers['A4']}.pdf"
    _signe(ctx, pdf)
    _mentions_de_la_decision(pdf)


def apres_premier_lot(ctx: Contexte) -> None:
    for role in paiement.PAYES:
        v = versement(ctx, role)
        assert v is not None and v["etat"] == "PAYE"
        financé = ctx.montants[ctx.dossiers[role]]
        assert D(v["montantCalcule"]) == D(v["montantPaye"]) == avance_attendue(financé)
    # A1's amount was changed by its M file: 30 % of 17 500,00 €, not of 18 000,00 €.
    assert D(versement(ctx, "A1")["montantPaye"]) == D("5250.00")  # type: ignore[index]
    b = versement(ctx, "B1")
    assert b is not None and (b["etat"], b["codeRejet"]) == ("REJETE", "AC04")
    (lot,) = ctx.lots
    avances = [avance_attendue(ctx.montants[ctx.dossiers[r]]) for r in [*paiement.PAYES, "B1"]]
    assert lot["nombreTransactions"] == len(avances) and D(lot["total"]) == sum(avances)
    retour = ctx.faits["retour1"]
    assert (_n(retour["payes"]), _n(retour["rejetes"])) == (len(paiement.PAYES), 1)
    assert len(ctx.faits["avis"]) == len(paiement.PAYES)
    for chemin in ctx.faits["avis"]:
        _signe(ctx, chemin)
    objets = _objets(ctx, ctx.jeu.editeurs["A"].email)
    for role in paiement.PAYES:
        assert any(ctx.dossiers[role] in o and o.startswith("Paiement") for o in objets)


def _n(valeur: Any) -> int:
    return len(valeur) if isinstance(valeur, list) else int(valeur)


def apres_reemission(ctx: Contexte) -> None:
    b = versement(ctx, "B1")
    assert b is not None and b["etat"] == "PAYE" and b["reemissions"] == 1
    assert D(b["montantPaye"]) == avance_attendue(D(depot.MONTANT_B)) == D("5250.00")
    assert D(ctx.lots[1]["total"]) == D("5250.00") and ctx.lots[1]["nombreTransactions"] == 1
    nouvel_iban = ctx.jeu.editeurs["B"].fiche["nouvelleBanque"]["iban"].replace(" ", "")
    assert nouvel_iban.encode() in (ctx.sortie / "banque/lot_2.pain001.xml").read_bytes()
    instruction.attendre_statut(ctx, "B1", "PAYEE")  # the workflow hears of it after paiement
    _signe(ctx, ctx.faits["avis"][-1])


def apres_echeance(ctx: Contexte) -> None:
    # A fresh platform: every avance deadline fires during the story.
    assert set(ctx.faits["echeancesDeclenchees"]) >= {nom for _, nom, _, _ in echeances.MOMENTS}
    objets = _objets(ctx, ctx.jeu.editeurs["A"].email)
    assert sum("Rappel" in o for o in objets) >= 2
    assert any("ferm" in o.lower() for o in objets)
    tardif = ctx.faits["depotTardif"]
    assert tardif["code"] and "28/02/2024" in tardif["message"]


def apres_solde(ctx: Contexte) -> None:
    n = ctx.dossiers["A4"]
    financé = ctx.montants[n]
    avance, solde = versement(ctx, "A4"), versement(ctx, "A4", "SOLDE")
    assert avance is not None and solde is not None and solde["etat"] == "PAYE"
    assert D(solde["montantPaye"]) == financé - avance_attendue(financé) == D("6860.00")
    assert D(avance["montantPaye"]) + D(solde["montantPaye"]) == financé
    instruction.attendre_statut(ctx, "A4", "PAYEE", "SOLDE")
    assert D(ctx.lots[-1]["total"]) == D("6860.00")
    _signe(ctx, ctx.faits["avis"][-1])
    assert any(n in o and "solde" in o for o in _objets(ctx, ctx.jeu.editeurs["A"].email))
    solde_pdf = ctx.faits["decisions"][-1]
    assert solde_pdf.name == f"decision_attribution_{n}_solde.pdf"
    _signe(ctx, solde_pdf)
    _mentions_de_la_decision(solde_pdf)


VERIFICATIONS: dict[Callable[[Contexte], None], Callable[[Contexte], None]] = {
    enrolement.referentiel: apres_referentiel,
    enrolement.demandes: apres_demandes,
    enrolement.validation: apres_validation,
    enrolement.connexions: apres_connexions,
    depot.simulation_fautive: apres_simulation,
    depot.correction_import: apres_import,
    depot.pieces: apres_pieces,
    depot.depot_b: apres_depot_b,
    instruction.bureau: apres_bureau,
    instruction.reponse_modification: apres_modification,
    instruction.reponse_pieces: apres_reponse_pieces,
    instruction.decisions: apres_decisions,
    paiement.premier_lot: apres_premier_lot,
    paiement.nouvelles_coordonnees: apres_reemission,
    echeances.echeance: apres_echeance,
    echeances.solde: apres_solde,
}


def test_l_histoire_du_seed_de_bout_en_bout(plateforme: Plateforme, tmp_path: Path) -> None:
    ctx = contexte(plateforme, tmp_path / "demo", graine=20240220)
    for etape in ETAPES:
        etape.faire(ctx)  # EtapeEchouee names, in French, what the platform answered
        verification = VERIFICATIONS.get(etape.faire)
        if verification is not None:
            verification(ctx)
    # Every file the story names exists; every PDF parses and is signed by the platform;
    # every pain.001 is valid (the pain.002 were made from them by the local bank).
    assert ctx.fichiers and all(f.is_file() and f.stat().st_size for f in ctx.fichiers)
    fin = datetime.fromisoformat(ctx.p.horloge())
    dates = 0
    for chemin in ctx.fichiers:
        if chemin.suffix == ".pdf":
            _signe(ctx, chemin)
            dates += _dates_de_la_plateforme(ctx, chemin, fin)
        elif chemin.name.endswith(".pain001.xml"):
            valider_pain001(chemin.read_bytes())
    assert len([f for f in ctx.fichiers if f.name.endswith(".pain001.xml")]) == 3
    # Two décisions and eight avis, each with several dates: all on the platform's clock.
    assert len([f for f in ctx.fichiers if f.suffix == ".pdf"]) == 10 and dates >= 50
    # Nothing on the platform's side went to a technical error.
    liste = ctx.p.appel(
        "GET", "/gestion/dossiers", ctx.gestion, params={"statut": "EN_ERREUR_TECHNIQUE"}
    )
    assert liste["elements"] == []
    assert requests.get(f"{plateforme.api}/sante", timeout=30).status_code == 200
