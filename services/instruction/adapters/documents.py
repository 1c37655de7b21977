"""S3 documents of a dossier (pièces, décision d'attribution), the décision's production,
the courriels of the transitions and the error metric."""

from __future__ import annotations

import logging
from datetime import UTC
from decimal import Decimal
from typing import Any

from services.instruction.application.consultation import Document
from shared.bucket_s3 import BucketS3
from shared.campagnes import TypeDemande, campagne
from shared.dossier import ResumeDossier
from shared.enrolement_table import LecteurEnrolements
from shared.etat_instruction import EtatInstruction
from shared.horloge import horloge
from shared.montant import Montant
from shared.settings import settings

logger = logging.getLogger(__name__)

DUREE_URL = 300  # seconds: a presigned GET valid a few minutes
PREFIXE_DECISION = "decision"


def cle_decision(numero_asp: str, type_demande: TypeDemande = TypeDemande.AVANCE) -> str:
    """The avance's décision keeps the seed's name; the solde's has its own, so that the
    second décision never overwrites the first."""
    from services.instruction.domain.decision import nom_fichier_decision

    nom = nom_fichier_decision(numero_asp)
    if type_demande is TypeDemande.SOLDE:
        nom = nom.removesuffix(".pdf") + "_solde.pdf"
    return f"dossiers/{numero_asp}/{PREFIXE_DECISION}/{nom}"


class DocumentsS3(BucketS3):
    """Lists `dossiers/{numeroAsp}/` in the documents bucket (pièces, décision)."""

    reglage_bucket = "bucket_documents"

    def __init__(self, bucket: str | None = None, client_s3: Any | None = None) -> None:
        super().__init__(bucket, client_s3)

    def lister(self, numero_asp: str) -> list[Document]:
        documents: list[Document] = []
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"dossiers/{numero_asp}/"
        )
        for page in pages:
            for objet in page.get("Contents", []):
                cle = str(objet["Key"])
                genre = (
                    "DECISION_ATTRIBUTION" if cle.split("/")[2:3] == [PREFIXE_DECISION] else "PIECE"
                )
                documents.append(
                    Document(
                        nom=cle.rsplit("/", 1)[-1],
                        cle=cle,
                        genre=genre,
                        # S3 stamps real time; the platform's clock may be set apart.
                        depose_le=horloge().depuis_aws(objet["LastModified"].astimezone(UTC)),
                        url=self.url(cle),
                    )
                )
        return sorted(documents, key=lambda d: (d.genre != "DECISION_ATTRIBUTION", d.nom))

    def url(self, cle: str) -> str:
        return str(
            self.s3.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": cle}, ExpiresIn=DUREE_URL
            )
        )

    def deposer(self, cle: str, contenu: bytes, type_contenu: str) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=cle, Body=contenu, ContentType=type_contenu)


def _montant(valeur: object) -> Montant:
    return Montant(str(valeur or "0"))


class DecisionsPdf:
    """Port Decisions: fpdf2 + PAdES (H4's modules), stored in the documents bucket. The
    same data and key material give the same bytes: a replay writes the same object."""

    def __init__(
        self, documents: DocumentsS3, enrolements: LecteurEnrolements, source: Any | None = None
    ) -> None:
        self._documents = documents
        self._enrolements = enrolements
        self._source = source

    def produire(self, etat: EtatInstruction, dossier: ResumeDossier) -> str:
        from services.instruction.adapters.decision_pdf import decision_signee
        from services.instruction.domain.decision import DonneesDecision, EtablissementFinance

        source = self._source
        if source is None:
            from shared.secrets_aws import MaterielSecretsManager

            source = MaterielSecretsManager()
        demande = dossier.demandes.get(etat.type_demande) or dossier.avance
        enrolement = self._enrolements.enrolement(dossier.siret, dossier.numero_ans)
        commande = demande.demande.get("commande") if demande.demande else None
        regime = str(commande.get("regimeTVA", "")) if isinstance(commande, dict) else ""
        decision = etat.decision
        # The campaign's data (G1) says what the décision rests on and how to contest it.
        camp = campagne(dossier.campagne)
        donnees = DonneesDecision(
            numero_asp=dossier.numero_asp,
            type_demande=etat.type_demande,
            siret=dossier.siret,
            denomination_sociale=enrolement.raison_sociale if enrolement else "",
            adresse=enrolement.adresse if enrolement else "",
            numero_ans=dossier.numero_ans,
            couloir=dossier.couloir,
            campagne=dossier.campagne,
            taux_tva=Decimal(demande.taux_tva or "0"),
            etablissements=tuple(EtablissementFinance(f) for f in dossier.finess),
            montant_finance=_montant(demande.montants.get("montantFinance")),
            avance=_montant(dossier.avance.montants.get("avance")),
            depose_le=(demande.depose_le or dossier.depose_le).date(),
            decide_le=decision.le if decision is not None else etat.modifie_le,
            programme=camp.programme,
            bases_legales=camp.bases_legales_du_couloir(dossier.couloir),
            recours=camp.recours,
            regime_tva=regime,
        )
        cle = cle_decision(dossier.numero_asp, etat.type_demande)
        self._documents.deposer(cle, decision_signee(donnees, source), "application/pdf")
        return cle


