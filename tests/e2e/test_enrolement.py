"""Enrôlement over HTTP on the local runtime (issue 11): « Rechercher » a référencement →
demande with its documents uploaded by presigned POSTs → accusé de réception → a
gestionnaire validates → identifiant and temporary password in two courriels → the
éditeur signs in with them (`segurnum connexion`, new password) → starts a dépôt with
that token; an enrôlement complémentaire; a rejected demande gets its motif; an existing
account is extended, not duplicated; the authorisation matrix of every route; malformed
input answered in French, never a 500."""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from typer.testing import CliRunner

from infra.anti_robot import defi, resoudre, solution_anti_robot
from infra.cli import app
from infra.local.runtime import RuntimeLocal
from shared.aws import client
from shared.horloge import heure_paris
from shared.settings import settings

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
SIRET_A = "41234567000019"  # MEDISOFT SOLUTIONS: zbuMSS0001 (MS1) and zbuMSS0002 (MS2)
SIRET_B = "52871234200013"  # LOGICIELS DU SOCIAL: lgsMS10417
SIRET_C = "80245678000013"  # ACCOMPAGNEO: acoMS20233
EMAIL_A = "claire.martin@medisoft.example.fr"
EMAIL_B = "paul.durand@logiciels-social.example.fr"
NOUVEAU = "Mon-Nouveau-2024!"


def courriels(destinataire: str) -> list[Any]:
    return [
        m
        for m in ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-3"].sent_messages
        if destinataire in m.destinations.get("ToAddresses", [])
    ]


def televerser(api: str, type_document: str, contenu: bytes = PDF) -> str:
    t = requests.post(
        f"{api}/enrolements/documents",
        json={"typeDocument": type_document, "nomFichier": f"{type_document}.pdf"},
        timeout=20,
    )
    assert t.status_code == 201, t.text
    envoi = t.json()["envoi"]
    envoye = requests.post(
        envoi["url"], data=envoi["champs"], files={"file": ("a.pdf", contenu)}, timeout=20
    )
    assert envoye.status_code in (200, 201, 204), envoye.text
    return str(t.json()["reference"])


def personne(email: str) -> dict[str, str]:
    return {
        "nom": "Martin",
        "prenom": "Claire",
        "email": email,
        "confirmationEmail": email.upper(),
        "telephone": "06 12 34 56 78",
    }


def demande(api: str, siret: str, numero_ans: str, denomination: str, email: str) -> dict[str, Any]:
    return {
        "numeroAns": numero_ans,
        "demandeur": {
            "siret": siret,
            "denominationSociale": denomination,
            "nomCommercial": denomination.title(),
            "adresse": {
                "numero": "12",
                "typeVoie": "RUE",
                "nomVoie": "de la République",
                "codePostal": "69002",
                "commune": "Lyon",
            },
        },
        "representantLegal": True,
        "representant": personne(email),
        "coordonneesBancaires": {
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "bic": "AGRIFRPPXXX",
            "titulaire": denomination,
            "domiciliation": "Crédit Agricole Lyon",
        },
        "tauxTva": "20",
        "cguAcceptees": True,
        "sinceriteAttestee": True,
        "documents": {
            t: televerser(api, t)
            for t in ("certificatReferencement", "pieceIdentiteRepresentant", "rib")
        },
        "jetonAntiRobot": solution_anti_robot(api),
    }


def mot_de_passe(corps: str) -> str:
    trouve = re.search(r"<strong>([^<]+)</strong>", corps)
    assert trouve is not None, corps
    return html.unescape(trouve.group(1))


@pytest.fixture(scope="module")
def gestion(runtime: RuntimeLocal) -> dict[str, str]:
    from infra.local.jetons import jeton

    return {"Authorization": jeton("gestionnaires", nom="MOREAU")}


