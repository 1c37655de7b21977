"""The guichet (G1, G2, reminders): window state with a controlled clock, closing, reminders.

Fakes, no network: an in-memory registry, the shared courrier with its in-memory mailbox
and claim/journal store (the adapters' conditional claims), the real Jinja2 templates.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from services.guichet.application.guichet import (
    EnvoisEchoues,
    ServiceGuichet,
    etat_guichet,
)
from services.guichet.application.ports import ReservationAvis
from services.guichet.domain.erreurs import CampagneInconnue, FermetureAnticipee, ValeurInconnue
from services.guichet.domain.fenetres import (
    StatutFenetre,
    duree_en_texte,
    etat_campagne,
    secondes_entre,
)
from services.guichet.domain.guichet import (
    DossierResume,
    Fermeture,
    Rappel,
    compter,
    moment_rappel,
    signalements,
)
from shared.campagnes import CAMPAGNE_MS_VAGUE1, Campagne, TypeDemande, campagne
from shared.courriels.envoi import Courrier
from shared.courriels.memoire import BoiteAuxLettres, RegistreCourrielsEnMemoire
from shared.courriels.redaction import RedactionJinja
from shared.depot import ResumeDepot, StatutDepot
from shared.guichet import message_fermeture, message_refus
from shared.horloge import PARIS, HorlogeFixe
from shared.montant import Montant

AVANCE = TypeDemande.AVANCE
SOLDE = TypeDemande.SOLDE

# A later wave, as data: its avance deadline falls in summer time (+02:00).
VAGUE_ETE = Campagne(
    id="MS-VAGUE2",
    libelle="Médico-social, vague 2",
    couloirs=("MS3",),
    ouverture=datetime(2024, 3, 1, 0, 0, tzinfo=PARIS),
    echeance_avance=datetime(2024, 6, 28, 14, 0, tzinfo=PARIS),
    echeance_solde=datetime(2025, 4, 2, 14, 0, tzinfo=PARIS),
    date_commande_min=date(2024, 3, 1),
    plafond_par_etablissement=Montant(Decimal("20000.00")),
    programme="Programme de la vague 2",
    bases_legales=campagne(CAMPAGNE_MS_VAGUE1).bases_legales,
    recours=campagne(CAMPAGNE_MS_VAGUE1).recours,
)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


MS1 = campagne(CAMPAGNE_MS_VAGUE1)
SIRET_A = "11111111111111"
SIRET_B = "22222222222222"
SIRET_C = "33333333333333"
SIRET_D = "44444444444444"


# --- The window at 13:59:59 and 14:00:00, in winter and in summer ----------------------------


def test_la_campagne_ms_vague1_porte_les_echeances_du_comite() -> None:
    assert MS1.echeance_avance.isoformat() == "2024-02-28T14:00:00+01:00"
    assert MS1.echeance_solde.isoformat() == "2024-12-19T14:00:00+01:00"


@pytest.mark.parametrize(
    ("instant", "ouvert"),
    [
        (paris(2024, 2, 28, 13, 59, 59), True),
        (paris(2024, 2, 28, 14, 0, 0), False),
        (datetime(2024, 2, 28, 12, 59, 59, tzinfo=UTC), True),  # 13:59:59 Paris (+01:00)
        (datetime(2024, 2, 28, 13, 0, 0, tzinfo=UTC), False),  # 14:00:00 Paris
    ],
)
def test_fenetre_avance_hiver(instant: datetime, ouvert: bool) -> None:
    fenetre = etat_campagne(MS1, instant).fenetre(AVANCE)
    assert fenetre.ouvert is ouvert
    assert MS1.fenetre_ouverte(AVANCE, instant) is ouvert


@pytest.mark.parametrize(
    ("instant", "ouvert"),
    [
        (paris(2024, 6, 28, 13, 59, 59), True),
        (paris(2024, 6, 28, 14, 0, 0), False),
        (datetime(2024, 6, 28, 11, 59, 59, tzinfo=UTC), True),  # 13:59:59 Paris (+02:00)
        (datetime(2024, 6, 28, 12, 0, 0, tzinfo=UTC), False),  # 14:00:00 Paris
        (datetime(2024, 6, 28, 12, 30, 0, tzinfo=UTC), False),  # 13:30 "in winter time": late
    ],
)
def test_fenetre_avance_ete(instant: datetime, ouvert: bool) -> None:
    fenetre = etat_campagne(VAGUE_ETE, instant).fenetre(AVANCE)
    assert fenetre.ouvert is ouvert
    assert fenetre.to_dict()["echeance"] == "2024-06-28T14:00:00+02:00"


def test_json_recu_a_13h59m59_accepte_et_a_14h00_refuse_par_la_regle_partagee() -> None:
    """The rule the dépôt path applies (shared/guichet.py) agrees with the window shown."""
    assert message_refus(VAGUE_ETE, AVANCE, datetime(2024, 6, 28, 11, 59, 59, tzinfo=UTC)) is None
    refus = message_refus(VAGUE_ETE, AVANCE, datetime(2024, 6, 28, 12, 0, 0, tzinfo=UTC))
    assert refus == message_fermeture(VAGUE_ETE, AVANCE)


def test_message_de_fermeture_du_comite() -> None:
    assert (
        message_fermeture(MS1, AVANCE)
        == "Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00."
    )
    assert (
        message_fermeture(MS1, SOLDE)
        == "Le guichet des demandes de solde est fermé depuis le 19/12/2024 à 14h00."
    )


# --- GET /guichet --------------------------------------------------------------------------


def test_get_guichet_etat_et_temps_restant() -> None:
    instant = paris(2024, 2, 22, 10, 45, 30)
    document = etat_guichet(instant, [MS1, VAGUE_ETE])
    assert document["instant"] == "2024-02-22T10:45:30+01:00"
    assert [c["id"] for c in document["campagnes"]] == ["MS-VAGUE1", "MS-VAGUE2"]
    ms1 = document["campagnes"][0]
    assert ms1["libelle"] == "Médico-social, vague 1"
    assert ms1["couloirs"] == ["MS1", "MS2"]
    avance = ms1["guichets"]["AVANCE"]
    assert avance == {
        "typeDemande": "AVANCE",
        "ouverture": "2021-07-01T00:00:00+02:00",
        "echeance": "2024-02-28T14:00:00+01:00",
        "ouvert": True,
        "statut": "OUVERT",
        "tempsRestant": 6 * 86400 + 3 * 3600 + 14 * 60 + 30,
        "tempsRestantTexte": "6 jours 3 heures",
        "message": "Le guichet des demandes d'avance est ouvert jusqu'au 28/02/2024 à 14h00.",
    }
    assert ms1["guichets"]["SOLDE"]["ouvert"] is True
    vague2 = document["campagnes"][1]["guichets"]["AVANCE"]
    assert vague2["statut"] == "A_VENIR"
    assert vague2["ouvert"] is False
    assert vague2["tempsRestant"] is None
    assert "n'est pas encore ouvert" in vague2["message"]


def test_get_guichet_apres_l_echeance_des_avances() -> None:
    document = etat_guichet(paris(2024, 2, 28, 14, 0), [MS1])
    avance = document["campagnes"][0]["guichets"]["AVANCE"]
    assert avance["ouvert"] is False
    assert avance["statut"] == StatutFenetre.FERME
    assert avance["tempsRestant"] is None
    assert avance["message"] == (
        "Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00."
    )
    assert document["campagnes"][0]["guichets"]["SOLDE"]["ouvert"] is True


def test_get_guichet_une_seconde_avant() -> None:
    fenetre = etat_campagne(MS1, paris(2024, 2, 28, 13, 59, 59)).fenetre(AVANCE)
    assert fenetre.temps_restant == 1
    assert fenetre.to_dict()["tempsRestantTexte"] == "moins d'une minute"


def test_temps_restant_en_temps_reel_au_passage_a_l_heure_d_ete() -> None:
    """The night of 30 to 31 March 2024 lasts 23 hours: wall-clock subtraction would say 24."""
    veille = paris(2024, 3, 30, 14, 0)
    echeance = paris(2024, 3, 31, 14, 0)
    assert secondes_entre(veille, echeance) == 23 * 3600
    campagne_printemps = replace(VAGUE_ETE, echeance_avance=echeance)
    fenetre = etat_campagne(campagne_printemps, veille).fenetre(AVANCE)
    assert fenetre.temps_restant == 23 * 3600
    assert fenetre.to_dict()["tempsRestantTexte"] == "23 heures"


@pytest.mark.parametrize(
    ("secondes", "texte"),
    [
        (0, "moins d'une minute"),
        (59, "moins d'une minute"),
        (60, "1 minute"),
        (45 * 60 + 59, "45 minutes"),
        (3600, "1 heure"),
        (3600 + 60, "1 heure 1 minute"),
        (2 * 3600 + 5 * 60, "2 heures 5 minutes"),
        (86400, "1 jour"),
        (86400 + 3600 + 60, "1 jour 1 heure"),
        (6 * 86400 + 3 * 3600 + 59 * 60, "6 jours 3 heures"),
    ],
)
def test_duree_en_texte(secondes: int, texte: str) -> None:
    assert duree_en_texte(secondes) == texte


def test_moment_des_rappels_a_l_heure_de_paris() -> None:
    assert moment_rappel(MS1, AVANCE, Rappel.J_MOINS_7) == paris(2024, 2, 21, 14, 0)
    assert moment_rappel(MS1, AVANCE, Rappel.J_MOINS_1) == paris(2024, 2, 27, 14, 0)
    # Across the change to summer time, J-7 still falls at 14:00 Paris (+01:00 then).
    j7 = moment_rappel(VAGUE_ETE, SOLDE, Rappel.J_MOINS_7)
    assert j7.isoformat() == "2025-03-26T14:00:00+01:00"


# --- Fakes ---------------------------------------------------------------------------------


class RegistreEnMemoire:
    """`RegistreGuichet` with the adapter's conditional creations."""

    def __init__(self) -> None:
        self.depots_: list[tuple[str, TypeDemande, ResumeDepot]] = []
        self.dossiers_: list[tuple[str, TypeDemande, DossierResume]] = []
        self.emails: dict[tuple[str, str], str] = {}
        self.fermetures: dict[tuple[str, TypeDemande], Fermeture] = {}
        self.ecritures_fermeture = 0
        self._verrou = threading.Lock()

    def depots(self, campagne_id: str, type_demande: TypeDemande) -> list[ResumeDepot]:
        return [d for c, t, d in self.depots_ if c == campagne_id and t is type_demande]

    def dossiers(self, campagne_id: str, type_demande: TypeDemande) -> list[DossierResume]:
        return [d for c, t, d in self.dossiers_ if c == campagne_id and t is type_demande]

    def adresses(self, siret: str, numeros_ans: Any) -> tuple[str, ...]:
        trouvees = {self.emails[(siret, n)] for n in numeros_ans if (siret, n) in self.emails}
        return tuple(sorted(trouvees))

    def enregistrer_fermeture(self, fermeture: Fermeture) -> bool:
        with self._verrou:
            cle = (fermeture.campagne, fermeture.type_demande)
            if cle in self.fermetures:
                return False
            self.fermetures[cle] = fermeture
            self.ecritures_fermeture += 1
            return True

    def fermeture(self, campagne_id: str, type_demande: TypeDemande) -> Fermeture | None:
        return self.fermetures.get((campagne_id, type_demande))


