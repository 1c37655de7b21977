"""One definition per enum and per record model, across services/ and shared/.

Read from the source (ast), as a reviewer would: every Enum, dataclass and pydantic model,
with its members (enum values) or fields (annotations and properties). A concept defined
twice shows as one of:

- the same class name in two modules (`EntreeHistorique` in shared/ and in the dépôt);
- an enum whose values are all another enum's (`StatutDossier` ⊂ `StatutDemande`: the same
  statuses, under another name, with other labels);
- a model whose fields are all another model's (`DossierConnu` ⊂ `Dossier`: a second
  shape of the same record).

Views (`api_modeles.py`, `api_vues.py`, classes named `Vue…`) are left out: a view mirrors
the object it shows by design. Pairs already known are listed in `CONNUS`, each with why
it is still there; the list only shrinks: a pair no longer found fails the test too.
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from pathlib import Path

RACINE = Path(__file__).resolve().parents[3]
MEMBRES_MIN_ENUM = 3  # two shared values (AVANCE, SOLDE) may be a coincidence; three are not
CHAMPS_MIN_MODELE = 6  # five: a query filter is a subset of the record it filters


@dataclass(frozen=True)
class Definition:
    nom: str
    genre: str  # enum, dataclass, modele
    module: str
    membres: frozenset[str]

    def __str__(self) -> str:
        return f"{self.nom} ({self.module})"


def _genre(classe: ast.ClassDef, modeles: set[str]) -> str | None:
    """`modeles`: the names of the classes known to be pydantic models (their subclasses are
    too: the enrolment's forms derive from a `Modele` of their own)."""
    bases = {ast.unparse(b).rsplit(".", 1)[-1].split("[", 1)[0] for b in classe.bases}
    if bases & {"Enum", "StrEnum", "IntEnum"}:
        return "enum"
    if any("dataclass" in ast.unparse(d) for d in classe.decorator_list):
        return "dataclass"
    if bases & modeles:
        return "modele"
    return None


def _membres(classe: ast.ClassDef, genre: str) -> frozenset[str]:
    membres: set[str] = set()
    for instruction in classe.body:
        if genre == "enum":
            if isinstance(instruction, ast.Assign):
                membres.add(ast.unparse(instruction.value))
        elif isinstance(instruction, ast.AnnAssign) and isinstance(instruction.target, ast.Name):
            if "ClassVar" not in ast.unparse(instruction.annotation):
                membres.add(instruction.target.id)
        elif isinstance(instruction, ast.FunctionDef) and any(
            ast.unparse(d) == "property" for d in instruction.decorator_list
        ):
            membres.add(instruction.name)
    return frozenset(membres)


def definitions(sources: dict[str, str]) -> list[Definition]:
    """module -> source: every enum, dataclass and pydantic model defined in them."""
    classes = [
        (module, noeud)
        for module, source in sources.items()
        for noeud in ast.walk(ast.parse(source))
        if isinstance(noeud, ast.ClassDef)
    ]
    modeles = {"BaseModel", "RootModel"}
    while True:  # subclasses of models, to a fixed point
        plus = {n.name for _, n in classes if _genre(n, modeles) == "modele"} - modeles
        if not plus:
            break
        modeles |= plus
    trouvees = []
    for module, noeud in classes:
        genre = _genre(noeud, modeles)
        if genre is not None and not noeud.name.startswith("Vue"):
            trouvees.append(Definition(noeud.name, genre, module, _membres(noeud, genre)))
    return trouvees


def doublons(defs: list[Definition]) -> set[tuple[str, str, str]]:
    """(rule, first, second) for every pair that looks like one concept defined twice."""
    trouves: set[tuple[str, str, str]] = set()
    for a, b in itertools.combinations(sorted(defs, key=str), 2):
        if a.nom == b.nom:
            trouves.add(("meme nom", str(a), str(b)))
            continue
        if (a.genre == "enum") != (b.genre == "enum"):
            continue
        minimum = MEMBRES_MIN_ENUM if a.genre == "enum" else CHAMPS_MIN_MODELE
        petit, grand = sorted((a, b), key=lambda d: (len(d.membres), str(d)))
        if len(petit.membres) >= minimum and petit.membres <= grand.membres:
            regle = "valeurs incluses" if a.genre == "enum" else "champs inclus"
            trouves.add((regle, str(petit), str(grand)))
    return trouves


def _depot() -> list[Definition]:
    return definitions(
        {
            chemin.relative_to(RACINE).as_posix(): chemin.read_text(encoding="utf-8")
            for dossier in ("services", "shared")
            for chemin in sorted((RACINE / dossier).rglob("*.py"))
            if chemin.name not in ("api_modeles.py", "api_vues.py")
        }
    )


# Known pairs, each still to be resolved (or a deliberate second shape): why it stays.
CONNUS = {
    # The dossier's per-demande view for instruction and paiement, built from the one
    # reader: the avance at the root and the solde under `solde` read alike. To go once
    # the solde is typed on Dossier.
    ("champs inclus", "ResumeDemande (shared/dossier.py)", "Dossier (shared/dossier.py)"),
    # Same names, different things: the compte rendu's error vs the API's; a page of
    # demandes vs the API's page; a courriel vs an SQS record; the form's bank details vs
    # paiement's decrypted ones. To rename (distinct names for distinct things).
    ("meme nom", "Erreur (services/depot/domain/erreurs.py)", "Erreur (shared/api.py)"),
    ("meme nom", "Page (services/enrolment/application/ports.py)", "Page (shared/api.py)"),
    (
        "meme nom",
        "Message (services/enrolment/domain/courriels.py)",
        "Message (shared/lots_sqs.py)",
    ),
    (
        "meme nom",
        "CoordonneesBancaires (services/enrolment/domain/formulaire.py)",
        "CoordonneesBancaires (services/paiement/domain/versement.py)",
    ),
    # The référentiel's entry in the enrolment domain repeats the shared record's fields.
    (
        "champs inclus",
        "EntreeReferentiel (services/enrolment/domain/referentiel.py)",
        "ReferencementAns (shared/enrolement.py)",
    ),
    # Inside the dépôt: the simulation's importable line repeated by the import's and by
    # the validated line (lecteur-zip, simulation); the deposit context vs the
    # validation's.
    (
        "champs inclus",
        "LigneImportable (services/depot/application/simulation.py)",
        "LigneAImporter (services/depot/application/lignes.py)",
    ),
    (
        "champs inclus",
        "LigneImportable (services/depot/application/simulation.py)",
        "LigneValidee (services/depot/domain/validation/resultat.py)",
    ),
    (
        "champs inclus",
        "ContexteDepot (services/depot/application/ports.py)",
        "ContexteValidation (services/depot/domain/validation/resultat.py)",
    ),
    # The enrôlement complémentaire's form is the first form less the account's fields: a
    # deliberate second shape (validated apart), kept.
    (
        "champs inclus",
        "FormulaireComplementaire (services/enrolment/domain/formulaire.py)",
        "FormulaireEnrolement (services/enrolment/domain/formulaire.py)",
    ),
    # Paiement: a rejected emission keeps the versement's emission fields (its history), a
    # line of the bank's return names the versement it answers; the use case's result of
    # a bank return repeats the return's.
    (
        "champs inclus",
        "EmissionRejetee (services/paiement/domain/versement.py)",
        "Versement (services/paiement/domain/versement.py)",
    ),
    (
        "champs inclus",
        "LigneRetour (services/paiement/domain/retour_recu.py)",
        "Versement (services/paiement/domain/versement.py)",
    ),
    (
        "champs inclus",
        "ResultatRetour (services/paiement/application/retours.py)",
        "RetourBancaire (services/paiement/domain/retour_recu.py)",
    ),
}


def test_aucun_enum_ni_modele_defini_deux_fois() -> None:
    trouves = doublons(_depot())
    nouveaux = sorted(trouves - CONNUS)
    assert not nouveaux, "Défini deux fois (une définition par concept, dans shared/ si " + (
        f"plusieurs services s'en servent): {nouveaux}"
    )
    resolus = sorted(CONNUS - trouves)
    assert not resolus, f"Résolus: retirez-les de CONNUS: {resolus}"


def test_le_detecteur_voit_les_doublons_de_l_issue_19() -> None:
    """The shapes issue 19 found, as they were written: each is caught by its rule."""
    partage = """
from enum import StrEnum
from dataclasses import dataclass
class StatutDemande(StrEnum):
    INCOMPLET = "INCOMPLET"
    EN_COURS = "EN_COURS"
    DECIDEE = "DECIDEE"
    EN_ERREUR_TECHNIQUE = "EN_ERREUR_TECHNIQUE"
@dataclass(frozen=True)
class EntreeHistorique:
    qui: str
    action: str
@dataclass(frozen=True)
class Dossier:
    numero_asp: str
    siret: str
    statut: str
    type_demande: str
    depose_le: str
    numero_dossier: str
    @property
    def modifiable(self) -> bool: ...
"""
    depot = """
from enum import StrEnum
from dataclasses import dataclass
class StatutDossier(StrEnum):
    INCOMPLET = "INCOMPLET"
    EN_COURS = "EN_COURS"
    DECIDEE = "DECIDEE"
class StatutDepot(StrEnum):
    INCOMPLET = "INCOMPLET"
    CREE = "CREE"
    DECIDEE = "DECIDEE"
@dataclass(frozen=True)
class EntreeHistorique:
    action: str
    auteur: str
@dataclass(frozen=True)
class DossierConnu:
    numero_asp: str
    siret: str
    statut: str
    type_demande: str
    depose_le: str
    modifiable: bool
"""
    trouves = doublons(definitions({"partage.py": partage, "depot.py": depot}))
    assert trouves == {
        ("valeurs incluses", "StatutDossier (depot.py)", "StatutDemande (partage.py)"),
        ("meme nom", "EntreeHistorique (depot.py)", "EntreeHistorique (partage.py)"),
        ("champs inclus", "DossierConnu (depot.py)", "Dossier (partage.py)"),
    }
