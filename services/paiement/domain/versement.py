"""Versements (P1): the avance (30 %) then the solde of a decided demande.

A versement is immutable: each transition returns a new versement; the repository
(adapters) writes it on condition of `version` (conditional write), which prevents
sending or paying the same versement twice.

Cycle: A_PAYER → MIS_EN_PAIEMENT → PAYE, or REJETE (ISO code and reason) → reissued
(A_PAYER, new end-to-end identifier) once the éditeur's bank details have changed and
been validated. A solde decided before its avance is paid waits in state
EN_ATTENTE_AVANCE, without an amount: it is computed when the avance is paid
(solde = montant financé − avance actually paid).
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
    SANS_OBJET = "SANS_OBJET"  # zero solde: the paid avance already covers the montant financé


LIBELLES_ETAT = {
    EtatVersement.EN_ATTENTE_AVANCE: "En attente du paiement de l'avance",
    EtatVersement.A_PAYER: "À payer",
    EtatVersement.MIS_EN_PAIEMENT: "Mis en paiement",
    EtatVersement.PAYE: "Paiement effectué",
    EtatVersement.REJETE: "Paiement rejeté",
    EtatVersement.SANS_OBJET: "Sans objet (aucun montant à verser)",
}


class ErreurPaiement(Refus):
    """A refused action (shared/refus.py): a stable code, a French message; by default the
    versement's state does not allow it (CONFLIT)."""

    nature = NatureRefus.CONFLIT


@dataclass(frozen=True)
class CoordonneesChiffrees:
    """The bank details as the enrolment keeps them: the IBAN encrypted (the enrolment's
    KMS key, context {siret, champ: iban}), never in clear."""

    titulaire: str
    iban_chiffre: str
    bic: str
    validees: bool  # validated by a gestionnaire (enrolment VALIDE)


@dataclass(frozen=True)
class CoordonneesBancaires:
    """The bank details of the éditeur's enrolment (the beneficiary), the IBAN decrypted:
    in memory only, for the time of a lot or a reissue."""

    titulaire: str
    iban: str = field(repr=False)
    bic: str
    validees: bool  # validated by a gestionnaire (enrolment VALIDE)
    iban_chiffre: str | None = field(default=None, repr=False)  # as stored

    @property
    def iban_masque(self) -> str:
        from shared.identifiants import iban_masque  # stdnum: loaded only when a lot runs

        return iban_masque(self.iban)

    def meme_compte(self, iban: str | None, bic: str | None) -> bool:
        return self.iban == iban and self.bic == bic


def numero_demande(numero_asp: str) -> str:
    return f"{numero_asp}{SUFFIXE_DEMANDE}"


# End-to-end identifier: the demande's number, objet, emission rank (≤ 35 chars).
# It carries the versement's key: a bank return is matched without an index or guessing.
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
    """A previous emission, rejected by the bank (kept for the suivi and for duplicates).
    Its IBAN: encrypted and masked, like the current emission's."""

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
    montant: Montant | None  # computed amount; None while the solde waits for its avance
    etat: EtatVersement
    valide_le: datetime  # validation date: the decision
    rang: int = 1  # rank of the current emission (1 + number of reissues)
    lot: str | None = None
    mis_en_paiement_le: datetime | None = None
    # Bank details of the current emission. The IBAN is never kept in clear: its ciphertext
    # (the enrolment's, same KMS key and same context {siret, champ: iban}) is used to
    # rebuild the file of an unfinished lot and to compare with the new bank details on a
    # reissue; the mask (FR76 **** … 1234) is for the views and the avis.
    titulaire: str | None = None
    iban_chiffre: str | None = field(default=None, repr=False)
    iban_masque: str | None = None
    bic: str | None = None
    paye_le: datetime | None = None
    montant_paye: Montant | None = None
    code_rejet: str | None = None
    rejete_le: datetime | None = None
    emissions_rejetees: tuple[EmissionRejetee, ...] = ()
    cle_avis: str | None = None  # the avis de paiement (PDF) once produced
    jeton: str | None = None  # the instruction's task token, returned once paid
    version: int = 0  # 0: not yet stored

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
        """The waiting solde receives its amount: montant financé − avance paid."""
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
        """After a rejection: to be paid again, with a new end-to-end identifier, provided
        the bank details have changed since the rejected emission and are validated.
        `iban_rejete`: the rejected emission's IBAN, decrypted by the caller (two
        ciphertexts of the same IBAN differ: only the clear value can be compared)."""
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
    """30 % of the montant financé, rounded to the cent (half-up)."""
    return montant_finance.pourcentage(TAUX_AVANCE)


def montant_solde(montant_finance: Montant, avance_payee: Montant) -> Montant:
    """The rest; never negative (what is paid never exceeds the montant financé)."""
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
        # A SEPA transfer of 0.00 € does not exist (montant financé < 0.02 €).
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
    """The solde waits (EN_ATTENTE_AVANCE) while the avance is not paid."""
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
    """What the avance actually paid, once settled (paid or sans objet)."""
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
    """The montant financé that counts: the solde's if it is decided, otherwise the avance's."""
    par_type = {v.type: v for v in versements}
    retenu = par_type.get(TypeVersement.SOLDE) or par_type.get(TypeVersement.AVANCE)
    return retenu.montant_finance if retenu else ZERO
