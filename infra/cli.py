"""The `segurnum` command: the offline simulator for éditeurs, and local-runtime tools."""

from __future__ import annotations

import json
import signal
import sys
import threading
from datetime import datetime
from typing import Annotated, Any

import typer

app = typer.Typer(
    help="Ségur numérique, couloir médico-social: outils de la plateforme.",
    no_args_is_help=True,
    add_completion=False,
)


def _monter_depot() -> None:
    try:
        from services.depot.cli import app as depot
    except ImportError:  # the simulator ships with the dépôt service
        return
    for commande in depot.registered_commands:
        app.registered_commands.append(commande)


@app.command()
def local(
    port: Annotated[int, typer.Option(help="Port de l'API (chalice local).")] = 8000,
    port_moto: Annotated[int, typer.Option(help="Port du serveur moto (S3, SQS…).")] = 5001,
    port_portail: Annotated[int, typer.Option(help="Port du portail web (web/dist).")] = 8080,
    horloge: Annotated[
        str | None,
        typer.Option(help="Heure de départ de la plateforme (Paris), ex. 2024-02-20T10:00."),
    ] = None,
) -> None:
    """Démarre la plateforme locale sur 127.0.0.1 (Ctrl-C pour arrêter)."""
    from infra.local.runtime import RuntimeLocal
    from shared.horloge import heure_paris

    runtime = RuntimeLocal(
        port_moto=port_moto,
        port_api=port,
        ecrire_etat=True,
        horloge_depart=heure_paris(horloge) if horloge else None,
    )
    arret = threading.Event()

    def stop(*_: Any) -> None:
        arret.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    runtime.demarrer()
    env = runtime.environnement
    from infra.local.portail import portail_construit

    if portail_construit():
        try:
            print(f"Portail web  : {runtime.servir_portail(port_portail)}")
        except OSError:  # the API keeps running: the portal is one more way in, not the only
            print(f"Portail web  : port {port_portail} occupé (make run PORT_PORTAIL=…)")
    else:
        print("Portail web  : non construit (make web, ou make run qui le construit)")
    print(f"API          : {runtime.url_api}   (santé: {runtime.url_api}/sante)")
    print(
        f"S3 / AWS     : {runtime.url_moto}   (bucket des dépôts: {env['SEGURNUM_BUCKET_DEPOTS']})"
    )
    print(
        f"Horloge      : {heure_affichee(runtime.horloge.maintenant())}  "
        f'(POST {runtime.url_api}/_local/horloge {{"instant": "2024-02-28T13:59"}})'
    )
    print(
        "Jeton        : .venv/bin/segurnum jeton --editeur 73282932000074  | --gestionnaire DUPONT"
    )
    print("Arrêt        : Ctrl-C", flush=True)
    try:
        arret.wait()
    finally:
        runtime.arreter()
        print("Plateforme locale arrêtée.", flush=True)


@app.command()
def jeton(
    editeur: Annotated[str | None, typer.Option(help="SIRET de l'éditeur.")] = None,
    gestionnaire: Annotated[str | None, typer.Option(help="Nom du gestionnaire.")] = None,
) -> None:
    """Affiche un jeton (IdToken) de la plateforme locale: usage local uniquement."""
    if bool(editeur) == bool(gestionnaire):
        typer.echo("Indiquez --editeur SIRET ou --gestionnaire NOM (un seul des deux).", err=True)
        raise typer.Exit(2)
    _environnement_local()
    from infra.local.jetons import jeton as emettre
    from shared.identifiants import siret_valide

    if editeur is not None:
        if not siret_valide(editeur):
            typer.echo(f"Le SIRET {editeur} n'est pas valide (14 chiffres, clé de Luhn).", err=True)
            raise typer.Exit(2)
        typer.echo(emettre("editeurs", siret=editeur))
    else:
        typer.echo(emettre("gestionnaires", nom=gestionnaire))


def heure_affichee(instant: datetime) -> str:
    """The platform's clock as people read it: Paris time (the deadlines' time), with its
    offset, whatever the zone the clock keeps."""
    from shared.horloge import PARIS

    paris = instant.astimezone(PARIS)
    return f"{paris:%d/%m/%Y %H:%M:%S} heure de Paris ({paris.isoformat(timespec='seconds')})"


