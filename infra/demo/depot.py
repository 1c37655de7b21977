"""Dépôts: éditeur A simulates a 10-line file with two faulty lines, corrects it, imports
it, sends its pièces with one missing, completes them and terminates the dépôt; éditeur B
deposits one demande. And the helpers the later steps share (a dépôt from file to dossiers)."""

from __future__ import annotations

import json
from typing import Any

from infra.demo.contexte import Contexte, EtapeEchouee, attendre, euros, montant
from infra.demo.donnees import Editeur, demande, en_octets, fichier, pdf, zip_de

MONTANTS_A = [18000, 12500, 15000, 9800, 20000, 16400, 11250, 14000, 19900, 13600]
MONTANT_B = 17500


def creer(ctx: Contexte, e: Editeur, type_demande: str = "AVANCE", **autres: Any) -> Any:
    return ctx.p.appel(
        "POST",
        "/depots",
        ctx.jetons[e.cle],
        attendu=(201,),
        json={"typeDemande": type_demande, "numeroAns": e.numero_ans, "tauxTva": 20, **autres},
    )


def lire(ctx: Contexte, e: Editeur, id_depot: str) -> dict[str, Any]:
    return dict(ctx.p.appel("GET", f"/depots/{id_depot}", ctx.jetons[e.cle]))


def simuler(ctx: Contexte, e: Editeur, document: dict[str, Any], nom: str, **autres: Any) -> Any:
    """A dépôt, its JSON sent, the simulation's compte rendu."""
    type_demande = autres.pop("typeDemande", "AVANCE")
    depot = creer(ctx, e, type_demande, **autres)
    ctx.p.envoyer(depot["envoi"], nom, en_octets(document))
    ctx.ecrire(f"depots/{nom}", en_octets(document))
    return attendre(
        lambda: (v := lire(ctx, e, depot["idDepot"]))["statut"] in ("SIMULE", "REJETE") and v,
        f"simulation du dépôt {depot['idDepot']}",
    )


def importer(ctx: Contexte, e: Editeur, id_depot: str) -> dict[str, Any]:
    ctx.p.appel("POST", f"/depots/{id_depot}/import", ctx.jetons[e.cle], attendu=(202,))
    return attendre(
        lambda: (v := lire(ctx, e, id_depot))["statut"] == "IMPORTE" and v,
        f"import du dépôt {id_depot}",
        delai=120,
    )


def envoyer_zip(ctx: Contexte, e: Editeur, id_depot: str, nom: str, noms: list[str]) -> Any:
    """The pièces' ZIP sent; the dépôt once the ZIP is checked."""
    avant = len(lire(ctx, e, id_depot)["zips"])
    envoi = ctx.p.appel("POST", f"/depots/{id_depot}/pieces", ctx.jetons[e.cle], attendu=(201,))
    contenu = zip_de({n: pdf(n) for n in noms})
    ctx.p.envoyer(envoi["envoi"], nom, contenu)
    ctx.ecrire(f"depots/{nom}", contenu)

    def verifie() -> dict[str, Any] | None:
        v = lire(ctx, e, id_depot)
        zips = v["zips"]
        return v if len(zips) > avant and zips[-1]["statut"] in ("OK", "REJETE") else None

    vue = attendre(verifie, f"vérification du ZIP {nom}", delai=90)
    if vue["zips"][-1]["statut"] != "OK":
        raise EtapeEchouee(f"ZIP {nom} refusé: {vue['zips'][-1]['erreursPieces']}")
    return vue


def pieces_de(document: dict[str, Any]) -> list[str]:
    return [p["nomFichier"] for d in document["demandes"] for p in d["piecesJustificatives"]]


def _lignes_erreur(compte_rendu: dict[str, Any]) -> list[tuple[int, str, str]]:
    erreurs = []
    for d in compte_rendu.get("lignes", []):
        for err in d.get("erreurs") or []:
            erreurs.append((d.get("numLigne"), err["code"], err["message"]))
    return erreurs


def fichier_a(ctx: Contexte, fautif: bool) -> dict[str, Any]:
    e = ctx.jeu.editeurs["A"]
    if "finessA" not in ctx.faits:
        ctx.faits["finessA"] = [ctx.jeu.nouveau_finess() for _ in MONTANTS_A]
    demandes = []
    for i, m in enumerate(MONTANTS_A):
        finess = [ctx.faits["finessA"][i]]
        if fautif and i == 3:  # a FINESS with a wrong check digit
            finess = [finess[0][:8] + str((int(finess[0][8]) + 1) % 10)]
        montant_ligne = 26000 if fautif and i == 7 else m  # above the 20 000 € ceiling
        demandes.append(
            demande(ctx.jeu, e, i + 1, ctx.jeu.reference(i + 1), montant_ligne, finess=finess)
        )
    return fichier(e, demandes)


