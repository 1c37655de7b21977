"""In-memory ports of the paiement service, with the same conditional semantics as the
DynamoDB adapter (a write succeeds only on the version read)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from services.paiement.application.contexte import Paiement
from services.paiement.domain.lot import Lot, StatutLot
from services.paiement.domain.sepa import Payeur
from services.paiement.domain.versement import (
    CoordonneesBancaires,
    CoordonneesChiffrees,
    EtatVersement,
    TypeVersement,
    Versement,
)
from shared.chiffrement import ChiffrementFactice, contexte_iban
from shared.horloge import HorlogeFixe

IBAN_A = "FR7630006000011234567890189"
BIC_A = "AGRIFRPPXXX"
IBAN_B = "FR7630001007941234567890185"
BIC_B = "BNPAFRPPXXX"
PAYEUR = Payeur("Agence de services et de paiement", "FR0510071750000000100000000", "TRPUFRP1XXX")


class FakeVersements:
    def __init__(self) -> None:
        self.items: dict[tuple[str, TypeVersement], Versement] = {}
        self.lots_: dict[str, Lot] = {}
        self.verrou: tuple[str, datetime] | None = None
        self.ecritures = 0

    # Versements
    def creer(self, versement: Versement) -> bool:
        cle = (versement.numero_asp, versement.type)
        if cle in self.items:
            return False
        self.items[cle] = replace(versement, version=1)
        self.ecritures += 1
        return True

    def lire(self, numero_asp: str, type_versement: TypeVersement) -> Versement | None:
        return self.items.get((numero_asp, type_versement))

    def du_dossier(self, numero_asp: str) -> list[Versement]:
        return [v for (asp, _), v in self.items.items() if asp == numero_asp]

    def remplacer(self, ancien: Versement, nouveau: Versement) -> Versement | None:
        cle = (ancien.numero_asp, ancien.type)
        stocke = self.items.get(cle)
        if stocke is None or stocke.version != ancien.version:
            return None
        self.items[cle] = replace(nouveau, version=ancien.version + 1)
        self.ecritures += 1
        return self.items[cle]

    def dans_l_etat(self, etat: EtatVersement, limite: int) -> list[Versement]:
        trouves = sorted(
            (v for v in self.items.values() if v.etat is etat),
            key=lambda v: (v.valide_le, v.numero_asp, v.type),
        )
        return trouves[:limite]

    def du_lot(self, id_lot: str) -> list[Versement]:
        return [v for v in self.items.values() if v.lot == id_lot]

    # Lots
    def creer_lot(self, lot: Lot) -> None:
        assert lot.id not in self.lots_
        self.lots_[lot.id] = lot

    def enregistrer_lot(self, lot: Lot) -> None:
        self.lots_[lot.id] = lot

    def supprimer_lot(self, id_lot: str) -> None:
        self.lots_.pop(id_lot, None)

    def lire_lot(self, id_lot: str) -> Lot | None:
        return self.lots_.get(id_lot)

    def lots(self, statut: StatutLot | None = None) -> list[Lot]:
        choisis = [lot for lot in self.lots_.values() if statut is None or lot.statut is statut]
        return sorted(choisis, key=lambda lot: lot.cree_le, reverse=True)

    def prendre_verrou(self, proprietaire: str, maintenant: datetime, expire_le: datetime) -> bool:
        pris = self.verrou is not None and self.verrou[1] > maintenant
        if pris and self.verrou is not None and self.verrou[0] != proprietaire:
            return False
        self.verrou = (proprietaire, expire_le)
        return True

    def rendre_verrou(self, proprietaire: str) -> None:
        if self.verrou is not None and self.verrou[0] == proprietaire:
            self.verrou = None


class FakeEnrolements:
    """Enrolment records as stored: the IBAN encrypted (each record its own ciphertext,
    as the enrolment service writes them), through the same fake key as `Paiement`'s."""

    def __init__(self, chiffrement: ChiffrementFactice) -> None:
        self.chiffrement = chiffrement
        self.comptes: dict[tuple[str, str], CoordonneesChiffrees] = {}
        self.lectures = 0  # single reads (compte)
        self.lectures_groupees = 0  # batch reads (lire_comptes)

    def definir(
        self,
        siret: str,
        numero_ans: str,
        iban: str = IBAN_A,
        bic: str = BIC_A,
        validees: bool = True,
        titulaire: str = "Éditeur de test",
    ) -> None:
        chiffre = self.chiffrement.chiffrer(iban, contexte_iban(siret))
        self.comptes[(siret, numero_ans)] = CoordonneesChiffrees(titulaire, chiffre, bic, validees)

    def compte(self, siret: str, numero_ans: str) -> CoordonneesChiffrees | None:
        self.lectures += 1
        return self.comptes.get((siret, numero_ans))

    def lire_comptes(
        self, cles: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], CoordonneesChiffrees]:
        """As the adapter: one batch read per 100 enrolments (counted as such)."""
        uniques = sorted(set(cles))
        self.lectures_groupees += -(-len(uniques) // 100)
        return {cle: self.comptes[cle] for cle in uniques if cle in self.comptes}

    def coordonnees(self, siret: str, numero_ans: str) -> CoordonneesBancaires | None:
        """For tests that claim a versement by hand (decrypts, not counted)."""
        lues = self.comptes.get((siret, numero_ans))
        if lues is None:
            return None
        iban = ChiffrementFactice().dechiffrer(lues.iban_chiffre, contexte_iban(siret))
        return CoordonneesBancaires(
            lues.titulaire, iban, lues.bic, lues.validees, lues.iban_chiffre
        )


class FakeStockage:
    def __init__(self) -> None:
        self.fichiers: dict[str, bytes] = {}

    def deposer(self, cle: str, contenu: bytes, type_contenu: str) -> None:
        assert type_contenu
        self.fichiers[cle] = contenu

    def lire(self, cle: str) -> bytes:
        return self.fichiers[cle]


class IdsLot:
    """Predictable lot ids."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, instant: datetime) -> str:
        self.n += 1
        return f"LOT{self.n:04d}"


def paiement_en_memoire(
    instant: datetime | None = None,
) -> tuple[Paiement, FakeVersements, FakeEnrolements, FakeStockage, HorlogeFixe]:
    depot = FakeVersements()
    chiffrement = ChiffrementFactice()
    enrolements = FakeEnrolements(chiffrement)
    stockage = FakeStockage()
    horloge = HorlogeFixe(instant or datetime(2024, 3, 4, 9, 0, tzinfo=UTC))
    paiement = Paiement(
        versements=depot,
        lots=depot,
        enrolements=enrolements,
        stockage=stockage,
        horloge=horloge,
        payeur=PAYEUR,
        chiffrement=chiffrement,
        nouvel_id_lot=IdsLot(),
    )
    return paiement, depot, enrolements, stockage, horloge