def _environnement_local() -> str:
    """Point this process's boto3 clients at the running local platform; its API's URL."""
    import os

    from infra.local.runtime import FICHIER_ETAT

    if not FICHIER_ETAT.exists():
        typer.echo("La plateforme locale ne tourne pas: lancez d'abord « make run ».", err=True)
        raise typer.Exit(2)
    etat = json.loads(FICHIER_ETAT.read_text(encoding="utf-8"))
    os.environ.update(etat["environnement"])
    os.environ.update(
        {
            "SEGURNUM_ENDPOINT_URL": etat["moto"],
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_REGION": "eu-west-3",
        }
    )
    from shared.aws import oublier_clients
    from shared.settings import recharger

    recharger()
    oublier_clients()
    return str(etat["api"])


@app.command()
def enroler(
    siret: Annotated[str, typer.Option(help="SIRET de l'éditeur.")],
    numero_ans: Annotated[str, typer.Option(help="Numéro de référencement ANS (10 caractères).")],
    couloir: Annotated[str, typer.Option(help="MS1 ou MS2.")] = "MS1",
    email: Annotated[str, typer.Option(help="Adresse des courriels de l'éditeur.")] = (
        "depot@editeur.example.fr"
    ),
) -> None:
    """Enrôle un éditeur sur la plateforme locale en passant par le service d'enrôlement:
    demande (ou enrôlement complémentaire) avec ses documents, puis validation par un
    gestionnaire; le référencement est chargé s'il n'est pas au référentiel."""
    from shared.identifiants import siret_valide

    if not siret_valide(siret):
        typer.echo(f"Le SIRET {siret} n'est pas valide (14 chiffres, clé de Luhn).", err=True)
        raise typer.Exit(2)
    if couloir not in ("MS1", "MS2"):
        typer.echo(f"--couloir vaut « {couloir} »; couloirs permis: MS1 ou MS2.", err=True)
        raise typer.Exit(2)
    if not (len(numero_ans) == 10 and numero_ans.isascii() and numero_ans.isalnum()):
        typer.echo(f"--numero-ans « {numero_ans} »: 10 caractères alphanumériques.", err=True)
        raise typer.Exit(2)
    api = _environnement_local()
    from infra.local.admin import EnrolementImpossible, enroler_par_le_service

    try:
        numero = enroler_par_le_service(api, siret, numero_ans, couloir, email)
    except EnrolementImpossible as exc:
        typer.echo(f"Enrôlement refusé: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Éditeur {siret} enrôlé pour le référencement {numero_ans} (demande {numero}, "
        f"validée); identifiant et mot de passe provisoire envoyés à {email}."
    )


@app.command()
def connexion(
    email: Annotated[str, typer.Option(help="Identifiant (adresse électronique).")],
    mot_de_passe: Annotated[str, typer.Option(help="Mot de passe (provisoire ou non).")],
    nouveau_mot_de_passe: Annotated[
        str | None, typer.Option(help="Nouveau mot de passe, demandé à la première connexion.")
    ] = None,
) -> None:
    """Se connecter au groupe d'utilisateurs (USER_PASSWORD_AUTH) et afficher le jeton
    (IdToken); à la première connexion, --nouveau-mot-de-passe remplace le provisoire."""
    _environnement_local()
    from infra.local.jetons import _client_id
    from shared.aws import client

    idp = client("cognito-idp")
    client_id = _client_id()
    try:
        reponse = idp.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": mot_de_passe},
        )
        if reponse.get("ChallengeName") == "NEW_PASSWORD_REQUIRED":
            if not nouveau_mot_de_passe:
                typer.echo(
                    "Première connexion: choisissez un mot de passe avec --nouveau-mot-de-passe "
                    "(12 caractères au moins, minuscule, majuscule, chiffre et symbole).",
                    err=True,
                )
                raise typer.Exit(2)
            reponse = idp.respond_to_auth_challenge(
                ClientId=client_id,
                ChallengeName="NEW_PASSWORD_REQUIRED",
                Session=reponse["Session"],
                ChallengeResponses={"USERNAME": email, "NEW_PASSWORD": nouveau_mot_de_passe},
            )
    except (idp.exceptions.NotAuthorizedException, idp.exceptions.UserNotFoundException):
        typer.echo("Identifiant ou mot de passe incorrect.", err=True)
        raise typer.Exit(1) from None
    except idp.exceptions.InvalidPasswordException:
        typer.echo(
            "Le nouveau mot de passe ne respecte pas la politique: 12 caractères au moins, "
            "minuscule, majuscule, chiffre et symbole.",
            err=True,
        )
        raise typer.Exit(2) from None
    typer.echo(reponse["AuthenticationResult"]["IdToken"])


