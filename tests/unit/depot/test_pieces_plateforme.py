"""The ZIP of pièces on the platform (issue 4, item 4), on in-memory fakes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from services.depot.application.pieces import (
    DossierIncomplet,
    IssueZip,
    StatutZip,
    statut_demande,
)
from services.depot.application.ports import VersionPerimee
from services.depot.domain.depot import AccesInterdit, Conflit, Depot, Dossier, StatutDepot
from shared.campagnes import TypeDemande
from shared.messages import InstructionDemandee
from shared.statuts import StatutDemande
from tests.unit.depot.fakes import (
    NUMERO_ANS,
    NUMERO_ANS_AUTRE,
    SIRET,
    SIRET_AUTRE,
    demande,
    fichier,
)
from tests.unit.depot.fakes_pieces import BUCKET, AvecPieces
from tests.unit.lecteur_zip.zips import Membre, construire, pdf, png


def _deux_pieces(num_ligne: int) -> dict[str, Any]:
    return demande(
        num_ligne,
        finess=(f"75071218{num_ligne}",),
        piecesJustificatives=[
            {"nomFichier": f"BDC-{num_ligne}.pdf", "formatFichier": "PDF", "typeFichier": "BDC"},
            {"nomFichier": f"FAC-{num_ligne}.png", "formatFichier": "PNG", "typeFichier": "FAC"},
        ],
    )


@pytest.fixture
def plateforme() -> AvecPieces:
    p = AvecPieces()
    p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
    p.enrolements.enroler(SIRET_AUTRE, NUMERO_ANS_AUTRE, "MS1")
    return p


def _importer(p: AvecPieces, *demandes: dict[str, Any]) -> Depot:
    resultat = p.deposer_et_importer(fichier(*demandes))
    depot = p.depot(resultat.depot.id)
    assert depot.statut is StatutDepot.IMPORTE
    return depot


def test_autoriser_zip_seulement_au_proprietaire_apres_import(plateforme: AvecPieces) -> None:
    avant_import = plateforme.demarrer_depot()
    with pytest.raises(Conflit):
        plateforme.autoriser_zip(avant_import.id, SIRET)
    depot = _importer(plateforme, _deux_pieces(1))
    with pytest.raises(AccesInterdit):
        plateforme.autoriser_zip(depot.id, SIRET_AUTRE)
    envoi = plateforme.autoriser_zip(depot.id, SIRET)
    assert envoi.cle.startswith(f"pieces/{SIRET}/{depot.id}/") and envoi.cle.endswith(".zip")
    assert envoi.taille_max == 200 * 1024 * 1024
    (zip_,) = plateforme.consulter(depot.id, SIRET).zips
    assert zip_.statut is StatutZip.EN_ATTENTE and zip_.cle == envoi.cle


def test_piece_manquante_puis_second_zip_complete_et_demarre(plateforme: AvecPieces) -> None:
    depot = _importer(plateforme, _deux_pieces(1))
    numero = depot.numeros_asp[1]

    cle, etag = plateforme.envoyer_zip(depot.id, construire([Membre("BDC-1.pdf", pdf())]))
    resultat = plateforme.evenement(cle, etag)
    assert resultat.issue is IssueZip.OK
    assert plateforme.dossier(numero).statut is StatutDemande.INCOMPLET
    (incomplet,) = resultat.incomplets
    assert incomplet.numero_asp == numero and incomplet.pieces_manquantes == ("FAC-1.png",)
    assert plateforme.pieces.manquantes[(numero, "AVANCE")] == ("FAC-1.png",)
    assert f"dossiers/{numero}/pieces/BDC-1.pdf" in plateforme.copie.documents
    assert plateforme.instruction.demarrees == []
    etat = plateforme.consulter(depot.id, SIRET)
    assert etat.zips[0].statut == "OK" and etat.zips[0].erreurs_pieces == ()
    assert etat.dossiers[0].pieces_manquantes == ("FAC-1.png",)

    cle2, etag2 = plateforme.envoyer_zip(depot.id, construire([Membre("FAC-1.png", png())]))
    resultat2 = plateforme.evenement(cle2, etag2)
    assert resultat2.issue is IssueZip.OK and resultat2.completes == (numero,)
    dossier = plateforme.dossier(numero)
    assert dossier.statut is StatutDemande.EN_COURS
    (instruction,) = plateforme.instruction.demarrees
    assert instruction.numeroAsp == numero and instruction.typeDemande == "AVANCE"
    assert instruction.version == dossier.version and instruction.siret == SIRET
    assert plateforme.copie.documents[f"dossiers/{numero}/pieces/FAC-1.png"] == png()

    # a duplicate S3 event of either ZIP changes nothing
    copies = plateforme.copie.copies
    assert plateforme.evenement(cle2, etag2).issue is IssueZip.DOUBLON
    assert plateforme.evenement(cle, etag).issue is IssueZip.DOUBLON
    assert plateforme.copie.copies == copies and len(plateforme.instruction.demarrees) == 1
    assert plateforme.dossier(numero).version == dossier.version


def test_evenement_en_double_ne_fait_rien_deux_fois(plateforme: AvecPieces) -> None:
    depot = _importer(plateforme, demande(1))
    numero = depot.numeros_asp[1]
    archive = construire([Membre("MS1_bon-BDC-D00001.pdf", pdf())])
    cle, etag = plateforme.envoyer_zip(depot.id, archive)
    assert plateforme.evenement(cle, etag).completes == (numero,)
    ouvertures = plateforme.bucket.ouvertures
    assert plateforme.evenement(cle, etag).issue is IssueZip.DOUBLON
    assert plateforme.bucket.ouvertures == ouvertures  # not even read again
    assert len(plateforme.instruction.demarrees) == 1
    assert plateforme.copie.copies == 1


def test_reprise_d_un_traitement_interrompu_demarre_l_instruction(plateforme: AvecPieces) -> None:
    depot = _importer(plateforme, demande(1))
    cle, etag = plateforme.envoyer_zip(
        depot.id, construire([Membre("MS1_bon-BDC-D00001.pdf", pdf())])
    )

    class Panne(Exception):
        pass

    def en_panne(demande: InstructionDemandee) -> None:
        raise Panne

    demarrer = plateforme.instruction.demarrer
    plateforme.instruction.demarrer = en_panne  # type: ignore[method-assign]
    with pytest.raises(Panne):
        plateforme.evenement(cle, etag)
    assert plateforme.dossier(depot.numeros_asp[1]).statut is StatutDemande.EN_COURS
    plateforme.instruction.demarrer = demarrer  # type: ignore[method-assign]
    assert plateforme.evenement(cle, etag).issue is IssueZip.OK  # the SQS retry
    assert len(plateforme.instruction.demarrees) == 1
    assert plateforme.evenement(cle, etag).issue is IssueZip.DOUBLON


def test_la_reprise_ne_refait_pas_les_pieces_deja_copiees(plateforme: AvecPieces) -> None:
    """The run failed on its second member: the redelivery copies and records only what is
    missing (the pièce records are the checkpoint), and completes the dossier."""
    depot = _importer(plateforme, _deux_pieces(1))
    numero = depot.numeros_asp[1]
    archive = construire([Membre("BDC-1.pdf", pdf()), Membre("FAC-1.png", png())])
    cle, etag = plateforme.envoyer_zip(depot.id, archive)

    class Panne(Exception):
        pass

    copier = plateforme.copie.copier

    def deuxieme_en_panne(*args: Any) -> None:
        if plateforme.copie.copies == 1:
            plateforme.copie.copies += 1
            raise Panne
        copier(*args)

    plateforme.copie.copier = deuxieme_en_panne  # type: ignore[method-assign]
    with pytest.raises(Panne):
        plateforme.evenement(cle, etag)
    assert set(plateforme.pieces.recues(numero, TypeDemande.AVANCE)) == {"BDC-1.pdf"}
    plateforme.copie.copier = copier  # type: ignore[method-assign]
    resultat = plateforme.evenement(cle, etag)  # the SQS retry
    assert resultat.issue is IssueZip.OK and resultat.completes == (numero,)
    assert plateforme.copie.copies == 3  # 1 done, 1 failed, only the missing one again
    assert resultat.pieces_conservees == ("BDC-1.pdf", "FAC-1.png")
    assert len(plateforme.instruction.demarrees) == 1


def test_une_completion_ecrite_dont_la_reponse_est_perdue_demarre_l_instruction(
    plateforme: AvecPieces,
) -> None:
    """The INCOMPLET → EN_COURS write applied, its answer lost (the SDK's retry then saw a
    moved version): the run recognises its own write and starts the instruction."""
    depot = _importer(plateforme, demande(1))
    numero = depot.numeros_asp[1]
    cle, etag = plateforme.envoyer_zip(
        depot.id, construire([Membre("MS1_bon-BDC-D00001.pdf", pdf())])
    )
    completer = plateforme.pieces.completer

    def ecrit_puis_perdu(dossier: Dossier, type_demande: TypeDemande, le: datetime) -> Dossier:
        completer(dossier, type_demande, le)
        raise VersionPerimee(dossier.numero_asp)

    plateforme.pieces.completer = ecrit_puis_perdu  # type: ignore[method-assign]
    resultat = plateforme.evenement(cle, etag)
    assert resultat.issue is IssueZip.OK and resultat.completes == (numero,)
    (instruction,) = plateforme.instruction.demarrees
    assert instruction.version == plateforme.dossier(numero).version


def test_zip_a_probleme_rejete_rien_conserve(plateforme: AvecPieces) -> None:
    depot = _importer(plateforme, _deux_pieces(1))
    numero = depot.numeros_asp[1]
    archive = construire(
        [Membre("BDC-1.pdf", pdf()), Membre("FAC-1.png", pdf()), Membre("intrus.pdf", pdf())]
    )
    cle, etag = plateforme.envoyer_zip(depot.id, archive)
    resultat = plateforme.evenement(cle, etag)
    assert resultat.issue is IssueZip.REJETE
    fichiers = {e["fichier"] for e in resultat.erreurs_pieces}
    assert {"FAC-1.png", "intrus.pdf"} <= fichiers
    assert all(e["message"] for e in resultat.erreurs_pieces)
    assert plateforme.copie.documents == {} and plateforme.pieces.pieces == {}
    assert plateforme.dossier(numero).statut is StatutDemande.INCOMPLET
    assert plateforme.instruction.demarrees == []
    (zip_,) = plateforme.consulter(depot.id, SIRET).zips
    assert zip_.statut is StatutZip.REJETE and len(zip_.erreurs_pieces) == len(fichiers)
    assert 1 in resultat.erreurs_lignes


def test_pas_un_zip_rejete_au_niveau_de_l_archive(plateforme: AvecPieces) -> None:
    depot = _importer(plateforme, demande(1))
    cle, etag = plateforme.envoyer_zip(depot.id, b"ceci n'est pas une archive" * 10)
    resultat = plateforme.evenement(cle, etag)
    assert resultat.issue is IssueZip.REJETE
    assert any(e["fichier"] is None for e in resultat.erreurs_pieces)


def test_terminer_liste_les_incomplets(plateforme: AvecPieces) -> None:
    depot = _importer(plateforme, _deux_pieces(1), _deux_pieces(2))
    archive = construire(
        [Membre("BDC-1.pdf", pdf()), Membre("FAC-1.png", png()), Membre("BDC-2.pdf", pdf())]
    )
    plateforme.evenement(*plateforme.envoyer_zip(depot.id, archive))
    with pytest.raises(AccesInterdit):
        plateforme.terminer(depot.id, SIRET_AUTRE)
    resultat = plateforme.terminer(depot.id, SIRET)
    assert resultat.depot.statut is StatutDepot.TERMINE
    assert resultat.incomplets == (
        DossierIncomplet(depot.numeros_asp[2], num_ligne=2, pieces_manquantes=("FAC-2.png",)),
    )
    assert plateforme.terminer(depot.id, SIRET).incomplets == resultat.incomplets  # idempotent
    with pytest.raises(Conflit):
        plateforme.autoriser_zip(depot.id, SIRET)


def test_evenements_hors_sujet_ignores(plateforme: AvecPieces) -> None:
    depot = _importer(plateforme, demande(1))
    now = plateforme.horloge.maintenant()
    assert plateforme.traiter_zip(BUCKET, "json/x.json", 1, "e", now).issue is IssueZip.IGNORE
    cle = f"pieces/{SIRET_AUTRE}/{depot.id}/x.zip"
    assert plateforme.traiter_zip(BUCKET, cle, 1, "e", now).issue is IssueZip.IGNORE


def test_statut_demande_solde() -> None:
    dossier: Any = type("D", (), {"solde": {"statut": "INCOMPLET"}, "statut": "EN_COURS"})()
    assert statut_demande(dossier, TypeDemande.SOLDE) == "INCOMPLET"
    assert statut_demande(dossier, TypeDemande.AVANCE) == "EN_COURS"


def test_un_zip_sous_une_cle_non_delivree_est_ignore(plateforme: AvecPieces) -> None:
    """Only the keys issued by POST /depots/{id}/pieces are processed (spec: uploads)."""
    depot = _importer(plateforme, demande(1))
    archive = construire([Membre("MS1_bon-BDC-D00001.pdf", pdf())])
    cle = f"pieces/{SIRET}/{depot.id}/pas-delivree.zip"
    plateforme.bucket.archives[(cle, "e1")] = archive
    resultat = plateforme.evenement(cle, "e1")
    assert resultat.issue is IssueZip.IGNORE
    assert plateforme.bucket.ouvertures == 0 and plateforme.copie.copies == 0
    assert plateforme.consulter(depot.id, SIRET).zips == ()
    assert plateforme.dossier(depot.numeros_asp[1]).statut is StatutDemande.INCOMPLET