def depot(
    id_: str,
    siret: str,
    statut: StatutDepot,
    cree_le: datetime = paris(2024, 2, 20, 9, 0),
    numero_ans: str = "ANS-1",
    campagne_id: str = CAMPAGNE_MS_VAGUE1,
    type_demande: TypeDemande = AVANCE,
) -> ResumeDepot:
    simule = statut not in (StatutDepot.CREE, StatutDepot.JSON_RECU)
    return ResumeDepot(
        id=id_,
        siret=siret,
        numero_ans=numero_ans,
        campagne=campagne_id,
        type_demande=type_demande,
        statut=statut,
        cree_le=cree_le,
        nom_fichier=f"{id_}.json" if statut is not StatutDepot.CREE else None,
        json_recu_le=cree_le + timedelta(minutes=5) if statut is not StatutDepot.CREE else None,
        nombre_lignes=3 if simule else None,
        lignes_importables=2 if simule else None,
    )


def dossier(numero: str, siret: str, statut: str, numero_ans: str = "ANS-1") -> DossierResume:
    return DossierResume(numero, siret, numero_ans, f"DOS-{numero[-3:]}", statut)


@pytest.fixture
def registre() -> RegistreEnMemoire:
    """A: a dépôt simulated not imported; B: an incomplete dossier (and a complete one);
    C: everything done; D: both, but no enrolment address. Plus noise in another campaign."""
    r = RegistreEnMemoire()
    c = CAMPAGNE_MS_VAGUE1
    r.depots_ += [
        (c, AVANCE, depot("dep-a1", SIRET_A, StatutDepot.SIMULE)),
        (c, AVANCE, depot("dep-a2", SIRET_A, StatutDepot.TERMINE)),
        (c, AVANCE, depot("dep-b1", SIRET_B, StatutDepot.IMPORTE)),
        (c, AVANCE, depot("dep-c1", SIRET_C, StatutDepot.TERMINE)),
        (c, AVANCE, depot("dep-c2", SIRET_C, StatutDepot.CREE)),
        (c, AVANCE, depot("dep-d1", SIRET_D, StatutDepot.SIMULE)),
        (c, AVANCE, depot("dep-d2", SIRET_D, StatutDepot.REJETE)),
        (c, SOLDE, depot("dep-s1", SIRET_C, StatutDepot.SIMULE, type_demande=SOLDE)),
        (
            "MS-VAGUE2",
            AVANCE,
            depot("dep-x1", SIRET_C, StatutDepot.SIMULE, campagne_id="MS-VAGUE2"),
        ),
    ]
    r.dossiers_ += [
        (c, AVANCE, dossier("FINMS1000001", SIRET_A, "EN_COURS")),
        (c, AVANCE, dossier("FINMS1000002", SIRET_B, "INCOMPLET")),
        (c, AVANCE, dossier("FINMS1000003", SIRET_B, "EN_COURS")),
        (c, AVANCE, dossier("FINMS1000004", SIRET_C, "DECIDEE")),
        (c, AVANCE, dossier("FINMS1000005", SIRET_D, "INCOMPLET")),
        (c, SOLDE, dossier("FINMS1000004", SIRET_C, "INCOMPLET")),
    ]
    r.emails = {
        (SIRET_A, "ANS-1"): "a@editeur-a.fr",
        (SIRET_B, "ANS-1"): "b@editeur-b.fr",
        (SIRET_C, "ANS-1"): "c@editeur-c.fr",
    }
    return r