def decider(api: str, gestion: dict[str, str], numero: str, **corps: Any) -> dict[str, Any]:
    r = requests.post(
        f"{api}/gestion/enrolements/{numero}/decision", json=corps, headers=gestion, timeout=60
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def connexion(runtime: RuntimeLocal, tmp_path: Path, *arguments: str) -> Any:
    etat = tmp_path / "etat.json"
    etat.write_text(json.dumps(runtime.etat()), encoding="utf-8")
    with pytest.MonkeyPatch.context() as m:
        m.setattr("infra.local.runtime.FICHIER_ETAT", etat)
        return CliRunner().invoke(app, ["connexion", *arguments])


@pytest.fixture(scope="module")
def editeur_a(runtime: RuntimeLocal, gestion: dict[str, str], tmp_path_factory: Any) -> str:
    """The whole path of issue 11 for MEDISOFT SOLUTIONS; its signed-in token."""
    api = runtime.url_api
    trouve = requests.get(f"{api}/referencements/zbuMSS0001", timeout=20)
    assert trouve.status_code == 200, trouve.text
    assert trouve.json()["dsr"] == "MS1 / DUI / vague 1"
    assert trouve.json()["raisonSociale"] == "MEDISOFT SOLUTIONS"

    soumise = requests.post(
        f"{api}/enrolements",
        json=demande(api, SIRET_A, "zbuMSS0001", "MEDISOFT SOLUTIONS", EMAIL_A),
        timeout=30,
    )
    assert soumise.status_code == 201, soumise.text
    numero, jeton_suivi = soumise.json()["numero"], soumise.json()["jetonSuivi"]
    assert re.fullmatch(r"ENR[0-9]{4}M0", numero) and soumise.json()["statut"] == "SOUMISE"
    (accuse,) = courriels(EMAIL_A)
    assert numero in accuse.subject

    suivi = requests.get(f"{api}/enrolements/{numero}", params={"jeton": jeton_suivi}, timeout=20)
    assert suivi.status_code == 200 and suivi.json()["statut"] == "SOUMISE"
    faux = requests.get(f"{api}/enrolements/{numero}", params={"jeton": "x" * 20}, timeout=20)
    assert faux.status_code == 404 and faux.json()["code"] == "DEMANDE_INTROUVABLE"

    # Not enrolled yet: no dépôt with a token carrying its SIRET.
    from infra.local.jetons import jeton

    avant = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": "zbuMSS0001", "tauxTva": 20},
        headers={"Authorization": jeton("editeurs", siret=SIRET_A)},
        timeout=20,
    )
    assert avant.status_code in (403, 422), avant.text

    liste = requests.get(
        f"{api}/gestion/enrolements", params={"statut": "SOUMISE"}, headers=gestion, timeout=20
    )
    assert liste.status_code == 200, liste.text
    assert numero in [e["numero"] for e in liste.json()["elements"]]
    lue = requests.get(f"{api}/gestion/enrolements/{numero}", headers=gestion, timeout=20).json()
    assert lue["coordonneesBancaires"]["iban"] == "FR7630006000011234567890189"
    documents = {d["typeDocument"]: d["url"] for d in lue["documents"]}
    assert set(documents) == {"certificatReferencement", "pieceIdentiteRepresentant", "rib"}
    assert requests.get(documents["rib"], timeout=20).content == PDF

    validee = decider(api, gestion, numero, decision="VALIDEE")
    assert validee["statut"] == "VALIDEE" and validee["decision"]["compte"] == "CREE"
    objets = [m.subject for m in courriels(EMAIL_A)]
    assert len(objets) == 3, objets
    (identifiant,) = [m for m in courriels(EMAIL_A) if "identifiant" in m.subject.lower()]
    assert EMAIL_A in identifiant.body
    (secret,) = [m for m in courriels(EMAIL_A) if "mot de passe" in m.subject.lower()]
    provisoire = mot_de_passe(secret.body)
    assert provisoire not in identifiant.body

    dossier = tmp_path_factory.mktemp("connexion")
    sans_nouveau = connexion(runtime, dossier, "--email", EMAIL_A, "--mot-de-passe", provisoire)
    assert sans_nouveau.exit_code == 2 and "--nouveau-mot-de-passe" in sans_nouveau.output
    faux_mdp = connexion(runtime, dossier, "--email", EMAIL_A, "--mot-de-passe", "Faux-2024!!xx")
    assert faux_mdp.exit_code == 1 and "incorrect" in faux_mdp.output
    premiere = connexion(
        runtime,
        dossier,
        "--email",
        EMAIL_A,
        "--mot-de-passe",
        provisoire,
        "--nouveau-mot-de-passe",
        NOUVEAU,
    )
    assert premiere.exit_code == 0, premiere.output
    ensuite = connexion(runtime, dossier, "--email", EMAIL_A, "--mot-de-passe", NOUVEAU)
    assert ensuite.exit_code == 0, ensuite.output
    return str(ensuite.output.strip())


