"""AWS adapters of what follows a payment: the Step Functions signal, the avis de paiement
in S3, the courriel, presigned uploads/downloads and the bank-return records."""

from __future__ import annotations

import logging
from typing import Any

from services.paiement.domain.avis import DonneesAvis
from services.paiement.domain.retour_recu import (
    AnomalieRetour,
    EnvoiAutorise,
    LigneRetour,
    RetourBancaire,
    StatutRetour,
)
from services.paiement.domain.versement import Versement
from shared import aws
from shared.bucket_s3 import BucketS3
from shared.campagnes import TypeDemande, campagne
from shared.contrats import cle_dossier
from shared.dossier import ResumeDossier, resume_depuis_item
from shared.dynamo import TableDynamo, code_erreur, instant, instant_ou_rien, iso
from shared.enrolement_table import LecteurEnrolements
from shared.envois import autoriser_envoi_s3
from shared.horloge import PARIS
from shared.messages import VersementEffectue
from shared.settings import settings

logger = logging.getLogger(__name__)

DUREE_URL = 300  # seconds: a presigned GET valid a few minutes
JETONS_PERIMES = ("TaskDoesNotExist", "InvalidToken", "TaskTimedOut")


class SignalStepFunctions:
    """Port Signal: SendTaskSuccess with the VersementEffectue contract (shared/messages.py)."""

    def __init__(self, client_sfn: Any | None = None) -> None:
        self._client = client_sfn

    def versement_effectue(self, jeton: str, effectue: VersementEffectue) -> None:
        sfn = self._client if self._client is not None else aws.client("stepfunctions")
        try:
            sfn.send_task_success(taskToken=jeton, output=effectue.model_dump_json())
        except Exception as erreur:
            if code_erreur(erreur) not in JETONS_PERIMES:
                raise
            # Already answered (a replay) or the execution is gone: nothing left to resume.
            logger.warning("Jeton d'instruction périmé (%s)", code_erreur(erreur))


class DonneesEditeur(LecteurEnrolements):
    """The enrolment (raison sociale, email: the shared reader, IBAN not decrypted) and the
    dossier item, read-only."""

    def dossier(self, numero_asp: str) -> ResumeDossier | None:
        item = self._lire(cle_dossier(numero_asp))
        return None if item is None else resume_depuis_item(item)


class FichiersS3(BucketS3):
    """Port EnvoisFichiers and the avis' storage, in the documents bucket."""

    reglage_bucket = "bucket_documents"

    def __init__(self, bucket: str | None = None, client_s3: Any | None = None) -> None:
        super().__init__(bucket, client_s3)

    def autoriser_envoi(self, cle: str, taille_max: int, secondes: int) -> EnvoiAutorise:
        """Bound to the exact key, 1 byte to `taille_max`, `secondes` long (S3 enforces it)."""
        return autoriser_envoi_s3(self.s3, self.bucket, cle, taille_max, secondes)

    def url(self, cle: str) -> str:
        return str(
            self.s3.generate_presigned_url(
                "get_object", Params={"Bucket": self.bucket, "Key": cle}, ExpiresIn=DUREE_URL
            )
        )

    def deposer(self, cle: str, contenu: bytes, type_contenu: str) -> None:
        self.s3.put_object(Bucket=self.bucket, Key=cle, Body=contenu, ContentType=type_contenu)


def cle_avis(versement: Versement) -> str:
    from services.paiement.domain.avis import nom_fichier_avis

    nom = nom_fichier_avis(versement.numero_demande, versement.objet)
    return f"paiements/avis/{versement.numero_asp}/{nom}"


class AvisPdfS3:
    """Port AvisPaiement: fpdf2 + PAdES signature (key pair in Secrets Manager)."""

    def __init__(
        self, fichiers: FichiersS3, editeurs: DonneesEditeur, source: Any | None = None
    ) -> None:
        self._fichiers = fichiers
        self._editeurs = editeurs
        self._source = source

    def produire(self, versement: Versement) -> str:
        from services.paiement.adapters.avis_pdf import avis_signe

        source = self._source
        if source is None:
            from shared.secrets_aws import MaterielSecretsManager

            source = self._source = MaterielSecretsManager(settings().secret_signature)
        assert versement.paye_le is not None and versement.montant_paye is not None
        enrolement = self._editeurs.enrolement(versement.siret, versement.numero_ans)
        dossier = self._editeurs.dossier(versement.numero_asp)
        if dossier is None:
            raise LookupError(f"dossier {versement.numero_asp} introuvable: pas d'avis sans lui")
        donnees = DonneesAvis(
            beneficiaire=(
                (enrolement.raison_sociale if enrolement else "")
                or versement.titulaire
                or versement.siret
            ),
            siret=versement.siret,
            numero_asp=versement.numero_asp,
            numero_demande=versement.numero_demande,
            objet=versement.objet,
            type_versement=TypeDemande(versement.type.value),
            montant_paye=versement.montant_paye,
            paye_le=versement.paye_le.astimezone(PARIS).date(),
            iban_masque=versement.iban_masque or "",
            # The payment's instant: the same versement always gives the same bytes.
            emis_le=versement.paye_le,
            programme=campagne(dossier.campagne).programme,
            bic=versement.bic or "",
            reference=versement.end_to_end,
            valide_le=versement.valide_le.astimezone(PARIS).date(),
            mis_en_paiement_le=(
                versement.mis_en_paiement_le.astimezone(PARIS).date()
                if versement.mis_en_paiement_le
                else None
            ),
        )
        cle = cle_avis(versement)
        self._fichiers.deposer(cle, avis_signe(donnees, source), "application/pdf")
        return cle


