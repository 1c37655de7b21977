"""The courriels' templates (shared/courriels/modeles): subject and key sentences of each,
and the seed's acceptance courriel word for word (our portal instead of the ASP's)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from markupsafe import escape

from shared.campagnes import TypeDemande
from shared.courriels import dossier, enrolment
from shared.courriels.contrat import Avis, Contenu
from shared.courriels.redaction import RedactionJinja, rediger
from shared.horloge import PARIS
from shared.montant import Montant

PORTAIL = "https://segurnum.example.fr"

# The seed's page « Instruction et notification… », accordéon « Courriels automatiquement
# envoyés » (shared/seeds/000_908e04e46e80dd8d.txt), copied verbatim.
OBJET_SEED = (
    "Acceptation de votre demande de financement dans le cadre du financement des opérateurs "
    "MSSanté FINM55007206 déposé le 09/11/2022 pour le SIRET 39177919600040."
)
CORPS_SEED = """Madame, Monsieur,

Vous avez déposé une demande de financement des opérateurs MSSanté FINM55007206 le 09/11/2022 pour le SIRET 39177919600040.

Vous trouverez la décision d'attribution du financement des opérateurs MSSanté relative à cette demande sur le portail <https://regnum.asp-public.fr/> dans votre espace personnel sécurisé.

Pour toute information complémentaire, vous pouvez contacter l'assistance mail via le lien <https://regnum.asp-public.fr/regnum/contacter-assistance>.

Cordialement,

L'Agence de services et de paiement

