"""ISO 20022 reason codes (ExternalStatusReason1Code) of a bank rejection, in French.

The label is what the éditeur (« Motif de rejet du paiement ») and the gestionnaire see.
"""

from __future__ import annotations

MOTIFS_REJET: dict[str, str] = {
    "AC01": "Numéro de compte incorrect (IBAN invalide ou inexistant)",
    "AC04": "Compte clôturé",
    "AC06": "Compte bloqué",
    "AG01": "Opération interdite sur ce compte",
    "AM04": "Provision insuffisante",
    "AM05": "Opération en double",
    "BE04": "Adresse du bénéficiaire manquante ou incorrecte",
    "MD07": "Titulaire du compte décédé",
    "MS02": "Raison non communiquée par le bénéficiaire",
    "MS03": "Raison non communiquée par la banque",
    "AC03": "Numéro de compte du bénéficiaire invalide",
    "AG02": "Code opération invalide",
    "AM09": "Montant erroné",
    "BE05": "Identifiant du donneur d'ordre non reconnu",
    "CNOR": "Banque du bénéficiaire non joignable",
    "DNOR": "Banque du donneur d'ordre non joignable",
    "FF01": "Format du fichier invalide",
    "RC01": "Code BIC incorrect",
    "RR01": "Compte ou identité du donneur d'ordre manquant (réglementaire)",
    "RR02": "Nom ou adresse du donneur d'ordre manquant (réglementaire)",
    "RR03": "Nom ou adresse du bénéficiaire manquant (réglementaire)",
    "RR04": "Motif réglementaire",
}


def motif_rejet(code: str | None) -> str:
    """The French label of a code; an unknown code is named, never guessed."""
    if not code:
        return "Rejet sans code motif communiqué par la banque"
    return MOTIFS_REJET.get(code, f"Rejet bancaire (code motif {code})")