class NotificationsCourriels:
    """Port NotificationsPaiement: shared/courriels, claim per demande (PAYEE), journal."""

    def __init__(self, editeurs: DonneesEditeur, courrier: Any | None = None) -> None:
        self._editeurs = editeurs
        self._courrier = courrier

    def notifier_paye(self, versement: Versement) -> None:
        from shared.courriels import dossier as modeles

        courrier = self._courrier
        if courrier is None:
            from shared.courriels.composition import courrier as fabrique

            courrier = self._courrier = fabrique()
        email = self._editeurs.email(versement.siret, versement.numero_ans)
        if not email:
            logger.warning(
                "Pas d'email de dépositaire pour %s: courriel non envoyé", versement.siret
            )
            return
        assert versement.paye_le is not None and versement.montant_paye is not None
        type_demande = TypeDemande(versement.type.value)
        dossier = self._editeurs.dossier(versement.numero_asp)
        depose_le = versement.valide_le
        if dossier is not None:
            demande = dossier.demandes.get(type_demande)
            depose_le = (demande.depose_le if demande else None) or dossier.depose_le
        notifiee = modeles.DemandeNotifiee(
            numero_asp=versement.numero_asp,
            type_demande=type_demande,
            siret=versement.siret,
            depose_le=depose_le,
            url_portail=settings().url_portail,
        )
        avis = modeles.avis_payee(
            notifiee,
            modeles.VersementNotifie(
                numero_demande=versement.numero_demande,
                objet=versement.objet,
                type_versement=type_demande,
                montant_paye=versement.montant_paye,
                paye_le=versement.paye_le,
            ),
        )
        courrier.envoyer_une_fois(
            modeles.cle_transition(notifiee, modeles.TransitionCourriel.PAYEE),
            [email],
            avis,
            dossiers=(versement.numero_asp,),
        )


def _cle_retour(id_retour: str) -> dict[str, str]:
    return {"PK": f"RETOUR#{id_retour}", "SK": "RETOUR"}


def _ligne_item(ligne: LigneRetour | AnomalieRetour) -> dict[str, Any]:
    return {k: v for k, v in vars(ligne).items() if v is not None}


def _ligne(item: dict[str, Any]) -> LigneRetour:
    def texte(nom: str) -> str | None:
        return None if item.get(nom) is None else str(item[nom])

    return LigneRetour(
        numero_asp=str(item["numero_asp"]),
        numero_demande=str(item["numero_demande"]),
        objet=str(item["objet"]),
        type=str(item["type"]),
        end_to_end=str(item["end_to_end"]),
        montant=texte("montant"),
        code_rejet=texte("code_rejet"),
        motif_rejet=texte("motif_rejet"),
    )


class RetoursDynamo(TableDynamo):
    """Port Retours: `RETOUR#{id}` / `RETOUR` (docs/dynamodb.md)."""

    def _item(self, r: RetourBancaire) -> dict[str, Any]:
        return {
            **_cle_retour(r.id),
            "type": "RETOUR",
            "idRetour": r.id,
            "statut": r.statut.value,
            "demandeLe": iso(r.demande_le),
            "demandePar": r.demande_par,
            "recuLe": iso(r.recu_le) if r.recu_le else None,
            "traiteLe": iso(r.traite_le) if r.traite_le else None,
            "messageId": r.message_id,
            "payes": [_ligne_item(li) for li in r.payes],
            "rejetes": [_ligne_item(li) for li in r.rejetes],
            "soldesLiberes": [_ligne_item(li) for li in r.soldes_liberes],
            "dejaTraites": r.deja_traites,
            "enCours": r.en_cours,
            "anomalies": [_ligne_item(a) for a in r.anomalies],
            "erreur": r.erreur,
        }

    def creer_retour(self, retour: RetourBancaire) -> None:
        self._creer(self._item(retour))

    def enregistrer_retour(self, retour: RetourBancaire) -> None:
        self._ecrire(self._item(retour))

    def lire_retour(self, id_retour: str) -> RetourBancaire | None:
        item = self._lire(_cle_retour(id_retour))
        if item is None:
            return None
        return RetourBancaire(
            id=str(item["idRetour"]),
            statut=StatutRetour(str(item["statut"])),
            demande_le=instant(item["demandeLe"]),
            demande_par=str(item.get("demandePar", "")),
            recu_le=instant_ou_rien(item.get("recuLe")),
            traite_le=instant_ou_rien(item.get("traiteLe")),
            message_id=item.get("messageId"),
            payes=tuple(_ligne(li) for li in item.get("payes", [])),
            rejetes=tuple(_ligne(li) for li in item.get("rejetes", [])),
            soldes_liberes=tuple(_ligne(li) for li in item.get("soldesLiberes", [])),
            deja_traites=int(item.get("dejaTraites", 0)),
            en_cours=int(item.get("enCours", 0)),
            anomalies=tuple(
                AnomalieRetour(str(a["code"]), str(a["message"]), a.get("reference"))
                for a in item.get("anomalies", [])
            ),
            erreur=item.get("erreur"),
        )