Ce message a été généré automatiquement, merci de ne pas y répondre.
"""  # noqa: E501

DEMANDE = dossier.DemandeNotifiee(
    numero_asp="FINM55007206",
    type_demande=TypeDemande.AVANCE,
    siret="39177919600040",
    depose_le=datetime(2022, 11, 9, 10, 12, tzinfo=PARIS),
    url_portail=PORTAIL + "/",
)
ENROLEMENT = enrolment.EnrolementNotifie(
    numero_demande="ENR0011M0",
    siret="39177919600040",
    numero_ans="zbuM550046",
    raison_sociale="PROCVIS IMMOBILIER",
    url_portail=PORTAIL,
)
QUAND = datetime(2022, 11, 9, 15, 52, tzinfo=PARIS)


def sans_balises(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def verifier_commun(contenu: Contenu) -> None:
    assert contenu.texte.startswith("Madame, Monsieur,\n\n")
    assert contenu.texte.endswith(
        "L'Agence de services et de paiement\n\n"
        "Ce message a été généré automatiquement, merci de ne pas y répondre.\n"
    )
    assert f"<{PORTAIL}/contacter-assistance>" in contenu.texte
    assert "\n\n\n" not in contenu.texte
    assert f"<title>{escape(contenu.objet)}</title>" in contenu.html
    assert "L'Agence de services et de paiement" in contenu.html


# --- Dossier (instruction, paiement) -------------------------------------------------------------


def test_acceptation_mot_pour_mot_comme_la_graine() -> None:
    contenu = rediger(dossier.avis_decidee(DEMANDE))
    assert contenu.objet == OBJET_SEED
    attendu = CORPS_SEED.replace(
        "https://regnum.asp-public.fr/regnum/contacter-assistance",
        f"{PORTAIL}/contacter-assistance",
    ).replace("https://regnum.asp-public.fr/", f"{PORTAIL}/")
    assert contenu.texte == attendu
    assert "regnum" not in contenu.texte and "regnum" not in contenu.html
    # The HTML body says the same words, with links.
    assert sans_balises(contenu.html).count("Vous avez déposé une demande de financement") == 1
    assert f'<a href="{PORTAIL}/">{PORTAIL}/</a>' in contenu.html
    verifier_commun(contenu)


def test_acceptation_d_un_solde() -> None:
    solde = dossier.DemandeNotifiee(
        "FINM55007206", TypeDemande.SOLDE, "39177919600040", QUAND, PORTAIL
    )
    contenu = rediger(dossier.avis_decidee(solde))
    assert contenu.objet.startswith(
        "Acceptation de votre demande de solde dans le cadre du financement des opérateurs "
        "MSSanté FINM55007206 déposé le 09/11/2022"
    )
    assert "Vous avez déposé une demande de solde du financement des opérateurs MSSanté" in (
        contenu.texte
    )


def test_accuse_reception_du_dossier() -> None:
    contenu = rediger(dossier.avis_accuse_reception(DEMANDE))
    assert contenu.objet.startswith("Accusé de réception de votre demande de financement")
    assert "FINM55007206 déposé le 09/11/2022 pour le SIRET 39177919600040." in contenu.objet
    assert "enregistrée sous le numéro de dossier FINM55007206" in contenu.texte
    assert "dès que ses pièces justificatives auront été transmises" in contenu.texte
    verifier_commun(contenu)


def test_rejet_avec_son_motif() -> None:
    contenu = rediger(dossier.avis_rejetee(DEMANDE, "  Bon de commande non signé.  "))
    assert contenu.objet.startswith("Rejet de votre demande de financement dans le cadre du")
    assert "rejetée pour le motif suivant : « Bon de commande non signé. »" in contenu.texte
    assert "« Rejetée »" in contenu.texte
    verifier_commun(contenu)


def test_a_modifier_avec_son_motif() -> None:
    contenu = rediger(dossier.avis_a_modifier(DEMANDE, "Le nombre de BAL est erroné."))
    assert contenu.objet.startswith("Modification attendue de votre demande de financement")
    assert "au statut « À modifier » pour le motif suivant : « Le nombre de BAL est erroné. »" in (
        contenu.texte
    )
    assert "typeAction « M »" in contenu.texte
    assert "repassera au statut « En cours »" in contenu.texte
    verifier_commun(contenu)


def test_en_attente_de_pieces_avec_les_pieces_demandees() -> None:
    contenu = rediger(
        dossier.avis_en_attente_pieces(
            DEMANDE, "Pièces illisibles.", ["Bon de commande signé", " ", "RIB <original>"]
        )
    )
    assert contenu.objet.startswith("Pièces complémentaires attendues pour votre demande")
    assert "« En attente de pièces complémentaires »" in contenu.texte
    assert "« Pièces illisibles. »" in contenu.texte
    assert "  - Bon de commande signé\n  - RIB <original>\n" in contenu.texte
    assert "<li>RIB &lt;original&gt;</li>" in contenu.html  # data are escaped in HTML
    assert "<li> </li>" not in contenu.html
    verifier_commun(contenu)


def test_payee_et_avis_de_paiement() -> None:
    versement = dossier.VersementNotifie(
        numero_demande="FINMSS006702M0",
        objet="VERSE001",
        type_versement=TypeDemande.AVANCE,
        montant_paye=Montant("6666.67"),
        paye_le=datetime(2022, 10, 11, 9, 0, tzinfo=PARIS),
    )
    contenu = rediger(dossier.avis_payee(DEMANDE, versement))
    assert contenu.objet.startswith("Paiement de votre demande de financement")
    assert "Le versement de l'avance de cette demande a été effectué" in contenu.texte
    assert "6\u202f666,67 € payés le 11/10/2022" in contenu.texte
    assert "objet du versement VERSE001" in contenu.texte
    assert "« Décidée et payée »" in contenu.texte
    assert "l'avis de paiement" in contenu.texte
    verifier_commun(contenu)


def test_cle_d_envoi_par_demande_et_transition() -> None:
    T = dossier.TransitionCourriel
    assert dossier.cle_transition(DEMANDE, T.DECIDEE).pk == "DOSSIER#FINM55007206"
    assert dossier.cle_transition(DEMANDE, T.DECIDEE).sk == "ENVOI#AVANCE#DECIDEE"
    premiere = dossier.cle_transition(DEMANDE, T.A_MODIFIER, "2022-11-09T10:00:00+00:00")
    seconde = dossier.cle_transition(DEMANDE, T.A_MODIFIER, "2022-11-12T10:00:00+00:00")
    assert premiere != seconde
    assert premiere.sk == "ENVOI#AVANCE#A_MODIFIER#2022-11-09T10:00:00+00:00"


# --- Enrolment ------------------------------------------------------------------------------------


def test_enrolement_accuse_reception_avec_le_numero_enr() -> None:
    contenu = rediger(enrolment.avis_accuse_reception(ENROLEMENT, QUAND))
    assert contenu.objet == (
        "Accusé de réception de votre demande d'enrôlement ENR0011M0 au portail Ségur Numérique"
    )
    assert "Le numéro de votre demande est le ENR0011M0." in contenu.texte
    assert "a bien été reçue le 09/11/2022 à 15h52" in contenu.texte
    assert "PROCVIS IMMOBILIER" in contenu.texte and "zbuM550046" in contenu.texte
    verifier_commun(contenu)


def test_enrolement_identifiant_sans_mot_de_passe() -> None:
    contenu = rediger(enrolment.avis_identifiant(ENROLEMENT, "op-procvis"))
    assert contenu.objet == (
        "Validation de votre demande d'enrôlement ENR0011M0 : votre identifiant de connexion"
    )
    assert "Votre identifiant de connexion est : op-procvis" in contenu.texte
    assert "mot de passe temporaire vous est envoyé dans un courriel séparé" in contenu.texte
    verifier_commun(contenu)


def test_enrolement_mot_de_passe_seul() -> None:
    secret = "Xq7#t2!pLm"
    contenu = rediger(
        enrolment.avis_mot_de_passe(
            ENROLEMENT, secret, datetime(2022, 11, 16, 15, 52, tzinfo=PARIS)
        )
    )
    assert contenu.objet == "Votre mot de passe temporaire pour le portail Ségur Numérique"
    assert secret not in contenu.objet
    assert f"voici votre mot de passe temporaire pour le portail Ségur Numérique : {secret}" in (
        contenu.texte
    )
    assert "valable jusqu'au 16/11/2022 à 15h52" in contenu.texte
    assert "op-procvis" not in contenu.texte
    assert "Xq7#t2!pLm" in contenu.html
    verifier_commun(contenu)


def test_enrolement_extension_d_habilitation() -> None:
    contenu = rediger(enrolment.avis_extension(ENROLEMENT))
    assert contenu.objet == (
        "Validation de votre demande d'enrôlement ENR0011M0 : extension de votre habilitation "
        "au portail Ségur Numérique"
    )
    assert "vous ne recevrez pas de nouveaux identifiants" in contenu.texte
    assert "Votre habilitation au portail Ségur Numérique est étendue" in contenu.texte
    verifier_commun(contenu)


def test_enrolement_rejet_avec_son_motif() -> None:
    contenu = rediger(enrolment.avis_rejet(ENROLEMENT, "Certificat de référencement illisible."))
    assert contenu.objet == (
        "Rejet de votre demande d'enrôlement ENR0011M0 au portail Ségur Numérique"
    )
    assert "rejetée pour le motif suivant : « Certificat de référencement illisible. »" in (
        contenu.texte
    )
    verifier_commun(contenu)


def test_cle_d_envoi_d_un_enrolement() -> None:
    cle = enrolment.cle_enrolement(ENROLEMENT, enrolment.GenreCourrielEnrolement.MOT_DE_PASSE)
    assert (cle.pk, cle.sk) == ("EDITEUR#39177919600040", "ENVOI#ENROLEMENT#ENR0011M0#MOT_DE_PASSE")


def test_une_donnee_manquante_est_une_erreur_pas_un_trou() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        RedactionJinja().rediger(Avis("dossier_decidee", "objet", {"urlPortail": PORTAIL}))