def simulation_fautive(ctx: Contexte) -> None:
    e = ctx.jeu.editeurs["A"]
    vue = simuler(ctx, e, fichier_a(ctx, fautif=True), "demandes_avance_v1.json")
    ctx.depots["fautif"] = vue["idDepot"]
    s = vue["simulation"]
    ctx.faits["simulationFautive"] = vue
    ctx.dire(
        f"{e.raison_sociale} dépose demandes_avance_v1.json (dépôt {vue['idDepot']}): "
        f"{s['nombreLignes']} lignes, [green]{s['lignesImportables']} importables[/], "
        f"[red]{s['lignesRejetees']} rejetées[/]"
    )
    for ligne, code, message in _lignes_erreur(vue["compteRendu"]):
        ctx.dire(f"  ligne {ligne}: [red]{code}[/] {message}")
    annote = ctx.p.http.get(
        f"{ctx.p.api}/depots/{vue['idDepot']}/fichier-annote",
        headers={"Authorization": ctx.jetons[e.cle]},
        timeout=60,
    )
    chemin = ctx.ecrire("depots/demandes_avance_v1_annote.json", annote.content)
    ctx.dire(f"  fichier annoté (codeTraitement par ligne): {chemin}")


def correction_import(ctx: Contexte) -> None:
    e = ctx.jeu.editeurs["A"]
    document = fichier_a(ctx, fautif=False)
    ctx.faits["fichierA"] = document
    vue = simuler(ctx, e, document, "demandes_avance_v2.json")
    ctx.depots["A"] = vue["idDepot"]
    s = vue["simulation"]
    ctx.dire(
        f"Lignes 4 et 8 corrigées: demandes_avance_v2.json (dépôt {vue['idDepot']}), "
        f"{s['lignesImportables']}/{s['nombreLignes']} importables"
    )
    if s["lignesImportables"] != len(MONTANTS_A):
        raise EtapeEchouee(f"fichier corrigé: {json.dumps(s, ensure_ascii=False)}")
    vue = importer(ctx, e, vue["idDepot"])
    total = 0
    for d in vue["compteRendu"]["lignes"]:
        n = vue["numerosAsp"][str(d["numLigne"])]
        ctx.dossiers[f"A{d['numLigne']}"] = n
        ctx.montants[n] = montant(d["montants"]["montantFinance"])
        total += ctx.montants[n]
    ctx.dire(
        f"Import: {len(vue['numerosAsp'])} dossiers, de {ctx.dossiers['A1']} à "
        f"{ctx.dossiers['A10']}, {euros(total)} demandés (avance 30 %: "
        f"{euros(sum(montant(d['montants']['avance']) for d in vue['compteRendu']['lignes']))})"
    )
    ctx.faits["importA"] = vue


def pieces(ctx: Contexte) -> None:
    e = ctx.jeu.editeurs["A"]
    id_depot = ctx.depots["A"]
    noms = pieces_de(ctx.faits["fichierA"])
    vue = envoyer_zip(ctx, e, id_depot, "pieces_1.zip", noms[:-1])
    incomplets = [d for d in vue["dossiers"] if d["piecesManquantes"]]
    ctx.faits["incompletsApresZip1"] = incomplets
    ctx.dire(f"pieces_1.zip: {len(noms) - 1} pièces, vérifié OK")
    for d in incomplets:
        ctx.dire(
            f"  {d['numeroAsp']} (ligne {d['numLigne']}) {d['statut']}: "
            f"manque [red]{', '.join(d['piecesManquantes'])}[/]"
        )
    vue = envoyer_zip(ctx, e, id_depot, "pieces_2.zip", noms[-1:])
    restants = [d for d in vue["dossiers"] if d["piecesManquantes"]]
    ctx.dire(f"pieces_2.zip: la pièce manquante; dossiers incomplets: {len(restants)}")
    fin = ctx.p.appel("POST", f"/depots/{id_depot}/terminer", ctx.jetons[e.cle])
    ctx.faits["terminerA"] = fin
    ctx.dire(
        f"Dépôt {id_depot} terminé: {fin['statut']}, "
        f"{len(fin['dossiersIncomplets'])} dossier(s) incomplet(s)"
    )


def depot_b(ctx: Contexte) -> None:
    e = ctx.jeu.editeurs["B"]
    document = fichier(e, [demande(ctx.jeu, e, 1, ctx.jeu.reference(90), MONTANT_B)])
    vue = simuler(ctx, e, document, "socialsoft_avance.json")
    vue = importer(ctx, e, vue["idDepot"])
    ctx.depots["B"] = vue["idDepot"]
    (ligne,) = vue["compteRendu"]["lignes"]
    n = vue["numerosAsp"][str(ligne["numLigne"])]
    ctx.dossiers["B1"] = n
    ctx.montants[n] = montant(ligne["montants"]["montantFinance"])
    envoyer_zip(ctx, e, vue["idDepot"], "socialsoft_pieces.zip", pieces_de(document))
    fin = ctx.p.appel("POST", f"/depots/{vue['idDepot']}/terminer", ctx.jetons[e.cle])
    ctx.dire(
        f"{e.raison_sociale} (par son expert-comptable) dépose 1 demande: dossier [bold]{n}[/] "
        f"({euros(ctx.montants[n])}), pièces complètes, dépôt {fin['statut']}"
    )
