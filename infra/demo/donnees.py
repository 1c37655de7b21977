"""The story's data: the shipped sample (donnees.json: éditeurs, bank details, établissements)
with fresh identifiers on every run (SIRET, numéros ANS, FINESS, addresses, dossier
references), so that two runs on the same platform never meet."""

from __future__ import annotations

import json
import random
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stdnum import luhn

DONNEES = json.loads((Path(__file__).with_name("donnees.json")).read_text(encoding="utf-8"))
DATE_COMMANDE = "15/01/2024"
CODES = {
    "BON_COMMANDE": ("BDC", "bon de commande"),
    "ATTESTATION_HT": ("HT", "attestation HT"),
    "FACTURE": ("FAC", "facture"),
    "PV_VA": ("VA", "pv vérification"),
}


def siret(hasard: random.Random) -> str:
    """A SIRET whose SIREN and SIRET both pass Luhn (as python-stdnum checks them)."""
    siren = str(hasard.randint(10_000_000, 99_999_999))
    siren += luhn.calc_check_digit(siren)
    nic = f"{hasard.randint(1, 9999):04d}"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def finess(hasard: random.Random) -> str:
    base = f"{hasard.choice([69, 31, 38, 42, 1]):02d}{hasard.randint(0, 999_999):06d}"
    return base + luhn.calc_check_digit(base)


@dataclass(frozen=True)
class Editeur:
    cle: str  # A or B
    siret: str
    numero_ans: str
    raison_sociale: str
    couloir: str
    email_representant: str
    email_depositaire: str | None
    fiche: dict[str, Any]

    @property
    def email(self) -> str:
        """Where its courriels go: the dépositaire's address, or the représentant légal's."""
        return self.email_depositaire or self.email_representant

    def referencement(self) -> dict[str, Any]:
        return {
            "numeroAns": self.numero_ans,
            "couloir": self.couloir,
            "typeLogiciel": self.fiche["typeLogiciel"],
            "vague": "1",
            "solution": self.fiche["solution"],
            "versionSolution": "2.4",
            "siret": self.siret,
            "raisonSociale": self.raison_sociale,
        }


def _adresse(email: str, suffixe: str) -> str:
    local, _, domaine = email.partition("@")
    return f"{local}+{suffixe}@{domaine}"


@dataclass
class Jeu:
    """Every identifier of one run, from its seed."""

    graine: int

    def __post_init__(self) -> None:
        self.hasard = random.Random(self.graine)
        self.suffixe = "".join(
            self.hasard.choice(string.ascii_lowercase + string.digits) for _ in range(7)
        )
        self.editeurs = {cle: self._editeur(cle) for cle in ("A", "B")}
        self._finess: set[str] = set()

    def _editeur(self, cle: str) -> Editeur:
        fiche = DONNEES["editeurs"][cle]
        tiers = fiche.get("tiersDeclarant")
        return Editeur(
            cle=cle,
            siret=siret(self.hasard),
            numero_ans=(fiche["prefixeAns"] + self.suffixe)[:10],
            raison_sociale=fiche["raisonSociale"],
            couloir=fiche["couloir"],
            email_representant=_adresse(fiche["representant"]["email"], self.suffixe),
            email_depositaire=(
                _adresse(tiers["depositaire"]["email"], self.suffixe) if tiers else None
            ),
            fiche=fiche,
        )

    def nouveau_finess(self) -> str:
        while (f := finess(self.hasard)) in self._finess:
            pass
        self._finess.add(f)
        return f

    def reference(self, rang: int) -> str:
        """The éditeur's own dossier reference (numeroDossier): unique per run."""
        return f"{self.suffixe.upper()}-{rang:03d}"


# --- the MS v1 file --------------------------------------------------------------------------


def nom_piece(type_fichier: str, numero_dossier: str, couloir: str) -> str:
    code, texte = CODES[type_fichier]
    return f"{couloir}_{texte}-{code}-{numero_dossier}.pdf"


def demande(
    jeu: Jeu,
    editeur: Editeur,
    num_ligne: int,
    numero_dossier: str,
    montant: float,
    *,
    type_demande: str = "AVANCE",
    type_action: str = "C",
    numero_asp: str | None = None,
    finess: list[str] | None = None,
) -> dict[str, Any]:
    """One demande of the MS v1 format, valid: its établissements, scénarios and pièces."""
    mandataire = DONNEES["mandataire"]
    etablissements = DONNEES["etablissements"]
    liste = finess or [jeu.nouveau_finess()]
    types = ["FACTURE", "PV_VA"] if type_demande == "SOLDE" else ["BON_COMMANDE"]
    clients = []
    for rang, f in enumerate(liste):
        fiche = etablissements[(num_ligne + rang) % len(etablissements)]
        clients.append(
            {
                "finessGeo": f,
                "nomResponsable": fiche["responsable"].upper(),
                "emailResponsable": f"direction.{f}@etablissements.example.fr",
                "telephoneResponsable": "04" + f[1:9],
            }
        )
    return {
        "numLigne": num_ligne,
        "typeAction": type_action,
        "numeroASP": numero_asp,
        "numeroDossier": numero_dossier,
        "verrouillage": "1.4.2",
        "commande": {"dateCommande": DATE_COMMANDE, "regimeTVA": "TTC", "montantSegur": montant},
        "beneficiaires": [
            {
                "mandataire": True,
                "nomMandataire": mandataire["nom"],
                "emailMandataire": mandataire["email"],
                "telephoneMandataire": mandataire["telephone"],
                "etablissementsClients": clients,
            }
        ],
        "piecesJustificatives": [
            {
                "nomFichier": nom_piece(t, numero_dossier, editeur.couloir),
                "formatFichier": "PDF",
                "typeFichier": t,
            }
            for t in types
        ],
        "scenarioInstallation": [
            {
                "finessGeo": f,
                "ancienneVersion": "V1.0",
                "isMultireid": True,
                "isStockageId": False,
                "operateurMessagerie": "GIP_0",
                "profilMotif": "PA",
                "isRefSoins": None,
            }
            for f in liste
        ],
        "codeTraitement": None,
        "libelleTraitement": None,
    }


def fichier(editeur: Editeur, demandes: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "idFichier": None,
        "numeroAns": editeur.numero_ans,
        "siret": editeur.siret,
        "demandes": demandes,
    }


def en_octets(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def pdf(titre: str) -> bytes:
    """A small real PDF (one page naming the pièce) that the pièce checks accept."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    document.cell(text=titre.encode("latin-1", "replace").decode("latin-1"))
    return bytes(document.output())


def zip_de(membres: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as z:
        for nom, contenu in membres.items():
            z.writestr(nom, contenu)
    return tampon.getvalue()