@pytest.fixture
def horloge() -> HorlogeFixe:
    return HorlogeFixe(paris(2024, 2, 28, 14, 0, 0))


@pytest.fixture
def boite() -> BoiteAuxLettres:
    return BoiteAuxLettres()


@pytest.fixture
def courriels() -> RegistreCourrielsEnMemoire:
    return RegistreCourrielsEnMemoire()


@pytest.fixture
def service(
    registre: RegistreEnMemoire,
    boite: BoiteAuxLettres,
    courriels: RegistreCourrielsEnMemoire,
    horloge: HorlogeFixe,
) -> ServiceGuichet:
    courrier = Courrier(boite, RedactionJinja(), courriels, horloge)
    return ServiceGuichet(
        registre,
        courrier,
        horloge,
        campagnes=lambda: (MS1, VAGUE_ETE),
        url_portail="https://segurnum.example.fr",
    )


# --- Rules -----------------------------------------------------------------------------------


def test_signalements_et_comptes(registre: RegistreEnMemoire) -> None:
    depots = registre.depots(CAMPAGNE_MS_VAGUE1, AVANCE)
    dossiers = registre.dossiers(CAMPAGNE_MS_VAGUE1, AVANCE)
    trouves = signalements(depots, dossiers)
    assert [s.siret for s in trouves] == [SIRET_A, SIRET_B, SIRET_D]
    assert trouves[0].ids_depots == ("dep-a1",)
    assert trouves[0].numeros_asp == ()
    assert trouves[1].numeros_asp == ("FINMS1000002",)
    assert trouves[2].ids_depots == ("dep-d1",)  # REJETE is not "simulated, importable"
    assert trouves[2].numeros_asp == ("FINMS1000005",)
    comptes = compter(depots, dossiers)
    assert comptes.depots == 7
    assert comptes.depots_par_statut["SIMULE"] == 2
    assert comptes.depots_par_statut["TERMINE"] == 2
    assert comptes.depots_non_importes == 2
    assert comptes.depots_incomplets == 1
    assert comptes.dossiers_importes == 5
    assert comptes.dossiers_incomplets == 2
    assert comptes.editeurs_signales == 3


