"""In-memory implementations of the enrolment ports, and valid demandes to start from."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from services.enrolment.application.instruction import Decider, LireDemande, ListerDemandes
from services.enrolment.application.ports import (
    Compte,
    CurseurInvalide,
    EnvoiAutorise,
    Page,
    VersionPerimee,
)
from services.enrolment.application.referentiel import ChargerReferentiel, donnees_initiales
from services.enrolment.application.soumission import (
    AutoriserTeleversement,
    DemanderChangementCoordonnees,
    SoumettreComplementaire,
    SoumettreEnrolement,
)
from services.enrolment.domain.anti_robot import VerdictAntiRobot
from services.enrolment.domain.courriels import Message
from services.enrolment.domain.demande import DemandeEnrolement, StatutDemandeEnrolement
from services.enrolment.domain.referentiel import VersionReferentiel
from shared.enrolement import EnrolementEditeur, ReferencementAns
from shared.horloge import PARIS, HorlogeFixe
from shared.messages import CoordonneesBancairesValidees

INSTANT = datetime(2024, 1, 20, 10, 0, tzinfo=PARIS)
JETON_ROBOT = "solution-valide"
URL = "https://segurnum.example.fr"

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32 + b"\x00\x00\x00\x00IEND\xaeB`\x82"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32 + b"\xff\xd9"


class ReferentielMemoire:
    def __init__(self) -> None:
        self.entrees: dict[str, ReferencementAns] = {}
        self.historique: list[tuple[ReferencementAns, VersionReferentiel]] = []
        self._versions: list[VersionReferentiel] = []

    def trouver(self, numero_ans: str) -> ReferencementAns | None:
        return self.entrees.get(numero_ans)

    def tous(self) -> list[ReferencementAns]:
        return list(self.entrees.values())

    def charger(
        self,
        referencements: Sequence[ReferencementAns],
        anciens: Sequence[ReferencementAns],
        version: VersionReferentiel,
    ) -> None:
        self.historique.extend((a, version) for a in anciens)
        self.entrees.update({r.numero_ans: r for r in referencements})
        self._versions.insert(0, version)

    def versions(self) -> list[VersionReferentiel]:
        return list(self._versions)


class DemandesMemoire:
    def __init__(self) -> None:
        self.stockees: dict[str, DemandeEnrolement] = {}
        self.conflit_au_prochain = False

    def ajouter(self, demande: DemandeEnrolement) -> None:
        assert demande.numero not in self.stockees
        self.stockees[demande.numero] = demande

    def lire(self, numero: str) -> DemandeEnrolement | None:
        return self.stockees.get(numero)

    def enregistrer(self, demande: DemandeEnrolement) -> DemandeEnrolement:
        actuelle = self.stockees[demande.numero]
        if self.conflit_au_prochain or actuelle.version != demande.version:
            self.conflit_au_prochain = False
            raise VersionPerimee(demande.numero)
        nouvelle = replace(demande, version=demande.version + 1)
        self.stockees[demande.numero] = nouvelle
        return nouvelle

    def lister(
        self, statut: StatutDemandeEnrolement | None, curseur: str | None, limite: int
    ) -> Page:
        toutes = sorted(self.stockees.values(), key=lambda d: (d.soumise_le, d.numero))
        choisies = [d for d in toutes if statut is None or d.statut is statut]
        if curseur is not None and not curseur.isdigit():
            raise CurseurInvalide(curseur)
        debut = int(curseur or 0)
        page = choisies[debut : debut + limite]
        suite = str(debut + limite) if debut + limite < len(choisies) else None
        return Page(page, suite)

    def du_siret(self, siret: str) -> list[DemandeEnrolement]:
        return sorted(
            (d for d in self.stockees.values() if d.siret == siret), key=lambda d: d.numero
        )


class EnrolementsMemoire:
    def __init__(self) -> None:
        self.stockes: dict[tuple[str, str], EnrolementEditeur] = {}

    def lire(self, siret: str, numero_ans: str) -> EnrolementEditeur | None:
        return self.stockes.get((siret, numero_ans))

    def du_siret(self, siret: str) -> list[EnrolementEditeur]:
        return [e for (s, _), e in sorted(self.stockes.items()) if s == siret]

    def enregistrer(self, enrolement: EnrolementEditeur) -> None:
        self.stockes[(enrolement.siret, enrolement.numero_ans)] = enrolement


class CompteurMemoire:
    def __init__(self) -> None:
        self.valeurs: dict[str, int] = {}

    def suivant(self, nom: str) -> int:
        self.valeurs[nom] = self.valeurs.get(nom, 0) + 1
        return self.valeurs[nom]


class StockageMemoire:
    def __init__(self) -> None:
        self.objets: dict[str, bytes] = {}
        self.envois: list[tuple[str, int]] = []

    def autoriser_envoi(self, cle: str, taille_max: int, expiration: timedelta) -> EnvoiAutorise:
        self.envois.append((cle, taille_max))
        return EnvoiAutorise(
            "https://documents.local/", {"key": cle}, cle, INSTANT + expiration, taille_max
        )

    def lire(self, cle: str, limite: int) -> bytes | None:
        contenu = self.objets.get(cle)
        return None if contenu is None else contenu[: limite + 1]

    def copier(self, source: str, destination: str) -> None:
        self.objets[destination] = self.objets[source]

    def autoriser_lecture(self, cle: str, expiration: timedelta) -> str:
        return f"https://documents.local/{cle}?expire={int(expiration.total_seconds())}"


_VERDICTS = {
    "": VerdictAntiRobot.ABSENT,
    "solution-expiree": VerdictAntiRobot.EXPIRE,
    "solution-deja-utilisee": VerdictAntiRobot.DEJA_UTILISE,
}


class AntiRobotFixe:
    """The port's fake: JETON_ROBOT passes (as often as a test sends it); the verdicts of a
    real check (tests/unit/enrolment/test_anti_robot.py) by the solution's name."""

    def __init__(self) -> None:
        self.verifiees: list[str] = []

    def defi(self) -> dict[str, Any]:
        return {"parameters": {"algorithm": "PBKDF2/SHA-256"}, "signature": "fausse"}

    def verifier(self, solution: str) -> VerdictAntiRobot:
        self.verifiees.append(solution)
        if solution == JETON_ROBOT:
            return VerdictAntiRobot.VALIDE
        return _VERDICTS.get(solution, VerdictAntiRobot.INCORRECT)


