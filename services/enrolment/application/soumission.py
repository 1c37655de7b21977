"""E2, E3, E5 and bank details: documents are uploaded (presigned POST), then the demande
is checked whole — every problem at once —, numbered `ENR####M0`, recorded SOUMISE, and
acknowledged by courriel."""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, ValidationError

from services.enrolment.application.ports import (
    AntiRobot,
    Compteur,
    Courriels,
    Demandes,
    Enrolements,
    EnvoiAutorise,
    Referentiel,
    Stockage,
)
from services.enrolment.domain import controles
from services.enrolment.domain.anti_robot import AntiRobotInvalide, VerdictAntiRobot
from services.enrolment.domain.courriels import accuse_reception
from services.enrolment.domain.demande import (
    Contact,
    Coordonnees,
    DemandeEnrolement,
    DocumentJoint,
    Nature,
    StatutDemandeEnrolement,
    empreinte_suivi,
    numero_demande,
)
from services.enrolment.domain.documents import (
    TAILLE_MAX,
    TypeDocument,
    cle_televersement,
    controler_contenu,
    controler_nom,
    nouvelle_reference,
)
from services.enrolment.domain.erreurs import (
    DemandeInvalide,
    Probleme,
    fusionner,
    probleme,
    problemes_validation,
)
from services.enrolment.domain.formulaire import (
    CoordonneesBancaires,
    FormulaireComplementaire,
    FormulaireCoordonneesBancaires,
    FormulaireEnrolement,
    Representant,
    TiersDeclarant,
)
from shared.enrolement import EnrolementEditeur, ReferencementAns
from shared.horloge import Horloge
from shared.refus import NatureRefus, Refus

logger = logging.getLogger(__name__)

COMPTEUR = "ENR"
DUREE_ENVOI = timedelta(minutes=15)
_REFERENCE = re.compile(r"[A-Za-z]+/[0-9a-f]{32}\.(?:pdf|png|jpg|jpeg)")


class NonEnrole(Refus):
    """E5 and bank details are for an éditeur already enrolled."""

    nature = NatureRefus.INTERDIT

    def __init__(self) -> None:
        super().__init__("NON_ENROLE", "Cette démarche est réservée aux éditeurs déjà enrôlés.")


@dataclass(frozen=True)
class Televersement:
    reference: str  # to give in the demande's `documents`
    envoi: EnvoiAutorise


@dataclass
class AutoriserTeleversement:
    stockage: Stockage

    def __call__(self, type_document: str, nom_fichier: str) -> Televersement:
        """A presigned POST for one document (≤ 4 Mo). Raises DemandeInvalide."""
        if type_document not in {t.value for t in TypeDocument}:
            raise DemandeInvalide(
                [
                    probleme(
                        "typeDocument",
                        "VALEUR_NON_PERMISE",
                        f"une valeur parmi {', '.join(t.value for t in TypeDocument)} est "
                        "attendue.",
                    )
                ]
            )
        genre = TypeDocument(type_document)
        defaut = controler_nom(genre, nom_fichier)
        if defaut is not None:
            raise DemandeInvalide([Probleme("nomFichier", defaut.code, defaut.message)])
        reference = nouvelle_reference(genre, nom_fichier)
        envoi = self.stockage.autoriser_envoi(cle_televersement(reference), TAILLE_MAX, DUREE_ENVOI)
        return Televersement(reference, envoi)


@dataclass(frozen=True)
class Confirmation:
    """E3: the number to keep, and the token to follow the demande with."""

    numero: str
    statut: StatutDemandeEnrolement
    jeton_suivi: str
    demande: DemandeEnrolement


def _valider(modele: type[BaseModel], brut: Mapping[str, Any]) -> tuple[Any, list[Probleme]]:
    try:
        return modele.model_validate(dict(brut)), []
    except ValidationError as exc:
        return None, problemes_validation(exc)


def _references(brut: Mapping[str, Any]) -> dict[TypeDocument, str]:
    """The well-formed document references of the demande as received."""
    documents = brut.get("documents")
    if not isinstance(documents, Mapping):
        return {}
    trouves: dict[TypeDocument, str] = {}
    for genre in TypeDocument:
        valeur = documents.get(genre.value)
        bien_formee = isinstance(valeur, str) and _REFERENCE.fullmatch(valeur) is not None
        if bien_formee and str(valeur).split("/", 1)[0] == genre.value:
            trouves[genre] = str(valeur)
    return trouves