# --- Closing -------------------------------------------------------------------------------


def test_fermeture_enregistre_les_comptes_et_previent_chaque_editeur_une_fois(
    service: ServiceGuichet,
    registre: RegistreEnMemoire,
    boite: BoiteAuxLettres,
    courriels: RegistreCourrielsEnMemoire,
) -> None:
    resultat = service.fermer_guichet(CAMPAGNE_MS_VAGUE1, "AVANCE")

    fermeture = registre.fermetures[(CAMPAGNE_MS_VAGUE1, AVANCE)]
    assert fermeture.fermee_le == paris(2024, 2, 28, 14, 0)
    assert fermeture.echeance == MS1.echeance_avance
    assert fermeture.comptes.depots == 7
    assert fermeture.comptes.dossiers_importes == 5
    assert fermeture.comptes.depots_incomplets == 1
    assert fermeture.editeurs == (SIRET_A, SIRET_B, SIRET_D)

    assert resultat.envoyes == [SIRET_A, SIRET_B]
    assert resultat.sans_adresse == [SIRET_D]
    assert resultat.deja_ferme is False
    assert [c.destinataires for c in boite.envoyes] == [("a@editeur-a.fr",), ("b@editeur-b.fr",)]

    a = boite.pour("a@editeur-a.fr")[0]
    assert a.objet.startswith("Fermeture du guichet des demandes d'avance")
    assert "Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00." in a.texte
    assert "dep-a1" in a.texte and "dep-a2" not in a.texte
    assert a.texte.startswith("Madame, Monsieur,")
    assert "L'Agence de services et de paiement" in a.texte
    assert "Ce message a été généré automatiquement, merci de ne pas y répondre." in a.texte
    assert "ne pourra faire l'objet d'une demande de solde" in a.texte
    assert "<ul>" in a.html and "dep-a1" in a.html

    b = boite.pour("b@editeur-b.fr")[0]
    assert "FINMS1000002" in b.texte and "FINMS1000003" not in b.texte
    assert "incomplet (pièces manquantes)" in b.texte

    reservation = ReservationAvis(CAMPAGNE_MS_VAGUE1, AVANCE, "FERMETURE", SIRET_A)
    assert reservation.cle.pk == "CAMPAGNE#MS-VAGUE1"
    assert reservation.cle.sk == f"RAPPEL#AVANCE#FERMETURE#{SIRET_A}"
    assert courriels.reservations[reservation.cle]["messageId"] == "message-1"

    # Each courriel is recorded on the dossiers and dépôts it lists, nowhere else.
    assert [c.objet for c in courriels.courriels_du_depot("dep-a1")] == [a.objet]
    assert courriels.courriels_du_dossier("FINMS1000002")[0].destinataires == ("b@editeur-b.fr",)
    assert courriels.courriels_du_dossier("FINMS1000002")[0].corps == b.texte
    assert courriels.courriels_du_dossier("FINMS1000003") == []
    assert len(courriels.journal) == 2