class ComptesMemoire:
    def __init__(self) -> None:
        self.comptes: dict[str, Compte] = {}
        self.mots_de_passe: dict[str, str] = {}

    def par_email(self, email: str) -> Compte | None:
        return self.comptes.get(email.lower())

    def creer(self, email: str, siret: str, nom: str, mot_de_passe_provisoire: str) -> Compte:
        assert email.lower() not in self.comptes
        compte = Compte(email, email, siret, frozenset({"editeurs"}))
        self.comptes[email.lower()] = compte
        self.mots_de_passe[email.lower()] = mot_de_passe_provisoire
        return compte

    def etendre(self, compte: Compte, siret: str) -> Compte:
        etendu = replace(compte, siret=compte.siret or siret, groupes=compte.groupes | {"editeurs"})
        self.comptes[compte.email.lower()] = etendu
        return etendu


class CourrielsMemoire:
    def __init__(self) -> None:
        self.envoyes: list[Message] = []

    def envoyer(self, message: Message) -> None:
        self.envoyes.append(message)


class AnnoncesMemoire:
    """`AnnoncesPaiement`: the messages paiement would receive."""

    def __init__(self) -> None:
        self.envoyees: list[CoordonneesBancairesValidees] = []

    def coordonnees_validees(self, message: CoordonneesBancairesValidees) -> None:
        self.envoyees.append(message)