class NotificationsCourriels:
    """Port Notifications: shared/courriels (claim per demande and transition, journal)."""

    def __init__(self, enrolements: LecteurEnrolements, courrier: Any | None = None) -> None:
        self._enrolements = enrolements
        self._courrier = courrier

    def notifier(self, etat: EtatInstruction, dossier: ResumeDossier, statut: str) -> None:
        from shared.courriels import dossier as modeles

        courrier = self._courrier
        if courrier is None:
            from shared.courriels.composition import courrier as fabrique

            courrier = fabrique()
        enrolement = self._enrolements.enrolement(dossier.siret, dossier.numero_ans)
        email = enrolement.email if enrolement else None
        if not email:
            logger.warning("Pas d'email de dépositaire pour %s: courriel non envoyé", etat.siret)
            return
        demande_dossier = dossier.demandes.get(etat.type_demande) or dossier.avance
        notifiee = modeles.DemandeNotifiee(
            numero_asp=dossier.numero_asp,
            type_demande=etat.type_demande,
            siret=dossier.siret,
            depose_le=demande_dossier.depose_le or dossier.depose_le,
            url_portail=settings().url_portail,
        )
        decision = etat.decision
        motif = decision.motif if decision is not None else ""
        # A_MODIFIER / EN_ATTENTE_PIECES can happen again: the decision's instant names it.
        occurrence = decision.le.isoformat() if decision is not None else ""
        transition = modeles.TransitionCourriel(statut)
        if transition is modeles.TransitionCourriel.DECIDEE:
            avis = modeles.avis_decidee(notifiee)
            occurrence = ""
        elif transition is modeles.TransitionCourriel.REJETEE:
            avis = modeles.avis_rejetee(notifiee, motif)
            occurrence = ""
        elif transition is modeles.TransitionCourriel.A_MODIFIER:
            avis = modeles.avis_a_modifier(notifiee, motif)
        elif transition is modeles.TransitionCourriel.EN_ATTENTE_PIECES:
            avis = modeles.avis_en_attente_pieces(notifiee, motif, etat.pieces_demandees)
        else:
            raise ValueError(f"Pas de courriel pour le statut {statut}")
        courrier.envoyer_une_fois(
            modeles.cle_transition(notifiee, transition, occurrence),
            [str(email)],
            avis,
            dossiers=(dossier.numero_asp,),
        )


class MetriquesPowertools:
    def erreur_technique(self, etape: str) -> None:
        from aws_lambda_powertools.metrics import MetricUnit

        from shared.observabilite import metrics

        metrics.add_metric(name="InstructionErreurTechnique", unit=MetricUnit.Count, value=1)

    def reprise_en_echec(self) -> None:
        from aws_lambda_powertools.metrics import MetricUnit

        from shared.observabilite import metrics

        metrics.add_metric(name="InstructionRepriseEnEchec", unit=MetricUnit.Count, value=1)

    def sans_suite(self, nombre: int) -> None:
        from aws_lambda_powertools.metrics import MetricUnit

        from shared.observabilite import metrics

        # Emitted at every run, 0 included: the alarm reads a gauge, not an event.
        metrics.add_metric(name="InstructionSansSuite", unit=MetricUnit.Count, value=nombre)
