"""`segurnum simuler` and `segurnum schema`: the éditeurs' offline simulator (D7, B6).

Offline, the rules that need the platform's registries (enrolment, dossiers targeted by
numeroASP, FINESS already funded, numeroDossier already used) are not judged: the
platform's simulation judges them (spec §4b).

Exit codes (§6): 0 every demande is importable; 1 at least one demande is rejected;
3 the file is rejected as a whole; 2 usage error.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from services.depot.application.ports import ContexteDepot
from services.depot.application.simulation import ResultatSimulation, annoter, simuler
from services.depot.domain.compte_rendu import CodeSortie
from services.depot.domain.format_ms import lire_taux_tva
from services.depot.domain.modeles import schema_json
from shared.campagnes import TypeDemande, campagne_du_couloir
from shared.horloge import PARIS, heure_paris

app = typer.Typer(
    help="Simulateur du format MS v1 (demandes de financement Ségur numérique).",
    no_args_is_help=True,
    add_completion=False,
)

ID_FICHIER_SIMULATION = "SIMULATION"


def _usage(message: str) -> NoReturn:
    typer.echo(f"Erreur : {message}", err=True)
    raise typer.Exit(CodeSortie.USAGE)


def _type_demande(texte: str) -> TypeDemande:
    try:
        return TypeDemande(texte.strip().upper())
    except ValueError:
        _usage(f"--type vaut « {texte} » ; valeurs permises : avance ou solde.")


def _date_depot(texte: str | None) -> datetime | None:
    if texte is None:
        return None
    try:
        return heure_paris(texte.strip())
    except ValueError:
        _usage(
            f"--date-depot vaut « {texte} » : attendu une date et heure ISO 8601, par exemple "
            "2024-02-28T13:59 (heure de Paris sans fuseau indiqué)."
        )


def _lire(fichier: str) -> bytes:
    chemin = Path(fichier)
    if not chemin.exists():
        _usage(f"le fichier {fichier} n'existe pas.")
    if not chemin.is_file():
        _usage(f"{fichier} n'est pas un fichier.")
    try:
        return chemin.read_bytes()
    except OSError as exc:
        _usage(f"le fichier {fichier} ne peut pas être lu ({exc.strerror}).")


def _console() -> Console:
    """The terminal's width (or COLUMNS'); to a file without COLUMNS, 160 columns."""
    console = Console()
    if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        console = Console(width=160)
    return console


_MESSAGE_MIN = 24  # columns left at least for the message, which wraps


def _problemes(
    console: Console, titre: str, colonnes: tuple[str, ...], rangs: list[tuple[str, ...]]
) -> None:
    """A table whose last column (the message) alone wraps: a JSON pointer, a code or a
    name stay whole. If they do not fit in the terminal's width, one card per problem:
    these values on one logical line (never cut by rich, the terminal only wraps it on
    display), the message below."""
    if not rangs:
        return
    largeurs = [max(len(c), *(len(r[i]) for r in rangs)) for i, c in enumerate(colonnes[:-1])]
    bordures = 3 * len(colonnes) + 1  # « │ » and one space on each side of each cell
    if sum(largeurs) + _MESSAGE_MIN + bordures <= console.width:
        table = Table(title=titre, expand=True)
        for colonne, largeur in zip(colonnes[:-1], largeurs, strict=True):
            table.add_column(colonne, no_wrap=True, min_width=largeur)
        table.add_column(colonnes[-1], overflow="fold", ratio=1)
        for rang in rangs:
            table.add_row(*rang)
        console.print(table, highlight=False)
        return
    console.print(f"[bold]{titre}[/bold]")
    for rang in rangs:
        console.print(" — ".join(rang[:-1]), soft_wrap=True, highlight=False, markup=False)
        console.print(Padding(Text(rang[-1]), (0, 0, 1, 2), expand=False))


def _afficher_texte(resultat: ResultatSimulation, entete: str) -> None:
    compte_rendu = resultat.compte_rendu
    console = _console()
    console.print(entete, highlight=False)
    console.print(
        f"Demandes : {compte_rendu.nombre_lignes} — importables : "
        f"{compte_rendu.lignes_importables} — rejetées : {compte_rendu.lignes_rejetees}",
        highlight=False,
    )
    if compte_rendu.erreurs_fichier:
        console.print("[bold red]Fichier rejeté en entier.[/bold red]")
    erreurs: list[tuple[str, ...]] = [
        ("fichier", e.code, e.chemin or "/", e.message) for e in compte_rendu.erreurs_fichier
    ]
    for ligne in compte_rendu.lignes:
        erreurs.extend((str(ligne.num_ligne), e.code, e.chemin, e.message) for e in ligne.erreurs)
        erreurs.extend(
            (str(ligne.num_ligne), f"{a.code} (avertissement)", a.chemin, a.message)
            for a in ligne.avertissements
        )
    _problemes(console, "Erreurs", ("Ligne", "Code", "Chemin", "Message"), erreurs)
    _problemes(
        console,
        "Problèmes du ZIP de pièces",
        ("Code", "Fichier", "Message"),
        [(e.code, e.fichier or "(l'archive)", e.message) for e in compte_rendu.erreurs_pieces],
    )
    montants = Table(title="Montants des demandes importables (€)")
    montants.add_column("Ligne", justify="right")
    montants.add_column("Montant financé", justify="right")
    montants.add_column("Avance (30 %)", justify="right")
    montants.add_column("Solde", justify="right")
    for importable in resultat.lignes_importables:
        m = importable.montants
        montants.add_row(
            str(importable.num_ligne),
            m.montant_finance.en_francais(),
            m.avance.en_francais(),
            m.solde.en_francais(),
        )
    if montants.row_count:
        console.print(montants)
    if (
        not compte_rendu.erreurs_fichier
        and not compte_rendu.lignes_rejetees
        and not compte_rendu.erreurs_pieces
    ):
        console.print("[bold green]Toutes les demandes sont importables.[/bold green]")
    console.print(
        "Hors ligne, l'enrôlement, les dossiers visés par numeroASP, les FINESS déjà financés "
        "et les numeroDossier déjà employés ne sont pas vérifiés : la simulation de la "
        "plateforme les vérifie.",
        style="dim",
        highlight=False,
    )


def _verifier_pieces(resultat: ResultatSimulation, archive: Path) -> None:
    """The ZIP checked as on the platform (§5) and reconciled with the file's nomFichier:
    its problems in erreursPieces, a missing or refused pièce at its line's pointer."""
    from lecteur_zip import verifier_archive
    from services.depot.adapters.sources_zip import SourceFichier
    from services.depot.domain.erreurs import Erreur, ErreurPiece
    from services.depot.domain.reconciliation import rapprocher

    with SourceFichier(archive) as source:
        verification = verifier_archive(source)
    attendues = {nom: [place] for nom, place in resultat.pieces_attendues().items()}
    rapprochement = rapprocher(verification, attendues)
    resultat.ajouter_erreurs_pieces(
        [
            ErreurPiece(e["fichier"], str(e["code"]), str(e["message"]))
            for e in rapprochement.erreurs_pieces_json()
        ]
    )
    index = {ligne.num_ligne: ligne.index for ligne in resultat.compte_rendu.lignes}
    for num_ligne, erreurs in rapprochement.erreurs_par_ligne().items():
        for e in erreurs:
            resultat.rejeter_ligne(index[num_ligne], Erreur(e["code"], e["chemin"], e["message"]))


