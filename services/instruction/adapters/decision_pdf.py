"""The décision d'attribution as a PDF (fpdf2), PAdES-signed by the platform.

Same data and same signing material → same bytes: the document is dated at the
decision's instant and signed at that instant (shared/signature.py). Replaying it after
a failure therefore writes the same S3 object, never a second, different document.
"""

from __future__ import annotations

from services.instruction.domain.decision import TAUX_AVANCE, DonneesDecision
from shared.campagnes import TypeDemande
from shared.documents import (
    date_francaise,
    date_heure_francaise,
    date_longue,
    montant_francais,
    nouveau_document,
    taux_francais,
)
from shared.signature import SourceMaterielSignature, signer

TITRE = "Décision d'attribution"
_TYPES = {TypeDemande.AVANCE: "Avance", TypeDemande.SOLDE: "Solde"}
_DELAIS = {1: "d'un mois", 2: "de deux mois"}


def _montant(donnees: DonneesDecision, libelle: str) -> str:
    return f"{libelle} ({donnees.regime_tva})" if donnees.regime_tva else libelle


def _versements(donnees: DonneesDecision) -> str:
    avance = (
        f"{taux_francais(TAUX_AVANCE)} du montant financé, soit {montant_francais(donnees.avance)}"
    )
    solde = montant_francais(donnees.solde)
    compte = "sur le compte bancaire déclaré lors de l'enrôlement"
    if donnees.type_demande is TypeDemande.AVANCE:
        return (
            f"Une avance de {avance}, est versée {compte}. Le solde, {solde}, est versé "
            "après l'instruction de la demande de solde."
        )
    return (
        f"L'avance de {avance}, a suivi la demande d'avance. Le solde, {solde}, est versé {compte}."
    )


def _recours(donnees: DonneesDecision) -> list[str]:
    """The voies et délais de recours (CRPA, art. R.421-5: without them, the time limit for
    a recours contentieux cannot be held against the demandeur)."""
    r = donnees.recours
    delai = _DELAIS.get(r.delai_mois, f"de {r.delai_mois} mois")
    return [
        f"La présente décision peut faire l'objet, dans un délai {delai} à compter de sa "
        f"notification, d'un recours gracieux auprès de {r.autorite}, auteur de la décision, "
        f"ou d'un recours contentieux devant {r.juridiction}.",
        "Le recours gracieux interrompt le délai du recours contentieux, qui court de nouveau "
        "à compter de la réponse de l'administration; le silence gardé pendant deux mois sur "
        "le recours gracieux vaut décision de rejet.",
        "Le tribunal administratif peut être saisi par l'application « Télérecours citoyens » "
        "accessible sur le site www.telerecours.fr.",
    ]


def rendre_decision(donnees: DonneesDecision) -> bytes:
    """The decision's PDF, unsigned."""
    doc = nouveau_document(f"{TITRE} {donnees.numero_asp}", donnees.numero_asp, donnees.decide_le)
    doc.titre(TITRE, donnees.programme)

    doc.section("Récapitulatif")
    doc.champs(
        [
            ("Numéro de Dossier", donnees.numero_asp),
            ("Type de demande", _TYPES[donnees.type_demande]),
            ("Déposé le", date_francaise(donnees.depose_le)),
            ("SIRET", donnees.siret),
            ("Dénomination sociale", donnees.denomination_sociale),
            ("Adresse", donnees.adresse),
            ("N°unique de référencement (ANS)", donnees.numero_ans),
            ("Couloir", donnees.couloir),
            ("Campagne", donnees.campagne),
            ("Taux de TVA applicable", taux_francais(donnees.taux_tva)),
            *donnees.complements,
        ]
    )

    doc.section("Financement")
    doc.champs(
        [
            (_montant(donnees, "Montant financé"), montant_francais(donnees.montant_finance)),
            (
                _montant(donnees, f"Avance de {taux_francais(TAUX_AVANCE)}"),
                montant_francais(donnees.avance),
            ),
            (_montant(donnees, "Solde"), montant_francais(donnees.solde)),
        ]
    )

    nombre = len(donnees.etablissements)
    doc.section(f"Établissements financés ({nombre})")
    doc.tableau(
        ["N°", "FINESS", "Raison sociale"],
        [
            [str(rang), e.finess, e.raison_sociale or "—"]
            for rang, e in enumerate(donnees.etablissements, start=1)
        ],
        largeurs=[14, 36, 120],
        alignements=["RIGHT", "LEFT", "LEFT"],
    )

    doc.section("Décision")
    for texte in donnees.bases_legales:
        doc.paragraphe(f"Vu {texte};")
    doc.paragraphe(
        f"Vu la demande de financement {donnees.numero_asp} déposée le "
        f"{date_francaise(donnees.depose_le)} pour le SIRET {donnees.siret}, "
        f"un financement de {montant_francais(donnees.montant_finance)} est attribué à "
        f"{donnees.denomination_sociale} au titre du programme {donnees.programme}, "
        f"pour {nombre} établissement{'s' if nombre > 1 else ''} "
        f"(numéro ANS {donnees.numero_ans}, couloir {donnees.couloir}, "
        f"campagne {donnees.campagne})."
    )
    doc.paragraphe(_versements(donnees))
    doc.paragraphe(
        f"Décision prise le {date_longue(donnees.decide_le)} "
        f"({date_heure_francaise(donnees.decide_le)}, heure de Paris)."
    )
    doc.section("Voies et délais de recours")
    for paragraphe in _recours(donnees):
        doc.paragraphe(paragraphe)
    doc.paragraphe(
        "Ce document est signé électroniquement par la plateforme Ségur numérique; "
        "sa signature permet de vérifier qu'il a été émis par elle et qu'il n'a pas été "
        "modifié depuis."
    )
    return doc.en_octets()


def decision_signee(donnees: DonneesDecision, source: SourceMaterielSignature) -> bytes:
    """The decision's PDF, signed at the decision's instant."""
    materiel = source.materiel()
    return signer(
        rendre_decision(donnees),
        materiel.cle,
        materiel.certificat,
        donnees.decide_le,
        raison=f"{TITRE} {donnees.numero_asp}",
    )
