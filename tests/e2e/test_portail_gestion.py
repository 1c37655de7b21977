"""The gestionnaire's screens of the portal in Debian's Chromium (web/tests/e2e/gestion.test.ts,
axe-core on every screen) against this session's local platform, with data prepared
through the API (référentiel, enrolment, documents) and the platform's own writers
(dossiers as the dépôt writes them, their instruction started as the dépôt starts it):
the desk filtered and paginated, a dossier decided A_MODIFIER then, after the éditeur's
answer, DECIDEE; an enrolment validated; a batch run and a bank return uploaded.

The browser test calls back into this module (`python -c …`, same environment as the
runtime) for what only the platform's side can do: the éditeur's answer (the dépôt's
message) and the bank's pain.002 for the lot's file. Screenshots:
build/captures/portail/gestion-*.png. The sign-in screen is H16's: here the gestionnaire's
IdToken is put in the tab's storage, as the Connexion screen does."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import requests
from stdnum import luhn

from infra.local.portail import DOSSIER_PORTAIL, portail_construit
from infra.local.runtime import RuntimeLocal

RACINE = Path(__file__).resolve().parents[2]
CAPTURES = RACINE / "build" / "captures" / "portail"
IBAN = "FR7630006000011234567890189"  # valid, with the BIC of tests/fixtures
EMAIL = "tresorerie@editeur-portail.example.fr"


def _siret(alea: random.Random) -> str:
    siren = "".join(str(alea.randint(0, 9)) for _ in range(8))
    siren += luhn.calc_check_digit(siren)
    base = siren + "".join(str(alea.randint(0, 9)) for _ in range(4))
    return base + luhn.calc_check_digit(base)


def _enroler(siret: str, ans: str) -> None:
    """The validated enrolment the instruction and the payment read (IBAN encrypted, as the
    enrolment service writes it)."""
    from tests.fixtures.enrolements import enroler

    enroler(siret, ans, "MS1", EMAIL, raison_sociale="ÉDITEUR DU PORTAIL SAS", iban=IBAN)


def _dossier(siret: str, ans: str, rang: int) -> str:
    """A complete avance dossier, written by the dépôt's own writer."""
    from tests.fixtures.dossiers import dossier_exemple, semer

    numero = f"FINMS3{uuid.uuid4().int % 1_000_000:06d}"
    le = datetime(2024, 2, 20, 9, rang, tzinfo=UTC)
    dossier = dossier_exemple(
        numero,
        siret,
        ans,
        le,
        regime_tva="TTC",
        pieces=({"nomFichier": "devis.pdf"},),
        numero_dossier=f"0000{rang + 1}",
        num_ligne=rang + 1,
        id_depot="portail-gestion",
    )
    return semer(dossier)


def _instruire(numero: str, siret: str) -> None:
    from shared.aws import client
    from shared.messages import InstructionDemandee
    from shared.settings import settings

    entree = InstructionDemandee(
        numeroAsp=numero, siret=siret, typeDemande="AVANCE", montantFinance="22500.00"
    )
    client("stepfunctions").start_execution(
        stateMachineArn=settings().state_machine_instruction,
        name=f"{numero}-AVANCE-1",
        input=entree.model_dump_json(),
    )


def _attendre_gestionnaire(numeros: list[str]) -> None:
    from services.instruction.bootstrap import composants
    from shared.campagnes import TypeDemande
    from shared.statuts import Attendu, StatutDemande

    fin = time.monotonic() + 60
    restants = set(numeros)
    while restants and time.monotonic() < fin:
        for n in list(restants):
            etat = composants().instructions.lire(n, TypeDemande.AVANCE)
            if (
                etat
                and etat.statut is StatutDemande.EN_COURS
                and etat.attendu is Attendu.GESTIONNAIRE
            ):
                restants.discard(n)
        time.sleep(0.2)
    assert not restants, f"jamais EN_COURS pour un gestionnaire: {restants}"


def _enrolement(api: str, gestion: dict[str, str], alea: random.Random) -> str:
    """A demande d'enrôlement SOUMISE, through the public routes (référencement loaded)."""
    from tests.e2e.test_enrolement import demande

    siret = _siret(alea)
    ans = f"gstMS{alea.randint(0, 99999):05d}"
    r = requests.post(
        f"{api}/gestion/referentiel",
        headers=gestion,
        json={
            "version": f"portail-gestion-{ans}",
            "source": "tests/e2e/test_portail_gestion.py",
            "referencements": [
                {
                    "numeroAns": ans,
                    "couloir": "MS1",
                    "typeLogiciel": "DUI",
                    "vague": "1",
                    "solution": "Portail Dossier Usager",
                    "versionSolution": "1.0",
                    "siret": siret,
                    "raisonSociale": "PORTAIL LOGICIELS",
                }
            ],
        },
        timeout=30,
    )
    assert r.status_code in (200, 201), r.text
    corps = demande(
        api, siret, ans, "PORTAIL LOGICIELS", f"contact.{ans.lower()}@portail.example.fr"
    )
    r = requests.post(f"{api}/enrolements", json=corps, timeout=30)
    assert r.status_code == 201, r.text
    return str(r.json()["numero"])