def test_deuxieme_fermeture_ne_change_rien(
    service: ServiceGuichet,
    registre: RegistreEnMemoire,
    boite: BoiteAuxLettres,
    courriels: RegistreCourrielsEnMemoire,
    horloge: HorlogeFixe,
) -> None:
    premier = service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE)
    reservations = dict(courriels.reservations)
    horloge.regler(paris(2024, 2, 28, 14, 3))
    # Meanwhile an éditeur made a dépôt of modifications (after the deadline): not the
    # closing's business.
    registre.depots_.append(
        (
            CAMPAGNE_MS_VAGUE1,
            AVANCE,
            depot("dep-c3", SIRET_C, StatutDepot.SIMULE, paris(2024, 2, 28, 14, 1)),
        )
    )

    second = service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE)

    assert registre.ecritures_fermeture == 1
    assert registre.fermetures[(CAMPAGNE_MS_VAGUE1, AVANCE)].fermee_le == premier.instant
    assert len(boite.envoyes) == 2
    assert courriels.reservations == reservations
    assert len(courriels.journal) == 2
    assert second.deja_ferme is True
    assert second.envoyes == []
    assert second.deja_envoyes == [SIRET_A, SIRET_B]
    assert second.comptes == premier.comptes
    assert second.to_dict()["courrielsEnvoyes"] == 0


