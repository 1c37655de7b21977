"""One refusal type (shared/refus.py), mapped to HTTP once (shared.api.STATUTS_REFUS, by
the route's contract): every refusal the services raise keeps the status it had when each
service mapped its own (its body: test_refus_reponses.py); domain and application code
names no HTTP status."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.api import STATUTS_REFUS
from shared.refus import NatureRefus, Refus

RACINE = Path(__file__).resolve().parents[3]
SERVICES = RACINE / "services"

# Every (refusal class, code, HTTP status) the services raise, as the four `_metier`
# wrappers and the enrolment's table answered before the one mapping. A new refusal, or
# a status that changes, fails here: list it (and in docs/codes-erreur.md) on purpose.
ATTENDUS: list[tuple[str, str, int]] = [
    # dépôt
    ("AccesInterdit", "DEPOT_AUTRE_EDITEUR", 403),
    ("AccesInterdit", "EDITEUR_NON_ENROLE", 403),
    ("Conflit", "DEPOT_DEJA_IMPORTE", 409),
    ("Conflit", "DEPOT_DISPUTE", 409),
    ("Conflit", "DEPOT_NON_IMPORTE", 409),
    ("Conflit", "DEPOT_OCCUPE", 409),
    ("Conflit", "DEPOT_TERMINE", 409),
    ("Conflit", "DOSSIER_DISPUTE", 409),
    ("Conflit", "DOSSIER_OCCUPE", 409),
    ("Conflit", "FICHIER_ABSENT", 409),
    ("Conflit", "IMPORT_CONCURRENT", 409),
    ("Conflit", "IMPORT_HORS_SEQUENCE", 409),
    ("Conflit", "PIECES_COMPLEMENTAIRES_NON_ATTENDUES", 409),
    ("Conflit", "SIMULATION_ABSENTE", 409),
    ("Conflit", "SIMULATION_HORS_SEQUENCE", 409),
    ("DonneeInvalide", "AUCUNE_LIGNE_IMPORTABLE", 422),
    ("DonneeInvalide", "CAMPAGNE_INCONNUE", 422),
    ("DonneeInvalide", "FICHIER_REJETE", 422),
    ("DonneeInvalide", "GUICHET_FERME", 422),
    ("DonneeInvalide", "GUICHET_NON_OUVERT", 422),
    ("DonneeInvalide", "NOM_FICHIER_INVALIDE", 422),
    ("DonneeInvalide", "NUMERO_ANS_INCONNU", 422),
    ("DonneeInvalide", "TAUX_TVA_INVALIDE", 422),
    ("DonneeInvalide", "TYPE_DEMANDE_INVALIDE", 422),
    ("Introuvable", "DEPOT_INTROUVABLE", 404),
    ("Introuvable", "DOSSIER_INTROUVABLE", 404),
    ("Introuvable", "FICHIER_ANNOTE_ABSENT", 404),
    # Raised by the import's queue handler only, never answered over HTTP: it was a
    # Conflit carrying 503 (docs/codes-erreur.md said 500); the platform's own limit.
    ("ErreurMetier", "NUMEROTATION_EPUISEE", 500),
    # guichet (its scheduled functions only)
    ("FermetureAnticipee", "GUICHET_ENCORE_OUVERT", 409),
    ("CampagneInconnue", "CAMPAGNE_INCONNUE", 404),
    ("ValeurInconnue", "RAPPEL_INVALIDE", 422),
    ("ValeurInconnue", "TYPE_DEMANDE_INVALIDE", 422),
    # instruction
    ("ActionImpossible", "ACTION_CONCURRENTE", 409),
    ("ActionImpossible", "ACTION_NON_ATTENDUE", 409),
    ("ActionImpossible", "DECISION_INCONNUE", 422),
    ("ActionImpossible", "DEMANDE_INTROUVABLE", 404),
    ("ActionImpossible", "DOSSIER_INTROUVABLE", 404),
    ("ActionImpossible", "MOTIF_OBLIGATOIRE", 422),
    ("ActionImpossible", "PIECES_DEMANDEES_INATTENDUES", 422),
    ("ActionImpossible", "PIECES_DEMANDEES_OBLIGATOIRES", 422),
    ("ActionImpossible", "RELANCE_INUTILE", 409),
    # paiement
    ("ErreurPaiement", "CONFLIT", 409),
    ("ErreurPaiement", "COORDONNEES_ABSENTES", 409),
    ("ErreurPaiement", "COORDONNEES_INCHANGEES", 409),
    ("ErreurPaiement", "COORDONNEES_NON_VALIDEES", 409),
    ("ErreurPaiement", "ETAT_INCOMPATIBLE", 409),
    ("ErreurPaiement", "MONTANT_DIFFERENT", 409),
    ("ErreurPaiement", "VERSEMENT_INCONNU", 404),
    ("FichierSepaInvalide", "FICHIER_SEPA_INVALIDE", 500),
    # These two were 400, but neither is an HTTP answer: the decided demande's message
    # (queue) and the bank's return file (S3 → queue); docs/codes-erreur.md said 422.
    ("ErreurPaiement", "MONTANT_FINANCE_INVALIDE", 422),
    ("RetourIllisible", "RETOUR_ILLISIBLE", 422),
    # enrôlement (its own table in services/enrolment/api.py before)
    ("AntiRobotInvalide", "ANTI_ROBOT_INVALIDE", 422),
    ("CurseurInvalide", "CURSEUR_INVALIDE", 422),
    ("DejaDecidee", "DEMANDE_DEJA_DECIDEE", 409),
    ("DemandeIntrouvable", "DEMANDE_INTROUVABLE", 404),
    ("DemandeInvalide", "DEMANDE_INVALIDE", 422),
    ("NonEnrole", "NON_ENROLE", 403),
    ("ReferencementIntrouvable", "REFERENCEMENT_INCONNU", 404),
]


def _modules_purs() -> Iterator[str]:
    for couche in ("domain", "application"):
        for fichier in sorted(SERVICES.glob(f"*/{couche}/**/*.py")):
            yield ".".join(fichier.relative_to(RACINE).with_suffix("").parts)


def classes_refus() -> dict[str, type[Refus]]:
    """Every subclass of Refus the services define (all in domain or application)."""
    for module in _modules_purs():
        importlib.import_module(module)
    classes: dict[str, type[Refus]] = {}
    pile: list[type[Refus]] = [Refus]
    while pile:
        for sous_classe in pile.pop().__subclasses__():
            if sous_classe.__module__.startswith("services."):
                assert sous_classe.__name__ not in classes, sous_classe  # names are unique
                classes[sous_classe.__name__] = sous_classe
            pile.append(sous_classe)
    return classes


def _nature(appel: ast.Call, defaut: NatureRefus) -> NatureRefus:
    """The nature a call gives (3rd argument or `nature=`, `NatureRefus.X`), or `defaut`."""
    valeurs = appel.args[2:3] + [k.value for k in appel.keywords if k.arg == "nature"]
    if not valeurs:
        return defaut
    (valeur,) = valeurs
    assert isinstance(valeur, ast.Attribute), ast.unparse(appel)  # NatureRefus.X, as written
    return NatureRefus[valeur.attr]


def _code(appel: ast.Call) -> str:
    premier = appel.args[0] if appel.args else None
    assert isinstance(premier, ast.Constant) and isinstance(premier.value, str), (
        f"un refus écrit son code en toutes lettres: {ast.unparse(appel)}"
    )
    return premier.value


def refus_leves() -> dict[tuple[str, str], set[int]]:
    """(class, code) → the HTTP statuses it gets: each `Classe("CODE", …)` of a refusal
    class that takes its code, and the `super().__init__("CODE", …)` of one that fixes it."""
    classes = classes_refus()
    trouves: dict[tuple[str, str], set[int]] = {}
    for nom, classe in classes.items():
        if "__init__" not in vars(classe):
            continue
        source = ast.parse(textwrap.dedent(inspect.getsource(classe)))
        (appel,) = [
            n
            for n in ast.walk(source)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "__init__"
        ]
        statut = STATUTS_REFUS[_nature(appel, classe.nature)]
        trouves.setdefault((nom, _code(appel)), set()).add(statut)
    for fichier in sorted(SERVICES.rglob("*.py")):
        for n in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            if not isinstance(n, ast.Call):
                continue
            nom = n.func.id if isinstance(n.func, ast.Name) else getattr(n.func, "attr", "")
            classe_appelee = classes.get(nom)
            if classe_appelee is None or "__init__" in vars(classe_appelee):
                continue
            statut = STATUTS_REFUS[_nature(n, classe_appelee.nature)]
            trouves.setdefault((nom, _code(n)), set()).add(statut)
    return trouves


LEVES = refus_leves()


def test_chaque_nature_a_un_statut() -> None:
    assert set(STATUTS_REFUS) == set(NatureRefus)


@pytest.mark.parametrize(("classe", "code", "statut"), ATTENDUS, ids=lambda v: str(v))
def test_le_statut_de_chaque_refus(classe: str, code: str, statut: int) -> None:
    assert LEVES.get((classe, code)) == {statut}


def test_chaque_refus_leve_est_dans_la_table() -> None:
    table = {(classe, code) for classe, code, _ in ATTENDUS}
    assert len(table) == len(ATTENDUS)
    assert set(LEVES) == table


def _statuts_documentes() -> dict[str, set[int]]:
    """code → the statuses its row of docs/codes-erreur.md gives (`| `CODE` | 422, 404 |`)."""
    texte = (RACINE / "docs" / "codes-erreur.md").read_text(encoding="utf-8")
    statuts: dict[str, set[int]] = {}
    for code, cellule in re.findall(r"^\| `([A-Z0-9_]+)` \| ([0-9, ]+) \|", texte, re.M):
        statuts.setdefault(code, set()).update(int(s) for s in re.findall(r"[0-9]{3}", cellule))
    return statuts


def test_la_documentation_donne_le_statut_de_chaque_refus() -> None:
    documentes = _statuts_documentes()
    assert documentes["CAMPAGNE_INCONNUE"] == {422, 404}  # the reader reads a shared row
    faux = [
        f"{code} ({classe}): {statut}, documenté {sorted(documentes.get(code, ()))}"
        for classe, code, statut in ATTENDUS
        if statut not in documentes.get(code, set())
    ]
    assert not faux, faux


# --- domain and application know no HTTP status -------------------------------------------


def _mentions_http(fichier: Path) -> list[str]:
    """Names that speak HTTP (`statut_http`, `status_code`…), and status-like integers
    (400–599) given to a call: the shapes a refusal carrying its status takes."""
    trouves: list[str] = []
    for n in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
        nom = None
        if isinstance(n, ast.Name):
            nom = n.id
        elif isinstance(n, ast.Attribute):
            nom = n.attr
        elif isinstance(n, ast.keyword | ast.arg):
            nom = n.arg
        if nom and ("http" in nom.lower() or nom.lower() in ("status", "status_code")):
            trouves.append(f"{fichier.name}:{getattr(n, 'lineno', '?')} {nom}")
        if isinstance(n, ast.Call):
            for valeur in [*n.args, *(k.value for k in n.keywords)]:
                if (
                    isinstance(valeur, ast.Constant)
                    and type(valeur.value) is int
                    and 400 <= valeur.value < 600
                ):
                    trouves.append(f"{fichier.name}:{valeur.lineno} {valeur.value}")
    return trouves


def test_le_domaine_et_l_application_ne_connaissent_aucun_statut_http() -> None:
    fichiers = [
        f
        for couche in ("domain", "application")
        for f in sorted(SERVICES.glob(f"*/{couche}/**/*.py"))
    ]
    assert len(fichiers) > 40
    mentions = [m for f in fichiers for m in _mentions_http(f)]
    assert not mentions, mentions


def test_le_detecteur_voit_un_statut_http(tmp_path: Path) -> None:
    fichier = tmp_path / "x.py"
    fichier.write_text(
        'raise Conflit("C", "m", statut_http=503)\nraise Erreur("C", "m", 409)\n',
        encoding="utf-8",
    )
    assert sorted(_mentions_http(fichier)) == ["x.py:1 503", "x.py:1 statut_http", "x.py:2 409"]
