"""Every error code the platform can emit is documented (docs/codes-erreur.md, or
docs/format-json.md for the JSON format's codes): a new code fails here until listed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

RACINE = Path(__file__).resolve().parents[3]
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
# Calls whose first argument is a name, never an error code (settings, environment…).
_PAS_DES_CODES = {"get", "getenv", "setdefault", "pop"}


def _texte(noeud: ast.expr) -> bool:
    return isinstance(noeud, ast.JoinedStr) or (
        isinstance(noeud, ast.Constant) and isinstance(noeud.value, str)
    )


def _code(noeud: ast.expr) -> str | None:
    if isinstance(noeud, ast.Constant) and isinstance(noeud.value, str) and CODE.match(noeud.value):
        return noeud.value
    return None


def codes_emis() -> dict[str, str]:
    """(code → file) for each call shaped like an error: `X("CODE", "message…")`,
    `X(404, "CODE", "message…")`, `code="CODE"`, and the enrolment's field problems
    `probleme("champ", "CODE", …)` / `PydanticCustomError("CODE", …)` (message built by a
    call)."""
    trouves: dict[str, str] = {}
    for racine in ("services", "shared", "infra", "lecteur_zip"):
        for fichier in sorted((RACINE / racine).rglob("*.py")):
            for n in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
                if not isinstance(n, ast.Call):
                    continue
                nom = n.func.attr if isinstance(n.func, ast.Attribute) else ""
                a = n.args
                code = None
                if len(a) >= 2 and nom not in _PAS_DES_CODES and _texte(a[1]):
                    code = _code(a[0])
                statut = a[0] if a else None
                if (
                    len(a) >= 3
                    and isinstance(statut, ast.Constant)
                    and isinstance(statut.value, int)
                    and 400 <= statut.value < 600
                    and _texte(a[2])
                ):
                    code = code or _code(a[1])
                appele = nom or getattr(n.func, "id", "")
                if (
                    len(a) >= 3
                    and isinstance(statut, ast.Constant)
                    and isinstance(statut.value, int)
                    and 400 <= statut.value < 600
                ):  # ErreurApi(422, "CODE", message_built_elsewhere, …)
                    code = code or _code(a[1])
                if appele in ("probleme", "Probleme"):
                    code = code or (_code(a[1]) if len(a) >= 2 else None)
                if appele == "PydanticCustomError" and a:
                    code = code or _code(a[0])
                for kw in n.keywords:
                    if kw.arg == "code":
                        code = code or _code(kw.value)
                if code:
                    trouves.setdefault(code, str(fichier.relative_to(RACINE)))
    return trouves


def codes_enumeres() -> dict[str, str]:
    from lecteur_zip import CodeProbleme
    from services.depot.domain.erreurs import CodeErreur
    from shared.api import _MESSAGES_CADRE
    from shared.api_messages import CODES_CHAMP

    codes = {c.value: "CodeErreur (format MS v1)" for c in CodeErreur}
    codes |= {c.value: "CodeProbleme (ZIP)" for c in CodeProbleme}
    codes |= {c: "shared/api_messages.py" for c in CODES_CHAMP}
    codes |= {c: "shared/api.py" for c, _ in _MESSAGES_CADRE.values()}
    return codes


def codes_passerelle() -> dict[str, str]:
    """The codes of API Gateway's gateway responses (infra/resources.yaml)."""
    texte = (RACINE / "infra" / "resources.yaml").read_text(encoding="utf-8")
    return {c: "infra/resources.yaml" for c in re.findall(r'"code": "([A-Z_]+)"', texte)}


def documentes() -> set[str]:
    textes = [
        (RACINE / "docs" / nom).read_text(encoding="utf-8")
        for nom in ("codes-erreur.md", "format-json.md")
    ]
    return {c for t in textes for c in re.findall(r"`([A-Z][A-Z0-9_]+)`", t)}


def test_le_scanner_trouve_les_codes_connus() -> None:
    emis = codes_emis()
    for connu in ("DEPOT_INTROUVABLE", "NON_AUTHENTIFIE", "CURSEUR_INVALIDE", "ROUTE_INCONNUE"):
        assert connu in emis
    # The enrolment's shapes: probleme(champ, CODE, …) and PydanticCustomError(CODE, f(…)).
    for connu in (
        "MOTIF_OBLIGATOIRE",
        "DEJA_ENROLE",
        "ANTI_ROBOT_INVALIDE",
        "NUMERO_ANS_INVALIDE",
        "NUMERO_ANS_DUPLIQUE",
        "DEMANDE_INVALIDE",
        "NON_ENROLE",
    ):
        assert connu in emis, connu
    assert "SEGURNUM_ETAT_LOCAL" not in emis  # an environment variable, not a code
    assert "ZIP_TRONQUE" in codes_enumeres() and "NON_AUTHENTIFIE" in codes_passerelle()


def test_chaque_code_emis_est_documente() -> None:
    tous = codes_emis() | codes_enumeres() | codes_passerelle()
    absents = {c: ou for c, ou in sorted(tous.items()) if c not in documentes()}
    assert not absents, (
        "Codes d'erreur émis mais absents de docs/codes-erreur.md (ou docs/format-json.md §6): "
        + ", ".join(f"{c} ({ou})" for c, ou in absents.items())
    )