def test_fermeture_avant_l_echeance_refusee(
    service: ServiceGuichet, registre: RegistreEnMemoire, horloge: HorlogeFixe
) -> None:
    horloge.regler(paris(2024, 2, 28, 13, 59, 59))
    with pytest.raises(FermetureAnticipee) as refus:
        service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE)
    assert refus.value.code == "GUICHET_ENCORE_OUVERT"
    assert "28/02/2024 à 14h00" in refus.value.message
    assert registre.fermetures == {}


def test_fermeture_ete_a_14h00_heure_d_ete(
    service: ServiceGuichet, registre: RegistreEnMemoire, horloge: HorlogeFixe
) -> None:
    horloge.regler(datetime(2024, 6, 28, 11, 59, 59, tzinfo=UTC))
    with pytest.raises(FermetureAnticipee):
        service.fermer_guichet("MS-VAGUE2", AVANCE)
    horloge.regler(datetime(2024, 6, 28, 12, 0, 0, tzinfo=UTC))
    resultat = service.fermer_guichet("MS-VAGUE2", AVANCE)
    assert resultat.comptes is not None and resultat.comptes.depots == 1
    assert registre.fermetures[("MS-VAGUE2", AVANCE)].echeance.isoformat() == (
        "2024-06-28T14:00:00+02:00"
    )


def test_fermeture_du_solde_liste_les_soldes_incomplets(
    service: ServiceGuichet, boite: BoiteAuxLettres, horloge: HorlogeFixe
) -> None:
    horloge.regler(paris(2024, 12, 19, 14, 0))
    resultat = service.fermer_guichet(CAMPAGNE_MS_VAGUE1, SOLDE)
    assert resultat.envoyes == [SIRET_C]
    courriel = boite.envoyes[0]
    assert "Le guichet des demandes de solde est fermé depuis le 19/12/2024 à 14h00." in (
        courriel.texte
    )
    assert "dep-s1" in courriel.texte and "FINMS1000004" in courriel.texte
    assert "Nota" not in courriel.texte


def test_un_envoi_en_echec_est_rejoue_seul(
    service: ServiceGuichet,
    registre: RegistreEnMemoire,
    boite: BoiteAuxLettres,
    courriels: RegistreCourrielsEnMemoire,
) -> None:
    boite.en_panne_pour = {"a@editeur-a.fr"}
    with pytest.raises(EnvoisEchoues) as echec:
        service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE)
    assert echec.value.resultat.echecs == [SIRET_A]
    assert echec.value.resultat.envoyes == [SIRET_B]
    assert ReservationAvis(CAMPAGNE_MS_VAGUE1, AVANCE, "FERMETURE", SIRET_A).cle not in (
        courriels.reservations
    )

    boite.en_panne_pour = set()
    reprise = service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE)
    assert reprise.envoyes == [SIRET_A]
    assert reprise.deja_envoyes == [SIRET_B]
    assert [c.destinataires[0] for c in boite.envoyes] == ["b@editeur-b.fr", "a@editeur-a.fr"]
    assert registre.ecritures_fermeture == 1


def test_un_courriel_envoye_mais_non_consigne_n_est_pas_renvoye(
    service: ServiceGuichet, boite: BoiteAuxLettres, courriels: RegistreCourrielsEnMemoire
) -> None:
    courriels.journal_en_panne = True
    resultat = service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE)
    assert resultat.non_consignes == [SIRET_A, SIRET_B]
    assert resultat.envoyes == [SIRET_A, SIRET_B]
    courriels.journal_en_panne = False
    assert service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE).envoyes == []
    assert len(boite.envoyes) == 2


def test_campagne_type_et_rappel_inconnus(service: ServiceGuichet) -> None:
    with pytest.raises(CampagneInconnue):
        service.fermer_guichet("MS-VAGUE9", AVANCE)
    with pytest.raises(ValeurInconnue):
        service.fermer_guichet(CAMPAGNE_MS_VAGUE1, "ACOMPTE")
    with pytest.raises(ValeurInconnue):
        service.envoyer_rappels(CAMPAGNE_MS_VAGUE1, AVANCE, "J-3")


