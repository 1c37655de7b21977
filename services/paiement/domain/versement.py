"""Versements (P1): l'avance (30 %) puis le solde d'une demande décidée.

Un versement est immuable: chaque transition rend un nouveau versement; le dépôt
(adapters) l'écrit sous condition de `version` (écriture conditionnelle), ce qui
empêche d'envoyer ou de payer deux fois le même versement.

Cycle: A_PAYER → MIS_EN_PAIEMENT → PAYE, ou REJETE (code ISO et motif) → réémis
(A_PAYER, nouvel identifiant de bout en bout) une fois les coordonnées bancaires de
l'éditeur changées et validées. Un solde décidé avant le paiement de son avance attend
dans l'état EN_ATTENTE_AVANCE, sans montant: il est calculé quand l'avance est payée
(solde = montant financé − avance effectivement payée).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from services.paiement.domain.motifs import motif_rejet
from shared.horloge import exiger_fuseau
from shared.montant import ZERO, Montant
from shared.refus import NatureRefus, Refus

TAUX_AVANCE = 30
SUFFIXE_DEMANDE = "M0"


class TypeVersement(StrEnum):
    AVANCE = "AVANCE"
    SOLDE = "SOLDE"

    @property
    def objet(self) -> str:
        return OBJETS[self]


OBJETS = {TypeVersement.AVANCE: "VERSE001", TypeVersement.SOLDE: "VERSE002"}


class EtatVersement(StrEnum):
    EN_ATTENTE_AVANCE = "EN_ATTENTE_AVANCE"
    A_PAYER = "A_PAYER"
    MIS_EN_PAIEMENT = "MIS_EN_PAIEMENT"
    PAYE = "PAYE"
    REJETE = "REJETE"
    SANS_OBJET = "SANS_OBJET"  # solde nul: l'avance payée couvre déjà le montant financé


LIBELLES_ETAT = {
    EtatVersement.EN_ATTENTE_AVANCE: "En attente du paiement de l'avance",
    EtatVersement.A_PAYER: "À payer",
    EtatVersement.MIS_EN_PAIEMENT: "Mis en paiement",
    EtatVersement.PAYE: "Paiement effectué",
    EtatVersement.REJETE: "Paiement rejeté",
    EtatVersement.SANS_OBJET: "Sans objet (aucun montant à verser)",
}


class ErreurPaiement(Refus):
    """Une action refusée (shared/refus.py): un code stable, un message en français; par
    défaut l'état du versement ne la permet pas (CONFLIT)."""

    nature = NatureRefus.CONFLIT


@dataclass(frozen=True)
class CoordonneesChiffrees:
    """Les coordonnées bancaires telles que l'enrôlement les garde: l'IBAN chiffré (clé KMS
    de l'enrôlement, contexte {siret, champ: iban}), jamais en clair."""

    titulaire: str
    iban_chiffre: str
    bic: str
    validees: bool  # validées par un gestionnaire (enrôlement VALIDE)


@dataclass(frozen=True)
class CoordonneesBancaires:
    """Les coordonnées bancaires de l'enrôlement de l'éditeur (le bénéficiaire), l'IBAN
    déchiffré: en mémoire seulement, le temps d'un lot ou d'une réémission."""

    titulaire: str
    iban: str = field(repr=False)
    bic: str
    validees: bool  # validées par un gestionnaire (enrôlement VALIDE)
    iban_chiffre: str | None = field(default=None, repr=False)  # tel qu'enregistré

    @property
    def iban_masque(self) -> str:
        from shared.identifiants import iban_masque  # stdnum: loaded only when a lot runs

        return iban_masque(self.iban)

    def meme_compte(self, iban: str | None, bic: str | None) -> bool:
        return self.iban == iban and self.bic == bic


def numero_demande(numero_asp: str) -> str:
    return f"{numero_asp}{SUFFIXE_DEMANDE}"


# Identifiant de bout en bout: numéro de la demande, objet, rang d'émission (≤ 35 car.).
# Il porte la clé du versement: un retour bancaire se rattache sans index ni devinette.
_END_TO_END = re.compile(
    r"(?P<asp>[A-Z0-9]{1,20})M0-(?P<objet>VERSE00[12])-(?P<rang>[1-9][0-9]{0,2})"
)


def end_to_end(numero_asp: str, type_versement: TypeVersement, rang: int) -> str:
    return f"{numero_demande(numero_asp)}-{type_versement.objet}-{rang}"


def lire_end_to_end(texte: str) -> tuple[str, TypeVersement, int] | None:
    trouve = _END_TO_END.fullmatch(texte)
    if trouve is None:
        return None
    type_versement = next(t for t, objet in OBJETS.items() if objet == trouve["objet"])
    return trouve["asp"], type_versement, int(trouve["rang"])