def test_parcours_enrolement_connexion_depot(runtime: RuntimeLocal, editeur_a: str) -> None:
    api = runtime.url_api
    moi = requests.get(f"{api}/editeurs/moi", headers={"Authorization": editeur_a}, timeout=20)
    assert moi.status_code == 200, moi.text
    assert moi.json()["siret"] == SIRET_A and "editeurs" in moi.json()["groupes"]
    depot = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": "zbuMSS0001", "tauxTva": 20},
        headers={"Authorization": editeur_a},
        timeout=20,
    )
    assert depot.status_code == 201, depot.text
    assert depot.json()["couloir"] == "MS1"


def test_enrolement_complementaire_compte_etendu(
    runtime: RuntimeLocal, editeur_a: str, gestion: dict[str, str]
) -> None:
    api = runtime.url_api
    entetes = {"Authorization": editeur_a}
    corps = {
        "numeroAns": "zbuMSS0002",
        "cguAcceptees": True,
        "sinceriteAttestee": True,
        "documents": {"certificatReferencement": televerser(api, "certificatReferencement")},
    }
    soumise = requests.post(
        f"{api}/enrolements/complementaire", json=corps, headers=entetes, timeout=30
    )
    assert soumise.status_code == 201, soumise.text
    numero = soumise.json()["numero"]
    validee = decider(api, gestion, numero, decision="VALIDEE")
    assert validee["decision"]["compte"] == "ETENDU"
    assert "extension" in courriels(EMAIL_A)[-1].subject.lower()
    utilisateurs = client("cognito-idp").list_users(
        UserPoolId=settings().user_pool_id, Filter=f'email = "{EMAIL_A}"'
    )["Users"]
    assert len(utilisateurs) == 1
    depot = requests.post(
        f"{api}/depots",
        json={"typeDemande": "AVANCE", "numeroAns": "zbuMSS0002", "tauxTva": 20},
        headers=entetes,
        timeout=20,
    )
    assert depot.status_code == 201, depot.text
    assert depot.json()["couloir"] == "MS2"
    # Twice the same référencement: refused, every problem named.
    encore = requests.post(
        f"{api}/enrolements/complementaire",
        json={
            **corps,
            "documents": {"certificatReferencement": televerser(api, "certificatReferencement")},
        },
        headers=entetes,
        timeout=30,
    )
    assert encore.status_code == 422 and encore.json()["code"] == "DEMANDE_INVALIDE"