@dataclass
class Plateforme:
    """The use cases wired on the fakes, the référentiel shipped with the platform loaded."""

    horloge: HorlogeFixe = field(default_factory=lambda: HorlogeFixe(INSTANT))
    referentiel: ReferentielMemoire = field(default_factory=ReferentielMemoire)
    demandes: DemandesMemoire = field(default_factory=DemandesMemoire)
    enrolements: EnrolementsMemoire = field(default_factory=EnrolementsMemoire)
    compteur: CompteurMemoire = field(default_factory=CompteurMemoire)
    stockage: StockageMemoire = field(default_factory=StockageMemoire)
    comptes: ComptesMemoire = field(default_factory=ComptesMemoire)
    courriels: CourrielsMemoire = field(default_factory=CourrielsMemoire)
    annonces: AnnoncesMemoire = field(default_factory=AnnoncesMemoire)
    anti_robot: AntiRobotFixe = field(default_factory=AntiRobotFixe)

    def __post_init__(self) -> None:
        ChargerReferentiel(self.referentiel, self.horloge)(donnees_initiales(), "initialisation")

    def _soumission(self) -> dict[str, Any]:
        return {
            "referentiel": self.referentiel,
            "demandes": self.demandes,
            "enrolements": self.enrolements,
            "compteur": self.compteur,
            "stockage": self.stockage,
            "courriels": self.courriels,
            "horloge": self.horloge,
            "url_portail": URL,
        }

    @property
    def soumettre(self) -> SoumettreEnrolement:
        return SoumettreEnrolement(**self._soumission(), anti_robot=self.anti_robot)

    @property
    def complementaire(self) -> SoumettreComplementaire:
        return SoumettreComplementaire(**self._soumission())

    @property
    def changement(self) -> DemanderChangementCoordonnees:
        return DemanderChangementCoordonnees(**self._soumission())

    @property
    def decider(self) -> Decider:
        return Decider(
            self.demandes,
            self.enrolements,
            self.comptes,
            self.courriels,
            self.horloge,
            URL,
            paiement=self.annonces,
        )

    @property
    def lister(self) -> ListerDemandes:
        return ListerDemandes(self.demandes)

    @property
    def lire(self) -> LireDemande:
        return LireDemande(self.demandes, self.stockage)

    def televerser(self, type_document: str, contenu: bytes, nom: str = "piece.pdf") -> str:
        """Upload like a browser would: the reference to put in the demande."""
        televersement = AutoriserTeleversement(self.stockage)(type_document, nom)
        self.stockage.objets[televersement.envoi.cle] = contenu
        return televersement.reference

    def documents(self, *types: str) -> dict[str, str]:
        return {t: self.televerser(t, PDF) for t in types}


SIRET = "41234567000019"  # MEDISOFT SOLUTIONS in the référentiel shipped
NUMERO_ANS = "zbuMSS0001"
NUMERO_ANS_2 = "zbuMSS0002"


def personne(prefixe: str = "rep") -> dict[str, Any]:
    email = f"{prefixe}@medisoft.example.fr"
    return {
        "nom": "Martin",
        "prenom": "Claire",
        "email": email,
        "confirmationEmail": email,
        "telephone": "01 23 45 67 89",
    }


def formulaire(plateforme: Plateforme, **modifications: Any) -> dict[str, Any]:
    """A valid demande (représentant légal, TTC 20 %), documents uploaded; keyword
    arguments replace top-level fields (documents too, when given)."""
    valeur: dict[str, Any] = {
        "numeroAns": NUMERO_ANS,
        "demandeur": {
            "siret": SIRET,
            "denominationSociale": "MEDISOFT SOLUTIONS",
            "nomCommercial": "MédiSoft",
            "adresse": {
                "numero": "12",
                "extension": "BIS",
                "typeVoie": "RUE",
                "nomVoie": "de la République",
                "codePostal": "69002",
                "commune": "Lyon",
            },
        },
        "representantLegal": True,
        "representant": personne(),
        "coordonneesBancaires": {
            "iban": "FR76 3000 6000 0112 3456 7890 189",
            "bic": "AGRIFRPPXXX",
            "titulaire": "MEDISOFT SOLUTIONS",
            "domiciliation": "Crédit Agricole Lyon",
        },
        "tauxTva": "20",
        "cguAcceptees": True,
        "sinceriteAttestee": True,
    }
    if "documents" not in modifications:
        valeur["documents"] = plateforme.documents(
            "certificatReferencement", "pieceIdentiteRepresentant", "rib"
        )
    valeur.update(copy.deepcopy(modifications))
    return valeur
