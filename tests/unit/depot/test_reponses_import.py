"""What follows an import (issue 9): the accusé de réception of each dossier imported, and
the MODIFICATION_IMPORTEE answer that resumes a demande waiting in A_MODIFIER; both sent
once, and again after a run interrupted before the dépôt is IMPORTE (fakes)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from botocore.exceptions import ClientError

from services.depot.application.importation import Importer
from services.depot.application.reponses import AccusesNonEnvoyes, SuitesImport
from services.depot.domain.depot import StatutDepot
from shared.campagnes import TypeDemande
from shared.courriels.contrat import Courriel
from shared.courriels.envoi import Courrier
from shared.courriels.memoire import BoiteAuxLettres, RegistreCourrielsEnMemoire
from shared.courriels.redaction import RedactionJinja
from shared.messages import ActionEditeur
from shared.pannes_aws import ESSAIS
from tests.unit.depot.fakes import NUMERO_ANS, SIRET, demande, fichier
from tests.unit.depot.fakes_pieces import FileReponses
from tests.unit.depot.plateforme import ECHEANCE_AVANCE, Plateforme

F1, F2 = "750712184", "130780018"
EMAIL = "editeur@example.fr"
PARIS = ZoneInfo("Europe/Paris")


class Monde:
    def __init__(self) -> None:
        self.p = Plateforme()
        self.p.enrolements.enroler(SIRET, NUMERO_ANS, "MS1")
        self.boite = BoiteAuxLettres()
        self.registre = RegistreCourrielsEnMemoire()
        self.file = FileReponses()
        courrier = Courrier(self.boite, RedactionJinja(), self.registre, self.p.horloge)
        self.suites = SuitesImport(
            self.p.dossiers, self.p.enrolements, self.file, lambda: courrier, "https://portail.test"
        )
        self.p.importeur = Importer(
            self.p.depots,
            self.p.dossiers,
            self.p.compteur,
            self.p.stockage,
            self.p.horloge,
            suites=self.suites,
        )


@pytest.fixture
def monde() -> Monde:
    return Monde()


def test_un_accuse_de_reception_par_dossier_importe_envoye_une_fois(monde: Monde) -> None:
    resultat = monde.p.deposer_et_importer(fichier(demande(1, (F1,)), demande(2, (F2,))))
    numeros = sorted(resultat.numeros_asp.values())

    accuses = monde.boite.pour(EMAIL)
    assert len(accuses) == 2
    assert all(c.objet.startswith("Accusé de réception de votre demande") for c in accuses)
    assert {n for n in numeros if any(n in c.objet for c in accuses)} == set(numeros)
    # recorded on each dossier (the dossier's « Courriels automatiquement envoyés »)
    for numero in numeros:
        (consigne,) = monde.registre.courriels_du_dossier(numero)
        assert consigne.destinataires == (EMAIL,)
    # a resumed run (the suites again) sends nothing twice
    depot = monde.p.depot(resultat.depot.id)
    monde.suites(depot, [], {}, "x")
    monde.suites(depot, monde.p.importeur._lignes(depot), dict(resultat.numeros_asp), "x")
    assert len(monde.boite.envoyes) == 2
    assert monde.file.messages == []  # creations answer nothing to the instruction


class SesLimite(BoiteAuxLettres):
    """SES throttling the first `pannes` sends (after the SDK's own retries)."""

    def __init__(self, pannes: int) -> None:
        super().__init__()
        self.pannes = pannes

    def envoyer(self, courriel: Courriel) -> str:
        if self.pannes:
            self.pannes -= 1
            raise ClientError(
                {"Error": {"Code": "TooManyRequestsException", "Message": "Maximum sending rate"}},
                "SendEmail",
            )
        return super().envoyer(courriel)


def test_un_accuse_en_panne_passagere_est_envoye_par_la_redelivraison(monde: Monde) -> None:
    """SES throttled one accusé beyond the courrier's own tries: the import run fails before
    IMPORTE (its message is handled again), and the next run sends the missing one, each
    accusé once, the dépôt then IMPORTE."""
    boite = SesLimite(pannes=ESSAIS)
    courrier = Courrier(boite, RedactionJinja(), monde.registre, monde.p.horloge)
    monde.suites._fabrique = lambda: courrier
    monde.suites._courrier = None
    depot = monde.p.demarrer_depot()
    monde.p.deposer(depot, fichier(demande(1, (F1,)), demande(2, (F2,))))
    with pytest.raises(AccusesNonEnvoyes):
        monde.p.importer(depot.id, SIRET, auteur="jeanne")
    assert monde.p.depot(depot.id).statut is not StatutDepot.IMPORTE
    assert len(boite.envoyes) == 1
    monde.p.importer(depot.id, SIRET, auteur="jeanne")  # the redelivery
    assert monde.p.depot(depot.id).statut is StatutDepot.IMPORTE
    assert len(boite.pour(EMAIL)) == 2
    assert len({c.objet for c in boite.envoyes}) == 2


def test_les_accuses_des_creations_ne_relisent_aucun_dossier(monde: Monde) -> None:
    """The line claims and the dépôt say all an accusé needs: at a deadline rush, reading
    the file's dossiers back at the end of each run was a fifth of the import's time."""
    depot = monde.p.demarrer_depot()
    monde.p.deposer(depot, fichier(demande(1, (F1,)), demande(2, (F2,))))
    simule = monde.p.dossiers.lectures_par_lots  # the simulation's batches, not the import's
    resultat = monde.p.importer(depot.id, SIRET)

    assert monde.p.dossiers.lectures_par_lots == simule
    depose_le = monde.p.depot(resultat.depot.id).json_recu_le
    assert depose_le is not None
    for numero in resultat.numeros_asp.values():
        dossier = monde.p.dossiers.dossiers[numero]
        assert (dossier.siret, dossier.depose_le) == (SIRET, depose_le)
        (accuse,) = [c for c in monde.boite.pour(EMAIL) if numero in c.objet]
        assert depose_le.astimezone(PARIS).strftime("%d/%m/%Y") in accuse.texte


def test_un_courriel_impossible_ne_bloque_pas_l_import(monde: Monde) -> None:
    monde.boite.en_panne_pour.add(EMAIL)
    resultat = monde.p.deposer_et_importer(fichier(demande(1, (F1,))))
    assert resultat.depot.statut is StatutDepot.IMPORTE
    assert monde.boite.envoyes == []


def _modifier(monde: Monde, numero: str) -> tuple[str, object]:
    monde.p.regler(ECHEANCE_AVANCE + timedelta(days=3))  # a modification after the deadline
    depot = monde.p.demarrer_depot(modification=True)
    modifiee = demande(4, (F1,), type_action="M", numero_asp=numero, montant="31000.00")
    monde.p.deposer(depot, fichier(modifiee))
    return depot.id, monde.p.horloge.maintenant()


def test_la_modification_d_une_demande_a_modifier_la_fait_reprendre(monde: Monde) -> None:
    numero = monde.p.deposer_et_importer(fichier(demande(1, (F1,)))).numeros_asp[1]
    monde.p.dossiers.changer_statut(numero, "A_MODIFIER")  # the gestionnaire's decision
    id_depot, quand = _modifier(monde, numero)

    monde.p.importer(id_depot, SIRET, auteur="jeanne")

    (message,) = monde.file.messages
    assert message.numeroAsp == numero and message.typeDemande is TypeDemande.AVANCE
    assert message.action is ActionEditeur.MODIFICATION_IMPORTEE
    assert (message.qui, message.instant) == ("jeanne", quand)
    assert message.details == {"idDepot": id_depot, "numLigne": 4}
    # a modification is not a new dossier: its accusé was sent at the creation only
    assert len(monde.boite.envoyes) == 1


def test_la_modification_d_une_demande_qui_n_attend_rien_ne_repond_rien(monde: Monde) -> None:
    numero = monde.p.deposer_et_importer(fichier(demande(1, (F1,)))).numeros_asp[1]
    monde.p.dossiers.changer_statut(numero, "EN_COURS")
    id_depot, _ = _modifier(monde, numero)
    monde.p.importer(id_depot, SIRET)
    assert monde.file.messages == []


def test_un_envoi_en_echec_est_refait_par_la_reprise_de_l_import(monde: Monde) -> None:
    numero = monde.p.deposer_et_importer(fichier(demande(1, (F1,)))).numeros_asp[1]
    monde.p.dossiers.changer_statut(numero, "A_MODIFIER")
    id_depot, _ = _modifier(monde, numero)
    monde.file.panne = 1

    with pytest.raises(RuntimeError):
        monde.p.importeur.executer(id_depot, "jeanne")
    # the line is written, the dépôt is not IMPORTE: the next delivery runs the suites again
    assert monde.p.depot(id_depot).statut is not StatutDepot.IMPORTE
    assert monde.file.messages == []

    monde.p.importeur.executer(id_depot, "jeanne")

    assert [m.numeroAsp for m in monde.file.messages] == [numero]
    assert monde.p.depot(id_depot).statut is StatutDepot.IMPORTE
    # once IMPORTE, a redelivered import message sends nothing again
    assert monde.p.importeur.executer(id_depot, "jeanne") is None
    assert len(monde.file.messages) == 1