# --- Reminders -----------------------------------------------------------------------------


def test_rappels_j7_puis_j1_aux_bons_editeurs_jamais_deux_fois(
    service: ServiceGuichet,
    registre: RegistreEnMemoire,
    boite: BoiteAuxLettres,
    horloge: HorlogeFixe,
) -> None:
    horloge.regler(moment_rappel(MS1, AVANCE, Rappel.J_MOINS_7))
    j7 = service.envoyer_rappels(CAMPAGNE_MS_VAGUE1, AVANCE, "J-7")
    assert j7.envoyes == [SIRET_A, SIRET_B]
    assert j7.sans_adresse == [SIRET_D]
    rappel_a = boite.pour("a@editeur-a.fr")[0]
    assert rappel_a.objet == (
        "Rappel : le guichet des demandes d'avance ferme dans 7 jours, "
        "le 28/02/2024 à 14h00 (Médico-social, vague 1)"
    )
    assert "N'attendez pas le dernier jour" in rappel_a.texte
    assert "dans 7 jours" in rappel_a.texte
    assert "dep-a1" in rappel_a.texte
    assert "N'attendez pas le dernier jour" in rappel_a.html

    horloge.regler(moment_rappel(MS1, AVANCE, Rappel.J_MOINS_7) + timedelta(minutes=2))
    encore = service.envoyer_rappels(CAMPAGNE_MS_VAGUE1, AVANCE, "J-7")
    assert encore.envoyes == [] and encore.deja_envoyes == [SIRET_A, SIRET_B]
    assert len(boite.envoyes) == 2

    # B completed its dossier before J-1: only A is reminded.
    registre.dossiers_ = [
        (c, t, replace(d, statut="EN_COURS") if d.numero_asp == "FINMS1000002" else d)
        for c, t, d in registre.dossiers_
    ]
    horloge.regler(moment_rappel(MS1, AVANCE, Rappel.J_MOINS_1))
    j1 = service.envoyer_rappels(CAMPAGNE_MS_VAGUE1, AVANCE, Rappel.J_MOINS_1)
    assert j1.envoyes == [SIRET_A]
    dernier = boite.envoyes[-1]
    assert "ferme demain" in dernier.objet
    assert "dans 1 jour." in dernier.texte
    assert service.envoyer_rappels(CAMPAGNE_MS_VAGUE1, AVANCE, "J-1").envoyes == []
    assert len(boite.envoyes) == 3


def test_pas_de_rappel_une_fois_le_guichet_ferme(
    service: ServiceGuichet, boite: BoiteAuxLettres, horloge: HorlogeFixe
) -> None:
    horloge.regler(paris(2024, 2, 28, 14, 0, 1))
    resultat = service.envoyer_rappels(CAMPAGNE_MS_VAGUE1, AVANCE, "J-1")
    assert resultat.ignore == "GUICHET_FERME"
    assert boite.envoyes == []


def test_le_corps_html_echappe_les_donnees(
    service: ServiceGuichet, registre: RegistreEnMemoire, boite: BoiteAuxLettres
) -> None:
    registre.depots_.append(
        (
            CAMPAGNE_MS_VAGUE1,
            AVANCE,
            replace(depot("dep-a3", SIRET_A, StatutDepot.SIMULE), nom_fichier="<b>x</b>.json"),
        )
    )
    service.fermer_guichet(CAMPAGNE_MS_VAGUE1, AVANCE)
    courriel = boite.pour("a@editeur-a.fr")[0]
    assert "&lt;b&gt;x&lt;/b&gt;.json" in courriel.html
    assert "<b>x</b>.json" in courriel.texte


def test_etat_guichet_du_service_a_l_heure_de_l_horloge(
    service: ServiceGuichet, horloge: HorlogeFixe
) -> None:
    horloge.regler(paris(2024, 2, 28, 13, 59, 59))
    etat = service.etat_guichet()
    assert etat["campagnes"][0]["guichets"]["AVANCE"]["tempsRestant"] == 1
    assert [c["id"] for c in etat["campagnes"]] == ["MS-VAGUE1", "MS-VAGUE2"]