@app.command()
def referentiel(
    fichier: Annotated[
        str | None, typer.Option(help="Fichier JSON du référentiel (défaut: celui livré).")
    ] = None,
) -> None:
    """Charge une version du référentiel ANS dans la table (déploiement: une fois après le
    premier déploiement, avec les identifiants AWS de l'exploitant; local: déjà chargé)."""
    from pathlib import Path

    from services.enrolment.adapters.dynamodb import ReferentielAnsRepository
    from services.enrolment.application.referentiel import (
        ChargerReferentiel,
        donnees_initiales,
    )
    from services.enrolment.domain.erreurs import DemandeInvalide
    from shared.horloge import HorlogeSysteme

    donnees = donnees_initiales(Path(fichier)) if fichier else donnees_initiales()
    try:
        bilan = ChargerReferentiel(ReferentielAnsRepository(), HorlogeSysteme())(
            donnees, "segurnum referentiel"
        )
    except DemandeInvalide as exc:
        for p in exc.problemes:
            typer.echo(f"{p.champ}: {p.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Référentiel {bilan.version}: {len(bilan.ajoutes)} ajouté(s), "
        f"{len(bilan.modifies)} modifié(s), {bilan.inchanges} inchangé(s), "
        f"{len(bilan.absents)} absent(s) du fichier (conservés)."
    )


@app.command()
def demo(
    sortie: Annotated[
        str | None,
        typer.Option(help="Dossier des fichiers produits (défaut: build/demo/<horodatage>)."),
    ] = None,
    graine: Annotated[
        int | None, typer.Option(help="Graine des données (défaut: au hasard).")
    ] = None,
) -> None:
    """Joue l'histoire du seed sur la plateforme locale qui tourne (« make run »): enrôlement,
    dépôt, instruction, paiement, échéance, solde; par l'API publique (plus l'horloge et la
    boîte aux lettres locales)."""
    from pathlib import Path

    from infra.local.runtime import FICHIER_ETAT

    if not FICHIER_ETAT.exists():
        typer.echo(
            "La plateforme locale ne tourne pas: lancez « make run » dans un autre terminal "
            "(ou « make run HORLOGE=2024-02-20T10:00 » pour voir aussi les rappels), puis "
            "« make demo ».",
            err=True,
        )
        raise typer.Exit(2)
    from infra.demo.affichage import jouer
    from infra.demo.plateforme import Plateforme
    from infra.demo.scenario import contexte

    plateforme = Plateforme.depuis_etat(FICHIER_ETAT)
    try:
        plateforme.http.get(f"{plateforme.api}/sante", timeout=30)
    except OSError:  # requests' ConnectionError: a state file left by a platform killed
        typer.echo(
            f"La plateforme locale de {FICHIER_ETAT} ne répond pas sur {plateforme.api}: "
            "relancez « make run » dans un autre terminal, puis « make demo ».",
            err=True,
        )
        raise typer.Exit(2) from None
    dossier = Path(sortie or f"build/demo/{datetime.now():%Y%m%d-%H%M%S}").resolve()
    ctx = contexte(plateforme, dossier, graine)
    if not jouer(ctx):
        raise typer.Exit(1)


@app.command()
def openapi(
    sortie: Annotated[
        str, typer.Option(help="Fichier à écrire; « - » pour la sortie standard.")
    ] = ("docs/openapi.json"),
) -> None:
    """Génère le document OpenAPI 3.1 de l'API (à partir des modèles des routes)."""
    from pathlib import Path

    from infra.openapi import ecrire, en_texte

    if sortie == "-":
        from infra.app import app as application
        from infra.openapi import document

        typer.echo(en_texte(document(application)), nl=False)
    else:
        typer.echo(f"Écrit: {ecrire(Path(sortie))}")


def main() -> None:
    _monter_depot()
    app()


if __name__ == "__main__":
    sys.exit(main())
