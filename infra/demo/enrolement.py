"""Enrolment: the gestionnaire loads the ANS's référentiel, an éditeur looks its
référencement up, one enrols as représentant légal and another through a tiers
déclarant, the gestionnaire validates both, each signs in with the identifiants of its
courriels."""

from __future__ import annotations

from typing import Any

from infra.anti_robot import resoudre
from infra.demo.contexte import Contexte, EtapeEchouee, en_gras
from infra.demo.donnees import Editeur, pdf

NOUVEAU_MOT_DE_PASSE = "Segur-Demo-2024!"


def referentiel(ctx: Contexte) -> None:
    p = ctx.p
    ctx.gestion = p.jeton_gestionnaire("MOREAU", "anne.moreau@asp.example.fr")
    editeurs = list(ctx.jeu.editeurs.values())
    bilan = p.appel(
        "POST",
        "/gestion/referentiel",
        ctx.gestion,
        json={
            "version": f"ANS-demo-{ctx.jeu.suffixe}",
            "source": "Agence du numérique en santé (démonstration)",
            "referencements": [e.referencement() for e in editeurs],
        },
    )
    ctx.dire(f"Référentiel ANS chargé par la gestionnaire Anne MOREAU: {_bilan(bilan)}")
    a = ctx.jeu.editeurs["A"]
    trouve = p.appel("GET", f"/referencements/{a.numero_ans}")
    if trouve["siret"] != a.siret:
        raise EtapeEchouee(f"référencement {a.numero_ans}: SIRET {trouve['siret']}")
    ctx.faits["referencement"] = trouve
    ctx.dire(
        f"« Rechercher » {a.numero_ans}: [bold]{trouve['raisonSociale']}[/], "
        f"{trouve['solution']} ({trouve['dsr']}), SIRET {trouve['siret']}"
    )


def _bilan(bilan: dict[str, Any]) -> str:
    ajoutes = bilan.get("ajoutes")
    n = len(ajoutes) if isinstance(ajoutes, list) else ajoutes
    return f"version {bilan.get('version')}, {n} référencement(s) ajouté(s)"


def _televerser(ctx: Contexte, editeur: Editeur, type_document: str) -> str:
    t = ctx.p.appel(
        "POST",
        "/enrolements/documents",
        attendu=(201,),
        json={"typeDocument": type_document, "nomFichier": f"{type_document}.pdf"},
    )
    ctx.p.envoyer(t["envoi"], f"{type_document}.pdf", pdf(f"{type_document} {editeur.siret}"))
    return str(t["reference"])


def _personne(fiche: dict[str, Any], email: str) -> dict[str, Any]:
    return {
        "nom": fiche["nom"],
        "prenom": fiche["prenom"],
        "email": email,
        "confirmationEmail": email,
        "telephone": fiche["telephone"],
    }


def formulaire(ctx: Contexte, e: Editeur) -> dict[str, Any]:
    fiche = e.fiche
    documents = ["certificatReferencement", "pieceIdentiteRepresentant", "rib"]
    corps: dict[str, Any] = {
        "numeroAns": e.numero_ans,
        "demandeur": {
            "siret": e.siret,
            "denominationSociale": e.raison_sociale,
            "nomCommercial": fiche["solution"],
            "adresse": fiche["adresse"],
        },
        "representantLegal": e.email_depositaire is None,
        "representant": _personne(fiche["representant"], e.email_representant),
        "coordonneesBancaires": {
            "iban": fiche["banque"]["iban"],
            "bic": fiche["banque"]["bic"],
            "titulaire": e.raison_sociale,
            "domiciliation": fiche["banque"]["domiciliation"],
        },
        "tauxTva": "20",
        "cguAcceptees": True,
        "sinceriteAttestee": True,
        "jetonAntiRobot": resoudre(ctx.p.appel("GET", "/enrolements/defi")),
    }
    if e.email_depositaire is not None:
        tiers = fiche["tiersDeclarant"]
        corps["tiersDeclarant"] = {
            "qualite": tiers["qualite"],
            "depositaire": _personne(tiers["depositaire"], e.email_depositaire),
        }
        documents += ["pieceIdentiteDepositaire", "contratPrestation"]
    corps["documents"] = {d: _televerser(ctx, e, d) for d in documents}
    return corps


def demandes(ctx: Contexte) -> None:
    for e in ctx.jeu.editeurs.values():
        soumise = ctx.p.appel("POST", "/enrolements", attendu=(201,), json=formulaire(ctx, e))
        ctx.enrolements[e.cle] = soumise["numero"]
        qui = (
            "son représentant légal"
            if e.email_depositaire is None
            else "un tiers déclarant (expert-comptable)"
        )
        ctx.dire(
            f"{e.raison_sociale} (SIRET {e.siret}) s'enrôle par {qui}: demande "
            f"[bold]{soumise['numero']}[/] {soumise['statut']}"
        )
        ctx.courriel(e.email, "accusé")


def validation(ctx: Contexte) -> None:
    p = ctx.p
    for e in ctx.jeu.editeurs.values():
        numero = ctx.enrolements[e.cle]
        lue = p.appel("GET", f"/gestion/enrolements/{numero}", ctx.gestion)
        if lue["statut"] != "SOUMISE":
            raise EtapeEchouee(f"la demande {numero} est {lue['statut']}, attendu SOUMISE")
        pieces = ", ".join(d["typeDocument"] for d in lue["documents"])
        ctx.dire(f"La gestionnaire ouvre {numero}: pièces {pieces}")
        decision = p.appel(
            "POST",
            f"/gestion/enrolements/{numero}/decision",
            ctx.gestion,
            json={"decision": "VALIDEE"},
        )
        ctx.faits.setdefault("enrolementsValides", {})[e.cle] = decision
        ctx.dire(f"La gestionnaire valide {numero} ({e.raison_sociale}): {decision['statut']}")
        identifiant = en_gras(ctx.courriel(e.email, "identifiant")["corps"])[0]
        mot_de_passe = en_gras(ctx.courriel(e.email, "mot de passe")["corps"])[0]
        if identifiant != e.email:
            raise EtapeEchouee(f"identifiant {identifiant}, attendu {e.email}")
        ctx.faits.setdefault("identifiants", {})[e.cle] = (identifiant, mot_de_passe)


def connexions(ctx: Contexte) -> None:
    for e in ctx.jeu.editeurs.values():
        identifiant, provisoire = ctx.faits["identifiants"][e.cle]
        ctx.jetons[e.cle] = ctx.p.connexion(identifiant, provisoire, NOUVEAU_MOT_DE_PASSE)
        moi = ctx.p.appel("GET", "/editeurs/moi", ctx.jetons[e.cle])
        if moi["siret"] != e.siret:
            raise EtapeEchouee(f"connecté comme {moi['siret']}, attendu {e.siret}")
        ctx.dire(
            f"{identifiant} se connecte (mot de passe provisoire du courriel, puis le sien): "
            f"SIRET {moi['siret']}, groupes {', '.join(moi['groupes'])}"
        )
