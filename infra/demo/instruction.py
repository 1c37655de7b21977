"""Instruction: the gestionnaire asks for a modification on one dossier and for pièces on
another, the éditeur answers both (an M file; pièces complémentaires), the gestionnaire
decides; some dossiers are left at each stage so the platform shows every state."""

from __future__ import annotations

from typing import Any

from infra.demo.contexte import Contexte, EtapeEchouee, attendre, euros, montant
from infra.demo.depot import envoyer_zip, importer, lire, simuler
from infra.demo.donnees import demande, fichier, pdf, zip_de

MOTIF_MODIFIER = "Le montant déclaré ne correspond pas au bon de commande: corrigez-le."
MOTIF_PIECES = "Le bon de commande n'est pas signé."


def piece_demandee(ctx: Contexte, rang: int) -> str:
    """The pièce asked, named as the format's nomenclature wants (the ZIP must hold it)."""
    return f"MS1_bon de commande signé-BDC-{ctx.jeu.reference(rang)}.pdf"


MOTIF_REJET = "Établissement hors du périmètre médico-social de la vague 1."
# role → decision at the desk; the roles left waiting show the other states.
DECISIONS = {
    "A3": "REJETEE",
    "A4": "DECIDEE",
    "A5": "DECIDEE",
    "A6": "DECIDEE",
    "A7": "DECIDEE",
    "B1": "DECIDEE",
}


def etat(ctx: Contexte, role: str, type_demande: str = "AVANCE") -> dict[str, Any]:
    vue = ctx.p.appel("GET", f"/gestion/dossiers/{ctx.dossiers[role]}", ctx.gestion)
    for d in vue["demandes"]:
        if d["typeDemande"] == type_demande:
            return dict(d)
    raise EtapeEchouee(f"{ctx.dossiers[role]}: pas de demande {type_demande}")


def attendre_statut(
    ctx: Contexte, role: str, statut: str, type_demande: str = "AVANCE", delai: float = 60
) -> dict[str, Any]:
    """The demande in `statut`; EN_COURS means on the gestionnaire's desk (the dossier shows
    EN_COURS as soon as it is deposited, before the instruction waits for a decision)."""

    def atteint(d: dict[str, Any]) -> bool:
        return d["statut"] == statut and (
            statut != "EN_COURS" or d.get("attendu") == "GESTIONNAIRE"
        )

    return attendre(
        lambda: atteint(d := etat(ctx, role, type_demande)) and d,
        f"{ctx.dossiers[role]} {type_demande} {statut}",
        delai,
    )


def decider(ctx: Contexte, role: str, decision: str, type_demande: str = "AVANCE", **c: Any) -> Any:
    n = ctx.dossiers[role]
    r = ctx.p.appel(
        "POST",
        f"/gestion/dossiers/{n}/{type_demande}/decision",
        ctx.gestion,
        json={"decision": decision, **c},
    )
    ctx.dire(f"  {n} {type_demande}: {decision} → « {r['libelleStatut']} »")
    return r


def bureau(ctx: Contexte) -> None:
    """Every imported dossier reaches the gestionnaire's desk (EN_COURS)."""
    for role in sorted(ctx.dossiers):
        attendre_statut(ctx, role, "EN_COURS", delai=120)
    liste = ctx.p.appel(
        "GET", "/gestion/dossiers", ctx.gestion, params={"statut": "EN_COURS", "limite": 100}
    )
    ctx.dire(
        f"Bureau de la gestionnaire: {len(ctx.dossiers)} dossiers de la démonstration "
        f"« En cours » ({len(liste['elements'])} sur la première page de la plateforme)"
    )
    decider(ctx, "A1", "A_MODIFIER", motif=MOTIF_MODIFIER)
    decider(
        ctx, "A2", "EN_ATTENTE_PIECES", motif=MOTIF_PIECES, piecesDemandees=[piece_demandee(ctx, 2)]
    )
    decider(ctx, "A9", "A_MODIFIER", motif=MOTIF_MODIFIER)
    decider(
        ctx,
        "A10",
        "EN_ATTENTE_PIECES",
        motif=MOTIF_PIECES,
        piecesDemandees=[piece_demandee(ctx, 10)],
    )
    e = ctx.jeu.editeurs["A"]
    for role, attendu in (("A1", "À modifier"), ("A2", "En attente de pièces")):
        ctx.courriel(e.email, "Modification attendue" if role == "A1" else "Pièces complémentaires")
        vue = ctx.p.appel("GET", f"/dossiers/{ctx.dossiers[role]}", ctx.jetons["A"])
        libelle = vue["demandes"][0]["libelleStatut"]
        if not libelle.startswith(attendu):
            raise EtapeEchouee(f"{ctx.dossiers[role]}: « {libelle} », attendu « {attendu} »")


