"""DynamoDB repositories of the enrolment service (single table, docs/dynamodb.md).

- Référentiel ANS: `ANS#{numeroAns}` / `ANS` (contract `item_referencement`, GSI1
  `REFERENTIEL_ANS` / numéro to list it), its history `ANS#{numeroAns}` /
  `HISTO#{chargeeLe}` (the previous value), the versions `REFERENTIEL_ANS` /
  `VERSION#{chargeeLe}`.
- Enrolments: `EDITEUR#{siret}` / `ENROLEMENT#{numeroAns}` (contract `item_enrolement`),
  read by the dépôt and paiement services.
- Demandes: `EDITEUR#{siret}` / `DEMANDE_ENROLEMENT#{numero}` (GSI1 `DEMANDES_ENROLEMENT` /
  `{soumiseLe}#{numero}`, GSI2 `DEMANDE_ENROLEMENT_STATUT#{statut}` / same), and the claim
  of the number `DEMANDE_ENROLEMENT#{numero}` / `NUMERO` → siret, created with it in one
  transaction (immutable: reading by number is two gets).
- Counter: `COMPTEUR#ENR` / `COMPTEUR`, atomic ADD (the dépôt's pattern, not its code).

IBANs are never stored in clear: records and demandes hold `ibanChiffre` (KMS, context
`contexte_iban(siret)`) and `ibanMasque`; a demande's `formulaire` text keeps the masked
one (the clear value is put back from `coordonnees` when a demande is read by number).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from services.enrolment.application.ports import CurseurInvalide, Page, VersionPerimee
from services.enrolment.domain.demande import (
    Contact,
    Coordonnees,
    Decision,
    DemandeEnrolement,
    DocumentJoint,
    Nature,
    StatutDemandeEnrolement,
)
from services.enrolment.domain.referentiel import VersionReferentiel
from shared.chiffrement import Chiffrement, contexte_iban
from shared.chiffrement_kms import ChiffrementKms
from shared.dynamo import (
    TableDynamo,
    condition_echouee,
    depuis_dynamo,
    instant,
    iso,
    vers_dynamo,
)
from shared.enrolement import (
    EnrolementEditeur,
    ReferencementAns,
    cle_ans,
    cle_enrolement,
    enrolement_depuis_item,
    item_enrolement,
    item_referencement,
    referencement_depuis_item,
)
from shared.horloge import horloge
from shared.identifiants import iban_masque

__all__ = [
    "CompteurRepository",
    "DemandeRepository",
    "EnrolementEditeur",
    "EnrolementRepository",
    "ReferencementAns",
    "ReferentielAnsRepository",
]

PK_REFERENTIEL = "REFERENTIEL_ANS"
LOT = 25  # BatchWriteItem


class _Base(TableDynamo):
    def _ecrire_lot(self, items: Sequence[dict[str, Any]]) -> None:
        for debut in range(0, len(items), LOT):
            demandes = [
                {"PutRequest": {"Item": vers_dynamo(item)}} for item in items[debut : debut + LOT]
            ]
            restantes: dict[str, Any] = {self.table: demandes}
            while restantes:
                reponse = self.client.batch_write_item(RequestItems=restantes)
                restantes = reponse.get("UnprocessedItems") or {}


class ReferentielAnsRepository(_Base):
    """Implements `Referentiel`."""

    @staticmethod
    def _item(referencement: ReferencementAns) -> dict[str, Any]:
        return {
            **item_referencement(referencement),
            "GSI1PK": PK_REFERENTIEL,
            "GSI1SK": referencement.numero_ans,
        }

    def enregistrer(self, referencement: ReferencementAns) -> None:
        """One entry, without history (tests and the local shortcut `segurnum enroler`)."""
        self._ecrire(self._item(referencement))

    def trouver(self, numero_ans: str) -> ReferencementAns | None:
        item = self._lire(cle_ans(numero_ans))
        return None if item is None else referencement_depuis_item(item)

    def tous(self) -> list[ReferencementAns]:
        return [
            referencement_depuis_item(item)
            for item in self._requete(
                IndexName="GSI1",
                KeyConditionExpression="GSI1PK = :pk",
                ExpressionAttributeValues={":pk": {"S": PK_REFERENTIEL}},
            )
        ]

    def charger(
        self,
        referencements: Sequence[ReferencementAns],
        anciens: Sequence[ReferencementAns],
        version: VersionReferentiel,
    ) -> None:
        le = iso(version.chargee_le)
        historique = [
            {
                "PK": cle_ans(ancien.numero_ans)["PK"],
                "SK": f"HISTO#{le}",
                "type": "ANS_HISTORIQUE",
                "remplaceParVersion": version.version,
                "avant": item_referencement(ancien),
            }
            for ancien in anciens
        ]
        # History first: a load interrupted midway leaves no change without its trace.
        self._ecrire_lot(historique)
        self._ecrire_lot([self._item(r) for r in referencements])
        self._ecrire(
            {
                "PK": PK_REFERENTIEL,
                "SK": f"VERSION#{le}",
                "type": "ANS_VERSION",
                "version": version.version,
                "source": version.source,
                "chargeeLe": le,
                "chargeePar": version.chargee_par,
                "ajoutes": list(version.ajoutes),
                "modifies": list(version.modifies),
                "inchanges": version.inchanges,
                "absents": list(version.absents),
            }
        )

    def versions(self) -> list[VersionReferentiel]:
        return [
            VersionReferentiel(
                version=str(item["version"]),
                source=str(item.get("source", "")),
                chargee_le=instant(item["chargeeLe"]),
                chargee_par=str(item["chargeePar"]),
                ajoutes=tuple(item.get("ajoutes", [])),
                modifies=tuple(item.get("modifies", [])),
                inchanges=int(item.get("inchanges", 0)),
                absents=tuple(item.get("absents", [])),
            )
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :v)",
                ExpressionAttributeValues={":pk": {"S": PK_REFERENTIEL}, ":v": {"S": "VERSION#"}},
                ScanIndexForward=False,
            )
        ]

    def historique(self, numero_ans: str) -> list[ReferencementAns]:
        """The previous values of a référencement, oldest first."""
        return [
            referencement_depuis_item(item["avant"])
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :h)",
                ExpressionAttributeValues={
                    ":pk": {"S": cle_ans(numero_ans)["PK"]},
                    ":h": {"S": "HISTO#"},
                },
            )
        ]


class _Chiffre(_Base):
    def __init__(
        self,
        table: str | None = None,
        client: Any | None = None,
        chiffrement: Chiffrement | None = None,
    ) -> None:
        super().__init__(table, client)
        self.chiffrement: Chiffrement = chiffrement or ChiffrementKms()


class EnrolementRepository(_Chiffre):
    """Implements `Enrolements` (the record of shared/enrolement.py). Reads give the
    IBAN masked (with its ciphertext, kept when written back): nothing here needs it in
    clear."""

    def enregistrer(self, enrolement: EnrolementEditeur) -> None:
        if enrolement.cree_le is None:
            enrolement = enrolement.model_copy(update={"cree_le": horloge().maintenant()})
        self._ecrire(item_enrolement(enrolement, self.chiffrement))

    def lire(self, siret: str, numero_ans: str) -> EnrolementEditeur | None:
        item = self._lire(cle_enrolement(siret, numero_ans))
        return None if item is None else enrolement_depuis_item(item)

    trouver = lire  # the name the tests of the dépôt service use

    def du_siret(self, siret: str) -> list[EnrolementEditeur]:
        return [
            enrolement_depuis_item(item)
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :e)",
                ExpressionAttributeValues={
                    ":pk": {"S": f"EDITEUR#{siret}"},
                    ":e": {"S": "ENROLEMENT#"},
                },
            )
        ]


class CompteurRepository(_Base):
    """Implements `Compteur`."""

    def suivant(self, nom: str) -> int:
        reponse = self.client.update_item(
            TableName=self.table,
            Key=vers_dynamo({"PK": f"COMPTEUR#{nom}", "SK": "COMPTEUR"}),
            UpdateExpression="ADD valeur :un",
            ExpressionAttributeValues={":un": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(reponse["Attributes"]["valeur"]["N"])


# --- Demandes ------------------------------------------------------------------------------


def _cle_demande(siret: str, numero: str) -> dict[str, str]:
    return {"PK": f"EDITEUR#{siret}", "SK": f"DEMANDE_ENROLEMENT#{numero}"}


def _cle_numero(numero: str) -> dict[str, str]:
    return {"PK": f"DEMANDE_ENROLEMENT#{numero}", "SK": "NUMERO"}


def _formulaire_masque(formulaire: dict[str, Any]) -> dict[str, Any]:
    banque = formulaire.get("coordonneesBancaires")
    if not (isinstance(banque, dict) and isinstance(banque.get("iban"), str)):
        return formulaire
    return {**formulaire, "coordonneesBancaires": {**banque, "iban": iban_masque(banque["iban"])}}


def _item_demande(d: DemandeEnrolement, chiffrement: Chiffrement) -> dict[str, Any]:
    tri = f"{iso(d.soumise_le)}#{d.numero}"
    item: dict[str, Any] = {
        **_cle_demande(d.siret, d.numero),
        "GSI1PK": "DEMANDES_ENROLEMENT",
        "GSI1SK": tri,
        "GSI2PK": f"DEMANDE_ENROLEMENT_STATUT#{d.statut.value}",
        "GSI2SK": tri,
        "type": "DEMANDE_ENROLEMENT",
        "numero": d.numero,
        "nature": d.nature.value,
        "statut": d.statut.value,
        "siret": d.siret,
        "numeroAns": d.numero_ans,
        "couloir": d.couloir,
        "raisonSociale": d.raison_sociale,
        "nomCommercial": d.nom_commercial,
        "contact": {"email": d.contact.email, "nom": d.contact.nom, "prenom": d.contact.prenom},
        "tauxTva": d.taux_tva,
        # JSON text: the form keeps its exact shape (no DynamoDB number or empty-set rules).
        "formulaire": json.dumps(
            _formulaire_masque(d.formulaire), ensure_ascii=False, sort_keys=True
        ),
        "documents": [
            {"typeDocument": x.type_document, "cle": x.cle, "taille": x.taille} for x in d.documents
        ],
        "soumiseLe": iso(d.soumise_le),
        "empreinteSuivi": d.empreinte_suivi,
        "historique": json.dumps(list(d.historique), ensure_ascii=False),
        "version": d.version,
    }
    if d.coordonnees is not None:
        if "*" in d.coordonnees.iban:  # read by a listing: never written back masked
            raise ValueError(f"demande {d.numero}: IBAN masqué, non réenregistrable")
        item["coordonnees"] = {
            "ibanChiffre": chiffrement.chiffrer(d.coordonnees.iban, contexte_iban(d.siret)),
            "ibanMasque": iban_masque(d.coordonnees.iban),
            "bic": d.coordonnees.bic,
            "titulaire": d.coordonnees.titulaire,
            "domiciliation": d.coordonnees.domiciliation,
        }
    if d.decision is not None:
        item["decision"] = {
            k: v
            for k, v in {
                "statut": d.decision.statut.value,
                "motif": d.decision.motif,
                "par": d.decision.par,
                "le": iso(d.decision.le),
                "compte": d.decision.compte,
            }.items()
            if v is not None
        }
    return item


def _coordonnees(
    item: dict[str, Any], dechiffrement: Chiffrement | None
) -> tuple[Coordonnees | None, dict[str, Any]]:
    """The bank details (IBAN in clear with `dechiffrement`, else masked) and the form
    with the same IBAN."""
    formulaire: dict[str, Any] = json.loads(item["formulaire"])
    stockees = item.get("coordonnees")
    if stockees is None:
        return None, formulaire
    if dechiffrement is None:
        iban = str(stockees["ibanMasque"])
    else:
        iban = dechiffrement.dechiffrer(
            str(stockees["ibanChiffre"]), contexte_iban(str(item["siret"]))
        )
    banque = formulaire.get("coordonneesBancaires")
    if isinstance(banque, dict) and "iban" in banque:
        formulaire["coordonneesBancaires"] = {**banque, "iban": iban}
    coordonnees = Coordonnees(
        iban=iban,
        bic=str(stockees["bic"]),
        titulaire=str(stockees["titulaire"]),
        domiciliation=str(stockees["domiciliation"]),
    )
    return coordonnees, formulaire


def _demande(item: dict[str, Any], dechiffrement: Chiffrement | None = None) -> DemandeEnrolement:
    contact = item["contact"]
    coordonnees, formulaire = _coordonnees(item, dechiffrement)
    decision = item.get("decision")
    return DemandeEnrolement(
        numero=str(item["numero"]),
        nature=Nature(item["nature"]),
        statut=StatutDemandeEnrolement(item["statut"]),
        siret=str(item["siret"]),
        numero_ans=item.get("numeroAns"),
        couloir=item.get("couloir"),
        raison_sociale=str(item["raisonSociale"]),
        nom_commercial=str(item.get("nomCommercial", "")),
        contact=Contact(str(contact["email"]), str(contact["nom"]), str(contact["prenom"])),
        coordonnees=coordonnees,
        taux_tva=item.get("tauxTva"),
        formulaire=formulaire,
        documents=tuple(
            DocumentJoint(str(x["typeDocument"]), str(x["cle"]), int(x["taille"]))
            for x in item.get("documents", [])
        ),
        soumise_le=instant(item["soumiseLe"]),
        empreinte_suivi=str(item["empreinteSuivi"]),
        decision=None
        if decision is None
        else Decision(
            StatutDemandeEnrolement(decision["statut"]),
            str(decision.get("motif", "")),
            str(decision["par"]),
            instant(decision["le"]),
            decision.get("compte"),
        ),
        version=int(item["version"]),
        historique=tuple(json.loads(item.get("historique", "[]"))),
    )


def encoder_curseur(cle: dict[str, Any] | None) -> str | None:
    if not cle:
        return None
    texte = json.dumps(cle, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(texte).decode().rstrip("=")


def decoder_curseur(texte: str, attributs: set[str]) -> dict[str, Any]:
    """The ExclusiveStartKey, checked: exactly `attributs`, each a DynamoDB string."""
    try:
        if len(texte) > 1024:
            raise ValueError
        cle = json.loads(base64.urlsafe_b64decode(texte + "=" * (-len(texte) % 4)))
        if not isinstance(cle, dict) or set(cle) != attributs:
            raise ValueError
        for valeur in cle.values():
            if not (isinstance(valeur, dict) and set(valeur) == {"S"}):
                raise ValueError
            if not isinstance(valeur["S"], str) or not valeur["S"]:
                raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise CurseurInvalide(texte) from None
    return cle


class DemandeRepository(_Chiffre):
    """Implements `Demandes`. A demande read by number has its IBAN in clear (decided,
    shown to a gestionnaire, written back); lists give it masked (never written back)."""

    def ajouter(self, demande: DemandeEnrolement) -> None:
        numero = {**_cle_numero(demande.numero), "type": "NUMERO_DEMANDE", "siret": demande.siret}
        self.client.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": vers_dynamo(numero),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": vers_dynamo(_item_demande(demande, self.chiffrement)),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
            ]
        )

    def lire(self, numero: str) -> DemandeEnrolement | None:
        reclamation = self._lire(_cle_numero(numero))
        if reclamation is None:
            return None
        item = self._lire(_cle_demande(str(reclamation["siret"]), numero))
        return None if item is None else _demande(item, self.chiffrement)

    def enregistrer(self, demande: DemandeEnrolement) -> DemandeEnrolement:
        nouvelle = replace(demande, version=demande.version + 1)
        try:
            self.client.put_item(
                TableName=self.table,
                Item=vers_dynamo(_item_demande(nouvelle, self.chiffrement)),
                ConditionExpression="version = :attendue",
                ExpressionAttributeValues={":attendue": {"N": str(demande.version)}},
            )
        except Exception as erreur:
            if condition_echouee(erreur):
                raise VersionPerimee(demande.numero) from None
            raise
        return nouvelle

    def lister(
        self, statut: StatutDemandeEnrolement | None, curseur: str | None, limite: int
    ) -> Page:
        if statut is None:
            index, pk = "GSI1", "DEMANDES_ENROLEMENT"
        else:
            index, pk = "GSI2", f"DEMANDE_ENROLEMENT_STATUT#{statut.value}"
        arguments: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": f"{index}PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
            "Limit": limite,
        }
        if curseur is not None:
            cle = decoder_curseur(curseur, {"PK", "SK", f"{index}PK", f"{index}SK"})
            if cle[f"{index}PK"] != {"S": pk}:
                raise CurseurInvalide(curseur)
            arguments["ExclusiveStartKey"] = cle
        reponse = self.client.query(TableName=self.table, **arguments)
        demandes = [_demande(depuis_dynamo(item)) for item in reponse.get("Items", [])]
        return Page(demandes, encoder_curseur(reponse.get("LastEvaluatedKey")))

    def du_siret(self, siret: str) -> list[DemandeEnrolement]:
        return [
            _demande(item)
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :d)",
                ExpressionAttributeValues={
                    ":pk": {"S": f"EDITEUR#{siret}"},
                    ":d": {"S": "DEMANDE_ENROLEMENT#"},
                },
            )
        ]
