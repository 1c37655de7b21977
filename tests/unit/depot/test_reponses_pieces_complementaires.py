"""Pièces complémentaires (issue 9) on fakes: the presigned POST only for a demande in
EN_ATTENTE_PIECES of the éditeur's own dossier; the ZIP checked with the dépôt's ZIP rules
against the pièces asked; OK → pièces stored with the dossier's and one
PIECES_COMPLEMENTAIRES_RECUES to the instruction; not OK → the éditeur sees why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.depot.application.pieces import StatutZip
from services.depot.application.pieces_complementaires import (
    AutoriserComplementaires,
    ConsulterComplementaires,
    TraiterComplementsRecus,
    analyser_cle_complements,
    suivi_complements,
)
from services.depot.domain.depot import Conflit, Introuvable
from shared.campagnes import TypeDemande
from shared.horloge import HorlogeFixe
from shared.messages import ActionEditeur
from shared.refus import NatureRefus
from shared.statuts import StatutDemande
from tests.unit.depot.fakes import NUMERO_ANS, SIRET, SIRET_AUTRE, demande, fichier
from tests.unit.depot.fakes_pieces import (
    BUCKET,
    DECIDE_LE,
    BucketZips,
    CopieEnMemoire,
    EtatsEnMemoire,
    FileReponses,
    PiecesEnMemoire,
    ZipsEnMemoire,
)
from tests.unit.depot.plateforme import Plateforme
from tests.unit.lecteur_zip.zips import Membre, construire, pdf


class Monde:
    def __init__(self) -> None:
        self.p = Plateforme()
        self.p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
        self.numero = self.p.deposer_et_importer(fichier(demande(1, ("750712184",)))).numeros_asp[1]
        self.etats = EtatsEnMemoire()
        self.zips = ZipsEnMemoire()
        self.bucket = BucketZips()
        self.copie = CopieEnMemoire(self.bucket)
        self.pieces = PiecesEnMemoire(self.p.dossiers)
        self.file = FileReponses()
        self.horloge = HorlogeFixe(DECIDE_LE + timedelta(hours=1))
        self.autoriser = AutoriserComplementaires(
            self.p.dossiers, self.etats, self.p.stockage, self.zips, self.horloge
        )
        self.consulter = ConsulterComplementaires(self.p.dossiers, self.etats, self.zips)
        self.traiter = TraiterComplementsRecus(
            self.p.dossiers,
            self.etats,
            self.zips,
            self.pieces,
            self.bucket,
            self.copie,
            self.file,
            self.horloge,
        )

    def envoyer(self, contenu: bytes, etag: str = "e1") -> tuple[str, str]:
        envoi = self.autoriser(self.numero, SIRET)
        self.bucket.archives[(envoi.cle, etag)] = contenu
        return envoi.cle, self.traiter(
            BUCKET, envoi.cle, len(contenu), etag, self.horloge.maintenant()
        )


@pytest.fixture
def monde() -> Monde:
    return Monde()


def _zip(*noms: str) -> bytes:
    return construire([Membre(n, pdf(n)) for n in noms])


def test_pas_de_zip_si_aucune_demande_n_attend_de_pieces(monde: Monde) -> None:
    with pytest.raises(Conflit) as exc:
        monde.autoriser(monde.numero, SIRET)
    assert exc.value.code == "PIECES_COMPLEMENTAIRES_NON_ATTENDUES"
    monde.etats.poser(monde.numero, StatutDemande.A_MODIFIER)
    with pytest.raises(Conflit) as exc:
        monde.autoriser(monde.numero, SIRET)
    assert "« À modifier »" in exc.value.message and exc.value.nature is NatureRefus.CONFLIT


def test_le_dossier_d_un_autre_editeur_est_introuvable(monde: Monde) -> None:
    monde.etats.poser(monde.numero, StatutDemande.EN_ATTENTE_PIECES, ("rib.pdf",))
    for numero, siret in ((monde.numero, SIRET_AUTRE), ("FINMS1999999", SIRET)):
        with pytest.raises(Introuvable) as exc:
            monde.autoriser(numero, siret)
        assert (
            exc.value.code == "DOSSIER_INTROUVABLE" and exc.value.nature is NatureRefus.INTROUVABLE
        )
        with pytest.raises(Introuvable):
            monde.consulter(numero, siret)


def test_les_pieces_demandees_recues_font_reprendre_la_demande(monde: Monde) -> None:
    monde.etats.poser(monde.numero, StatutDemande.EN_ATTENTE_PIECES, ("rib.pdf", "kbis.pdf"))
    cle, statut = monde.envoyer(_zip("rib.pdf", "kbis.pdf"))

    assert statut == "OK"
    assert analyser_cle_complements(cle) == (SIRET, monde.numero)
    assert f"dossiers/{monde.numero}/pieces/rib.pdf" in monde.copie.documents
    assert set(monde.pieces.recues(monde.numero, TypeDemande.AVANCE)) == {"rib.pdf", "kbis.pdf"}
    (message,) = monde.file.messages
    assert message.action is ActionEditeur.PIECES_COMPLEMENTAIRES_RECUES
    assert (message.numeroAsp, message.typeDemande) == (monde.numero, TypeDemande.AVANCE)
    assert message.instant > DECIDE_LE
    (z,) = monde.consulter(monde.numero, SIRET).zips
    assert z.statut is StatutZip.OK and set(z.pieces) == {"rib.pdf", "kbis.pdf"}
    # the same S3 event again: nothing processed twice
    assert monde.traiter(BUCKET, cle, 1, "e1", monde.horloge.maintenant()) == "IGNORE"
    assert len(monde.file.messages) == 1


def test_une_piece_demandee_absente_refuse_l_archive(monde: Monde) -> None:
    monde.etats.poser(monde.numero, StatutDemande.EN_ATTENTE_PIECES, ("rib.pdf", "kbis.pdf"))
    _, statut = monde.envoyer(_zip("rib.pdf"))

    assert statut == "REJETE" and monde.file.messages == []
    (z,) = monde.consulter(monde.numero, SIRET).zips
    assert [(e["fichier"], e["code"]) for e in z.erreurs_pieces] == [
        ("kbis.pdf", "PIECE_MANQUANTE")
    ]
    assert monde.copie.documents == {}


def test_une_piece_non_demandee_ou_invalide_refuse_l_archive(monde: Monde) -> None:
    monde.etats.poser(monde.numero, StatutDemande.EN_ATTENTE_PIECES, ("rib.pdf",))
    _, statut = monde.envoyer(_zip("rib.pdf", "autre.pdf"))
    assert statut == "REJETE"
    _, statut = monde.envoyer(construire([Membre("rib.pdf", b"\x89PNG\r\n\x1a\n pas un PDF")]))
    assert statut == "REJETE"
    premier, second = monde.consulter(monde.numero, SIRET).zips
    assert [e["code"] for e in premier.erreurs_pieces] == ["PIECE_NON_DEMANDEE"]
    assert "pièces complémentaires demandées (« rib.pdf »)" in premier.erreurs_pieces[0]["message"]
    assert second.erreurs_pieces and second.erreurs_pieces[0]["fichier"] == "rib.pdf"
    assert monde.file.messages == []


def test_une_cle_non_emise_est_ignoree(monde: Monde) -> None:
    monde.etats.poser(monde.numero, StatutDemande.EN_ATTENTE_PIECES, ("rib.pdf",))
    cle = f"pieces/{SIRET}/complements/{monde.numero}/{'0' * 32}.zip"
    monde.bucket.archives[(cle, "e")] = _zip("rib.pdf")
    assert monde.traiter(BUCKET, cle, 1, "e", monde.horloge.maintenant()) == "IGNORE"
    assert monde.zips.lister(suivi_complements(monde.numero)) == []
    assert monde.file.messages == []