def test_rejet_avec_motif_puis_compte_existant_etendu(
    runtime: RuntimeLocal, editeur_a: str, gestion: dict[str, str]
) -> None:
    api = runtime.url_api
    soumise = requests.post(
        f"{api}/enrolements",
        json=demande(api, SIRET_B, "lgsMS10417", "LOGICIELS DU SOCIAL", EMAIL_B),
        timeout=30,
    )
    assert soumise.status_code == 201, soumise.text
    numero, jeton_suivi = soumise.json()["numero"], soumise.json()["jetonSuivi"]
    sans_motif = requests.post(
        f"{api}/gestion/enrolements/{numero}/decision",
        json={"decision": "REJETEE"},
        headers=gestion,
        timeout=20,
    )
    assert sans_motif.status_code == 422, sans_motif.text
    motif = "Le RIB joint ne correspond pas au titulaire du compte."
    rejetee = decider(api, gestion, numero, decision="REJETEE", motif=motif)
    assert rejetee["statut"] == "REJETEE"
    assert motif in courriels(EMAIL_B)[-1].body
    suivi = requests.get(f"{api}/enrolements/{numero}", params={"jeton": jeton_suivi}, timeout=20)
    assert suivi.json()["statut"] == "REJETEE" and suivi.json()["motif"] == motif
    encore = requests.post(
        f"{api}/gestion/enrolements/{numero}/decision",
        json={"decision": "VALIDEE"},
        headers=gestion,
        timeout=20,
    )
    assert encore.status_code == 409 and encore.json()["code"] == "DEMANDE_DEJA_DECIDEE"

    # ACCOMPAGNEO's demande names a dépositaire whose account already exists (EMAIL_A).
    avant = len(courriels(EMAIL_A))
    soumise = requests.post(
        f"{api}/enrolements",
        json=demande(api, SIRET_C, "acoMS20233", "ACCOMPAGNEO", EMAIL_A),
        timeout=30,
    )
    assert soumise.status_code == 201, soumise.text
    validee = decider(api, gestion, soumise.json()["numero"], decision="VALIDEE")
    assert validee["decision"]["compte"] == "ETENDU"
    nouveaux = courriels(EMAIL_A)[avant:]
    assert len(nouveaux) == 2 and "extension" in nouveaux[-1].subject.lower()  # accusé, extension
    utilisateurs = client("cognito-idp").list_users(
        UserPoolId=settings().user_pool_id, Filter=f'email = "{EMAIL_A}"'
    )["Users"]
    assert len(utilisateurs) == 1


# --- the anti-robot check (ALTCHA) ----------------------------------------------------------

SIRET_D = "89012345800014"  # HANDINUM: hdnMS20150, used by no other test
EMAIL_D = "anne.leroy@handinum.example.fr"


def refus_anti_robot(api: str, corps: dict[str, Any]) -> str:
    """The demande refused whole (422 ANTI_ROBOT_INVALIDE, in French): its message."""
    r = requests.post(f"{api}/enrolements", json=corps, timeout=30)
    assert r.status_code == 422, r.text
    erreur = r.json()
    assert erreur["code"] == "ANTI_ROBOT_INVALIDE", erreur
    assert "jetonAntiRobot" in erreur["message"]
    # That one problem only, at its field: the rest of the demande is not examined.
    (probleme,) = erreur["erreurs"]
    assert probleme["champ"] == "jetonAntiRobot" and probleme["code"] == "ANTI_ROBOT_INVALIDE"
    assert probleme["message"] in erreur["message"]
    assert "vérification anti-robot" in probleme["message"]
    return str(probleme["message"])


