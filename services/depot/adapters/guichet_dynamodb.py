"""DynamoDB adapters of the guichet (docs/dynamodb.md): reads of the dépôts and dossiers of a
campaign, the enrolments' addresses and the closure record. The per-éditeur notice claims
and the record of each courriel sent are `shared.courriels`' (`service_guichet` wires it).

Items read here are written by others (the dépôt repositories, the enrolment service): only
their documented attributes are used. boto3 is imported lazily (handlers' cold start).

- dépôts: GSI2 `DEPOT_STATUT#{statut}`, one query per status, filtered on campagne and
  typeDemande (attributes `idDepot`, `siret`, `numeroAns`, `statut`, `creeLe`, `fichier`,
  `simulation`, `jsonRecuLe`);
- dossiers: GSI2 `STATUT#{statut}`, one query per status, filtered on campagne; for SOLDE,
  only those with a `solde`, whose own `solde.statut` is the demande's status;
- adresses: `EDITEUR#{siret}` / `ENROLEMENT#{numeroAns}`, read through the enrolment's contract
  (`shared.contrats.enrolement_depuis_item`);
- closure: `CAMPAGNE#{id}` / `FERMETURE#{type}`, created with `attribute_not_exists(PK)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from services.depot.application.guichet import ServiceGuichet
from services.depot.domain.depot import StatutDepot
from services.depot.domain.guichet import Comptes, DepotResume, DossierResume, Fermeture
from shared.campagnes import TypeDemande
from shared.contrats import StatutDossier, cle_enrolement, enrolement_depuis_item
from shared.dynamo import TableDynamo
from shared.dynamo import instant as _instant
from shared.dynamo import iso as _iso

if TYPE_CHECKING:
    from shared.horloge import Horloge


def _entier(valeur: Any) -> int | None:
    return None if valeur is None else int(valeur)


def cle_fermeture(campagne_id: str, type_demande: TypeDemande) -> dict[str, str]:
    return {"PK": f"CAMPAGNE#{campagne_id}", "SK": f"FERMETURE#{type_demande}"}


# --- Dépôts and dossiers of a campaign ---------------------------------------------------------

_PROJECTION_DEPOT = (
    "idDepot, siret, numeroAns, #statut, creeLe, fichier, simulation, jsonRecuLe, "
    "campagne, typeDemande"
)
_PROJECTION_DOSSIER = "numeroAsp, siret, numeroAns, numeroDossier, #statut, idDepot, campagne"


def _depot_resume(item: Mapping[str, Any]) -> DepotResume:
    fichier = item.get("fichier") or {}
    simulation = item.get("simulation") or {}
    recu_le = item.get("jsonRecuLe") or fichier.get("recuLe")
    return DepotResume(
        id=str(item["idDepot"]),
        siret=str(item["siret"]),
        numero_ans=str(item.get("numeroAns", "")),
        statut=StatutDepot(item["statut"]),
        cree_le=_instant(item["creeLe"]),
        nom_fichier=str(fichier["nom"]) if fichier.get("nom") else None,
        json_recu_le=_instant(recu_le) if recu_le else None,
        nombre_lignes=_entier(simulation.get("nombreLignes")),
        lignes_importables=_entier(simulation.get("lignesImportables")),
    )


def _dossier_resume(item: Mapping[str, Any], type_demande: TypeDemande) -> DossierResume | None:
    if type_demande is TypeDemande.AVANCE:
        return DossierResume(
            numero_asp=str(item["numeroAsp"]),
            siret=str(item["siret"]),
            numero_ans=str(item.get("numeroAns", "")),
            numero_dossier=str(item.get("numeroDossier", "")),
            statut=str(item["statut"]),
            id_depot=str(item.get("idDepot", "")),
        )
    solde = item.get("solde")
    if not solde:
        return None
    return DossierResume(
        numero_asp=str(item["numeroAsp"]),
        siret=str(item["siret"]),
        numero_ans=str(item.get("numeroAns", "")),
        numero_dossier=str(solde.get("numeroDossier") or item.get("numeroDossier", "")),
        statut=str(solde.get("statut", StatutDossier.INCOMPLET)),
        id_depot=str(solde.get("idDepot", "")),
    )


class RegistreGuichetDynamo(TableDynamo):
    """Implements `RegistreGuichet` on the single table."""

    def __init__(self, table: str | None = None, client: Any | None = None) -> None:
        super().__init__(table, client)

    def depots(self, campagne_id: str, type_demande: TypeDemande) -> list[DepotResume]:
        resultats: list[DepotResume] = []
        for statut in StatutDepot:
            for item in self._requete(
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :pk",
                FilterExpression="campagne = :campagne AND typeDemande = :type",
                ProjectionExpression=_PROJECTION_DEPOT,
                ExpressionAttributeNames={"#statut": "statut"},
                ExpressionAttributeValues={
                    ":pk": {"S": f"DEPOT_STATUT#{statut}"},
                    ":campagne": {"S": campagne_id},
                    ":type": {"S": str(type_demande)},
                },
            ):
                resultats.append(_depot_resume(item))
        return resultats

    def dossiers(self, campagne_id: str, type_demande: TypeDemande) -> list[DossierResume]:
        projection = _PROJECTION_DOSSIER
        filtre = "campagne = :campagne"
        if type_demande is TypeDemande.SOLDE:
            projection += ", solde.#statut, solde.numeroDossier, solde.idDepot"
            filtre += " AND attribute_exists(solde)"
        resultats: list[DossierResume] = []
        for statut in StatutDossier:
            for item in self._requete(
                IndexName="GSI2",
                KeyConditionExpression="GSI2PK = :pk",
                FilterExpression=filtre,
                ProjectionExpression=projection,
                ExpressionAttributeNames={"#statut": "statut"},
                ExpressionAttributeValues={
                    ":pk": {"S": f"STATUT#{statut}"},
                    ":campagne": {"S": campagne_id},
                },
            ):
                resume = _dossier_resume(item, type_demande)
                if resume is not None:
                    resultats.append(resume)
        return resultats

    def adresses(self, siret: str, numeros_ans: Iterable[str]) -> tuple[str, ...]:
        """Read through the enrolment's contract (shared/contrats.py)."""
        adresses: set[str] = set()
        for numero_ans in dict.fromkeys(numeros_ans):
            item = self._lire(cle_enrolement(siret, numero_ans))
            if item:
                adresses.add(enrolement_depuis_item(item).email.strip())
        if not any(adresses):  # no enrolment under those numéros: any validated one of the SIRET
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :prefixe)",
                ExpressionAttributeValues={
                    ":pk": {"S": f"EDITEUR#{siret}"},
                    ":prefixe": {"S": "ENROLEMENT#"},
                },
                ConsistentRead=True,
            ):
                enrolement = enrolement_depuis_item(item)
                if enrolement.valide:
                    adresses.add(enrolement.email.strip())
        return tuple(sorted(a for a in adresses if a))

    # --- closure ------------------------------------------------------------------------

    def enregistrer_fermeture(self, fermeture: Fermeture) -> bool:
        return self._creer(
            {
                **cle_fermeture(fermeture.campagne, fermeture.type_demande),
                "type": "FERMETURE",
                "campagne": fermeture.campagne,
                "typeDemande": str(fermeture.type_demande),
                "echeance": _iso(fermeture.echeance),
                "fermeeLe": _iso(fermeture.fermee_le),
                "comptes": fermeture.comptes.to_dict(),
                "editeurs": list(fermeture.editeurs),
            }
        )

    def fermeture(self, campagne_id: str, type_demande: TypeDemande) -> Fermeture | None:
        item = self._lire(cle_fermeture(campagne_id, type_demande))
        if item is None:
            return None
        return Fermeture(
            campagne=str(item["campagne"]),
            type_demande=TypeDemande(item["typeDemande"]),
            echeance=_instant(item["echeance"]),
            fermee_le=_instant(item["fermeeLe"]),
            comptes=Comptes.from_dict(item["comptes"]),
            editeurs=tuple(str(s) for s in item.get("editeurs") or ()),
        )


# --- Composition root for the handlers -----------------------------------------------------------


def service_guichet(horloge: Horloge | None = None) -> ServiceGuichet:
    """The guichet's use cases on DynamoDB and SES (clients from `shared.aws`)."""
    from shared.courriels.composition import courrier
    from shared.horloge import horloge as horloge_du_processus

    moment = horloge or horloge_du_processus()
    return ServiceGuichet(
        registre=RegistreGuichetDynamo(), courrier=courrier(moment), horloge=moment
    )
