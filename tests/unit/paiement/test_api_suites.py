"""What the wiring adds to the paiement core, on fakes: a bank return received by upload
(recorded, replayed, illisible), and what follows a payment (avis, courriel, signal) done
once and resumed after a failure; the working-day calendar; the local cron firer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from services.paiement.adapters.banque_locale import Reponse, repondre
from services.paiement.application.lots import lancer_lot
from services.paiement.application.suites import (
    Suites,
    autoriser_retour,
    demander_versement,
    recevoir_retour,
)
from services.paiement.application.versements import creer_versement
from services.paiement.domain.calendrier import jour_ouvre, paques
from services.paiement.domain.retour_recu import EnvoiAutorise, RetourBancaire, StatutRetour
from services.paiement.domain.versement import EtatVersement, TypeVersement, Versement
from shared.messages import VersementDemande, VersementEffectue
from tests.fixtures.dossiers import versement_demande
from tests.unit.paiement.fakes import paiement_en_memoire

SIRET = "73282932000074"


class FakeSignal:
    def __init__(self) -> None:
        self.envois: list[tuple[str, VersementEffectue]] = []

    def versement_effectue(self, jeton: str, effectue: VersementEffectue) -> None:
        self.envois.append((jeton, effectue))


class FakeAvis:
    def __init__(self) -> None:
        self.produits: list[str] = []
        self.panne = False

    def produire(self, versement: Versement) -> str:
        if self.panne:
            raise RuntimeError("S3 indisponible")
        self.produits.append(versement.end_to_end)
        return f"paiements/avis/{versement.numero_asp}/avis.pdf"


class FakeNotifications:
    def __init__(self) -> None:
        self.envoyes: set[str] = set()  # the claim: sent once

    def notifier_paye(self, versement: Versement) -> None:
        self.envoyes.add(f"{versement.numero_asp}#{versement.type}")


class FakeRetours:
    def __init__(self) -> None:
        self.items: dict[str, RetourBancaire] = {}

    def creer_retour(self, retour: RetourBancaire) -> None:
        self.items.setdefault(retour.id, retour)

    def enregistrer_retour(self, retour: RetourBancaire) -> None:
        self.items[retour.id] = retour

    def lire_retour(self, id_retour: str) -> RetourBancaire | None:
        return self.items.get(id_retour)


class FakeEnvois:
    def autoriser_envoi(self, cle: str, taille_max: int, secondes: int) -> EnvoiAutorise:
        return EnvoiAutorise("http://s3", {"key": cle}, cle, datetime.now(UTC), taille_max)

    def url(self, cle: str) -> str:
        return f"http://s3/{cle}"


def _decision(jeton: str) -> VersementDemande:
    """The instruction's message for FINMS1000001's avance, waiting with `jeton`."""
    le = datetime(2024, 3, 1, 10, tzinfo=UTC)
    return versement_demande("FINMS1000001", SIRET, "ANS1", "22222.22", le, jeton=jeton)


def _monde() -> tuple[object, ...]:
    paiement, _, enrolements, stockage, _ = paiement_en_memoire()
    enrolements.definir(SIRET, "ANS1")
    suites = Suites(FakeSignal(), FakeAvis(), FakeNotifications(), FakeRetours(), FakeEnvois())
    creer_versement(
        paiement,
        _decision("jeton-1"),
    )
    lot = lancer_lot(paiement).lot
    assert lot is not None and lot.cle_fichier
    return paiement, suites, stockage, stockage.fichiers[lot.cle_fichier]


def _deposer(paiement, suites, stockage, contenu: bytes) -> RetourBancaire:  # type: ignore[no-untyped-def]
    retour, envoi = autoriser_retour(paiement, suites, "MARTIN")
    assert envoi.cle == f"paiements/retours/{retour.id}.xml" and envoi.taille_max > 0
    assert suites.retours.lire_retour(retour.id).statut is StatutRetour.ATTENDU
    stockage.fichiers[envoi.cle] = contenu
    recu = recevoir_retour(paiement, suites, envoi.cle, datetime(2024, 3, 5, tzinfo=UTC))
    assert recu is not None
    return recu


def test_retour_acsc_paye_puis_avis_courriel_et_signal_une_seule_fois() -> None:
    paiement, suites, stockage, pain001 = _monde()
    pain002 = repondre(pain001, datetime(2024, 3, 5, 8, tzinfo=UTC))
    retour = _deposer(paiement, suites, stockage, pain002)
    assert retour.statut is StatutRetour.TRAITE and [li.montant for li in retour.payes] == [
        "6666.67"
    ]
    v = paiement.versements.lire("FINMS1000001", TypeVersement.AVANCE)
    assert v.etat is EtatVersement.PAYE and v.cle_avis and v.jeton is None
    assert [(j, e.montant, e.reference) for j, e in suites.signal.envois] == [
        ("jeton-1", "6666.67", "FINMS1000001M0-VERSE001-1")
    ]
    assert suites.notifications.envoyes == {"FINMS1000001#AVANCE"}
    # The same file again: counted, nothing sent twice.
    encore = _deposer(paiement, suites, stockage, pain002)
    assert encore.deja_traites == 1 and not encore.payes
    assert len(suites.signal.envois) == 1 and len(suites.avis.produits) == 1


def test_demande_rejouee_apres_paiement_redonne_le_signal_au_nouveau_jeton() -> None:
    """The instruction's DemanderVersement ran again (its SendMessage's answer lost) after the
    versement was paid: the signal went to jeton-1, whose task is gone; jeton-2 gets it."""
    paiement, suites, stockage, pain001 = _monde()
    _deposer(paiement, suites, stockage, repondre(pain001, datetime(2024, 3, 5, 8, tzinfo=UTC)))
    assert [j for j, _ in suites.signal.envois] == ["jeton-1"]
    message = _decision("jeton-2")
    v = demander_versement(paiement, suites, message)
    assert v.etat is EtatVersement.PAYE and v.jeton is None
    assert [j for j, _ in suites.signal.envois] == ["jeton-1", "jeton-2"]
    # Redelivered: nothing more.
    demander_versement(paiement, suites, message.model_copy(update={"jeton": None}))
    assert len(suites.signal.envois) == 2 and len(suites.avis.produits) == 1


def test_suites_reprises_apres_une_panne() -> None:
    paiement, suites, stockage, pain001 = _monde()
    suites.avis.panne = True
    retour, envoi = autoriser_retour(paiement, suites, "MARTIN")
    stockage.fichiers[envoi.cle] = repondre(pain001, datetime(2024, 3, 5, 8, tzinfo=UTC))
    with pytest.raises(RuntimeError):
        recevoir_retour(paiement, suites, envoi.cle, datetime(2024, 3, 5, tzinfo=UTC))
    assert suites.retours.lire_retour(retour.id).statut is StatutRetour.TRAITE
    assert not suites.signal.envois  # nothing signalled before the avis exists
    suites.avis.panne = False  # the message is delivered again
    recevoir_retour(paiement, suites, envoi.cle, datetime(2024, 3, 5, tzinfo=UTC))
    assert len(suites.signal.envois) == 1
    v = paiement.versements.lire("FINMS1000001", TypeVersement.AVANCE)
    assert v.cle_avis and v.jeton is None


def test_retour_rejete_et_retour_illisible() -> None:
    paiement, suites, stockage, pain001 = _monde()
    e2e = "FINMS1000001M0-VERSE001-1"
    rejet = repondre(pain001, datetime(2024, 3, 5, tzinfo=UTC), {e2e: Reponse(e2e, "RJCT", "AC04")})
    retour = _deposer(paiement, suites, stockage, rejet)
    assert [(li.code_rejet, li.motif_rejet) for li in retour.rejetes] == [
        ("AC04", "Compte clôturé")
    ]
    assert not suites.signal.envois and not suites.notifications.envoyes
    illisible = _deposer(paiement, suites, stockage, b"<Document><pas-ferme></Document>")
    assert illisible.statut is StatutRetour.ILLISIBLE and illisible.erreur


def test_cle_qui_n_est_pas_un_retour_ignoree() -> None:
    paiement, suites, _, _ = _monde()
    assert recevoir_retour(paiement, suites, "paiements/retours/x.xml", datetime.now(UTC)) is None


def test_jours_ouvres() -> None:
    assert paques(2024) == date(2024, 3, 31) and paques(2025) == date(2025, 4, 20)
    assert not jour_ouvre(date(2024, 4, 1))  # Easter Monday
    assert not jour_ouvre(date(2024, 5, 9))  # Ascension Day
    assert not jour_ouvre(date(2024, 7, 14)) and not jour_ouvre(date(2024, 3, 2))  # Saturday
    assert jour_ouvre(date(2024, 3, 4))


def test_planificateur_local_cron_jours_ouvres() -> None:
    from infra.local.planificateur import occurrence

    paris = ZoneInfo("Europe/Paris")
    s = {
        "ScheduleExpression": "cron(0 7 ? * MON-FRI *)",
        "ScheduleExpressionTimezone": "Europe/Paris",
    }
    mardi = datetime(2024, 2, 20, 10, tzinfo=paris)
    assert occurrence(s, mardi, datetime(2024, 2, 21, 6, 59, tzinfo=paris)) is None
    assert occurrence(s, mardi, datetime(2024, 2, 21, 7, tzinfo=paris)) == datetime(
        2024, 2, 21, 7, tzinfo=paris
    )
    vendredi = datetime(2024, 2, 23, 8, tzinfo=paris)
    assert occurrence(s, vendredi, datetime(2024, 2, 26, 6, tzinfo=paris)) is None  # week-end
    # Summer time: 7:00 in Paris is 05:00 UTC.
    assert occurrence(s, datetime(2024, 7, 1, 6, tzinfo=paris), datetime(2024, 7, 1, 5, tzinfo=UTC))
