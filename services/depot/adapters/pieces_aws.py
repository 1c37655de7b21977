"""AWS adapters of the pièces use cases (services/depot/application/pieces.py).

Items (table `segurnum-donnees`, see docs/dynamodb.md):
- ZIP of a dépôt: `DEPOT#{idDepot}` / `ZIP#{cle}` (statut, etag, recuLe, erreursPieces…).
- pièce of a dossier: `DOSSIER#{numeroAsp}` / `PIECE#{AVANCE|SOLDE}#{nomFichier}`.
- dossier completion: UpdateItem of `DOSSIER#{numeroAsp}` / `DOSSIER` (statut, GSI2PK,
  version; `solde.statut` for a solde), conditioned on `version`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from lecteur_zip import MembreArchive, SourceAleatoire
from services.depot.adapters.sources_zip import SourceS3, copier_membre
from services.depot.application.pieces import (
    Debut,
    PieceRecue,
    StatutZip,
    ZipDepose,
)
from services.depot.application.ports import VersionPerimee
from services.depot.domain.depot import Dossier
from shared import aws
from shared.campagnes import TypeDemande
from shared.contrats import cle_depot, cle_dossier
from shared.dynamo import TableDynamo
from shared.dynamo import code_erreur as _code
from shared.dynamo import depuis_dynamo as _p
from shared.dynamo import instant_ou_rien as _instant
from shared.dynamo import iso as _iso
from shared.dynamo import vers_dynamo as _d
from shared.messages import InstructionDemandee
from shared.pannes_aws import reessayer
from shared.settings import requis, settings
from shared.statuts import StatutDemande

logger = logging.getLogger(__name__)
_TERMINAUX = (StatutZip.OK, StatutZip.REJETE)


class _Table(TableDynamo):
    def _prefixe(self, pk: str, prefixe: str) -> Iterator[dict[str, Any]]:
        return self._requete(
            KeyConditionExpression="PK = :pk AND begins_with(SK, :prefixe)",
            ExpressionAttributeValues=_d({":pk": pk, ":prefixe": prefixe}),
            ConsistentRead=True,
        )


def _cle_zip(id_depot: str, cle: str) -> dict[str, str]:
    return {"PK": cle_depot(id_depot)["PK"], "SK": f"ZIP#{cle}"}


class ZipsDynamo(_Table):
    """Port SuiviZips."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def enregistrer_attente(self, id_depot: str, cle: str, le: datetime) -> None:
        self.client.put_item(
            TableName=self.table,
            Item=_d(
                {
                    **_cle_zip(id_depot, cle),
                    "type": "ZIP",
                    "idDepot": id_depot,
                    "cle": cle,
                    "statut": str(StatutZip.EN_ATTENTE),
                    "autoriseLe": _iso(le),
                }
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def commencer(
        self, id_depot: str, cle: str, etag: str, taille: int, recu_le: datetime
    ) -> Debut:
        try:
            reponse = self.client.update_item(
                TableName=self.table,
                Key=_d(_cle_zip(id_depot, cle)),
                UpdateExpression=(
                    "SET statut = :encours, etag = :etag, taille = :taille, recuLe = :recu, "
                    "idDepot = :id, cle = :cle, #type = :zip "
                    "REMOVE erreursPieces, pieces, verifieLe"
                ),
                ConditionExpression=(
                    "attribute_exists(PK) AND (attribute_not_exists(etag) OR etag <> :etag "
                    "OR NOT statut IN (:ok, :rejete))"
                ),
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                ExpressionAttributeNames={"#type": "type"},
                ExpressionAttributeValues=_d(
                    {
                        ":encours": str(StatutZip.EN_COURS_DE_VERIFICATION),
                        ":etag": etag,
                        ":taille": taille,
                        ":recu": _iso(recu_le),
                        ":id": id_depot,
                        ":cle": cle,
                        ":zip": "ZIP",
                        ":ok": str(StatutZip.OK),
                        ":rejete": str(StatutZip.REJETE),
                    }
                ),
                ReturnValues="ALL_OLD",
            )
        except ClientError as erreur:
            if _code(erreur) == "ConditionalCheckFailedException":
                # absent: never authorised (only issued keys are processed)
                existant = erreur.response.get("Item")
                return Debut.DEJA_TRAITE if existant else Debut.NON_AUTORISE
            raise
        avant = _p(reponse.get("Attributes") or {})
        if avant.get("etag") == etag and avant.get("statut") == StatutZip.EN_COURS_DE_VERIFICATION:
            return Debut.REPRISE
        return Debut.NOUVEAU

    def terminer(
        self,
        id_depot: str,
        cle: str,
        etag: str,
        statut: StatutZip,
        erreurs_pieces: Sequence[Mapping[str, str | None]],
        pieces: Sequence[str],
        le: datetime,
    ) -> None:
        try:
            self.client.update_item(
                TableName=self.table,
                Key=_d(_cle_zip(id_depot, cle)),
                UpdateExpression=(
                    "SET statut = :statut, erreursPieces = :erreurs, pieces = :pieces, "
                    "verifieLe = :le"
                ),
                ConditionExpression="etag = :etag",
                ExpressionAttributeValues=_d(
                    {
                        ":statut": str(statut),
                        # JSON text: a DynamoDB map cannot hold the null `fichier`
                        ":erreurs": json.dumps(list(map(dict, erreurs_pieces)), ensure_ascii=False),
                        ":pieces": list(pieces),
                        ":le": _iso(le),
                        ":etag": etag,
                    }
                ),
            )
        except ClientError as erreur:
            if _code(erreur) != "ConditionalCheckFailedException":
                raise
            logger.warning("ZIP %s remplacé pendant sa vérification: résultat ignoré.", cle)

    def lister(self, id_depot: str) -> list[ZipDepose]:
        zips = [_zip(item) for item in self._prefixe(cle_depot(id_depot)["PK"], "ZIP#")]
        return sorted(
            zips, key=lambda z: z.autorise_le or z.recu_le or datetime.min.replace(tzinfo=UTC)
        )


def _zip(item: Mapping[str, Any]) -> ZipDepose:
    erreurs = item.get("erreursPieces")
    return ZipDepose(
        id_depot=str(item["idDepot"]),
        cle=str(item["cle"]),
        statut=StatutZip(item["statut"]),
        autorise_le=_instant(item.get("autoriseLe")),
        recu_le=_instant(item.get("recuLe")),
        etag=item.get("etag"),
        taille=int(item["taille"]) if item.get("taille") is not None else None,
        verifie_le=_instant(item.get("verifieLe")),
        erreurs_pieces=tuple(json.loads(erreurs)) if isinstance(erreurs, str) else (),
        pieces=tuple(str(p) for p in item.get("pieces") or ()),
    )


class PiecesDynamo(_Table):
    """Port PiecesDossiers."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def recues(self, numero_asp: str, type_demande: TypeDemande) -> dict[str, str]:
        prefixe = f"PIECE#{type_demande}#"
        items = reessayer(lambda: list(self._prefixe(cle_dossier(numero_asp)["PK"], prefixe)))
        return {str(item["nomFichier"]): str(item.get("cleZip") or "") for item in items}

    def enregistrer(self, piece: PieceRecue) -> None:
        reessayer(lambda: self._enregistrer(piece))  # an upsert: replayed as is

    def _enregistrer(self, piece: PieceRecue) -> None:
        self.client.put_item(
            TableName=self.table,
            Item=_d(
                {
                    "PK": cle_dossier(piece.numero_asp)["PK"],
                    "SK": f"PIECE#{piece.type_demande}#{piece.nom_fichier}",
                    "type": "PIECE",
                    "numeroAsp": piece.numero_asp,
                    "typeDemande": str(piece.type_demande),
                    "nomFichier": piece.nom_fichier,
                    "cleDocument": piece.cle_document,
                    "cleZip": piece.cle_zip,
                    "recueLe": _iso(piece.recue_le),
                }
            ),
        )

    def completer(self, dossier: Dossier, type_demande: TypeDemande, le: datetime) -> Dossier:
        en_cours = str(StatutDemande.EN_COURS)
        valeurs: dict[str, Any] = {
            ":v": dossier.version,
            ":v1": dossier.version + 1,
            ":le": _iso(le),
            ":encours": en_cours,
            ":incomplet": str(StatutDemande.INCOMPLET),
            ":aucune": [],  # complete: nothing missing (kept, for the dépôt's view)
        }
        if type_demande is TypeDemande.SOLDE:
            expression = (
                "SET solde.statut = :encours, version = :v1, modifieLe = :le, "
                "solde.piecesManquantes = :aucune"
            )
            condition = "version = :v AND solde.statut = :incomplet"
        else:
            expression = (
                "SET statut = :encours, GSI2PK = :gsi, version = :v1, modifieLe = :le, "
                "piecesManquantes = :aucune"
            )
            condition = "version = :v AND statut = :incomplet"
            valeurs[":gsi"] = f"STATUT#{en_cours}"
        try:
            self.client.update_item(
                TableName=self.table,
                Key=_d(cle_dossier(dossier.numero_asp)),
                UpdateExpression=expression,
                ConditionExpression=condition,
                ExpressionAttributeValues=_d(valeurs),
            )
        except ClientError as erreur:
            if _code(erreur) == "ConditionalCheckFailedException":
                raise VersionPerimee(dossier.numero_asp) from erreur
            raise
        if type_demande is TypeDemande.SOLDE:
            solde = {**(dossier.solde or {}), "statut": en_cours, "piecesManquantes": []}
            return replace(dossier, solde=solde, modifie_le=le, version=dossier.version + 1)
        return replace(
            dossier,
            statut=StatutDemande.EN_COURS,
            modifie_le=le,
            version=dossier.version + 1,
            pieces_manquantes=(),
        )

    def noter_manquantes(
        self, numero_asp: str, type_demande: TypeDemande, manquantes: Sequence[str]
    ) -> None:
        chemin = (
            "solde.piecesManquantes" if type_demande is TypeDemande.SOLDE else ("piecesManquantes")
        )
        try:
            self.client.update_item(
                TableName=self.table,
                Key=_d(cle_dossier(numero_asp)),
                UpdateExpression=f"SET {chemin} = :m",
                ConditionExpression="attribute_exists(PK)",
                ExpressionAttributeValues=_d({":m": list(manquantes)}),
            )
        except ClientError as erreur:
            if _code(erreur) != "ConditionalCheckFailedException":
                raise


class SourcesS3:
    """Port SourcesZip: ranged reads pinned to the ETag."""

    def __init__(self, client: Any | None = None) -> None:
        self._client = client

    def ouvrir(self, bucket: str, cle: str, taille: int, etag: str) -> SourceAleatoire:
        client = self._client if self._client is not None else aws.client("s3")
        return SourceS3(client, bucket, cle, taille=taille, etag=f'"{etag.strip(chr(34))}"')


class CopieS3:
    """Port CopiePieces: members to the documents bucket."""

    def __init__(self, bucket_documents: str | None = None, client: Any | None = None) -> None:
        self._bucket = bucket_documents
        self._client = client

    def copier(
        self, bucket: str, cle_zip: str, etag: str, membre: MembreArchive, cle_destination: str
    ) -> None:
        client = self._client if self._client is not None else aws.client("s3")
        # The same member to the same key: replayed as is after a passing failure.
        reessayer(
            lambda: copier_membre(
                client,
                membre,
                bucket=bucket,
                cle_archive=cle_zip,
                bucket_destination=self._bucket or settings().bucket_documents,
                cle_destination=cle_destination,
                etag_archive=f'"{etag.strip(chr(34))}"',
            )
        )


def nom_execution(demande: InstructionDemandee) -> str:
    return f"{demande.numeroAsp}-{demande.typeDemande}-{demande.version}"


class InstructionStepFunctions:
    """Port Instruction: StartExecution named so that a duplicate starts nothing twice."""

    def __init__(self, state_machine: str | None = None, client: Any | None = None) -> None:
        # Resolved in the composition root: a missing ARN stops the cold start (loud), it
        # never lets a complete dossier wait for an instruction that was never started.
        self._state_machine = (
            state_machine or requis("state_machine_instruction").state_machine_instruction
        )
        self._client = client

    def demarrer(self, demande: InstructionDemandee) -> None:
        client = self._client if self._client is not None else aws.client("stepfunctions")
        arn = self._state_machine
        try:
            # Named: a replay starts nothing twice (the same name and input answer as the
            # first start while it runs, ExecutionAlreadyExists after).
            reessayer(
                lambda: client.start_execution(
                    stateMachineArn=arn,
                    name=nom_execution(demande),
                    input=demande.model_dump_json(),
                )
            )
        except ClientError as erreur:
            if _code(erreur) != "ExecutionAlreadyExists":
                raise
            logger.info("Instruction %s déjà démarrée.", nom_execution(demande))
