"""The avis de paiement as a PDF (fpdf2); same data → same bytes (dated emis_le).

It can be signed like the décision d'attribution (avis_signe); the IBAN appears in it
only masked (FR76 **** … 1234).
"""

from __future__ import annotations

from services.paiement.domain.avis import DonneesAvis
from shared.campagnes import TypeDemande
from shared.documents import date_francaise, montant_francais, nouveau_document
from shared.signature import SourceMaterielSignature, signer

TITRE = "Avis de paiement"
_TYPES = {TypeDemande.AVANCE: "AVANCE", TypeDemande.SOLDE: "SOLDE"}


def rendre_avis(donnees: DonneesAvis) -> bytes:
    """The avis's PDF, unsigned."""
    doc = nouveau_document(
        f"{TITRE} {donnees.numero_demande} {donnees.objet}",
        f"{donnees.numero_demande} — {donnees.objet}",
        donnees.emis_le,
    )
    doc.titre(TITRE, donnees.programme)

    doc.section("Bénéficiaire")
    lignes = [
        ("Bénéficiaire", donnees.beneficiaire),
        ("SIRET", donnees.siret),
        ("Compte crédité (IBAN)", donnees.iban_masque),
    ]
    if donnees.bic:
        lignes.append(("BIC", donnees.bic))
    doc.champs(lignes)

    doc.section("Versement")
    versement = [
        ("Numéro de Dossier", donnees.numero_asp),
        ("Numéro de la demande", donnees.numero_demande),
        ("Objet du versement", donnees.objet),
        ("Type du versement", _TYPES[donnees.type_versement]),
        ("Etat du paiement", "Paiement effectué"),
        ("Montant payé", montant_francais(donnees.montant_paye)),
    ]
    if donnees.valide_le is not None:
        versement.append(("Date de validation", date_francaise(donnees.valide_le)))
    if donnees.mis_en_paiement_le is not None:
        versement.append(("Date de mise en paiement", date_francaise(donnees.mis_en_paiement_le)))
    versement.append(("Date de paiement effective", date_francaise(donnees.paye_le)))
    if donnees.reference:
        versement.append(("Référence du virement", donnees.reference))
    doc.champs(versement)

    titre_versement = "de l'avance" if donnees.type_versement is TypeDemande.AVANCE else "du solde"
    doc.paragraphe(
        f"Un virement de {montant_francais(donnees.montant_paye)} a été effectué le "
        f"{date_francaise(donnees.paye_le)} au bénéfice de {donnees.beneficiaire} "
        f"(SIRET {donnees.siret}) sur le compte {donnees.iban_masque}, au titre "
        f"{titre_versement} "
        f"de la demande {donnees.numero_demande}."
    )
    return doc.en_octets()


def avis_signe(donnees: DonneesAvis, source: SourceMaterielSignature) -> bytes:
    """The avis's PDF, signed at the instant it was issued."""
    materiel = source.materiel()
    return signer(
        rendre_avis(donnees),
        materiel.cle,
        materiel.certificat,
        donnees.emis_le,
        raison=f"{TITRE} {donnees.numero_demande} {donnees.objet}",
    )
