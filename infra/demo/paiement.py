"""Paiement: the SEPA batch, the bank's pain.002 (SocialSoft's account closed: AC04), the
change of bank details, the re-issue, the second batch and its return; avis de paiement."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from infra.demo.contexte import Contexte, EtapeEchouee, attendre, euros, montant
from infra.demo.enrolement import _televerser

PAYES = ["A1", "A2", "A4", "A5", "A6", "A7"]


def avance_attendue(montant_finance: Decimal) -> Decimal:
    """30 % of the montant financé, rounded half-up to the cent."""
    return (montant_finance * Decimal("0.30")).quantize(Decimal("0.01"), ROUND_HALF_UP)


def suivi(ctx: Contexte, role: str) -> list[dict[str, Any]]:
    n = ctx.dossiers[role]
    return list(ctx.p.appel("GET", f"/gestion/dossiers/{n}/versements", ctx.gestion)["versements"])


def versement(ctx: Contexte, role: str, type_: str = "AVANCE") -> dict[str, Any] | None:
    for v in suivi(ctx, role):
        if v["typeVersement"] == type_:
            return v
    return None


def _etat(v: dict[str, Any] | None) -> str | None:
    if v is None:
        return None
    e = v.get("etat")
    return str(e["code"] if isinstance(e, dict) else e)


def attendre_etat(ctx: Contexte, role: str, etat: str, type_: str = "AVANCE") -> dict[str, Any]:
    return attendre(
        lambda: _etat(v := versement(ctx, role, type_)) == etat and v,
        f"versement {type_} de {ctx.dossiers[role]} {etat}",
        90,
    )


def lot(ctx: Contexte, nom: str) -> tuple[dict[str, Any], bytes]:
    """A batch launched now; its pain.001 checked against the XSD and kept."""
    from services.paiement.domain.sepa import valider_pain001

    r = ctx.p.appel("POST", "/gestion/paiements/lots", ctx.gestion, attendu=(201,))
    le_lot = r["lot"]
    contenu = ctx.p.telecharger(le_lot["fichier"]["url"])
    valider_pain001(contenu)
    chemin = ctx.ecrire(f"banque/{nom}.pain001.xml", contenu)
    ctx.lots.append(le_lot)
    ctx.dire(
        f"Lot SEPA {le_lot['idLot']}: {le_lot['nombreTransactions']} virement(s), "
        f"{euros(montant(le_lot['total']))}, pain.001.001.09 valide (XSD): {chemin}"
    )
    return le_lot, contenu


def retour(ctx: Contexte, nom: str, pain001: bytes, rejets: dict[str, str]) -> dict[str, Any]:
    """The bank's pain.002 (the local bank: ACSC for all but `rejets`), uploaded."""
    from services.paiement.adapters.banque_locale import Reponse, repondre

    reponses = {e2e: Reponse(e2e, "RJCT", code) for e2e, code in rejets.items()}
    # Dated on the platform's clock, not this machine's: the avis prints the bank's date of
    # payment beside the platform's dates of validation and of mise en paiement.
    contenu = repondre(pain001, datetime.fromisoformat(ctx.p.horloge()), reponses)
    ctx.ecrire(f"banque/{nom}.pain002.xml", contenu)
    r = ctx.p.appel("POST", "/gestion/paiements/retours", ctx.gestion, attendu=(201,))
    ctx.p.envoyer(r["envoi"], f"{nom}.xml", contenu)
    traite = attendre(
        lambda: (
            (v := ctx.p.appel("GET", f"/gestion/paiements/retours/{r['idRetour']}", ctx.gestion))[
                "statut"
            ]
            != "ATTENDU"
            and v
        ),
        f"retour bancaire {r['idRetour']}",
        90,
    )
    if traite["statut"] != "TRAITE":
        raise EtapeEchouee(f"retour {r['idRetour']}: {traite}")
    ctx.dire(
        f"Retour de la banque (pain.002) {r['idRetour']}: {_n(traite['payes'])} payé(s), "
        f"{_n(traite['rejetes'])} rejeté(s)"
    )
    return dict(traite)


