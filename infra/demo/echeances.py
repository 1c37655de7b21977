"""The avance deadline (28/02/2024 14:00, Paris): the J-7 and J-1 reminders and the closing
fire on the platform's clock; a late avance is refused, naming the deadline; then a solde is
deposited, decided and paid.

The local platform fires a deadline once (its first crossing): on a second run of the
demo on the same platform, the demo says so instead of waiting for a courriel."""

from __future__ import annotations

from infra.demo.contexte import Contexte, EtapeEchouee, attendre, euros
from infra.demo.depot import envoyer_zip, importer, pieces_de, simuler
from infra.demo.donnees import demande, fichier
from infra.demo.instruction import attendre_statut, decider
from infra.demo.paiement import attendre_etat, avis, lot, retour

DEBUT = "2024-02-20T10:00:00"
MOMENTS = [
    ("2024-02-21T14:00:30", "segurnum-rappel-j7-ms-vague1-avance", "Rappel", "rappel J-7"),
    ("2024-02-27T14:00:30", "segurnum-rappel-j1-ms-vague1-avance", "Rappel", "rappel J-1"),
    ("2024-02-28T14:00:30", "segurnum-fermeture-ms-vague1-avance", "ferm", "fermeture"),
]


def horloge_depart(ctx: Contexte) -> None:
    ctx.p.regler_horloge(DEBUT)
    ctx.dire(f"Horloge de la plateforme réglée au 20/02/2024 10:00 (Paris): {ctx.p.horloge()}")


def echeance(ctx: Contexte) -> None:
    e = ctx.jeu.editeurs["A"]
    tirees: list[str] = []
    for instant, nom, objet, libelle in MOMENTS:
        r = ctx.p.regler_horloge(instant)
        declenchees = r.get("echeancesDeclenchees") or []
        tirees += declenchees
        if nom in declenchees:
            ctx.dire(f"Horloge au {instant[:16].replace('T', ' ')}: {libelle} déclenché(e)")
            ctx.courriel(e.email, objet)
        else:
            ctx.dire(
                f"Horloge au {instant[:16].replace('T', ' ')}: {libelle} [yellow]déjà déclenché(e)"
                "[/] sur cette plateforme (une échéance ne se déclenche qu'une fois; "
                "« make run HORLOGE=2024-02-20T10:00 » pour la revoir)"
            )
    ctx.faits["echeancesDeclenchees"] = tirees
    r = ctx.p.http.post(
        f"{ctx.p.api}/depots",
        headers={"Authorization": ctx.jetons["A"]},
        json={"typeDemande": "AVANCE", "numeroAns": e.numero_ans, "tauxTva": 20},
        timeout=60,
    )
    if r.status_code < 400 or "28/02/2024" not in r.text:
        raise EtapeEchouee(f"dépôt tardif: {r.status_code} {r.text[:300]}")
    ctx.faits["depotTardif"] = r.json()
    ctx.dire(f"Dépôt d'avance tardif refusé ({r.status_code}): « {r.json()['message']} »")


def solde(ctx: Contexte) -> None:
    e = ctx.jeu.editeurs["A"]
    role = "A4"
    n = ctx.dossiers[role]
    ligne = demande(
        ctx.jeu,
        e,
        1,
        ctx.jeu.reference(4),
        float(ctx.montants[n]),
        type_demande="SOLDE",
        numero_asp=n,
        finess=[ctx.faits["finessA"][3]],
    )
    document = fichier(e, [ligne])
    vue = simuler(ctx, e, document, "demandes_solde.json", typeDemande="SOLDE")
    vue = importer(ctx, e, vue["idDepot"])
    envoyer_zip(ctx, e, vue["idDepot"], "pieces_solde.zip", pieces_de(document))
    ctx.dire(f"Solde de {n} déposé (dépôt {vue['idDepot']}), facture et PV de VA joints")
    attendre_statut(ctx, role, "EN_COURS", "SOLDE", delai=90)
    decider(ctx, role, "DECIDEE", "SOLDE")
    decision = attendre(
        lambda: next(
            (
                d
                for d in ctx.p.appel("GET", f"/dossiers/{n}", ctx.jetons["A"])["pieces"]
                if d["nom"].endswith("_solde.pdf")
            ),
            None,
        ),
        f"décision d'attribution du solde de {n}",
        60,
    )
    chemin = ctx.ecrire(f"decisions/{decision['nom']}", ctx.p.telecharger(decision["url"]))
    ctx.faits.setdefault("decisions", []).append(chemin)
    ctx.dire(f"  décision d'attribution du solde, signée: {chemin}")
    v = attendre_etat(ctx, role, "A_PAYER", "SOLDE")
    ctx.dire(f"  versement du solde: {euros(v['montantCalcule'])} (montant financé − avance payée)")
    _, pain001 = lot(ctx, "lot_3_solde")
    ctx.faits["retour3"] = retour(ctx, "retour_3", pain001, {})
    attendre_etat(ctx, role, "PAYE", "SOLDE")
    avis(ctx, role, "SOLDE")
