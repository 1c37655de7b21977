"""DynamoDB, Step Functions, SQS and S3 adapters of the instruction service.

The instruction state of a demande is written here only (`shared.etat_instruction.item_etat`), in
one transaction with its history entry and the statut mirror on the dossier item that the
dépôt service wrote (so that its rules — typeAction M allowed, FINESS holder's statut —
see the instruction's statut)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from services.instruction.application.ports import Filtres, JetonPerime, VersionPerimee
from shared.aws import client
from shared.campagnes import TypeDemande
from shared.contrats import cle_dossier
from shared.dossier import ResumeDossier, resume_depuis_item
from shared.dynamo import TableDynamo, code_erreur, condition_echouee, depuis_dynamo, vers_dynamo
from shared.enregistrement import iso
from shared.etat_instruction import EtatInstruction, cle_demande, etat_depuis_item, item_etat
from shared.historique import EntreeHistorique, historique_depuis_item, item_historique
from shared.messages import VersementDemande
from shared.pannes_aws import reessayer
from shared.settings import settings
from shared.statuts import Attendu, StatutDemande

MAX_REQUETES_PAGE = 20  # filters applied after the index: bound the work of one page

# index → (partition attribute, sort attribute)
INDEX = {"GSI1": ("GSI1PK", "GSI1SK"), "GSI2": ("GSI2PK", "GSI2SK"), "GSI3": ("GSI3PK", "GSI3SK")}


def _miroir(avant: EtatInstruction | None, apres: EtatInstruction) -> bool:
    """The dossier item follows business statuts only, and only when they change (the
    dépôt set EN_COURS itself when the dossier was complete)."""
    if avant is None or apres.statut is StatutDemande.EN_ERREUR_TECHNIQUE:
        return False
    precedent = (
        avant.statut_avant_erreur
        if avant.statut is StatutDemande.EN_ERREUR_TECHNIQUE
        else avant.statut
    )
    return precedent is not apres.statut


class InstructionsDynamo(TableDynamo):
    def lire(self, numero_asp: str, type_demande: TypeDemande) -> EtatInstruction | None:
        item = self._lire(cle_demande(numero_asp, type_demande))
        return etat_depuis_item(item) if item else None

    def etats(self, numero_asp: str) -> list[EtatInstruction]:
        return [
            etat_depuis_item(item)
            for item in self._requete(
                KeyConditionExpression="PK = :p AND begins_with(SK, :d)",
                ExpressionAttributeValues=vers_dynamo(
                    {":p": cle_dossier(numero_asp)["PK"], ":d": "DEMANDE#"}
                ),
                ConsistentRead=True,
            )
        ]

    def lire_dossier(self, numero_asp: str) -> ResumeDossier | None:
        item = self._lire(cle_dossier(numero_asp))
        return resume_depuis_item(item) if item else None

    def historique(self, numero_asp: str) -> list[EntreeHistorique]:
        return [
            historique_depuis_item(item)
            for item in self._requete(
                KeyConditionExpression="PK = :p AND begins_with(SK, :h)",
                ExpressionAttributeValues=vers_dynamo(
                    {":p": cle_dossier(numero_asp)["PK"], ":h": "HISTO#"}
                ),
            )
        ]

    def ecrire(
        self,
        avant: EtatInstruction | None,
        apres: EtatInstruction,
        entree: EntreeHistorique | None = None,
        jeton_consomme: str | None = None,
    ) -> None:
        valeurs: dict[str, Any] = {}
        if avant is None:
            condition = "attribute_not_exists(PK)"
        else:
            condition = "version = :v"
            valeurs[":v"] = avant.version
        if jeton_consomme is not None:
            condition += " AND jeton = :j"
            valeurs[":j"] = jeton_consomme
        put: dict[str, Any] = {
            "TableName": self.table,
            "Item": vers_dynamo(item_etat(apres)),
            "ConditionExpression": condition,
        }
        if valeurs:
            put["ExpressionAttributeValues"] = vers_dynamo(valeurs)
        operations: list[dict[str, Any]] = [{"Put": put}]
        if entree is not None:
            operations.append(
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": vers_dynamo(item_historique(apres.numero_asp, entree)),
                    }
                }
            )
        if _miroir(avant, apres):
            operations.append({"Update": self._maj_miroir(apres)})
        if len(operations) == 1:
            try:
                self.client.put_item(**put)
            except Exception as erreur:
                if condition_echouee(erreur):
                    raise VersionPerimee(apres.numero_asp) from erreur
                raise
            return
        try:
            self.client.transact_write_items(TransactItems=operations)
        except Exception as erreur:
            if code_erreur(erreur) != "TransactionCanceledException":
                raise
            raisons = getattr(erreur, "response", {}).get("CancellationReasons") or []
            codes = [str(r.get("Code", "")) for r in raisons]
            if not codes or codes[0] in ("ConditionalCheckFailed", "TransactionConflict"):
                raise VersionPerimee(apres.numero_asp) from erreur
            if "TransactionConflict" in codes:
                raise VersionPerimee(apres.numero_asp) from erreur
            raise

    def _maj_miroir(self, etat: EtatInstruction) -> dict[str, Any]:
        statut = str(etat.statut)
        if etat.type_demande is TypeDemande.AVANCE:
            expression = "SET statut = :s, GSI2PK = :g ADD version :un"
            valeurs: dict[str, Any] = {":s": statut, ":g": f"STATUT#{statut}", ":un": 1}
            condition = "attribute_exists(PK)"
            noms: dict[str, str] = {}
        else:
            expression = "SET solde.#st = :s ADD version :un"
            valeurs = {":s": statut, ":un": 1}
            condition = "attribute_exists(solde)"
            noms = {"#st": "statut"}
        maj: dict[str, Any] = {
            "TableName": self.table,
            "Key": vers_dynamo(cle_dossier(etat.numero_asp)),
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": vers_dynamo(valeurs),
        }
        if noms:
            maj["ExpressionAttributeNames"] = noms
        return maj

    def effacer_reprise(self, numero_asp: str, type_demande: TypeDemande, jeton: str) -> None:
        try:
            self.client.update_item(
                TableName=self.table,
                Key=vers_dynamo(cle_demande(numero_asp, type_demande)),
                UpdateExpression="REMOVE reprise",
                ConditionExpression="reprise.jeton = :j",
                ExpressionAttributeValues=vers_dynamo({":j": jeton}),
            )
        except Exception as erreur:
            if not condition_echouee(erreur):
                raise

    def lister(
        self, filtres: Filtres, limite: int, curseur: Mapping[str, Any] | None
    ) -> tuple[list[EtatInstruction], dict[str, Any] | None]:
        index, cle, prefixe, restants = self.requete_liste(filtres)
        partition, tri = INDEX[index]
        condition = f"{partition} = :p"
        valeurs: dict[str, Any] = {":p": cle}
        if prefixe:
            condition += f" AND begins_with({tri}, :t)"
            valeurs[":t"] = prefixe
        filtre = []
        noms: dict[str, str] = {}
        for attribut, valeur in restants.items():
            noms[f"#{attribut}"] = attribut
            valeurs[f":{attribut}"] = valeur
            filtre.append(f"#{attribut} = :{attribut}")
        arguments: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": vers_dynamo(valeurs),
            "Limit": limite,
        }
        if filtre:
            arguments["FilterExpression"] = " AND ".join(filtre)
            arguments["ExpressionAttributeNames"] = noms
        trouves: list[dict[str, Any]] = []
        depart = dict(curseur) if curseur else None
        suivant: dict[str, Any] | None = None
        for _ in range(MAX_REQUETES_PAGE):
            if depart:
                arguments["ExclusiveStartKey"] = depart
            reponse = self.client.query(TableName=self.table, **arguments)
            items = reponse.get("Items", [])
            depart = reponse.get("LastEvaluatedKey")
            for rang, item in enumerate(items):
                trouves.append(item)
                if len(trouves) == limite:
                    fin = rang == len(items) - 1 and not depart
                    suivant = None if fin else {k: item[k] for k in ("PK", "SK", partition, tri)}
                    return [etat_depuis_item(depuis_dynamo(i)) for i in trouves], suivant
            if not depart:
                break
        else:
            suivant = depart  # the page's work is bounded: resume after what was read
        return [etat_depuis_item(depuis_dynamo(i)) for i in trouves], suivant

    def en_reprise(
        self, statut: StatutDemande, modifiee_avant: datetime, limite: int
    ) -> list[EtatInstruction]:
        # A Query of the statut's index, filtered: pending hand-overs are few and leave the
        # index's pages at once; the filter costs the reads of that statut's demandes.
        return self._filtrer(statut, "attribute_exists(reprise)", {}, modifiee_avant, limite)

    def sans_suite(
        self, statut: StatutDemande, modifiee_avant: datetime, limite: int
    ) -> list[EtatInstruction]:
        return self._filtrer(
            statut,
            "attendu = :plateforme AND attribute_not_exists(reprise)",
            {":plateforme": str(Attendu.PLATEFORME)},
            modifiee_avant,
            limite,
        )

    def _filtrer(
        self,
        statut: StatutDemande,
        filtre: str,
        valeurs: dict[str, str],
        modifiee_avant: datetime,
        limite: int,
    ) -> list[EtatInstruction]:
        trouves: list[EtatInstruction] = []
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "GSI2",
            "KeyConditionExpression": "GSI2PK = :p",
            "FilterExpression": f"{filtre} AND modifieLe < :avant",
            "ExpressionAttributeValues": vers_dynamo(
                {":p": f"DEMANDE_STATUT#{statut}", ":avant": iso(modifiee_avant), **valeurs}
            ),
        }
        while len(trouves) < limite:
            reponse = self.client.query(**arguments)
            trouves += [etat_depuis_item(depuis_dynamo(i)) for i in reponse.get("Items", [])]
            if not reponse.get("LastEvaluatedKey"):
                break
            arguments["ExclusiveStartKey"] = reponse["LastEvaluatedKey"]
        return trouves[:limite]

    @staticmethod
    def requete_liste(filtres: Filtres) -> tuple[str, str, str, dict[str, str]]:
        """(index, partition value, sort-key prefix, attributes filtered after the index)."""
        type_ = f"{filtres.type_demande}#" if filtres.type_demande else ""
        restants: dict[str, str] = {}
        if filtres.couloir:
            restants["couloir"] = filtres.couloir
        if filtres.numero_ans:
            restants["numeroAns"] = filtres.numero_ans
        if filtres.siret:
            if filtres.statut:
                restants["statut"] = str(filtres.statut)
            return "GSI1", f"EDITEUR#{filtres.siret}", f"DEMANDE#{type_}", restants
        if filtres.statut:
            return "GSI2", f"DEMANDE_STATUT#{filtres.statut}", type_, restants
        return "GSI3", "DEMANDE", type_, restants

    def dossiers_editeur(
        self, siret: str, limite: int, curseur: Mapping[str, Any] | None
    ) -> tuple[list[ResumeDossier], dict[str, Any] | None]:
        arguments: dict[str, Any] = {
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :p AND begins_with(GSI1SK, :d)",
            "ExpressionAttributeValues": vers_dynamo({":p": f"EDITEUR#{siret}", ":d": "DOSSIER#"}),
            "Limit": limite,
        }
        if curseur:
            arguments["ExclusiveStartKey"] = dict(curseur)
        reponse = self.client.query(TableName=self.table, **arguments)
        dossiers = [resume_depuis_item(depuis_dynamo(i)) for i in reponse.get("Items", [])]
        return dossiers, reponse.get("LastEvaluatedKey")

    def email_depositaire(self, siret: str, numero_ans: str) -> str | None:
        from shared.enrolement_table import LecteurEnrolements

        return LecteurEnrolements(self._table, self._client).email(siret, numero_ans)


class WorkflowStepFunctions:
    def __init__(self, client_sfn: Any | None = None) -> None:
        self._client = client_sfn

    def reprendre(self, jeton: str, sortie: Mapping[str, Any]) -> None:
        sfn = self._client if self._client is not None else client("stepfunctions")
        sortie_json = json.dumps(dict(sortie), default=str)
        try:
            # Retried here, in the gestionnaire's request: otherwise the decision waits for
            # the reconciliation (15 min). A replay after a lost answer finds the token used
            # (JetonPerime below): the hand-over happened.
            reessayer(lambda: sfn.send_task_success(taskToken=jeton, output=sortie_json))
        except Exception as erreur:
            if code_erreur(erreur) in ("TaskDoesNotExist", "InvalidToken", "TaskTimedOut"):
                raise JetonPerime(code_erreur(erreur)) from erreur
            raise

    def relancer_execution(self, nom: str, entree: Mapping[str, Any]) -> None:
        """A new execution that starts at the failed step (when the previous one is gone)."""
        sfn = self._client if self._client is not None else client("stepfunctions")
        sfn.start_execution(
            stateMachineArn=settings().state_machine_instruction,
            name=nom,
            input=json.dumps(dict(entree), default=str),
        )


class VersementsSqs:
    """Port Versements: the contract message on the paiement service's queue."""

    def __init__(self, queue: str | None = None, client_sqs: Any | None = None) -> None:
        from shared.file_sqs import FileSqs

        nom = queue or settings().queue_versements
        self._file = FileSqs(nom, client_sqs)

    def demander(self, demande: VersementDemande) -> None:
        self._file.envoyer(demande.model_dump_json())
