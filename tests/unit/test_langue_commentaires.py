"""Comments and docstrings are written in English (the project's rule, issue 19).

French stays where people read it: messages, strings, templates, user docs, the
`--help` of the typer commands (their docstrings) and the docstrings pydantic publishes
in the format's JSON Schema. French domain nouns inside an English sentence are fine
(« the dépôt's compte rendu »), and so is anything quoted (« … », "…", `…`).

The check is a heuristic: it counts French function words (les, une, est, pour, dans…)
against English ones (the, is, of, for, with…) in each paragraph of a docstring and in
each block of consecutive `#` lines, after removing quoted text and identifiers
(EN_ATTENTE, numeroDossier, mot_de_passe). A paragraph with more French than English
is reported as file:line.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
DOSSIERS = ("services", "shared", "lecteur_zip", "infra", "tests", "benchmarks")
IGNORES = {".venv", "build", "node_modules", "__pycache__"}


def _mots(texte: str) -> frozenset[str]:
    return frozenset(texte.split())


# Function words only French uses; the weak ones also appear inside the domain nouns
# English sentences keep (« accusé de réception », « décision d'attribution »).
FRANCAIS = _mots(
    "les une des est pour dans avec sont qui sur aux du au un ce cette ces que pas ne par "
    "son sa ses leur leurs il elle ils elles se où mais donc car selon sans chaque tout "
    "tous toute toutes quand comme puis déjà encore lorsque nous vous sinon être fait "
    "peut doit ont été lui y à ou ni très aussi"
)
FRANCAIS_FAIBLES = _mots("de la le en et")
ELISIONS = _mots("l d qu n s c j jusqu lorsqu puisqu")
ANGLAIS = _mots(
    "the an is are of to for in with by and or not it this that be from as when which its "
    "at one each no if so but what who only than then there their they was were has have"
)

CITATIONS = re.compile(r"«[^»]*»|\"[^\"\n]*\"|`[^`]*`|(?<![\wÀ-ÿ])'[^'\n]*'")
# Identifiers and codes: snake_case, CONSTANTS, camelCase, anything with a digit.
IDENTIFIANTS = re.compile(r"\S*_\S*|\b[A-Z]{2,}\b|\b[a-z]+[A-Z]\w*|\b\w*\d\w*")
MOTS = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-zÀ-ÿ]+)?")

# Docstrings pydantic publishes as descriptions of the format's JSON Schema (`segurnum
# schema`): text the éditeurs read.
PUBLIES = {
    ("services/depot/domain/modeles.py", "Commande"),
    ("services/depot/domain/modeles.py", "FichierDemandes"),
}


def _score(texte: str) -> tuple[float, int]:
    """(French, English) word counts of one paragraph, quotes and identifiers removed."""
    texte = IDENTIFIANTS.sub(" ", CITATIONS.sub(" ", texte))
    francais, anglais = 0.0, 0
    for mot in MOTS.findall(texte):
        mot = mot.lower().replace("’", "'")
        if "'" in mot:
            prefixe, mot = mot.split("'", 1)
            francais += 0.5 if prefixe in ("l", "d") else prefixe in ELISIONS
        if mot in FRANCAIS:
            francais += 1
        elif mot in FRANCAIS_FAIBLES:
            francais += 0.5
        elif mot in ANGLAIS:
            anglais += 1
    return francais, anglais


def en_francais(texte: str) -> bool:
    for paragraphe in re.split(r"\n\s*\n", texte):
        francais, anglais = _score(paragraphe)
        if francais >= 1 and francais > anglais:
            return True
    return False


def _commande_typer(noeud: ast.AST) -> bool:
    """A typer command: its docstring is the command's --help, read by its users."""
    return isinstance(noeud, ast.FunctionDef | ast.AsyncFunctionDef) and any(
        isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "command"
        for d in noeud.decorator_list
    )


DEFINITIONS = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def textes(chemin: str, source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every docstring and every block of consecutive comment lines."""
    for noeud in ast.walk(ast.parse(source)):
        if not isinstance(
            noeud, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            continue
        docstring = ast.get_docstring(noeud, clean=False)
        if docstring is None or _commande_typer(noeud):
            continue
        if isinstance(noeud, ast.ClassDef) and (chemin, noeud.name) in PUBLIES:
            continue
        yield noeud.body[0].lineno, docstring
    bloc: list[str] = []
    debut = precedente = 0
    for jeton in tokenize.generate_tokens(io.StringIO(source).readline):
        if jeton.type != tokenize.COMMENT:
            continue
        ligne = jeton.start[0]
        if bloc and ligne != precedente + 1:
            yield debut, " ".join(bloc)
            bloc = []
        if not bloc:
            debut = ligne
        bloc.append(jeton.string.lstrip("#"))
        precedente = ligne
    if bloc:
        yield debut, " ".join(bloc)


def fichiers(racine: Path) -> Iterator[Path]:
    for dossier in DOSSIERS:
        for chemin in sorted((racine / dossier).rglob("*.py")):
            if not IGNORES.intersection(chemin.relative_to(racine).parts):
                yield chemin


def en_francais_dans(racine: Path) -> list[str]:
    trouves = []
    for chemin in fichiers(racine):
        relatif = chemin.relative_to(racine).as_posix()
        for ligne, texte in textes(relatif, chemin.read_text(encoding="utf-8")):
            if en_francais(texte):
                extrait = " ".join(texte.split())[:90]
                trouves.append(f"{relatif}:{ligne}: {extrait}")
    return trouves


def test_commentaires_et_docstrings_en_anglais() -> None:
    trouves = en_francais_dans(RACINE)
    assert not trouves, "Comments and docstrings are written in English:\n" + "\n".join(trouves)


def test_l_heuristique_reconnait_le_francais() -> None:
    assert en_francais("Le solde attend tant que l'avance n'est pas payée.")
    assert en_francais("une modification d'avance reste possible après l'échéance")
    assert en_francais("Lecture rapide: un entier de plus de 64 bits, peut-être")
    assert en_francais("An English summary.\n\nLes numéros corses n'ont pas de clé.")
    assert not en_francais("The dépôt's compte rendu lists the pièces justificatives.")
    assert not en_francais("E3: confirmation, accusé de réception, follow-up")
    assert not en_francais("The other run died (lot EN_PREPARATION, versement MIS_EN_PAIEMENT).")
    assert not en_francais("The message « Le fichier est illisible » is the user's.")


def test_les_exceptions_existent_encore() -> None:
    """Each published docstring exempted is still there, and still a docstring."""
    for chemin, classe in PUBLIES:
        arbre = ast.parse((RACINE / chemin).read_text(encoding="utf-8"))
        noeuds = [n for n in ast.walk(arbre) if isinstance(n, ast.ClassDef) and n.name == classe]
        assert noeuds and ast.get_docstring(noeuds[0]), (chemin, classe)