def reponse_modification(ctx: Contexte) -> None:
    """A1: the éditeur sends an M file (same dossier, amount corrected)."""
    e = ctx.jeu.editeurs["A"]
    n = ctx.dossiers["A1"]
    ligne = demande(
        ctx.jeu,
        e,
        1,
        ctx.jeu.reference(1),
        17500,
        type_action="M",
        numero_asp=n,
        finess=[ctx.faits["finessA"][0]],
    )
    vue = simuler(ctx, e, fichier(e, [ligne]), "modification_A1.json")
    vue = importer(ctx, e, vue["idDepot"])
    (ligne_cr,) = vue["compteRendu"]["lignes"]
    avant, ctx.montants[n] = ctx.montants[n], montant(ligne_cr["montants"]["montantFinance"])
    ctx.faits["modificationA1"] = vue
    ctx.dire(
        f"Fichier de modification (typeAction M) pour {n} importé: dépôt {vue['idDepot']}, "
        f"montant financé {euros(avant)} → {euros(ctx.montants[n])}"
    )
    nom = ligne["piecesJustificatives"][0]["nomFichier"]
    manquantes = [d for d in lire(ctx, e, vue["idDepot"])["dossiers"] if d["piecesManquantes"]]
    if manquantes:
        envoyer_zip(ctx, e, vue["idDepot"], "modification_A1_pieces.zip", [nom])
    attendre_statut(ctx, "A1", "EN_COURS", delai=60)
    ctx.dire(f"  {n} repart « En cours » chez la gestionnaire")


def reponse_pieces(ctx: Contexte) -> None:
    """A2: the éditeur sends the pièces asked (POST /dossiers/{n}/pieces-complementaires)."""
    n = ctx.dossiers["A2"]
    envoi = ctx.p.appel(
        "POST", f"/dossiers/{n}/pieces-complementaires", ctx.jetons["A"], attendu=(201,)
    )
    nom = piece_demandee(ctx, 2)
    contenu = zip_de({nom: pdf(f"{nom} {n}")})
    ctx.p.envoyer(envoi["envoi"], "pieces_complementaires_A2.zip", contenu)
    ctx.ecrire("depots/pieces_complementaires_A2.zip", contenu)
    attendre_statut(ctx, "A2", "EN_COURS", delai=60)
    ctx.dire(f"Pièces complémentaires de {n} reçues: le dossier repart « En cours »")


def decisions(ctx: Contexte) -> None:
    decider(ctx, "A1", "DECIDEE")
    decider(ctx, "A2", "DECIDEE")
    for role, decision in DECISIONS.items():
        decider(ctx, role, decision, **({"motif": MOTIF_REJET} if decision == "REJETEE" else {}))
    for role in ["A1", "A2", *DECISIONS]:
        attendu = "REJETEE" if DECISIONS.get(role) == "REJETEE" else "DECIDEE"
        attendre_statut(ctx, role, attendu)
    e = ctx.jeu.editeurs["A"]
    ctx.courriel(e.email, "Rejet")
    # DECIDEE is the gestionnaire's decision; the signed PDF is the workflow's next step
    # (its own Lambda): the dossier shows it once written.
    vue = attendre(
        lambda: (
            (v := ctx.p.appel("GET", f"/dossiers/{ctx.dossiers['A4']}", ctx.jetons["A"]))[
                "decisionAttribution"
            ]
            and v
        ),
        f"décision d'attribution de {ctx.dossiers['A4']}",
        60,
    )
    lien = vue["decisionAttribution"]
    contenu = ctx.p.telecharger(lien["url"])
    chemin = ctx.ecrire(f"decisions/{lien['nom']}", contenu)
    ctx.faits.setdefault("decisions", []).append(chemin)
    ctx.dire(f"Décision d'attribution signée de {ctx.dossiers['A4']}: {chemin}")
    ctx.courriel(e.email, "Acceptation")
