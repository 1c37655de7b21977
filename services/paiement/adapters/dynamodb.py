"""DynamoDB repositories of the paiement service (single table, docs/dynamodb.md).

- versement: `DOSSIER#{numeroAsp}` / `VERSEMENT#{AVANCE|SOLDE}`; GSI2 `VERSEMENT#{etat}` /
  `{valideLe}#{numeroAsp}#{type}` (the A_PAYER queue, oldest decision first); GSI1
  `LOT#{idLot}` / `{endToEnd}` once claimed by a lot. Every change is a Put conditional on
  `version` (never sent twice nor paid twice); creation on `attribute_not_exists(PK)`.
- lot: `LOT#{idLot}` / `LOT`; GSI1 `LOTS` / `{creeLe}#{idLot}`; GSI2 `LOT#{statut}` /
  `{creeLe}`.
- batch lock: `PAIEMENT` / `VERROU_LOT` (proprietaire, expireLe), taken on
  `attribute_not_exists(PK) OR expireLe < :maintenant`.
- bank details: read from the enrolment item `EDITEUR#{siret}` / `ENROLEMENT#{numeroAns}`.

No IBAN is stored in clear: a versement keeps the enrolment's ciphertext (`ibanChiffre`,
enrolment KMS key, context {siret, champ: iban}: the versement's SIRET is the enrolment's)
and the masked copy (`ibanMasque`), for its current emission and each rejected one.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from services.paiement.domain.lot import Lot, StatutLot
from services.paiement.domain.versement import (
    CoordonneesBancaires,
    CoordonneesChiffrees,
    EmissionRejetee,
    EtatVersement,
    TypeVersement,
    Versement,
)
from shared.chiffrement import Chiffrement, contexte_iban
from shared.chiffrement_kms import ChiffrementKms
from shared.dynamo import (
    TableDynamo,
    condition_echouee,
    depuis_dynamo,
    instant,
    instant_ou_rien,
    iso,
    vers_dynamo,
)
from shared.enrolement import EnrolementEditeur
from shared.enrolement_table import LecteurEnrolements
from shared.montant import Montant
from shared.pannes_aws import est_transitoire

CLE_VERROU = {"PK": "PAIEMENT", "SK": "VERROU_LOT"}


def cle_versement(numero_asp: str, type_versement: TypeVersement) -> dict[str, str]:
    return {"PK": f"DOSSIER#{numero_asp}", "SK": f"VERSEMENT#{type_versement}"}


def _versement_ou_rien(item: dict[str, Any] | None) -> Versement | None:
    return None if item is None else versement_depuis_item(item)


# A conditional write after a passing failure: tried again in place, recognising itself.
ESSAIS_ECRITURE = 4


def cle_lot(id_lot: str) -> dict[str, str]:
    return {"PK": f"LOT#{id_lot}", "SK": "LOT"}


def _texte(valeur: object | None) -> str | None:
    return None if valeur is None else str(valeur)


def _iso(valeur: datetime | None) -> str | None:
    return None if valeur is None else iso(valeur)


def item_versement(v: Versement, version: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        **cle_versement(v.numero_asp, v.type),
        "type": "VERSEMENT",
        "GSI2PK": f"VERSEMENT#{v.etat}",
        "GSI2SK": f"{iso(v.valide_le)}#{v.numero_asp}#{v.type}",
        "numeroAsp": v.numero_asp,
        "siret": v.siret,
        "numeroAns": v.numero_ans,
        "typeVersement": v.type.value,
        "numeroDemande": v.numero_demande,
        "objet": v.objet,
        "montantFinance": str(v.montant_finance),
        "montant": _texte(v.montant),
        "etat": v.etat.value,
        "valideLe": iso(v.valide_le),
        "rang": v.rang,
        "endToEnd": v.end_to_end,
        "lot": v.lot,
        "misEnPaiementLe": _iso(v.mis_en_paiement_le),
        "titulaire": v.titulaire,
        "ibanChiffre": v.iban_chiffre,
        "ibanMasque": v.iban_masque,
        "bic": v.bic,
        "payeLe": _iso(v.paye_le),
        "montantPaye": _texte(v.montant_paye),
        "codeRejet": v.code_rejet,
        "motifRejet": v.motif_rejet,
        "rejeteLe": _iso(v.rejete_le),
        "emissionsRejetees": [
            {
                k: val
                for k, val in {
                    "rang": e.rang,
                    "lot": e.lot,
                    "ibanChiffre": e.iban_chiffre,
                    "ibanMasque": e.iban_masque,
                    "bic": e.bic,
                    "codeRejet": e.code_rejet,
                    "rejeteLe": _iso(e.rejete_le),
                }.items()
                if val is not None
            }
            for e in v.emissions_rejetees
        ],
        "cleAvis": v.cle_avis,
        "jetonInstruction": v.jeton,
        "version": version,
    }
    if v.lot is not None:
        item["GSI1PK"] = f"LOT#{v.lot}"
        item["GSI1SK"] = v.end_to_end
    return item


def versement_depuis_item(item: Mapping[str, Any]) -> Versement:
    def montant(nom: str) -> Montant | None:
        return Montant.exact(str(item[nom])) if item.get(nom) is not None else None

    return Versement(
        numero_asp=str(item["numeroAsp"]),
        siret=str(item["siret"]),
        numero_ans=str(item["numeroAns"]),
        type=TypeVersement(str(item["typeVersement"])),
        montant_finance=Montant.exact(str(item["montantFinance"])),
        montant=montant("montant"),
        etat=EtatVersement(str(item["etat"])),
        valide_le=instant(item["valideLe"]),
        rang=int(item.get("rang", 1)),
        lot=_texte(item.get("lot")),
        mis_en_paiement_le=instant_ou_rien(item.get("misEnPaiementLe")),
        titulaire=_texte(item.get("titulaire")),
        iban_chiffre=_texte(item.get("ibanChiffre")),
        iban_masque=_texte(item.get("ibanMasque")),
        bic=_texte(item.get("bic")),
        paye_le=instant_ou_rien(item.get("payeLe")),
        montant_paye=montant("montantPaye"),
        code_rejet=_texte(item.get("codeRejet")),
        rejete_le=instant_ou_rien(item.get("rejeteLe")),
        emissions_rejetees=tuple(
            EmissionRejetee(
                rang=int(e["rang"]),
                lot=_texte(e.get("lot")),
                iban_chiffre=_texte(e.get("ibanChiffre")),
                iban_masque=_texte(e.get("ibanMasque")),
                bic=_texte(e.get("bic")),
                code_rejet=_texte(e.get("codeRejet")),
                rejete_le=instant_ou_rien(e.get("rejeteLe")),
            )
            for e in item.get("emissionsRejetees", [])
        ),
        cle_avis=_texte(item.get("cleAvis")),
        jeton=_texte(item.get("jetonInstruction")),
        version=int(item["version"]),
    )


def item_lot(lot: Lot) -> dict[str, Any]:
    return {
        **cle_lot(lot.id),
        "type": "LOT",
        "GSI1PK": "LOTS",
        "GSI1SK": f"{iso(lot.cree_le)}#{lot.id}",
        "GSI2PK": f"LOT#{lot.statut}",
        "GSI2SK": iso(lot.cree_le),
        "idLot": lot.id,
        "creeLe": iso(lot.cree_le),
        "execution": lot.execution.isoformat(),
        "statut": lot.statut.value,
        "nombre": lot.nombre,
        "total": str(lot.total),
        "cleFichier": lot.cle_fichier,
    }


def lot_depuis_item(item: Mapping[str, Any]) -> Lot:
    return Lot(
        id=str(item["idLot"]),
        cree_le=instant(item["creeLe"]),
        execution=date.fromisoformat(str(item["execution"])),
        statut=StatutLot(str(item["statut"])),
        nombre=int(item.get("nombre", 0)),
        total=Montant.exact(str(item.get("total", "0"))),
        cle_fichier=_texte(item.get("cleFichier")),
    )


class VersementsDynamo(TableDynamo):
    """Implements the `Versements` and `Lots` ports."""

    def creer(self, versement: Versement) -> bool:
        return self._creer(item_versement(versement, version=1))

    def lire(self, numero_asp: str, type_versement: TypeVersement) -> Versement | None:
        item = self._lire(cle_versement(numero_asp, type_versement))
        return None if item is None else versement_depuis_item(item)

    def du_dossier(self, numero_asp: str) -> list[Versement]:
        return [
            versement_depuis_item(item)
            for item in self._requete(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :sk)",
                ExpressionAttributeValues=vers_dynamo(
                    {":pk": f"DOSSIER#{numero_asp}", ":sk": "VERSEMENT#"}
                ),
                ConsistentRead=True,
            )
        ]

    def remplacer(self, ancien: Versement, nouveau: Versement) -> Versement | None:
        version = ancien.version + 1
        item = item_versement(nouveau, version)
        for essai in range(ESSAIS_ECRITURE):
            try:
                self.client.put_item(
                    TableName=self.table,
                    Item=vers_dynamo(item),
                    ConditionExpression="version = :attendue",
                    ExpressionAttributeValues=vers_dynamo({":attendue": ancien.version}),
                )
            except Exception as erreur:
                if condition_echouee(erreur):
                    # After a passing failure, the write refused may be our own, applied
                    # though its answer was lost: the item then is exactly what we wrote.
                    cle = cle_versement(nouveau.numero_asp, nouveau.type)
                    # Read as the lot reads its candidates (BatchGetItem): one read right.
                    relu = self._lire_lot([cle]).get((cle["PK"], cle["SK"])) if essai else None
                    if relu is not None and relu == depuis_dynamo(vers_dynamo(item)):
                        break
                    return None
                if not est_transitoire(erreur) or essai == ESSAIS_ECRITURE - 1:
                    raise
                time.sleep(random.uniform(0, 0.05 * 2**essai))  # jitter
                continue
            break
        return versement_depuis_item(item)

    def _index(self, index: str, cle: str, limite: int | None = None) -> list[dict[str, Any]]:
        trouves: list[dict[str, Any]] = []
        for item in self._requete(
            IndexName=index,
            KeyConditionExpression=f"{index}PK = :pk",
            ExpressionAttributeValues=vers_dynamo({":pk": cle}),
        ):
            trouves.append(item)
            if limite is not None and len(trouves) >= limite:
                break
        return trouves

    def dans_l_etat(self, etat: EtatVersement, limite: int) -> list[Versement]:
        # GSI reads are eventually consistent: each candidate is read again before use
        # (the claim is conditional on the version read here).
        candidats = [
            versement_depuis_item(i) for i in self._index("GSI2", f"VERSEMENT#{etat}", limite)
        ]
        # One consistent BatchGetItem per 100, not a GetItem per candidate.
        cles = [cle_versement(v.numero_asp, v.type) for v in candidats]
        lus = self._lire_lot(cles)
        frais = [lus.get((c["PK"], c["SK"])) for c in cles]
        return [v for v in map(_versement_ou_rien, frais) if v is not None and v.etat is etat]

    def du_lot(self, id_lot: str) -> list[Versement]:
        return [versement_depuis_item(i) for i in self._index("GSI1", f"LOT#{id_lot}")]

    def creer_lot(self, lot: Lot) -> None:
        if not self._creer(item_lot(lot)):
            raise RuntimeError(f"lot {lot.id} déjà existant")

    def enregistrer_lot(self, lot: Lot) -> None:
        self._ecrire(item_lot(lot))

    def supprimer_lot(self, id_lot: str) -> None:
        self.client.delete_item(TableName=self.table, Key=vers_dynamo(cle_lot(id_lot)))

    def lire_lot(self, id_lot: str) -> Lot | None:
        item = self._lire(cle_lot(id_lot))
        return None if item is None else lot_depuis_item(item)

    def lots(self, statut: StatutLot | None = None) -> list[Lot]:
        index, cle = ("GSI1", "LOTS") if statut is None else ("GSI2", f"LOT#{statut}")
        items = self._requete(
            IndexName=index,
            KeyConditionExpression=f"{index}PK = :pk",
            ExpressionAttributeValues=vers_dynamo({":pk": cle}),
            ScanIndexForward=False,
        )
        return [lot_depuis_item(item) for item in items]

    def page_lots(
        self, limite: int, depart: dict[str, Any] | None = None
    ) -> tuple[list[Lot], dict[str, Any] | None]:
        """The SEPA files, newest first, one page (GSI1 `LOTS`); the next page's key."""
        arguments: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "GSI1",
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": vers_dynamo({":pk": "LOTS"}),
            "ScanIndexForward": False,
            "Limit": limite,
        }
        if depart:
            arguments["ExclusiveStartKey"] = depart
        reponse = self.client.query(**arguments)
        lots = [lot_depuis_item(depuis_dynamo(i)) for i in reponse.get("Items", [])]
        return lots, reponse.get("LastEvaluatedKey")

    def prendre_verrou(self, proprietaire: str, maintenant: datetime, expire_le: datetime) -> bool:
        try:
            self.client.put_item(
                TableName=self.table,
                Item=vers_dynamo(
                    {**CLE_VERROU, "proprietaire": proprietaire, "expireLe": iso(expire_le)}
                ),
                # Its own owner too: the SDK's retry of a PutItem applied before its answer
                # was lost must recognise that success, not take it for another run's lock.
                ConditionExpression=(
                    "attribute_not_exists(PK) OR expireLe < :maintenant OR proprietaire = :p"
                ),
                ExpressionAttributeValues=vers_dynamo(
                    {":maintenant": iso(maintenant), ":p": proprietaire}
                ),
            )
        except Exception as erreur:
            if condition_echouee(erreur):
                return False
            raise
        return True

    def rendre_verrou(self, proprietaire: str) -> None:
        try:
            self.client.delete_item(
                TableName=self.table,
                Key=vers_dynamo(CLE_VERROU),
                ConditionExpression="proprietaire = :p",
                ExpressionAttributeValues=vers_dynamo({":p": proprietaire}),
            )
        except Exception as erreur:
            if not condition_echouee(erreur):  # taken over after expiry: not ours any more
                raise


