"""E4 — the service gestion lists, reads and decides the demandes; the demandeur follows
its own. VALIDEE opens the deposits (the enrolment record the other services read) and
the account in the user pool; REJETEE sends the motif."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from services.enrolment.application.ports import (
    AnnoncesPaiement,
    Comptes,
    Courriels,
    Demandes,
    Enrolements,
    Page,
    Stockage,
    VersionPerimee,
)
from services.enrolment.domain import courriels as textes
from services.enrolment.domain.demande import (
    DemandeEnrolement,
    Nature,
    StatutDemandeEnrolement,
    adresse_postale,
    jeton_correct,
    numero_valide,
    vue_demande,
    vue_suivi,
)
from services.enrolment.domain.erreurs import DemandeInvalide, probleme
from shared.enrolement import STATUT_ENROLEMENT_VALIDE, EnrolementEditeur
from shared.horloge import Horloge
from shared.messages import CoordonneesBancairesValidees
from shared.refus import NatureRefus, Refus

logger = logging.getLogger(__name__)

DUREE_LECTURE = timedelta(minutes=5)
LIMITE_MAX = 100
MOTIF_MAX = 2000
COMPTE_CREE, COMPTE_ETENDU, SANS_COMPTE = "CREE", "ETENDU", "SANS_OBJET"


class DemandeIntrouvable(Refus):
    """Unknown number, or not the caller's (the same answer: no oracle)."""

    nature = NatureRefus.INTROUVABLE

    def __init__(self, numero: str) -> None:
        super().__init__(
            "DEMANDE_INTROUVABLE", f"La demande d'enrôlement {numero[:40]} n'existe pas."
        )


class DejaDecidee(Refus):
    """The demande is no longer SOUMISE."""

    nature = NatureRefus.CONFLIT

    def __init__(self, numero: str) -> None:
        super().__init__(
            "DEMANDE_DEJA_DECIDEE",
            f"La demande d'enrôlement {numero} a déjà été décidée: sa décision ne change plus.",
        )


def _lire(demandes: Demandes, numero: str) -> DemandeEnrolement:
    demande = demandes.lire(numero) if numero_valide(numero) else None
    if demande is None:
        raise DemandeIntrouvable(numero)
    return demande


@dataclass
class SuivreDemande:
    demandes: Demandes

    def __call__(self, numero: str, jeton: str) -> dict[str, Any]:
        """The status of a demande for whoever holds its follow-up token."""
        demande = _lire(self.demandes, numero)
        if not jeton_correct(jeton, demande.empreinte_suivi):
            raise DemandeIntrouvable(numero)
        return vue_suivi(demande)


@dataclass
class ListerDemandes:
    demandes: Demandes

    def __call__(self, statut: str | None, curseur: str | None, limite: int = 50) -> Page:
        """Gestionnaires: a page, oldest first. Raises DemandeInvalide, CurseurInvalide."""
        problemes = []
        if statut is not None and statut not in {s.value for s in StatutDemandeEnrolement}:
            problemes.append(
                probleme(
                    "statut",
                    "VALEUR_NON_PERMISE",
                    "une valeur parmi "
                    f"{', '.join(s.value for s in StatutDemandeEnrolement)} est attendue.",
                )
            )
        if not 1 <= limite <= LIMITE_MAX:
            problemes.append(
                probleme("limite", "HORS_BORNES", f"un entier de 1 à {LIMITE_MAX} est attendu.")
            )
        if problemes:
            raise DemandeInvalide(problemes)
        return self.demandes.lister(
            StatutDemandeEnrolement(statut) if statut else None, curseur, limite
        )


@dataclass
class LireDemande:
    demandes: Demandes
    stockage: Stockage

    def __call__(self, numero: str, siret: str | None) -> dict[str, Any]:
        """`siret` None: a gestionnaire (IBAN in clear, documents by presigned GET); else
        the éditeur `siret`, who only reads its own demandes (IBAN masked)."""
        demande = _lire(self.demandes, numero)
        if siret is not None and demande.siret != siret:
            raise DemandeIntrouvable(numero)
        vue = vue_demande(demande, gestionnaire=siret is None)
        if siret is None:
            vue["documents"] = [
                {
                    "typeDocument": d.type_document,
                    "taille": d.taille,
                    "url": self.stockage.autoriser_lecture(d.cle, DUREE_LECTURE),
                }
                for d in demande.documents
            ]
        return vue


@dataclass
class MesDemandes:
    demandes: Demandes

    def __call__(self, siret: str) -> list[dict[str, Any]]:
        return [vue_demande(d, gestionnaire=False) for d in self.demandes.du_siret(siret)]


