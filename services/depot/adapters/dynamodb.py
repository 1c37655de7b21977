"""DynamoDB adapters of the dépôt service (single table, see docs/dynamodb.md).

Writes that must hold together are one TransactWriteItems: a dossier, its FINESS claims,
its numeroDossier claim, the import claim of its line and its history entry. Conditions
make the claims unique (`attribute_not_exists(PK)`) and the updates safe (`version`).
Items written by other services (the dossier's instruction fields, the enrolment) are
read with their documented shape only; an update touches only the attributes it owns.

boto3 clients come from `shared.aws.client` at each call (one per thread), unless one
is given to the constructor.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

from services.depot.application.ports import (
    Bail,
    IssueEcriture,
    ReservationLigne,
    TypeIssue,
    VersionPerimee,
)
from services.depot.application.registre import RegistreDepot
from services.depot.domain.depot import (
    Depot,
    Dossier,
    FichierRecu,
    ImportEnCours,
    ResumeSimulation,
    StatutDepot,
)
from shared.campagnes import TypeDemande
from shared.contrats import cle_depot, cle_dossier, cle_finess, cle_numero_dossier
from shared.depot import index_statut_depot

# The dossier item's one writer and reader (shared/dossier.py), under the names this
# module's writes use.
from shared.dossier import CHAMPS_ENTETE as _CHAMPS_RESUME
from shared.dossier import champs_modifiables as _champs_modifiables
from shared.dossier import dossier_depuis_item as _dossier
from shared.dossier import item_dossier as _dossier_item
from shared.dynamo import TableDynamo as _Table
from shared.dynamo import code_erreur as _code
from shared.dynamo import depuis_dynamo as _depuis_dynamo
from shared.dynamo import instant as _instant
from shared.dynamo import instant_ou_rien as _instant_ou_rien
from shared.dynamo import iso as _iso
from shared.dynamo import vers_dynamo as _vers_dynamo
from shared.enrolement_table import LecteurEnrolements
from shared.historique import EntreeHistorique, historique_depuis_item, item_historique
from shared.pannes_aws import est_transitoire

logger = logging.getLogger(__name__)

MAX_ARTICLES = 100  # TransactWriteItems: at most 100 items
ESSAIS_TRANSACTION = 6  # TransactionConflict: another transaction touched the same item
# A claim is taken when free, or already held by the same dossier (a replayed write).
_LIBRE = "attribute_not_exists(PK) OR numeroAsp = :asp"


# --- Dépôts ----------------------------------------------------------------------------------


def _depot_item(depot: Depot, version: int) -> dict[str, Any]:
    cree_le = _iso(depot.cree_le)
    item: dict[str, Any] = {
        **cle_depot(depot.id),
        "GSI1PK": f"EDITEUR#{depot.siret}",
        "GSI1SK": f"DEPOT#{cree_le}",
        "GSI2PK": index_statut_depot(depot.statut),
        "GSI2SK": cree_le,
        "type": "DEPOT",
        "idDepot": depot.id,
        "siret": depot.siret,
        "numeroAns": depot.numero_ans,
        "couloir": depot.couloir,
        "campagne": depot.campagne,
        "typeDemande": str(depot.type_demande),
        "tauxTva": format(depot.taux_tva, "f"),
        "statut": str(depot.statut),
        "creeLe": cree_le,
        "modification": depot.modification,
        "version": version,
    }
    if depot.fichier is not None:
        item["jsonRecuLe"] = _iso(depot.fichier.recu_le)
        item["fichier"] = {
            "cle": depot.fichier.cle,
            "nom": depot.fichier.nom,
            "empreinte": depot.fichier.empreinte,
            "recuLe": _iso(depot.fichier.recu_le),
            "taille": depot.fichier.taille,
            "versionId": depot.fichier.version_id,
        }
    if depot.simulation is not None:
        item["simulation"] = {
            "nombreLignes": depot.simulation.nombre_lignes,
            "lignesImportables": depot.simulation.lignes_importables,
            "lignesRejetees": depot.simulation.lignes_rejetees,
            "erreursFichier": depot.simulation.erreurs_fichier,
            "simuleLe": _iso(depot.simulation.simule_le),
        }
        if depot.fichier is not None:
            item["compteRendu"] = depot.cle_rapport("compte-rendu.json")
    if depot.import_commence_le is not None:
        item["importCommenceLe"] = _iso(depot.import_commence_le)
    if depot.importe_le is not None:
        item["importeLe"] = _iso(depot.importe_le)
        item["numerosAsp"] = {str(k): v for k, v in depot.numeros_asp.items()}
        item["lignesRejeteesALImport"] = depot.lignes_rejetees_a_l_import
    if depot.termine_le is not None:
        item["termineLe"] = _iso(depot.termine_le)
    if depot.cle_json is not None:
        item["cleJson"] = depot.cle_json
    encours = depot.import_en_cours
    if encours is not None:
        item["import"] = {
            "lignesATraiter": encours.lignes_a_traiter,
            "lignesTraitees": encours.lignes_traitees,
            "premierNumero": encours.premier_numero,
            "bailJusquA": Decimal(str(round(encours.bail_jusqu_a, 3))),
        }
        # top level: the condition of every write of the run that holds the lease
        item["importJeton"] = encours.jeton
    return item


def _import_en_cours(brut: Any, jeton: Any) -> ImportEnCours | None:
    if not brut:
        return None
    premier = brut.get("premierNumero")
    return ImportEnCours(
        lignes_a_traiter=int(brut.get("lignesATraiter", 0)),
        lignes_traitees=int(brut.get("lignesTraitees", 0)),
        premier_numero=int(premier) if premier is not None else None,
        jeton=str(jeton) if jeton else None,
        bail_jusqu_a=float(brut.get("bailJusquA", 0)),  # ok: a lease deadline (epoch s), not money
    )


def _depot(item: Mapping[str, Any]) -> Depot:
    fichier = item.get("fichier")
    simulation = item.get("simulation")
    return Depot(
        id=str(item["idDepot"]),
        siret=str(item["siret"]),
        numero_ans=str(item["numeroAns"]),
        couloir=str(item["couloir"]),
        campagne=str(item["campagne"]),
        type_demande=TypeDemande(item["typeDemande"]),
        taux_tva=Decimal(str(item["tauxTva"])),
        statut=StatutDepot(item["statut"]),
        cree_le=_instant(item["creeLe"]),
        modification=bool(item.get("modification", False)),
        fichier=None
        if not fichier
        else FichierRecu(
            cle=str(fichier["cle"]),
            nom=str(fichier["nom"]),
            empreinte=str(fichier["empreinte"]),
            recu_le=_instant(fichier["recuLe"]),
            taille=int(fichier["taille"]),
            version_id=fichier.get("versionId"),
        ),
        simulation=None
        if not simulation
        else ResumeSimulation(
            nombre_lignes=int(simulation["nombreLignes"]),
            lignes_importables=int(simulation["lignesImportables"]),
            lignes_rejetees=int(simulation["lignesRejetees"]),
            erreurs_fichier=int(simulation["erreursFichier"]),
            simule_le=_instant(simulation["simuleLe"]),
        ),
        import_commence_le=_instant_ou_rien(item.get("importCommenceLe")),
        importe_le=_instant_ou_rien(item.get("importeLe")),
        termine_le=_instant_ou_rien(item.get("termineLe")),
        numeros_asp={int(k): str(v) for k, v in (item.get("numerosAsp") or {}).items()},
        lignes_rejetees_a_l_import=int(item.get("lignesRejeteesALImport", 0)),
        cle_json=item.get("cleJson"),
        import_en_cours=_import_en_cours(item.get("import"), item.get("importJeton")),
        version=int(item["version"]),
    )


class DepotRepository(_Table):
    """Implements `Depots`."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def ajouter(self, depot: Depot) -> Depot:
        try:
            self.client.put_item(
                TableName=self.table,
                Item=_vers_dynamo(_depot_item(depot, 1)),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ClientError as erreur:
            if _code(erreur) != "ConditionalCheckFailedException":
                raise
            # The id is a fresh UUID: an item already there with the same éditeur and
            # instant is this very write, applied before its answer was lost (the SDK's
            # retry then failed the condition), not another dépôt.
            existant = self.lire(depot.id)
            if existant is None or (existant.siret, existant.cree_le) != (
                depot.siret,
                depot.cree_le,
            ):
                raise VersionPerimee(f"le dépôt {depot.id} existe déjà") from erreur
        return _avec_version(depot, 1)

    def retirer_orphelin(self, id_depot: str) -> None:
        try:
            self.client.delete_item(
                TableName=self.table,
                Key=_vers_dynamo(cle_depot(id_depot)),
                ConditionExpression="statut = :cree",
                ExpressionAttributeValues={":cree": {"S": str(StatutDepot.CREE)}},
            )
        except ClientError as erreur:
            if _code(erreur) != "ConditionalCheckFailedException":
                raise

    def lire(self, id_depot: str) -> Depot | None:
        item = self._lire(cle_depot(id_depot))
        return _depot(item) if item else None

    def enregistrer(self, depot: Depot) -> Depot:
        try:
            self.client.put_item(
                TableName=self.table,
                Item=_vers_dynamo(_depot_item(depot, depot.version + 1)),
                ConditionExpression="version = :attendue",
                ExpressionAttributeValues={":attendue": {"N": str(depot.version)}},
            )
        except ClientError as erreur:
            if _code(erreur) == "ConditionalCheckFailedException":
                raise VersionPerimee(f"le dépôt {depot.id} a changé") from erreur
            raise
        return _avec_version(depot, depot.version + 1)

    def lister(self, siret: str) -> list[Depot]:
        return [
            _depot(item)
            for item in self._requete(
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefixe)",
                ExpressionAttributeValues={
                    ":pk": {"S": f"EDITEUR#{siret}"},
                    ":prefixe": {"S": "DEPOT#"},
                },
                ScanIndexForward=False,
            )
        ]

    def page(
        self, siret: str, limite: int, depart: dict[str, Any] | None
    ) -> tuple[list[Depot], dict[str, Any] | None]:
        """One page of the éditeur's dépôts, newest first, and the key to resume from."""
        reponse = self.client.query(
            TableName=self.table,
            IndexName="GSI1",
            KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefixe)",
            ExpressionAttributeValues={
                ":pk": {"S": f"EDITEUR#{siret}"},
                ":prefixe": {"S": "DEPOT#"},
            },
            ScanIndexForward=False,
            Limit=limite,
            **({"ExclusiveStartKey": depart} if depart else {}),
        )
        items = [_depot(_depuis_dynamo(i)) for i in reponse.get("Items", [])]
        return items, reponse.get("LastEvaluatedKey")