def test_anti_robot(runtime: RuntimeLocal) -> None:
    """No solution, a wrong one, an expired challenge (the platform's clock moved past its
    ten minutes) and a replayed one are refused; a solved challenge passes, once."""
    api = runtime.url_api
    corps = demande(api, SIRET_D, "hdnMS20150", "HANDINUM", EMAIL_D)
    servi = requests.get(f"{api}/enrolements/defi", timeout=30)
    assert servi.status_code == 200 and servi.headers["Cache-Control"] == "no-store"
    parametres = servi.json()["parameters"]
    assert parametres["algorithm"] == "PBKDF2/SHA-256" and servi.json()["signature"]
    lu = heure_paris(requests.get(f"{api}/_local/horloge", timeout=10).json()["maintenant"])
    assert 0 <= int(lu.timestamp()) + 600 - parametres["data"]["expire"] <= 2  # its clock

    sans = {k: v for k, v in corps.items() if k != "jetonAntiRobot"}
    assert "manque" in refus_anti_robot(api, sans)
    assert "manque" in refus_anti_robot(api, sans | {"jetonAntiRobot": 12})
    assert "a échoué" in refus_anti_robot(api, corps | {"jetonAntiRobot": "captcha-local"})
    charge = json.loads(base64.b64decode(resoudre(servi.json())))
    charge["solution"]["counter"] += 1
    faux = base64.b64encode(json.dumps(charge).encode()).decode()
    assert "a échoué" in refus_anti_robot(api, corps | {"jetonAntiRobot": faux})
    # Signed by another key: not a challenge of this platform.
    from altcha import create_challenge

    autre = create_challenge(
        "PBKDF2/SHA-256", 10, counter=3, data={"expire": 4_102_444_800}, hmac_secret="autre"
    )
    signe_ailleurs = resoudre(autre.to_dict())
    assert "a échoué" in refus_anti_robot(api, corps | {"jetonAntiRobot": signe_ailleurs})

    # Solved, then sent once the platform's clock is past its expiry.
    perimee = resoudre(defi(api))
    decalage = timedelta(minutes=10, seconds=2)
    lu = heure_paris(requests.get(f"{api}/_local/horloge", timeout=10).json()["maintenant"])
    regle = requests.post(
        f"{api}/_local/horloge", json={"instant": (lu + decalage).isoformat()}, timeout=30
    )
    assert regle.status_code == 200, regle.text
    try:
        assert "a expiré" in refus_anti_robot(api, corps | {"jetonAntiRobot": perimee})
    finally:  # the clock given back to the other tests, as it would be without the jump
        lu = heure_paris(regle.json()["maintenant"])
        requests.post(
            f"{api}/_local/horloge", json={"instant": (lu - decalage).isoformat()}, timeout=30
        )
    assert courriels(EMAIL_D) == []  # nothing recorded, nothing acknowledged

    solution = solution_anti_robot(api)
    soumise = requests.post(
        f"{api}/enrolements", json=corps | {"jetonAntiRobot": solution}, timeout=30
    )
    assert soumise.status_code == 201, soumise.text
    assert len(courriels(EMAIL_D)) == 1
    # The same solution again, even for another demande: refused, nothing recorded.
    autre_corps = demande(api, SIRET_D, "hdnMS20150", "HANDINUM", EMAIL_D)
    rejouee = refus_anti_robot(api, autre_corps | {"jetonAntiRobot": solution})
    assert "a déjà servi" in rejouee
    assert len(courriels(EMAIL_D)) == 1


def test_iban_masque_et_cloisonnement(runtime: RuntimeLocal, editeur_a: str) -> None:
    """An éditeur never reads the gestion routes (its own IBAN is masked in its views)."""
    api = runtime.url_api
    r = requests.get(f"{api}/gestion/enrolements", headers={"Authorization": editeur_a}, timeout=20)
    assert r.status_code == 403 and r.json()["code"] == "ACCES_INTERDIT"


# --- the authorisation matrix ----------------------------------------------------------------

ROUTES: list[tuple[str, str, Any]] = [
    ("GET", "/referencements/zbuMSS0001", None),
    ("POST", "/enrolements/documents", {"typeDocument": "rib", "nomFichier": "rib.pdf"}),
    ("POST", "/enrolements", {}),
    ("GET", "/enrolements/ENR9999M0?jeton=abc", None),
    ("POST", "/enrolements/complementaire", {}),
    ("POST", "/enrolements/coordonnees-bancaires", {}),
    ("GET", "/gestion/enrolements", None),
    ("GET", "/gestion/enrolements/ENR9999M0", None),
    ("POST", "/gestion/enrolements/ENR9999M0/decision", {"decision": "VALIDEE"}),
    ("POST", "/gestion/referentiel", {}),
    ("GET", "/enrolements/defi", None),
]
# Public routes answer everyone (an empty demande: 422; an unknown number: 404); the
# éditeur routes: éditeurs only (B is not enrolled: 403 NON_ENROLE; A's empty body: 422);
# the gestion routes: gestionnaires only.
ATTENDU = {
    "anonyme": [200, 201, 422, 404, 401, 401, 401, 401, 401, 401, 200],
    "editeur_a": [200, 201, 422, 404, 422, 422, 403, 403, 403, 403, 200],
    "editeur_b": [200, 201, 422, 404, 403, 403, 403, 403, 403, 403, 200],
    "gestionnaire": [200, 201, 422, 404, 403, 403, 200, 404, 404, 422, 200],
}