@dataclass
class Decider:
    demandes: Demandes
    enrolements: Enrolements
    comptes: Comptes
    courriels: Courriels
    horloge: Horloge
    url_portail: str
    paiement: AnnoncesPaiement | None = None  # None: nobody to tell (tests of E2–E4 only)

    def __call__(self, numero: str, statut: str, motif: str | None, par: str) -> DemandeEnrolement:
        """VALIDEE or REJETEE (motif required). The decision is recorded first (of two
        conflicting decisions one only wins: DejaDecidee), then its effects. A VALIDEE
        whose effects were interrupted (no `compte` outcome yet) may be sent again: the
        effects are resumed. Raises DemandeIntrouvable, DemandeInvalide, DejaDecidee."""
        demande = _lire(self.demandes, numero)
        motif = (motif or "").strip()
        problemes = []
        if statut not in (
            StatutDemandeEnrolement.VALIDEE.value,
            StatutDemandeEnrolement.REJETEE.value,
        ):
            problemes.append(
                probleme("decision", "VALEUR_NON_PERMISE", "VALIDEE ou REJETEE est attendu.")
            )
        if statut == StatutDemandeEnrolement.REJETEE.value and not motif:
            problemes.append(
                probleme(
                    "motif",
                    "MOTIF_OBLIGATOIRE",
                    "le motif du rejet est obligatoire : il est envoyé au demandeur.",
                )
            )
        if len(motif) > MOTIF_MAX:
            problemes.append(
                probleme("motif", "TROP_LONG", f"au plus {MOTIF_MAX} caractères sont permis.")
            )
        if problemes:
            raise DemandeInvalide(problemes)
        voulu = StatutDemandeEnrolement(statut)
        reprise = (
            voulu is StatutDemandeEnrolement.VALIDEE
            and demande.statut is StatutDemandeEnrolement.VALIDEE
            and demande.decision is not None
            and demande.decision.compte is None
        )
        if not reprise:
            if demande.statut is not StatutDemandeEnrolement.SOUMISE:
                raise DejaDecidee(numero)
            try:
                demande = self.demandes.enregistrer(
                    demande.decider(voulu, motif, par, self.horloge.maintenant(), None)
                )
            except VersionPerimee:
                raise DejaDecidee(numero) from None
        if voulu is StatutDemandeEnrolement.REJETEE:
            self.courriels.envoyer(textes.rejet(demande, motif))
            return demande
        compte = self._ouvrir(demande)
        assert demande.decision is not None
        return self.demandes.enregistrer(
            replace(demande, decision=replace(demande.decision, compte=compte))
        )

    def _ouvrir(self, demande: DemandeEnrolement) -> str:
        """The effects of VALIDEE: enrolment records, then the account, then courriels."""
        assert demande.decision is not None
        le = demande.decision.le
        anciens = self.enrolements.du_siret(demande.siret)
        if demande.coordonnees is not None:  # the structure's account: every référencement
            for enrolement in anciens:
                if enrolement.numero_ans == demande.numero_ans:
                    continue
                self.enrolements.enregistrer(
                    enrolement.model_copy(
                        update={
                            "iban": demande.coordonnees.iban,  # encrypted by the writer
                            "iban_chiffre": None,
                            "iban_masque": None,
                            "bic": demande.coordonnees.bic,
                            "titulaire": demande.coordonnees.titulaire,
                            "domiciliation": demande.coordonnees.domiciliation,
                            "coordonnees_validees_le": le,
                            "version": enrolement.version + 1,
                        }
                    )
                )
        if demande.nature is Nature.COORDONNEES_BANCAIRES:
            self._annoncer(demande)
            self.courriels.envoyer(textes.extension(demande, self.url_portail))
            return SANS_COMPTE
        self.enrolements.enregistrer(self._enrolement(demande, anciens))
        if demande.coordonnees is not None and anciens:  # E5 with new bank details
            self._annoncer(demande)
        assert demande.numero_ans is not None
        existant = self.comptes.par_email(demande.contact.email)
        if existant is not None:
            self.comptes.etendre(existant, demande.siret)
            self.courriels.envoyer(textes.extension(demande, self.url_portail))
            return COMPTE_ETENDU
        mot_de_passe = textes.mot_de_passe_provisoire()
        nom = f"{demande.contact.prenom} {demande.contact.nom}".strip()
        compte = self.comptes.creer(demande.contact.email, demande.siret, nom, mot_de_passe)
        self.courriels.envoyer(textes.identifiant(demande, compte.identifiant, self.url_portail))
        self.courriels.envoyer(textes.mot_de_passe(demande, mot_de_passe))
        return COMPTE_CREE

    def _annoncer(self, demande: DemandeEnrolement) -> None:
        """After the records are written (paiement reads the new details there); sent
        again when interrupted effects are resumed: paiement re-issues nothing twice."""
        assert demande.decision is not None
        if self.paiement is not None:
            self.paiement.coordonnees_validees(
                CoordonneesBancairesValidees(
                    siret=demande.siret,
                    valideesLe=demande.decision.le,
                    numeroDemande=demande.numero,
                )
            )

    def _enrolement(
        self, demande: DemandeEnrolement, anciens: list[EnrolementEditeur]
    ) -> EnrolementEditeur:
        """The record for (SIRET, numéro ANS): the demande's bank details (validated with
        it), else those of the éditeur's latest enrolment (E5 without new ones)."""
        assert demande.decision is not None and demande.numero_ans is not None
        le = demande.decision.le
        banque: dict[str, Any]
        if demande.coordonnees is not None:
            banque = {
                "iban": demande.coordonnees.iban,
                "bic": demande.coordonnees.bic,
                "titulaire": demande.coordonnees.titulaire,
                "domiciliation": demande.coordonnees.domiciliation,
                "coordonnees_validees_le": le,
            }
        elif anciens:
            base = max(anciens, key=lambda e: e.cree_le.isoformat() if e.cree_le else "")
            banque = {
                "iban": base.iban,  # None: read without decrypting, the ciphertext is kept
                "iban_chiffre": base.iban_chiffre,
                "iban_masque": base.iban_masque,
                "bic": base.bic,
                "titulaire": base.titulaire,
                "domiciliation": base.domiciliation,
                "coordonnees_validees_le": base.coordonnees_validees_le,
            }
        else:
            banque = {}
        return EnrolementEditeur(
            siret=demande.siret,
            numero_ans=demande.numero_ans,
            statut=STATUT_ENROLEMENT_VALIDE,
            email=demande.contact.email,
            raison_sociale=demande.raison_sociale,
            couloir=demande.couloir or "",
            nom_commercial=demande.nom_commercial,
            adresse=adresse_postale(demande.formulaire)
            or next((e.adresse for e in anciens if e.adresse), ""),
            numero_demande=demande.numero,
            cree_le=le,
            **banque,
        )