def _avec_version(depot: Depot, version: int) -> Depot:
    return replace(depot, version=version)


# --- Dossiers and their claims --------------------------------------------------------------


class _Transaction:
    """Items of one TransactWriteItems, each with the role its failure would mean."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.items: list[dict[str, Any]] = []
        self.roles: list[tuple[str, str | None]] = []

    def put(
        self,
        role: str,
        item: Mapping[str, Any],
        condition: str | None = None,
        valeurs: Mapping[str, Any] | None = None,
        anciennes_valeurs: bool = False,
        detail: str | None = None,
    ) -> None:
        operation: dict[str, Any] = {"TableName": self.table, "Item": _vers_dynamo(item)}
        if condition:
            operation["ConditionExpression"] = condition
        if valeurs:
            operation["ExpressionAttributeValues"] = _vers_dynamo(valeurs)
        if anciennes_valeurs:
            operation["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        self.items.append({"Put": operation})
        self.roles.append((role, detail))

    def update(
        self,
        role: str,
        cle: Mapping[str, str],
        champs: Mapping[str, Any],
        condition: str,
        valeurs: Mapping[str, Any],
    ) -> None:
        noms: dict[str, str] = {}
        vals: dict[str, Any] = dict(valeurs)
        affectations: list[str] = []
        suppressions: list[str] = []
        for i, (nom, valeur) in enumerate(champs.items()):
            noms[f"#c{i}"] = nom
            if valeur is None:
                suppressions.append(f"#c{i}")
            else:
                vals[f":c{i}"] = valeur
                affectations.append(f"#c{i} = :c{i}")
        expression = "SET " + ", ".join(affectations)
        if suppressions:
            expression += " REMOVE " + ", ".join(suppressions)
        self.items.append(
            {
                "Update": {
                    "TableName": self.table,
                    "Key": _vers_dynamo(cle),
                    "UpdateExpression": expression,
                    "ConditionExpression": condition,
                    "ExpressionAttributeNames": noms,
                    "ExpressionAttributeValues": _vers_dynamo(vals),
                }
            }
        )
        self.roles.append((role, None))

    def verifier(
        self, role: str, cle: Mapping[str, str], condition: str, valeurs: Mapping[str, Any]
    ) -> None:
        self.items.append(
            {
                "ConditionCheck": {
                    "TableName": self.table,
                    "Key": _vers_dynamo(cle),
                    "ConditionExpression": condition,
                    "ExpressionAttributeValues": _vers_dynamo(valeurs),
                }
            }
        )
        self.roles.append((role, None))

    def delete(self, role: str, cle: Mapping[str, str], numero_asp: str, detail: str) -> None:
        self.items.append(
            {
                "Delete": {
                    "TableName": self.table,
                    "Key": _vers_dynamo(cle),
                    "ConditionExpression": "attribute_not_exists(PK) OR numeroAsp = :asp",
                    "ExpressionAttributeValues": {":asp": {"S": numero_asp}},
                }
            }
        )
        self.roles.append((role, detail))


class DossierRepository(_Table):
    """Implements `Dossiers`: dossiers, history, FINESS / numeroDossier / line claims."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    # --- reads ------------------------------------------------------------------------

    def lire(self, numero_asp: str) -> Dossier | None:
        item = self._lire(cle_dossier(numero_asp))
        return _dossier(item) if item else None

    def lister(self, siret: str) -> list[Dossier]:
        return [
            _dossier(item)
            for item in self._requete(
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk AND begins_with(GSI1SK, :prefixe)",
                ExpressionAttributeValues={
                    ":pk": {"S": f"EDITEUR#{siret}"},
                    ":prefixe": {"S": "DOSSIER#"},
                },
            )
        ]

    def historique(self, numero_asp: str) -> list[EntreeHistorique]:
        return [
            historique_depuis_item(item)
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefixe)",
                ExpressionAttributeValues={
                    ":pk": {"S": cle_dossier(numero_asp)["PK"]},
                    ":prefixe": {"S": "HISTO#"},
                },
                ConsistentRead=True,
            )
        ]

    def ligne_importee(self, reservation: ReservationLigne) -> str | None:
        item = self._lire(_cle_ligne(reservation))
        return str(item["numeroAsp"]) if item else None

    def detenteur_finess(self, campagne_id: str, couloir: str, finess: str) -> str | None:
        item = self._lire(cle_finess(campagne_id, couloir, finess))
        return str(item["numeroAsp"]) if item else None

    def numero_dossier_utilise(self, siret: str, numero_dossier: str) -> str | None:
        item = self._lire(cle_numero_dossier(siret, numero_dossier))
        return str(item["numeroAsp"]) if item else None

    def lire_plusieurs(
        self, numeros_asp: Iterable[str], resume: bool = False
    ) -> dict[str, Dossier]:
        items = self._lire_lot(
            (cle_dossier(numero) for numero in numeros_asp), _CHAMPS_RESUME if resume else None
        )
        return {str(item["numeroAsp"]): _dossier(item) for item in items.values()}

    def detenteurs_finess(
        self, campagne_id: str, couloir: str, finess: Iterable[str]
    ) -> dict[str, str]:
        cles = {tuple(cle_finess(campagne_id, couloir, f).values()): f for f in finess}
        items = self._lire_lot(
            (cle_finess(campagne_id, couloir, f) for f in cles.values()), ("numeroAsp",)
        )
        return {cles[cle]: str(item["numeroAsp"]) for cle, item in items.items()}

    def numeros_dossier_utilises(self, siret: str, numeros: Iterable[str]) -> dict[str, str]:
        cles = {tuple(cle_numero_dossier(siret, n).values()): n for n in numeros}
        items = self._lire_lot(
            (cle_numero_dossier(siret, n) for n in cles.values()), ("numeroAsp",)
        )
        return {cles[cle]: str(item["numeroAsp"]) for cle, item in items.items()}

    def lignes_importees(self, id_depot: str) -> dict[int, str]:
        return {
            int(str(item["SK"]).removeprefix("LIGNE#")): str(item["numeroAsp"])
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefixe)",
                ExpressionAttributeValues={
                    ":pk": {"S": cle_depot(id_depot)["PK"]},
                    ":prefixe": {"S": "LIGNE#"},
                },
                ConsistentRead=True,
            )
        }

    # --- writes -----------------------------------------------------------------------

    def creer(
        self,
        dossier: Dossier,
        reservation: ReservationLigne,
        entree: EntreeHistorique,
        bail: Bail | None = None,
    ) -> IssueEcriture:
        finess = sorted(dict.fromkeys(dossier.finess))
        place = MAX_ARTICLES - 4 - (bail is not None)
        avant, dans = finess[: max(0, len(finess) - place)], finess[max(0, len(finess) - place) :]
        pris = self._reserver_d_abord(dossier, avant, entree.instant, bail)
        if isinstance(pris, IssueEcriture):
            return pris
        transaction = _Transaction(self.table)
        # The line claim first: whatever else fails, a replayed line is recognised.
        self._reserver_ligne(transaction, reservation, dossier.numero_asp, entree.instant)
        transaction.put("dossier", _dossier_item(dossier), "attribute_not_exists(PK)")
        for f in dans:
            transaction.put(
                "finess",
                _reservation_finess(dossier, f, entree.instant),
                _LIBRE,
                {":asp": dossier.numero_asp},
                detail=f,
            )
        transaction.put(
            "numeroDossier",
            _reservation_numero_dossier(dossier, entree.instant),
            _LIBRE,
            {":asp": dossier.numero_asp},
        )
        transaction.put("historique", item_historique(dossier.numero_asp, entree))
        _verifier_bail(transaction, bail)
        issue = self._executer(transaction, dossier.numero_asp, creation=True)
        self._rendre_si_echec(issue, dossier, pris, bail)
        return issue

    def modifier(
        self,
        avant: Dossier,
        apres: Dossier,
        reservation: ReservationLigne,
        entree: EntreeHistorique,
        bail: Bail | None = None,
    ) -> IssueEcriture:
        nouveaux = sorted(f for f in dict.fromkeys(apres.finess) if f not in avant.finess)
        liberes = [f for f in avant.finess if f not in apres.finess]
        change_numero = apres.numero_dossier != avant.numero_dossier
        place = MAX_ARTICLES - 3 - 2 * change_numero - (bail is not None)
        liberes_dans, liberes_apres = liberes[:place], liberes[place:]
        place -= len(liberes_dans)
        coupe = max(0, len(nouveaux) - place)
        pris = self._reserver_d_abord(apres, nouveaux[:coupe], entree.instant, bail)
        if isinstance(pris, IssueEcriture):
            return pris
        transaction = _Transaction(self.table)
        self._reserver_ligne(transaction, reservation, avant.numero_asp, entree.instant)
        transaction.update(
            "dossier",
            cle_dossier(avant.numero_asp),
            _champs_modifiables(apres),
            "version = :attendue",
            {":attendue": avant.version},
        )
        for f in nouveaux[coupe:]:
            transaction.put(
                "finess",
                _reservation_finess(apres, f, entree.instant),
                _LIBRE,
                {":asp": apres.numero_asp},
                detail=f,
            )
        for f in liberes_dans:
            transaction.delete(
                "liberation", cle_finess(avant.campagne, avant.couloir, f), avant.numero_asp, f
            )
        if change_numero:
            transaction.put(
                "numeroDossier",
                _reservation_numero_dossier(apres, entree.instant),
                _LIBRE,
                {":asp": apres.numero_asp},
            )
            transaction.delete(
                "liberation",
                cle_numero_dossier(avant.siret, avant.numero_dossier),
                avant.numero_asp,
                avant.numero_dossier,
            )
        transaction.put("historique", item_historique(avant.numero_asp, entree))
        _verifier_bail(transaction, bail)
        issue = self._executer(transaction, avant.numero_asp, creation=False)
        self._rendre_si_echec(issue, apres, pris, bail)
        if issue.type is TypeIssue.ECRIT and liberes_apres:
            # Past one transaction: released right after. Interrupted here, these claims
            # stay held by this dossier (never financed twice); the log names them.
            logger.warning(
                "Libérations après la modification de %s: %s", avant.numero_asp, liberes_apres
            )
            self._liberer(avant, liberes_apres, bail)
        return issue

    # --- claims beyond one transaction --------------------------------------------------

    def _reserver_d_abord(
        self, dossier: Dossier, finess: list[str], le: datetime, bail: Bail | None
    ) -> list[str] | IssueEcriture:
        """Claims taken before the dossier's transaction, in sorted order (two runs
        disputing several FINESS: the first disputed one decides, no deadlock); on a
        failure, those taken are released and the failure is returned."""
        pris: list[str] = []
        for lot in _lots(finess, MAX_ARTICLES - (bail is not None)):
            transaction = _Transaction(self.table)
            for f in lot:
                transaction.put(
                    "finess",
                    _reservation_finess(dossier, f, le),
                    _LIBRE,
                    {":asp": dossier.numero_asp},
                    detail=f,
                )
            _verifier_bail(transaction, bail)
            issue = self._executer(transaction, dossier.numero_asp, creation=False)
            if issue.type is not TypeIssue.ECRIT:
                self._liberer(dossier, pris, bail)
                return issue
            pris += lot
        return pris

    def _rendre_si_echec(
        self, issue: IssueEcriture, dossier: Dossier, pris: list[str], bail: Bail | None
    ) -> None:
        # LIGNE_DEJA_IMPORTEE: the same line, written by another run, holds those claims.
        if pris and issue.type not in (TypeIssue.ECRIT, TypeIssue.LIGNE_DEJA_IMPORTEE):
            self._liberer(dossier, pris, bail)

    def _liberer(self, dossier: Dossier, finess: list[str], bail: Bail | None) -> None:
        """Releases claims held by this dossier (a claim held by another stays)."""
        for lot in _lots(finess, MAX_ARTICLES - (bail is not None)):
            transaction = _Transaction(self.table)
            for f in lot:
                transaction.delete(
                    "liberation",
                    cle_finess(dossier.campagne, dossier.couloir, f),
                    dossier.numero_asp,
                    f,
                )
            _verifier_bail(transaction, bail)
            issue = self._executer(transaction, dossier.numero_asp, creation=False)
            if issue.type is TypeIssue.BAIL_PERDU:
                return  # the run that holds the dépôt now decides for these claims

    @staticmethod
    def _reserver_ligne(
        transaction: _Transaction, reservation: ReservationLigne, numero_asp: str, le: datetime
    ) -> None:
        transaction.put(
            "ligne",
            {
                **_cle_ligne(reservation),
                "type": "LIGNE_IMPORTEE",
                "numeroAsp": numero_asp,
                "creeLe": _iso(le),
            },
            "attribute_not_exists(PK)",
            anciennes_valeurs=True,
        )

    def _executer(
        self, transaction: _Transaction, numero_asp: str, creation: bool
    ) -> IssueEcriture:
        # DynamoDB's own idempotency key for this write: a retry after an answer lost
        # (applied, then a timeout) succeeds without applying it twice, for 10 minutes.
        # Where it cannot (moto ignores it), the claims recognise their own dossier.
        jeton = uuid.uuid4().hex
        for essai in range(ESSAIS_TRANSACTION):
            try:
                self.client.transact_write_items(
                    TransactItems=transaction.items, ClientRequestToken=jeton
                )
                return IssueEcriture(TypeIssue.ECRIT, numero_asp=numero_asp)
            except ClientError as erreur:
                if _code(erreur) != "TransactionCanceledException":
                    # A passing failure (throttling, 5xx) is tried again here, not by
                    # running the whole import again at the message's redelivery.
                    if not est_transitoire(erreur) or essai == ESSAIS_TRANSACTION - 1:
                        raise
                    issue = None
                else:
                    issue = self._motif(erreur, transaction, creation)
            if issue is not None:
                return issue
            time.sleep(random.uniform(0, 0.05 * 2**essai))  # jitter
        return IssueEcriture(TypeIssue.VERSION_PERIMEE)

    def _motif(
        self, erreur: ClientError, transaction: _Transaction, creation: bool
    ) -> IssueEcriture | None:
        """Why the transaction was cancelled; None: a conflict worth another try."""
        raisons = erreur.response.get("CancellationReasons") or []
        echecs: dict[str, list[tuple[str | None, Mapping[str, Any]]]] = {}
        for (role, detail), raison in zip(transaction.roles, raisons, strict=False):
            if raison.get("Code") == "ConditionalCheckFailed":
                echecs.setdefault(role, []).append((detail, raison.get("Item") or {}))
        if "bail" in echecs:
            return IssueEcriture(TypeIssue.BAIL_PERDU)
        if "ligne" in echecs:
            ancien = _depuis_dynamo(echecs["ligne"][0][1])
            return IssueEcriture(
                TypeIssue.LIGNE_DEJA_IMPORTEE,
                numero_asp=str(ancien["numeroAsp"]) if "numeroAsp" in ancien else None,
            )
        if "dossier" in echecs:  # before the claims: a stale read explains them too
            return IssueEcriture(
                TypeIssue.DOSSIER_EXISTANT if creation else TypeIssue.VERSION_PERIMEE
            )
        if "finess" in echecs:
            return IssueEcriture(TypeIssue.FINESS_DEJA_DETENU, finess=echecs["finess"][0][0])
        if "numeroDossier" in echecs:
            return IssueEcriture(TypeIssue.NUMERO_DOSSIER_UTILISE)
        if "liberation" in echecs:
            logger.error("Réservation détenue par un autre dossier: %s", echecs["liberation"])
            return IssueEcriture(TypeIssue.VERSION_PERIMEE)
        if not raisons:
            logger.warning("Transaction annulée sans motif détaillé: %s", erreur)
        return None  # TransactionConflict (or unknown): try again