@app.command("simuler")
def commande_simuler(
    fichier: Annotated[str, typer.Argument(help="Le fichier JSON de demandes.")],
    type_demande: Annotated[str, typer.Option("--type", help="avance ou solde.")] = "avance",
    tva: Annotated[str, typer.Option("--tva", help="Taux de TVA : 20, 10, 5.5, 2.1 ou 0.")] = "20",
    couloir: Annotated[str, typer.Option("--couloir", help="MS1 ou MS2.")] = "MS1",
    date_depot: Annotated[
        str | None,
        typer.Option(
            "--date-depot",
            help="Date et heure du dépôt, ex. 2024-02-28T13:59 (heure de Paris); "
            "applique aussi la règle du guichet.",
        ),
    ] = None,
    format_sortie: Annotated[
        str, typer.Option("--format", help="texte (lisible) ou json (le compte rendu §6).")
    ] = "texte",
    annoter_vers: Annotated[
        Path | None,
        typer.Option("--annoter", help="Écrit le fichier annoté (codeTraitement par demande)."),
    ] = None,
    pieces: Annotated[
        Path | None,
        typer.Option("--pieces", help="Le ZIP des pièces justificatives, vérifié et rapproché."),
    ] = None,
) -> None:
    """Simule le dépôt d'un fichier de demandes et affiche le compte rendu."""
    type_choisi = _type_demande(type_demande)
    taux = lire_taux_tva(tva)
    if taux is None:
        _usage(f"--tva vaut « {tva} » ; taux permis : 20, 10, 5.5, 2.1 ou 0.")
    couloir = couloir.strip().upper()
    try:
        campagne = campagne_du_couloir(couloir)
    except KeyError:
        _usage(f"--couloir vaut « {couloir} » ; couloirs permis : MS1 ou MS2.")
    if format_sortie not in ("texte", "json"):
        _usage(f"--format vaut « {format_sortie} » ; valeurs permises : texte ou json.")
    depot = _date_depot(date_depot)
    contenu = _lire(fichier)
    contexte = ContexteDepot(
        type_demande=type_choisi,
        taux_tva=taux,
        couloir=couloir,
        campagne=campagne,
        recu_le=depot,  # the guichet is only judged if the dépôt's date is given
        date_depot=depot,
    )
    if pieces is not None and not pieces.is_file():
        _usage(f"le ZIP de pièces {pieces} est introuvable.")
    resultat = simuler(contenu, Path(fichier).name, contexte, None)
    if pieces is not None and not resultat.compte_rendu.fichier_rejete:
        _verifier_pieces(resultat, pieces)
    if format_sortie == "json":
        typer.echo(json.dumps(resultat.compte_rendu.to_dict(), ensure_ascii=False, indent=2))
    else:
        quand = (
            f"dépôt le {depot.astimezone(PARIS):%d/%m/%Y à %Hh%M}" if depot else "dépôt maintenant"
        )
        _afficher_texte(
            resultat,
            f"Simulation de {Path(fichier).name} : demande "
            f"{'d’avance' if type_choisi is TypeDemande.AVANCE else 'de solde'}, TVA {tva} %, "
            f"couloir {couloir}, campagne {campagne.libelle}, {quand} (hors ligne).",
        )
    if annoter_vers is not None:
        try:
            annote = annoter(contenu, resultat.compte_rendu, ID_FICHIER_SIMULATION, simulation=True)
        except ValueError as exc:
            typer.echo(f"Fichier annoté non écrit : {exc}", err=True)
        else:
            try:
                annoter_vers.write_bytes(annote)
            except OSError as exc:
                _usage(f"le fichier annoté {annoter_vers} ne peut pas être écrit ({exc.strerror}).")
            if format_sortie == "texte" and resultat.compte_rendu.fichier_rejete:
                typer.echo(
                    f"Fichier rejeté en entier : copié tel que reçu dans {annoter_vers} (le "
                    "compte rendu ci-dessus dit pourquoi)."
                )
            elif format_sortie == "texte":
                typer.echo(f"Fichier annoté écrit : {annoter_vers}")
    raise typer.Exit(resultat.code_sortie())


@app.command("schema")
def commande_schema() -> None:
    """Affiche le JSON Schema publié du format (Draft 2020-12, version ms-v1)."""
    sys.stdout.write(json.dumps(schema_json(), ensure_ascii=False, indent=2) + "\n")
