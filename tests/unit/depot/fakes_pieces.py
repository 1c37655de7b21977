"""In-memory implementations of the ports of the dépôt's pièces (services/depot/application/
pieces.py, pieces_complementaires.py) and of the instruction's answer queue, and the unit
platform with pièces. Each fake subclasses its port, so that mypy (`make typecheck`) checks
it against the port; `AvecPieces` instantiates them all (a missing method fails there)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from lecteur_zip import MembreArchive, SourceAleatoire, SourceOctets, extraire_membre
from services.depot.application.pieces import (
    AutoriserZip,
    ConsulterPieces,
    CopiePieces,
    Debut,
    Instruction,
    PieceRecue,
    PiecesDossiers,
    SourcesZip,
    StatutZip,
    SuiviZips,
    Terminer,
    TraiterZipRecu,
    ZipDepose,
)
from services.depot.application.pieces_complementaires import EtatsInstruction
from services.depot.application.ports import ReponsesInstruction, VersionPerimee
from services.depot.domain.depot import Dossier
from shared.campagnes import TypeDemande
from shared.etat_instruction import EtatInstruction
from shared.messages import InstructionDemandee, ReponseEditeur
from shared.statuts import Attendu, StatutDemande
from tests.unit.depot.fakes import NUMERO_ANS, SIRET, DossiersEnMemoire
from tests.unit.depot.plateforme import Plateforme

BUCKET = "segurnum-depots"
DECIDE_LE = datetime(2024, 3, 1, 9, tzinfo=UTC)


class ZipsEnMemoire(SuiviZips):
    def __init__(self) -> None:
        self.zips: dict[tuple[str, str], ZipDepose] = {}

    def enregistrer_attente(self, id_depot: str, cle: str, le: datetime) -> None:
        self.zips.setdefault(
            (id_depot, cle), ZipDepose(id_depot, cle, StatutZip.EN_ATTENTE, autorise_le=le)
        )

    def commencer(
        self, id_depot: str, cle: str, etag: str, taille: int, recu_le: datetime
    ) -> Debut:
        avant = self.zips.get((id_depot, cle))
        if avant is None:
            return Debut.NON_AUTORISE
        if avant.etag == etag and avant.statut in (StatutZip.OK, StatutZip.REJETE):
            return Debut.DEJA_TRAITE
        reprise = avant.etag == etag and avant.statut is StatutZip.EN_COURS_DE_VERIFICATION
        self.zips[(id_depot, cle)] = replace(
            avant,
            statut=StatutZip.EN_COURS_DE_VERIFICATION,
            etag=etag,
            taille=taille,
            recu_le=recu_le,
            erreurs_pieces=(),
            pieces=(),
        )
        return Debut.REPRISE if reprise else Debut.NOUVEAU

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
        avant = self.zips[(id_depot, cle)]
        self.zips[(id_depot, cle)] = replace(
            avant,
            statut=statut,
            verifie_le=le,
            erreurs_pieces=tuple(erreurs_pieces),
            pieces=tuple(pieces),
        )

    def lister(self, id_depot: str) -> list[ZipDepose]:
        return [z for (i, _), z in self.zips.items() if i == id_depot]


class PiecesEnMemoire(PiecesDossiers):
    def __init__(self, dossiers: DossiersEnMemoire) -> None:
        self.dossiers = dossiers
        self.pieces: dict[tuple[str, str, str], PieceRecue] = {}
        self.manquantes: dict[tuple[str, str], tuple[str, ...]] = {}

    def recues(self, numero_asp: str, type_demande: TypeDemande) -> dict[str, str]:
        return {
            n: p.cle_zip
            for (a, t, n), p in self.pieces.items()
            if a == numero_asp and t == type_demande
        }

    def enregistrer(self, piece: PieceRecue) -> None:
        self.pieces[(piece.numero_asp, str(piece.type_demande), piece.nom_fichier)] = piece

    def completer(self, dossier: Dossier, type_demande: TypeDemande, le: datetime) -> Dossier:
        stocke = self.dossiers.dossiers[dossier.numero_asp]
        if stocke.version != dossier.version:
            raise VersionPerimee(dossier.numero_asp)
        if type_demande is TypeDemande.SOLDE:
            solde = {**(stocke.solde or {}), "statut": "EN_COURS", "piecesManquantes": []}
            apres = replace(stocke, solde=solde, modifie_le=le, version=stocke.version + 1)
        else:
            apres = replace(
                stocke,
                statut=StatutDemande.EN_COURS,
                modifie_le=le,
                version=stocke.version + 1,
                pieces_manquantes=(),
            )
        self.dossiers.dossiers[dossier.numero_asp] = apres
        return apres

    def noter_manquantes(
        self, numero_asp: str, type_demande: TypeDemande, manquantes: Sequence[str]
    ) -> None:
        self.manquantes[(numero_asp, str(type_demande))] = tuple(manquantes)
        stocke = self.dossiers.dossiers[numero_asp]
        if type_demande is TypeDemande.SOLDE:
            solde = {**(stocke.solde or {}), "piecesManquantes": list(manquantes)}
            self.dossiers.dossiers[numero_asp] = replace(stocke, solde=solde)
        else:
            self.dossiers.dossiers[numero_asp] = replace(
                stocke, pieces_manquantes=tuple(manquantes)
            )


class BucketZips(SourcesZip):
    """The uploaded archives (bytes) and the sources opened on them."""

    def __init__(self) -> None:
        self.archives: dict[tuple[str, str], bytes] = {}
        self.ouvertures = 0

    def ouvrir(self, bucket: str, cle: str, taille: int, etag: str) -> SourceAleatoire:
        self.ouvertures += 1
        return SourceOctets(self.archives[(cle, etag)])


class CopieEnMemoire(CopiePieces):
    def __init__(self, bucket: BucketZips) -> None:
        self.bucket = bucket
        self.documents: dict[str, bytes] = {}
        self.copies = 0

    def copier(
        self, bucket: str, cle_zip: str, etag: str, membre: MembreArchive, cle_destination: str
    ) -> None:
        self.copies += 1
        source = SourceOctets(self.bucket.archives[(cle_zip, etag)])
        self.documents[cle_destination] = extraire_membre(source, membre)


class InstructionFactice(Instruction):
    def __init__(self) -> None:
        self.demarrees: list[InstructionDemandee] = []
        self.noms: set[str] = set()

    def demarrer(self, demande: InstructionDemandee) -> None:
        nom = f"{demande.numeroAsp}-{demande.typeDemande}-{demande.version}"
        if nom in self.noms:
            return  # ExecutionAlreadyExists
        self.noms.add(nom)
        self.demarrees.append(demande)


# --- The platform with pièces ----------------------------------------------------------------


class AvecPieces(Plateforme):
    def __init__(self) -> None:
        super().__init__()
        self.zips = ZipsEnMemoire()
        self.pieces = PiecesEnMemoire(self.dossiers)
        self.bucket = BucketZips()
        self.copie = CopieEnMemoire(self.bucket)
        self.instruction = InstructionFactice()
        self.autoriser_zip = AutoriserZip(self.depots, self.stockage, self.zips, self.horloge)
        self.traiter_zip = TraiterZipRecu(
            self.depots,
            self.dossiers,
            self.zips,
            self.pieces,
            self.bucket,
            self.copie,
            self.instruction,
            self.horloge,
        )
        self.terminer = Terminer(self.depots, self.dossiers, self.pieces, self.horloge)
        self.consulter = ConsulterPieces(self.depots, self.dossiers, self.zips, self.pieces)
        self._etags = 0

    def envoyer_zip(self, id_depot: str, archive: bytes, siret: str = SIRET) -> tuple[str, str]:
        """Authorise, then upload: returns (key, ETag)."""
        envoi = self.autoriser_zip(id_depot, siret)
        self._etags += 1
        etag = f"etag{self._etags}"
        self.bucket.archives[(envoi.cle, etag)] = archive
        return envoi.cle, etag

    def evenement(self, cle: str, etag: str) -> Any:
        archive = self.bucket.archives[(cle, etag)]
        return self.traiter_zip(BUCKET, cle, len(archive), f'"{etag}"', self.horloge.maintenant())

    def dossier(self, numero_asp: str) -> Dossier:
        return self.dossiers.dossiers[numero_asp]


class EtatsEnMemoire(EtatsInstruction):
    def __init__(self) -> None:
        self.etats: dict[str, list[EtatInstruction]] = {}

    def poser(self, numero: str, statut: StatutDemande, pieces: tuple[str, ...] = ()) -> None:
        self.etats[numero] = [
            EtatInstruction(
                numero_asp=numero,
                type_demande=TypeDemande.AVANCE,
                siret=SIRET,
                numero_ans=NUMERO_ANS,
                couloir="MS1",
                campagne="MS-VAGUE1",
                montant_finance="1000.00",
                statut=statut,
                attendu=Attendu.EDITEUR,
                demarre_le=DECIDE_LE,
                modifie_le=DECIDE_LE,
                jeton="j",
                pieces_demandees=pieces,
            )
        ]

    def demandes(self, numero_asp: str) -> list[EtatInstruction]:
        return list(self.etats.get(numero_asp, []))


class FileReponses(ReponsesInstruction):
    """The instruction's queue (port `ReponsesInstruction`); `panne` fails the next sends."""

    def __init__(self) -> None:
        self.messages: list[ReponseEditeur] = []
        self.panne = 0

    def envoyer(self, reponse: ReponseEditeur) -> None:
        if self.panne:
            self.panne -= 1
            raise RuntimeError("SQS indisponible")
        self.messages.append(ReponseEditeur.model_validate_json(reponse.model_dump_json()))