def _lots(valeurs: list[str], taille: int) -> list[list[str]]:
    return [valeurs[i : i + taille] for i in range(0, len(valeurs), taille)]


def _verifier_bail(transaction: _Transaction, bail: Bail | None) -> None:
    if bail is not None:
        transaction.verifier(
            "bail", cle_depot(bail.id_depot), "importJeton = :jeton", {":jeton": bail.jeton}
        )


def _cle_ligne(reservation: ReservationLigne) -> dict[str, str]:
    return {"PK": f"DEPOT#{reservation.id_depot}", "SK": f"LIGNE#{reservation.num_ligne}"}


def _reservation_finess(dossier: Dossier, finess: str, le: datetime) -> dict[str, Any]:
    # Lean: up to 20,000 per file (campaign, couloir and FINESS are in the key).
    return {
        **cle_finess(dossier.campagne, dossier.couloir, finess),
        "type": "FINESS",
        "numeroAsp": dossier.numero_asp,
        "creeLe": _iso(le),
    }


def _reservation_numero_dossier(dossier: Dossier, le: datetime) -> dict[str, Any]:
    return {
        **cle_numero_dossier(dossier.siret, dossier.numero_dossier),
        "type": "NUMERO_DOSSIER",
        "numeroAsp": dossier.numero_asp,
        "creeLe": _iso(le),
    }


# --- Counter, registre ---------------------------------------------------------


class CompteurRepository(_Table):
    """Implements `Compteur`: `COMPTEUR#{nom}` / `COMPTEUR`, atomic ADD."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def suivant(self, nom: str) -> int:
        return self.reserver(nom, 1)

    def reserver(self, nom: str, nombre: int) -> int:
        reponse = self.client.update_item(
            TableName=self.table,
            Key=_vers_dynamo({"PK": f"COMPTEUR#{nom}", "SK": "COMPTEUR"}),
            UpdateExpression="ADD valeur :n",
            ExpressionAttributeValues={":n": {"N": str(nombre)}},
            ReturnValues="UPDATED_NEW",
        )
        return int(reponse["Attributes"]["valeur"]["N"]) - nombre + 1


class RegistrePlateformeDynamo(RegistreDepot):
    """`RegistrePlateforme` for the simulation, on the table."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(LecteurEnrolements(table, client), DossierRepository(table, client))