@pytest.fixture(scope="module")
def appelants(runtime: RuntimeLocal, editeur_a: str, gestion: dict[str, str]) -> dict[str, Any]:
    from infra.local.jetons import jeton

    return {
        "anonyme": None,
        "editeur_a": editeur_a,
        "editeur_b": jeton("editeurs", siret="55208131766522"),
        "gestionnaire": gestion["Authorization"],
    }


@pytest.mark.parametrize("appelant", list(ATTENDU))
@pytest.mark.parametrize("rang", range(len(ROUTES)))
def test_matrice_d_autorisation(
    runtime: RuntimeLocal, appelants: dict[str, Any], appelant: str, rang: int
) -> None:
    methode, chemin, corps = ROUTES[rang]
    entetes = {"Authorization": appelants[appelant]} if appelants[appelant] else {}
    r = requests.request(methode, runtime.url_api + chemin, json=corps, headers=entetes, timeout=30)
    assert r.status_code == ATTENDU[appelant][rang], r.text
    if r.status_code >= 400:
        assert set(r.json()) >= {"code", "message"}


# --- malformed input: French 4xx, never 500 ---------------------------------------------------

MAUVAIS_CORPS = [
    b"",
    b"pas du json",
    b"[1, 2]",
    b'{"numeroAns": 12}',
    b'{"demandeur": "x", "documents": [], "representantLegal": "oui"}',
    b'{"typeDocument": "rib", "nomFichier": "../../etc/passwd"}',
    b'{"typeDocument": "inconnu", "nomFichier": "a.exe"}',
    b'{"decision": "PEUT-ETRE", "motif": 3}',
    b'{"version": "", "referencements": [{"numeroAns": "x"}]}',
    b'{"a": ' * 200 + b"1" + b"}" * 200,
    json.dumps({"x": "é" * 70000}).encode(),
]
CHEMINS_POST = [
    "/enrolements/documents",
    "/enrolements",
    "/enrolements/complementaire",
    "/enrolements/coordonnees-bancaires",
    "/gestion/enrolements/ENR0001M0/decision",
    "/gestion/referentiel",
]


@pytest.mark.parametrize("chemin", CHEMINS_POST)
def test_entrees_invalides_jamais_500(
    runtime: RuntimeLocal, appelants: dict[str, Any], chemin: str
) -> None:
    jeton = appelants["gestionnaire" if chemin.startswith("/gestion") else "editeur_a"]
    for corps in MAUVAIS_CORPS:
        r = requests.post(
            runtime.url_api + chemin,
            data=corps,
            headers={"Authorization": jeton, "Content-Type": "application/json"},
            timeout=30,
        )
        assert 400 <= r.status_code < 500, (chemin, corps[:60], r.status_code, r.text)
        erreur = r.json()
        assert set(erreur) >= {"code", "message"} and "Traceback" not in r.text


@pytest.mark.parametrize(
    "chemin",
    [
        "/referencements/x",
        "/referencements/%00%00",
        "/referencements/ABCDEFGHIJ",
        "/enrolements/ENR0001M0",
        "/enrolements/ENR0001M0?jeton=",
        "/enrolements/ENR0001M0?jeton=a&jeton=b",
        "/enrolements/../../x?jeton=a",
        "/gestion/enrolements?statut=PERDUE",
        "/gestion/enrolements?limite=0",
        "/gestion/enrolements?curseur=bidon",
        "/gestion/enrolements?inconnu=1",
        "/gestion/enrolements/%ff",
    ],
)
def test_lectures_invalides_jamais_500(
    runtime: RuntimeLocal, appelants: dict[str, Any], chemin: str
) -> None:
    r = requests.get(
        runtime.url_api + chemin,
        headers={"Authorization": appelants["gestionnaire"]},
        timeout=30,
    )
    assert 400 <= r.status_code < 500, (chemin, r.status_code, r.text)
    assert set(r.json()) >= {"code", "message"}
