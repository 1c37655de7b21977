"""`segurnum demo`'s output: each step's report in French, a progress bar, a summary."""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.panel import Panel
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from infra.demo.contexte import Contexte, euros
from infra.demo.plateforme import EtapeEchouee
from infra.demo.scenario import ETAPES


def jouer(ctx: Contexte, console: Console | None = None) -> bool:
    """Plays every step; False (after saying why) at the first one that fails."""
    console = console or Console()
    console.print(
        Panel.fit(
            f"Ségur numérique, couloir médico-social: l'histoire d'un éditeur, de l'enrôlement "
            f"au paiement de son solde.\nPlateforme {ctx.p.api}; fichiers produits sous "
            f"[bold]{ctx.sortie}[/] (graine {ctx.jeu.graine}).",
            title="Démonstration",
        )
    )
    debut = time.monotonic()
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as barre:
        tache = barre.add_task("Démonstration", total=len(ETAPES))
        for rang, etape in enumerate(ETAPES, 1):
            barre.update(tache, description=etape.titre)
            ctx.lignes.clear()
            try:
                etape.faire(ctx)
            except EtapeEchouee as exc:
                _rapport(barre.console, rang, etape.titre, ctx.lignes)
                barre.console.print(f"[bold red]Étape interrompue:[/] {exc}")
                return False
            _rapport(barre.console, rang, etape.titre, ctx.lignes)
            barre.advance(tache)
    resume(ctx, console, time.monotonic() - debut)
    return True


def _rapport(console: Console, rang: int, titre: str, lignes: list[str]) -> None:
    console.rule(f"[bold]{rang}. {titre}")
    for ligne in lignes:
        console.print(ligne, highlight=False)


def resume(ctx: Contexte, console: Console, duree: float) -> None:
    table = Table(title="Dossiers de la démonstration")
    for colonne in ("dossier", "éditeur", "montant financé", "avance", "solde"):
        table.add_column(colonne)
    for role, n in sorted(ctx.dossiers.items(), key=lambda x: x[1]):
        vue = ctx.p.appel("GET", f"/gestion/dossiers/{n}", ctx.gestion)
        statuts = {d["typeDemande"]: d["libelleStatut"] for d in vue["demandes"]}
        table.add_row(
            n,
            ctx.jeu.editeurs[role[0]].raison_sociale,
            euros(ctx.montants[n]),
            statuts.get("AVANCE", ""),
            statuts.get("SOLDE", ""),
        )
    console.print(table)
    fichiers = Table(title=f"Fichiers produits ({ctx.sortie})")
    fichiers.add_column("fichier")
    fichiers.add_column("octets", justify="right")
    for chemin in ctx.fichiers:
        fichiers.add_row(str(Path(chemin).relative_to(ctx.sortie)), str(chemin.stat().st_size))
    console.print(fichiers)
    console.print(
        f"{len(ctx.courriels)} courriels lus, {ctx.p.appels} appels à l'API, "
        f"{duree:.0f} s. La plateforme garde ces données: "
        f"GET {ctx.p.api}/gestion/dossiers, le portail s'il est servi."
    )
