"""Where a demande (avance or solde) stands: one enum, read and written by every service.

The dossier item keeps the avance's statut at its root (`statut`) and the solde's under
`solde.statut`: mirrors of the instruction state (`DEMANDE#{type}`), which owns them once
the demande is complete; before, the dépôt service sets INCOMPLET / EN_COURS itself.

Two label sets, each where it was shown before the statuses were one enum: the portal's
and the gestionnaires' words (`LIBELLES_DEMANDE`, « Décidée et payée »), and the dépôt's
compte rendu, whose messages quote the statut of the dossier a line collides with in
lower case (`LIBELLES_COMPTE_RENDU`, « payée »).
"""

from __future__ import annotations

from enum import StrEnum


class StatutDemande(StrEnum):
    """Where a demande (avance or solde) stands; INCOMPLET only before its instruction."""

    INCOMPLET = "INCOMPLET"  # imported, pièces missing: visible, can be completed
    EN_COURS = "EN_COURS"
    A_MODIFIER = "A_MODIFIER"
    EN_ATTENTE_PIECES = "EN_ATTENTE_PIECES"
    DECIDEE = "DECIDEE"
    REJETEE = "REJETEE"
    PAYEE = "PAYEE"
    EN_ERREUR_TECHNIQUE = "EN_ERREUR_TECHNIQUE"


# typeAction M is allowed while the demande has not been decided.
STATUTS_MODIFIABLES = frozenset(
    {
        StatutDemande.INCOMPLET,
        StatutDemande.EN_COURS,
        StatutDemande.A_MODIFIER,
        StatutDemande.EN_ATTENTE_PIECES,
    }
)

# The seed's words, as the portal shows them.
LIBELLES_DEMANDE: dict[StatutDemande, str] = {
    StatutDemande.INCOMPLET: "Incomplète (pièces manquantes)",
    StatutDemande.EN_COURS: "En cours",
    StatutDemande.A_MODIFIER: "À modifier",
    StatutDemande.EN_ATTENTE_PIECES: "En attente de pièces complémentaires",
    StatutDemande.DECIDEE: "Décidée",
    StatutDemande.REJETEE: "Rejetée",
    StatutDemande.PAYEE: "Décidée et payée",
    StatutDemande.EN_ERREUR_TECHNIQUE: "En erreur technique",
}

# Inside the compte rendu's sentences (« … au statut « payée » »), as they were written.
LIBELLES_COMPTE_RENDU: dict[StatutDemande, str] = {
    StatutDemande.INCOMPLET: "incomplet (pièces manquantes)",
    StatutDemande.EN_COURS: "en cours",
    StatutDemande.A_MODIFIER: "à modifier",
    StatutDemande.EN_ATTENTE_PIECES: "en attente de pièces complémentaires",
    StatutDemande.DECIDEE: "décidée",
    StatutDemande.REJETEE: "rejetée",
    StatutDemande.PAYEE: "payée",
    StatutDemande.EN_ERREUR_TECHNIQUE: "en erreur technique",
}


class Attendu(StrEnum):
    """Who must act for the demande to move on."""

    GESTIONNAIRE = "GESTIONNAIRE"
    EDITEUR = "EDITEUR"
    PAIEMENT = "PAIEMENT"
    PLATEFORME = "PLATEFORME"  # the workflow is running a step: nobody has to act
    PERSONNE = "PERSONNE"  # instruction finished


LIBELLES_ATTENDU: dict[Attendu, str] = {
    Attendu.GESTIONNAIRE: "un gestionnaire",
    Attendu.EDITEUR: "l'éditeur",
    Attendu.PAIEMENT: "le service de paiement",
    Attendu.PLATEFORME: "la plateforme (traitement en cours, réessayez dans un instant)",
    Attendu.PERSONNE: "personne (instruction terminée)",
}