@dataclass(frozen=True)
class EmissionRejetee:
    """Une émission précédente, rejetée par la banque (gardée pour le suivi et les doublons).
    Son IBAN: chiffré et masqué, comme celui de l'émission en cours."""

    rang: int
    lot: str | None
    iban_chiffre: str | None
    iban_masque: str | None
    bic: str | None
    code_rejet: str | None
    rejete_le: datetime | None


@dataclass(frozen=True)
class Versement:
    numero_asp: str
    siret: str
    numero_ans: str
    type: TypeVersement
    montant_finance: Montant
    montant: Montant | None  # montant calculé; None tant que le solde attend son avance
    etat: EtatVersement
    valide_le: datetime  # date de validation: la décision
    rang: int = 1  # rang de l'émission en cours (1 + nombre de réémissions)
    lot: str | None = None
    mis_en_paiement_le: datetime | None = None
    # Coordonnées de l'émission en cours. L'IBAN n'est jamais gardé en clair: son chiffré
    # (celui de l'enrôlement, même clé KMS et même contexte {siret, champ: iban}) sert à
    # refaire le fichier d'un lot inachevé et à comparer avec les nouvelles coordonnées
    # lors d'une réémission; le masque (FR76 **** … 1234) sert aux vues et à l'avis.
    titulaire: str | None = None
    iban_chiffre: str | None = field(default=None, repr=False)
    iban_masque: str | None = None
    bic: str | None = None
    paye_le: datetime | None = None
    montant_paye: Montant | None = None
    code_rejet: str | None = None
    rejete_le: datetime | None = None
    emissions_rejetees: tuple[EmissionRejetee, ...] = ()
    cle_avis: str | None = None  # l'avis de paiement (PDF) une fois produit
    jeton: str | None = None  # jeton de tâche de l'instruction, rendu une fois payé
    version: int = 0  # 0: pas encore enregistré

    @property
    def numero_demande(self) -> str:
        return numero_demande(self.numero_asp)

    @property
    def objet(self) -> str:
        return self.type.objet

    @property
    def end_to_end(self) -> str:
        return end_to_end(self.numero_asp, self.type, self.rang)

    @property
    def reemissions(self) -> int:
        return self.rang - 1

    @property
    def motif_rejet(self) -> str | None:
        return motif_rejet(self.code_rejet) if self.etat is EtatVersement.REJETE else None

    def _exiger(self, *etats: EtatVersement, action: str) -> None:
        if self.etat not in etats:
            raise ErreurPaiement(
                "ETAT_INCOMPATIBLE",
                f"Le versement {self.type} de la demande {self.numero_demande} est à l'état "
                f"« {LIBELLES_ETAT[self.etat]} »: impossible de {action}.",
            )

    def liberer(self, avance_payee: Montant) -> Versement:
        """Le solde en attente reçoit son montant: montant financé − avance payée."""
        self._exiger(EtatVersement.EN_ATTENTE_AVANCE, action="calculer le solde")
        montant = montant_solde(self.montant_finance, avance_payee)
        etat = EtatVersement.A_PAYER if montant > ZERO else EtatVersement.SANS_OBJET
        return replace(self, montant=montant, etat=etat)

    def mettre_en_paiement(
        self, lot: str, instant: datetime, coordonnees: CoordonneesBancaires
    ) -> Versement:
        self._exiger(EtatVersement.A_PAYER, action="le mettre en paiement")
        if not coordonnees.iban_chiffre:
            raise ValueError("coordonnées sans IBAN chiffré: rien à enregistrer sur le versement")
        return replace(
            self,
            etat=EtatVersement.MIS_EN_PAIEMENT,
            lot=lot,
            mis_en_paiement_le=exiger_fuseau(instant),
            titulaire=coordonnees.titulaire,
            iban_chiffre=coordonnees.iban_chiffre,
            iban_masque=coordonnees.iban_masque,
            bic=coordonnees.bic,
        )

    def payer(self, montant: Montant, instant: datetime) -> Versement:
        self._exiger(EtatVersement.MIS_EN_PAIEMENT, action="le marquer payé")
        if montant != self.montant:
            raise ErreurPaiement(
                "MONTANT_DIFFERENT",
                f"Montant payé {montant} € différent du montant envoyé {self.montant} € "
                f"pour {self.end_to_end}.",
            )
        return replace(
            self, etat=EtatVersement.PAYE, paye_le=exiger_fuseau(instant), montant_paye=montant
        )

    def rejeter(self, code: str | None, instant: datetime) -> Versement:
        self._exiger(EtatVersement.MIS_EN_PAIEMENT, action="le marquer rejeté")
        return replace(
            self, etat=EtatVersement.REJETE, code_rejet=code, rejete_le=exiger_fuseau(instant)
        )

    def reemettre(self, coordonnees: CoordonneesBancaires, iban_rejete: str | None) -> Versement:
        """Après un rejet: de nouveau à payer, nouvel identifiant de bout en bout, pourvu que
        les coordonnées bancaires aient changé depuis l'émission rejetée et soient validées.
        `iban_rejete`: l'IBAN de l'émission rejetée, déchiffré par l'appelant (deux chiffrés
        d'un même IBAN diffèrent: seule la valeur en clair se compare)."""
        self._exiger(EtatVersement.REJETE, action="le réémettre")
        if not coordonnees.validees:
            raise ErreurPaiement(
                "COORDONNEES_NON_VALIDEES",
                "Les nouvelles coordonnées bancaires de l'éditeur ne sont pas encore validées.",
            )
        if coordonnees.meme_compte(iban_rejete, self.bic):
            raise ErreurPaiement(
                "COORDONNEES_INCHANGEES",
                "Les coordonnées bancaires (IBAN et BIC) n'ont pas changé depuis le rejet: "
                "le versement serait rejeté de nouveau.",
            )
        rejetee = EmissionRejetee(
            rang=self.rang,
            lot=self.lot,
            iban_chiffre=self.iban_chiffre,
            iban_masque=self.iban_masque,
            bic=self.bic,
            code_rejet=self.code_rejet,
            rejete_le=self.rejete_le,
        )
        return replace(
            self,
            etat=EtatVersement.A_PAYER,
            rang=self.rang + 1,
            lot=None,
            mis_en_paiement_le=None,
            titulaire=None,
            iban_chiffre=None,
            iban_masque=None,
            bic=None,
            code_rejet=None,
            rejete_le=None,
            emissions_rejetees=(*self.emissions_rejetees, rejetee),
        )