@dataclass
class _Soumission:
    referentiel: Referentiel
    demandes: Demandes
    enrolements: Enrolements
    compteur: Compteur
    stockage: Stockage
    courriels: Courriels
    horloge: Horloge
    url_portail: str

    def _referencement(self, brut: Mapping[str, Any]) -> ReferencementAns | None:
        numero = brut.get("numeroAns")
        if not isinstance(numero, str) or not _numero_lisible(numero):
            return None
        return self.referentiel.trouver(numero)

    def _contenus(self, brut: Mapping[str, Any]) -> tuple[list[Probleme], dict[TypeDocument, int]]:
        problemes: list[Probleme] = []
        tailles: dict[TypeDocument, int] = {}
        for genre, reference in _references(brut).items():
            contenu = self.stockage.lire(cle_televersement(reference), TAILLE_MAX)
            defaut = controler_contenu(genre, reference, contenu)
            if defaut is not None:
                problemes.append(defaut)
            elif contenu is not None:
                tailles[genre] = len(contenu)
        return problemes, tailles

    def _en_cours(self, siret: str, numero_ans: str | None, nature: Nature) -> bool:
        return any(
            d.statut is StatutDemandeEnrolement.SOUMISE
            and d.numero_ans == numero_ans
            and (d.nature is Nature.COORDONNEES_BANCAIRES)
            == (nature is Nature.COORDONNEES_BANCAIRES)
            for d in self.demandes.du_siret(siret)
        )

    def _contact_precedent(self, siret: str, base: EnrolementEditeur) -> Contact:
        """Who received the courriels of the enrolment (its name is on its demande)."""
        validees = [
            d
            for d in self.demandes.du_siret(siret)
            if d.statut is StatutDemandeEnrolement.VALIDEE and d.contact.email == base.email
        ]
        if validees:
            return validees[-1].contact
        return Contact(base.email, base.raison_sociale, "")

    def _enregistrer(
        self,
        brut: Mapping[str, Any],
        tailles: dict[TypeDocument, int],
        construire: Any,
    ) -> Confirmation:
        numero = numero_demande(self.compteur.suivant(COMPTEUR))
        documents = []
        for genre, reference in sorted(_references(brut).items()):
            cle = f"enrolements/demandes/{numero}/{genre.value}.{reference.rsplit('.', 1)[1]}"
            self.stockage.copier(cle_televersement(reference), cle)
            documents.append(DocumentJoint(genre.value, cle, tailles[genre]))
        jeton = secrets.token_urlsafe(24)
        demande: DemandeEnrolement = construire(
            numero=numero,
            documents=tuple(documents),
            soumise_le=self.horloge.maintenant(),
            empreinte_suivi=empreinte_suivi(jeton),
        )
        self.demandes.ajouter(demande)
        try:
            self.courriels.envoyer(accuse_reception(demande, self.url_portail))
        except Exception:  # the demande is recorded and its number shown: never lose it
            logger.exception("accusé de réception non envoyé pour %s", numero)
        return Confirmation(numero, demande.statut, jeton, demande)


def _numero_lisible(numero: str) -> bool:
    return len(numero) == 10 and numero.isascii() and numero.isalnum()


def _contact(representant: Representant, tiers: TiersDeclarant | None) -> Contact:
    personne = tiers.depositaire if tiers is not None else representant
    return Contact(personne.email, personne.nom, personne.prenom)


def _coordonnees(banque: CoordonneesBancaires | None) -> Coordonnees | None:
    if banque is None:
        return None
    return Coordonnees(banque.iban, banque.bic, banque.titulaire, banque.domiciliation)


def _formulaire(modele: BaseModel) -> dict[str, Any]:
    return modele.model_dump(mode="json", by_alias=True, exclude_none=True)


@dataclass
class SoumettreEnrolement(_Soumission):
    anti_robot: AntiRobot

    def __call__(self, brut: Mapping[str, Any], solution_anti_robot: str) -> Confirmation:
        """E2 → E3. Raises AntiRobotInvalide before anything is checked (the solution is
        used up whatever the demande's problems: a robot learns nothing without solving
        another challenge), then DemandeInvalide with every problem."""
        verdict = self.anti_robot.verifier(solution_anti_robot)
        if verdict is not VerdictAntiRobot.VALIDE:
            raise AntiRobotInvalide(verdict)
        referencement = self._referencement(brut)
        formulaire, problemes = _valider(FormulaireEnrolement, brut)
        croises = controles.controler_enrolement(brut, referencement)
        contenus, tailles = self._contenus(brut)
        autres: list[Probleme] = []
        if formulaire is not None and referencement is not None:
            autres.extend(self._deja(formulaire.demandeur.siret, formulaire.numero_ans))
        tous = fusionner(problemes, croises, contenus, autres)
        if tous:
            raise DemandeInvalide(tous)
        assert formulaire is not None and referencement is not None
        f: FormulaireEnrolement = formulaire

        def construire(**valeurs: Any) -> DemandeEnrolement:
            return DemandeEnrolement(
                nature=Nature.ENROLEMENT,
                statut=StatutDemandeEnrolement.SOUMISE,
                siret=f.demandeur.siret,
                numero_ans=f.numero_ans,
                couloir=referencement.couloir,
                raison_sociale=f.demandeur.denomination_sociale,
                nom_commercial=f.demandeur.nom_commercial,
                contact=_contact(f.representant, f.tiers_declarant),
                coordonnees=_coordonnees(f.coordonnees_bancaires),
                taux_tva=f.taux_tva,
                formulaire=_formulaire(f),
                **valeurs,
            )

        return self._enregistrer(brut, tailles, construire)

    def _deja(self, siret: str, numero_ans: str) -> list[Probleme]:
        if self.enrolements.du_siret(siret):
            return [
                probleme(
                    "demandeur.siret",
                    "DEJA_ENROLE",
                    f"le SIRET {siret} est déjà enrôlé : connectez-vous et utilisez "
                    "l'enrôlement complémentaire pour ajouter un référencement.",
                )
            ]
        if self._en_cours(siret, numero_ans, Nature.ENROLEMENT):
            return [
                probleme(
                    "numeroAns",
                    "DEMANDE_EN_COURS",
                    f"une demande pour le SIRET {siret} et ce référencement est déjà en cours "
                    "d'instruction.",
                )
            ]
        return []