# --- called back by the browser test (python -c), with the runtime's environment -----------


def repondre_editeur(api: str, numero: str, siret: str) -> None:
    """What the dépôt sends when the éditeur imported the modification asked for."""
    from shared.aws import client
    from shared.messages import ActionEditeur, ReponseEditeur

    instant = requests.get(f"{api}/_local/horloge", timeout=10).json()["maintenant"]
    sqs = client("sqs")
    url = sqs.get_queue_url(QueueName="segurnum-instruction-reponses")["QueueUrl"]
    message = ReponseEditeur(
        numeroAsp=numero,
        typeDemande="AVANCE",
        action=ActionEditeur.MODIFICATION_IMPORTEE,
        qui=f"éditeur {siret}",
        instant=datetime.fromisoformat(instant),
    )
    sqs.send_message(QueueUrl=url, MessageBody=message.model_dump_json())


def reponse_banque(pain001: str, end_to_end: str, sortie: str) -> None:
    """The bank's pain.002 accepting this transaction of the lot's file (ACSC)."""
    from services.paiement.adapters.banque_locale import (
        Reponse,
        message_pain001,
        rapport_pain002,
        transactions_pain001,
    )

    contenu = Path(pain001).read_bytes()
    montant = dict(transactions_pain001(contenu))[end_to_end]
    rapport = rapport_pain002(
        f"RET-{uuid.uuid4().hex[:20]}",
        message_pain001(contenu),
        datetime.now(UTC),
        [Reponse(end_to_end, "ACSC", None, montant)],
    )
    Path(sortie).write_bytes(rapport)


def test_ecrans_du_gestionnaire_dans_chromium(runtime: RuntimeLocal, tmp_path: Path) -> None:
    from infra.local.jetons import jeton

    assert portail_construit(), f"{DOSSIER_PORTAIL} absent: lancez « make web »"
    assert shutil.which("chromium") or Path("/usr/bin/chromium").exists(), (
        "Chromium absent: apt-get install chromium (.ci/run l'installe)"
    )
    alea = random.Random(uuid.uuid4().int)
    api = runtime.url_api
    jeton_gestion = jeton("gestionnaires", nom="LEROY", email="claire.leroy@asp.example.fr")
    gestion = {"Authorization": jeton_gestion}

    siret, ans = _siret(alea), f"ptlMS{alea.randint(0, 99999):05d}"
    _enroler(siret, ans)
    dossiers = [_dossier(siret, ans, rang) for rang in range(3)]
    for n in dossiers:
        _instruire(n, siret)
    enrolement = _enrolement(api, gestion, alea)
    _attendre_gestionnaire(dossiers)

    url = runtime.servir_portail()
    for ancienne in CAPTURES.glob("gestion-*.png"):
        ancienne.unlink()
    donnees = {
        "jeton": jeton_gestion,
        "siret": siret,
        "dossiers": dossiers,
        "enrolement": enrolement,
        "python": sys.executable,
        "racine": str(RACINE),
        "travail": str(tmp_path),
    }
    resultat = subprocess.run(
        [
            "npx",
            "--no-install",
            "vitest",
            "run",
            "--config",
            "tests/e2e/gestion.vitest.config.ts",
        ],
        cwd=RACINE / "web",
        env=os.environ
        | {
            "PORTAIL_URL": url,
            "API_URL": api,
            "CAPTURES": str(CAPTURES),
            "GESTION_DONNEES": json.dumps(donnees),
            "CI": "1",
        },
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert resultat.returncode == 0, resultat.stdout[-8000:] + resultat.stderr[-3000:]
    assert sorted(p.name for p in CAPTURES.glob("gestion-*.png")) == [
        "gestion-01-acces-refuse.png",
        "gestion-02-file-filtree-page-1.png",
        "gestion-03-file-filtree-page-2.png",
        "gestion-04-dossier-a-instruire.png",
        "gestion-05-dossier-a-modifier.png",
        "gestion-06-decision-refusee-409.png",
        "gestion-07-dossier-decide.png",
        "gestion-08-enrolement-a-instruire.png",
        "gestion-09-enrolement-valide.png",
        "gestion-10-paiements-lot-lance.png",
        "gestion-11-retour-bancaire-traite.png",
    ]


def _appel_depuis_le_navigateur(argv: list[str]) -> None:
    """`python -c` entry point used by gestion.test.ts."""
    quoi, *arguments = argv
    {"repondre": repondre_editeur, "banque": reponse_banque}[quoi](*arguments)


if __name__ == "__main__":  # pragma: no cover - the browser test's callback
    _appel_depuis_le_navigateur(sys.argv[1:])
