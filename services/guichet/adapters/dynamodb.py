"""DynamoDB adapters of the guichet (docs/dynamodb.md): reads of the dépôts and dossiers of a
campaign, the enrolments' addresses and the closure record. The per-éditeur notice claims
and the record of each courriel sent are `shared.courriels`' (bootstrap.py wires it).

Items read here are written by other services: each is read through its record's contract
in `shared/` (the query only chooses which items and which of their attributes):
- dépôts: GSI2 `index_statut_depot(statut)`, one query per status, filtered on campagne
  and typeDemande, read by `shared.depot.resume_depot_depuis_item`;
- dossiers: GSI2 `index_statut_dossier(statut)`, one query per status, filtered on
  campagne, read by `shared.dossier.resume_depuis_item`; for SOLDE, only those with a
  `solde`, whose own statut is the demande's;
- adresses: `EDITEUR#{siret}` / `ENROLEMENT#{numeroAns}`, read through the enrolment's
  one reader (`shared.enrolement_table.LecteurEnrolements`);
- closure: `CAMPAGNE#{id}` / `FERMETURE#{type}`, the guichet's own record, created with
  `attribute_not_exists(PK)`.
boto3 is not imported here: the clients come from `shared.aws` (handlers' cold start).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from services.guichet.domain.guichet import Comptes, DossierResume, Fermeture
from shared.campagnes import TypeDemande
from shared.depot import (
    ATTRIBUTS_RESUME_DEPOT,
    ResumeDepot,
    StatutDepot,
    index_statut_depot,
    resume_depot_depuis_item,
)
from shared.dossier import index_statut_dossier, resume_depuis_item
from shared.dynamo import TableDynamo
from shared.dynamo import instant as _instant
from shared.dynamo import iso as _iso
from shared.enrolement_table import LecteurEnrolements
from shared.statuts import StatutDemande


def cle_fermeture(campagne_id: str, type_demande: TypeDemande) -> dict[str, str]:
    return {"PK": f"CAMPAGNE#{campagne_id}", "SK": f"FERMETURE#{type_demande}"}


# What the shared dossier reader needs for a demande's header (not its demande, amounts or
# pièces: the bulk of the item).
ATTRIBUTS_DOSSIER = (
    "numeroAsp",
    "siret",
    "numeroAns",
    "numeroDossier",
    "statut",
    "campagne",
    "deposeLe",
)
ATTRIBUTS_SOLDE = ("solde.statut", "solde.numeroDossier")


def projection(attributs: Iterable[str]) -> dict[str, Any]:
    """ProjectionExpression on attribute names or paths `a.b`, every name aliased (some,
    such as `statut`, are DynamoDB reserved words)."""
    alias: dict[str, str] = {}
    chemins = []
    for chemin in attributs:
        chemins.append(
            ".".join(alias.setdefault(nom, f"#a{len(alias)}") for nom in chemin.split("."))
        )
    return {
        "ProjectionExpression": ", ".join(chemins),
        "ExpressionAttributeNames": {a: nom for nom, a in alias.items()},
    }


def dossier_resume(item: Mapping[str, Any], type_demande: TypeDemande) -> DossierResume | None:
    """The demande of this type of a dossier item, or None when the dossier has none."""
    dossier = resume_depuis_item(item)
    demande = dossier.demandes.get(type_demande)
    if demande is None:
        return None
    return DossierResume(
        numero_asp=dossier.numero_asp,
        siret=dossier.siret,
        numero_ans=dossier.numero_ans,
        # a solde without its own number is shown under the dossier's
        numero_dossier=demande.numero_dossier or dossier.avance.numero_dossier,
        statut=str(demande.statut),
    )


class RegistreGuichetDynamo(TableDynamo):
    """Implements `RegistreGuichet` on the single table."""

    def _par_statut(
        self, index: str, filtre: str, valeurs: Mapping[str, str], attributs: Iterable[str]
    ) -> Iterator[dict[str, Any]]:
        return self._requete(
            IndexName="GSI2",
            KeyConditionExpression="GSI2PK = :pk",
            FilterExpression=filtre,
            **projection(attributs),
            ExpressionAttributeValues={
                ":pk": {"S": index},
                **{k: {"S": v} for k, v in valeurs.items()},
            },
        )

    def depots(self, campagne_id: str, type_demande: TypeDemande) -> list[ResumeDepot]:
        return [
            resume_depot_depuis_item(item)
            for statut in StatutDepot
            for item in self._par_statut(
                index_statut_depot(statut),
                "campagne = :campagne AND typeDemande = :type",
                {":campagne": campagne_id, ":type": str(type_demande)},
                ATTRIBUTS_RESUME_DEPOT,
            )
        ]

    def dossiers(self, campagne_id: str, type_demande: TypeDemande) -> list[DossierResume]:
        attributs: tuple[str, ...] = ATTRIBUTS_DOSSIER
        filtre = "campagne = :campagne"
        if type_demande is TypeDemande.SOLDE:
            attributs += ATTRIBUTS_SOLDE
            filtre += " AND attribute_exists(solde)"
        resultats: list[DossierResume] = []
        for statut in StatutDemande:
            for item in self._par_statut(
                index_statut_dossier(statut), filtre, {":campagne": campagne_id}, attributs
            ):
                resume = dossier_resume(item, type_demande)
                if resume is not None:
                    resultats.append(resume)
        return resultats

    def adresses(self, siret: str, numeros_ans: Iterable[str]) -> tuple[str, ...]:
        """Read through the enrolment's one reader (shared/enrolement_table.py)."""
        lecteur = LecteurEnrolements(self._table, self._client)
        adresses: set[str] = set()
        for numero_ans in dict.fromkeys(numeros_ans):
            enrolement = lecteur.enrolement(siret, numero_ans)
            if enrolement is not None:
                adresses.add(enrolement.email.strip())
        if not any(adresses):  # no enrolment under those numéros: any validated one of the SIRET
            for enrolement in lecteur.du_siret(siret):
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