def _base(enrolements: list[EnrolementEditeur]) -> EnrolementEditeur:
    valides = [e for e in enrolements if e.valide]
    if not valides:
        raise NonEnrole()
    return max(valides, key=lambda e: (e.cree_le.isoformat() if e.cree_le else "", e.numero_ans))


@dataclass
class SoumettreComplementaire(_Soumission):
    def __call__(self, brut: Mapping[str, Any], siret: str) -> Confirmation:
        """E5 for the éditeur `siret` (from its token). Raises NonEnrole, DemandeInvalide."""
        base = _base(self.enrolements.du_siret(siret))
        referencement = self._referencement(brut)
        numero = brut.get("numeroAns")
        deja = isinstance(numero, str) and (
            self.enrolements.lire(siret, numero) is not None
            or self._en_cours(siret, numero, Nature.COMPLEMENTAIRE)
            or self._en_cours(siret, numero, Nature.ENROLEMENT)
        )
        formulaire, problemes = _valider(FormulaireComplementaire, brut)
        croises = controles.controler_complementaire(brut, referencement, deja)
        contenus, tailles = self._contenus(brut)
        tous = fusionner(problemes, croises, contenus)
        if tous:
            raise DemandeInvalide(tous)
        assert formulaire is not None and referencement is not None
        f: FormulaireComplementaire = formulaire
        precedent = self._contact_precedent(siret, base)
        contact = _contact(f.representant, f.tiers_declarant) if f.representant else precedent

        def construire(**valeurs: Any) -> DemandeEnrolement:
            return DemandeEnrolement(
                nature=Nature.COMPLEMENTAIRE,
                statut=StatutDemandeEnrolement.SOUMISE,
                siret=siret,
                numero_ans=f.numero_ans,
                couloir=referencement.couloir,
                raison_sociale=base.raison_sociale,
                nom_commercial=base.nom_commercial,
                contact=contact,
                coordonnees=_coordonnees(f.coordonnees_bancaires),
                taux_tva=f.taux_tva,
                formulaire=_formulaire(f),
                **valeurs,
            )

        return self._enregistrer(brut, tailles, construire)


@dataclass
class DemanderChangementCoordonnees(_Soumission):
    def __call__(self, brut: Mapping[str, Any], siret: str) -> Confirmation:
        """New IBAN/BIC with their RIB; used by payments once a gestionnaire validates
        them. Raises NonEnrole, DemandeInvalide."""
        base = _base(self.enrolements.du_siret(siret))
        formulaire, problemes = _valider(FormulaireCoordonneesBancaires, brut)
        croises = controles.controler_coordonnees(brut)
        contenus, tailles = self._contenus(brut)
        autres: list[Probleme] = []
        if self._en_cours(siret, None, Nature.COORDONNEES_BANCAIRES):
            autres.append(
                probleme(
                    "coordonneesBancaires",
                    "DEMANDE_EN_COURS",
                    "un changement de coordonnées bancaires est déjà en cours d'instruction.",
                )
            )
        tous = fusionner(problemes, croises, contenus, autres)
        if tous:
            raise DemandeInvalide(tous)
        assert formulaire is not None
        f: FormulaireCoordonneesBancaires = formulaire
        contact = self._contact_precedent(siret, base)

        def construire(**valeurs: Any) -> DemandeEnrolement:
            return DemandeEnrolement(
                nature=Nature.COORDONNEES_BANCAIRES,
                statut=StatutDemandeEnrolement.SOUMISE,
                siret=siret,
                numero_ans=None,
                couloir=None,
                raison_sociale=base.raison_sociale,
                nom_commercial=base.nom_commercial,
                contact=contact,
                coordonnees=_coordonnees(f.coordonnees_bancaires),
                taux_tva=None,
                formulaire=_formulaire(f),
                **valeurs,
            )

        return self._enregistrer(brut, tailles, construire)