def montant_avance(montant_finance: Montant) -> Montant:
    """30 % du montant financé, arrondi au centime (half-up)."""
    return montant_finance.pourcentage(TAUX_AVANCE)


def montant_solde(montant_finance: Montant, avance_payee: Montant) -> Montant:
    """Le reste; jamais négatif (ce qui est payé ne dépasse jamais le montant financé)."""
    return max(montant_finance - avance_payee, ZERO)


def _exiger_positif(montant_finance: Montant) -> None:
    if montant_finance <= ZERO:
        raise ErreurPaiement(
            "MONTANT_FINANCE_INVALIDE",
            f"Le montant financé doit être positif (reçu {montant_finance} €).",
            NatureRefus.INVALIDE,
        )


def nouvelle_avance(
    numero_asp: str, siret: str, numero_ans: str, montant_finance: Montant, valide_le: datetime
) -> Versement:
    _exiger_positif(montant_finance)
    montant = montant_avance(montant_finance)
    return Versement(
        numero_asp=numero_asp,
        siret=siret,
        numero_ans=numero_ans,
        type=TypeVersement.AVANCE,
        montant_finance=montant_finance,
        montant=montant,
        # Un virement SEPA de 0,00 € n'existe pas (montant financé < 0,02 €).
        etat=EtatVersement.A_PAYER if montant > ZERO else EtatVersement.SANS_OBJET,
        valide_le=exiger_fuseau(valide_le),
    )


def nouveau_solde(
    numero_asp: str,
    siret: str,
    numero_ans: str,
    montant_finance: Montant,
    valide_le: datetime,
    avance: Versement | None,
) -> Versement:
    """Le solde attend (EN_ATTENTE_AVANCE) tant que l'avance n'est pas payée."""
    _exiger_positif(montant_finance)
    attente = Versement(
        numero_asp=numero_asp,
        siret=siret,
        numero_ans=numero_ans,
        type=TypeVersement.SOLDE,
        montant_finance=montant_finance,
        montant=None,
        etat=EtatVersement.EN_ATTENTE_AVANCE,
        valide_le=exiger_fuseau(valide_le),
    )
    paye = avance_reglee(avance)
    return attente if paye is None else attente.liberer(paye)


def avance_reglee(avance: Versement | None) -> Montant | None:
    """Ce que l'avance a effectivement versé, une fois réglée (payée ou sans objet)."""
    if avance is None:
        return None
    if avance.etat is EtatVersement.PAYE and avance.montant_paye is not None:
        return avance.montant_paye
    if avance.etat is EtatVersement.SANS_OBJET:
        return ZERO
    return None


def total_paye(versements: list[Versement]) -> Montant:
    total = ZERO
    for versement in versements:
        if versement.montant_paye is not None:
            total = total + versement.montant_paye
    return total


def montant_du_dossier(versements: list[Versement]) -> Montant:
    """Le montant financé qui fait foi: celui du solde s'il est décidé, sinon de l'avance."""
    par_type = {v.type: v for v in versements}
    retenu = par_type.get(TypeVersement.SOLDE) or par_type.get(TypeVersement.AVANCE)
    return retenu.montant_finance if retenu else ZERO