def _n(valeur: Any) -> int:
    return len(valeur) if isinstance(valeur, list) else int(valeur)


def avis(ctx: Contexte, role: str, type_: str = "AVANCE") -> None:
    v = attendre(
        lambda: (x := versement(ctx, role, type_)) and x.get("avisPaiement") and x,
        f"avis de paiement de {ctx.dossiers[role]}",
        60,
    )
    contenu = ctx.p.telecharger(v["avisPaiement"]["url"])
    chemin = ctx.ecrire(f"avis/{v['avisPaiement']['nom']}", contenu)
    ctx.faits.setdefault("avis", []).append(chemin)
    ctx.dire(f"  {ctx.dossiers[role]} {type_}: {euros(montant(v['montantPaye']))} payés, {chemin}")


def premier_lot(ctx: Contexte) -> None:
    for role in [*PAYES, "B1"]:
        v = attendre_etat(ctx, role, "A_PAYER")
        attendu = avance_attendue(ctx.montants[ctx.dossiers[role]])
        if montant(v["montantCalcule"]) != attendu:
            raise EtapeEchouee(f"{ctx.dossiers[role]}: avance {v['montantCalcule']} ≠ {attendu}")
    _, pain001 = lot(ctx, "lot_1")
    b = versement(ctx, "B1")
    assert b is not None
    # The end-to-end id the platform gives a versement: {demande}-{objet}-{rang d'émission}.
    e2e = f"{b['numeroDemande']}-{b['objet']}-{1 + b['reemissions']}"
    ctx.faits["retour1"] = retour(ctx, "retour_1", pain001, {e2e: "AC04"})
    for role in PAYES:
        attendre_etat(ctx, role, "PAYE")
        avis(ctx, role)
    rejete = attendre_etat(ctx, "B1", "REJETE")
    ctx.dire(
        f"  {ctx.dossiers['B1']} (SocialSoft): [red]rejeté[/] {rejete.get('codeRejet')} "
        f"« {rejete.get('motifRejet')} »"
    )
    ctx.courriel(ctx.jeu.editeurs["A"].email, "Paiement")


def nouvelles_coordonnees(ctx: Contexte) -> None:
    e = ctx.jeu.editeurs["B"]
    banque = e.fiche["nouvelleBanque"]
    corps = {
        "coordonneesBancaires": {
            "iban": banque["iban"],
            "bic": banque["bic"],
            "titulaire": e.raison_sociale,
            "domiciliation": banque["domiciliation"],
        },
        "sinceriteAttestee": True,
        "documents": {"rib": _televerser(ctx, e, "rib")},
    }
    soumise = ctx.p.appel(
        "POST", "/enrolements/coordonnees-bancaires", ctx.jetons["B"], attendu=(201,), json=corps
    )
    ctx.dire(f"SocialSoft demande le changement de ses coordonnées bancaires: {soumise['numero']}")
    ctx.p.appel(
        "POST",
        f"/gestion/enrolements/{soumise['numero']}/decision",
        ctx.gestion,
        json={"decision": "VALIDEE"},
    )
    ctx.dire("  la gestionnaire les valide")
    n = ctx.dossiers["B1"]
    try:  # the platform re-issues the SIRET's rejected versements once the details are valid
        attendre(lambda: _etat(versement(ctx, "B1")) == "A_PAYER", "réémission", 15)
        comment = "automatiquement, à la validation des coordonnées"
    except EtapeEchouee:  # else the gestionnaire does it (409 if it happened meanwhile)
        chemin = f"/gestion/dossiers/{n}/versements/AVANCE/reemettre"
        ctx.p.appel("POST", chemin, ctx.gestion, attendu=(200, 409))
        attendre_etat(ctx, "B1", "A_PAYER")
        comment = "par la gestionnaire"
    ctx.dire(f"  le versement de {n} est réémis {comment} (nouvel identifiant de bout en bout)")
    _, pain001 = lot(ctx, "lot_2")
    ctx.faits["retour2"] = retour(ctx, "retour_2", pain001, {})
    attendre_etat(ctx, "B1", "PAYE")
    avis(ctx, "B1")
