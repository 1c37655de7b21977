"""Routes of the local runtime only (never deployed, not in OpenAPI): set the platform clock,
fire schedules, read the courriels sent (the local mailbox)."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint
from pydantic import Field

from shared.api import ErreurApi, Instant, ModeleRequete, ModeleVue, contrat, corps, reponse
from shared.horloge import horloge

bp = Blueprint(__name__)


class ReglerHorloge(ModeleRequete):
    instant: str = Field(
        max_length=40,
        description="Heure de Paris, ISO 8601: 2024-02-28T13:59:59 (ou avec décalage).",
    )


class VueHorloge(ModeleVue):
    maintenant: Instant
    echeances_declenchees: list[Any] | None = None


@bp.route("/_local/horloge", methods=["GET"])
@contrat("Plateforme locale: l'heure de la plateforme", reponses={200: VueHorloge})
def lire_horloge() -> Any:
    return reponse(VueHorloge(maintenant=horloge().maintenant()))


@bp.route("/_local/horloge", methods=["POST"])
@contrat(
    "Plateforme locale: régler l'horloge et déclencher les échéances dues",
    corps=ReglerHorloge,
    reponses={200: VueHorloge},
)
def regler_horloge() -> Any:
    demande = corps(bp.current_request, ReglerHorloge)
    try:
        bp.runtime.regler_horloge(demande.instant)  # type: ignore[attr-defined]
    except ValueError:
        raise ErreurApi(
            422,
            "INSTANT_INVALIDE",
            "« instant » attendu au format ISO 8601, par exemple 2024-02-28T13:59:59.",
        ) from None
    tires = bp.runtime.planificateur.tick()  # type: ignore[attr-defined]
    return reponse(VueHorloge(maintenant=horloge().maintenant(), echeances_declenchees=tires))


# --- the local mailbox: what SES (moto) accepted ------------------------------------------


def _messages() -> list[Any]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from shared.settings import settings

    return list(ses_backends[DEFAULT_ACCOUNT_ID][settings().region].sent_messages)


@bp.route("/_local/courriels", methods=["GET"])
def courriels() -> Any:
    """Every courriel sent so far (oldest first), or those to `?destinataire=`. On AWS the
    courriels reach real mailboxes; locally `segurnum demo` and the tests read them here."""
    parametres = bp.current_request.query_params or {}
    destinataire = (parametres.get("destinataire") or "").lower()
    elements = []
    for rang, message in enumerate(_messages()):
        a = [str(d) for d in getattr(message, "destinations", {}).get("ToAddresses", [])]
        if destinataire and destinataire not in [d.lower() for d in a]:
            continue
        elements.append(
            {
                "rang": rang,
                "id": getattr(message, "id", None),
                "destinataires": a,
                "objet": getattr(message, "subject", None),
                "corps": getattr(message, "body", None),
            }
        )
    return {"elements": elements}


# --- `segurnum enroler`: a local shortcut through the enrolment service ---------------------

# The smallest PDF the enrolment's content check accepts (signature and end marker).
PDF_LOCAL = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
IBAN_LOCAL, BIC_LOCAL = "FR7630006000011234567890189", "AGRIFRPPXXX"


class EnrolementImpossible(Exception):
    """The service refused a step: its answer, in French."""


def _attendre(reponse: Any, *statuts: int) -> dict[str, Any]:
    if reponse.status_code not in statuts:
        raise EnrolementImpossible(f"{reponse.request.method} {reponse.url}: {reponse.text}")
    return dict(reponse.json())


def _televerser(api: str, type_document: str) -> str:
    import requests

    t = _attendre(
        requests.post(
            f"{api}/enrolements/documents",
            json={"typeDocument": type_document, "nomFichier": f"{type_document}.pdf"},
            timeout=30,
        ),
        201,
    )
    envoi = t["envoi"]
    envoye = requests.post(
        envoi["url"],
        data=envoi["champs"],
        files={"file": (f"{type_document}.pdf", PDF_LOCAL)},
        timeout=30,
    )
    if envoye.status_code not in (200, 201, 204):
        raise EnrolementImpossible(f"téléversement de {type_document}: {envoye.text}")
    return str(t["reference"])


def enroler_par_le_service(api: str, siret: str, numero_ans: str, couloir: str, email: str) -> str:
    """Local shortcut of E1–E5 over HTTP: the référencement loaded if unknown (as a
    gestionnaire), the demande (or an enrôlement complémentaire when the SIRET is already
    enrolled) with its documents, then validated as a gestionnaire. Returns the ENR number."""
    import requests

    from infra.anti_robot import solution_anti_robot
    from infra.local.jetons import jeton

    gestion = {"Authorization": jeton("gestionnaires", nom="ENROLEMENT-LOCAL")}
    trouve = requests.get(f"{api}/referencements/{numero_ans}", timeout=30)
    if trouve.status_code == 404:
        entree = {
            "numeroAns": numero_ans,
            "couloir": couloir,
            "typeLogiciel": "DUI",
            "vague": "1",
            "solution": f"Solution {numero_ans}",
            "versionSolution": "1.0",
            "siret": siret,
            "raisonSociale": f"Éditeur {siret}",
        }
        _attendre(
            requests.post(
                f"{api}/gestion/referentiel",
                json={
                    "version": f"local-{numero_ans}",
                    "source": "segurnum enroler",
                    "referencements": [entree],
                },
                headers=gestion,
                timeout=30,
            ),
            200,
        )
        referencement = entree
    else:
        referencement = _attendre(trouve, 200)
    documents = ["certificatReferencement", "pieceIdentiteRepresentant", "rib"]
    if referencement["siret"] != siret:
        documents.append("kbis")
    personne = {
        "nom": "Local",
        "prenom": "Éditeur",
        "email": email,
        "confirmationEmail": email,
        "telephone": "01 23 45 67 89",
    }
    demande = {
        "numeroAns": numero_ans,
        "demandeur": {
            "siret": siret,
            "denominationSociale": referencement["raisonSociale"],
            "nomCommercial": referencement["raisonSociale"],
            "adresse": {
                "typeVoie": "RUE",
                "nomVoie": "de la Paix",
                "codePostal": "75002",
                "commune": "Paris",
            },
        },
        "representantLegal": True,
        "representant": personne,
        "coordonneesBancaires": {
            "iban": IBAN_LOCAL,
            "bic": BIC_LOCAL,
            "titulaire": referencement["raisonSociale"],
            "domiciliation": "Banque locale",
        },
        "tauxTva": "20",
        "cguAcceptees": True,
        "sinceriteAttestee": True,
        "documents": {d: _televerser(api, d) for d in documents},
        "jetonAntiRobot": solution_anti_robot(api),
    }
    soumise = requests.post(f"{api}/enrolements", json=demande, timeout=30)
    codes = {e.get("code") for e in soumise.json().get("erreurs", [])}
    if soumise.status_code == 422 and "DEJA_ENROLE" in codes:
        complementaire = {
            "numeroAns": numero_ans,
            "cguAcceptees": True,
            "sinceriteAttestee": True,
            "documents": {"certificatReferencement": _televerser(api, "certificatReferencement")},
        }
        soumise = requests.post(
            f"{api}/enrolements/complementaire",
            json=complementaire,
            headers={"Authorization": jeton("editeurs", siret=siret)},
            timeout=30,
        )
    numero = str(_attendre(soumise, 201)["numero"])
    _attendre(
        requests.post(
            f"{api}/gestion/enrolements/{numero}/decision",
            json={"decision": "VALIDEE"},
            headers=gestion,
            timeout=60,
        ),
        200,
    )
    return numero