def _compte(enrolement: EnrolementEditeur) -> CoordonneesChiffrees | None:
    """An enrolment's bank details (not decrypted); None without IBAN or BIC."""
    if not enrolement.iban_chiffre or not enrolement.bic:
        return None
    return CoordonneesChiffrees(
        titulaire=enrolement.titulaire or enrolement.raison_sociale or enrolement.siret,
        iban_chiffre=enrolement.iban_chiffre,
        bic=enrolement.bic,
        # A gestionnaire validated the enrolment (and with it these bank details).
        validees=enrolement.valide,
    )


class EnrolementsDynamo(LecteurEnrolements):
    """Implements `Enrolements`: the IBAN/BIC of the enrolment item, read through the
    shared reader, the IBAN left encrypted (the application decrypts it for the SEPA
    file and the re-issue's comparison, once per SIRET and run)."""

    def __init__(
        self,
        table: str | None = None,
        client: Any | None = None,
        chiffrement: Chiffrement | None = None,
    ) -> None:
        super().__init__(table, client)
        self.chiffrement: Chiffrement = chiffrement or ChiffrementKms()

    def compte(self, siret: str, numero_ans: str) -> CoordonneesChiffrees | None:
        enrolement = self.enrolement(siret, numero_ans)
        return None if enrolement is None else _compte(enrolement)

    def lire_comptes(
        self, cles: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], CoordonneesChiffrees]:
        trouves: dict[tuple[str, str], CoordonneesChiffrees] = {}
        for cle, enrolement in self.enrolements(cles).items():
            compte = _compte(enrolement)
            if compte is not None:
                trouves[cle] = compte
        return trouves

    def coordonnees(self, siret: str, numero_ans: str) -> CoordonneesBancaires | None:
        """`compte`, the IBAN decrypted (one Decrypt: for checks and tools, not for lots)."""
        lues = self.compte(siret, numero_ans)
        if lues is None:
            return None
        return CoordonneesBancaires(
            titulaire=lues.titulaire,
            iban=self.chiffrement.dechiffrer(lues.iban_chiffre, contexte_iban(siret)),
            bic=lues.bic,
            validees=lues.validees,
            iban_chiffre=lues.iban_chiffre,
        )
