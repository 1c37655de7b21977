"""shared.courriels: send once and record (fakes: in-memory mailbox and claim/journal store),
and the journal record's writer and reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.courriels.contrat import (
    PEREMPTION_RESERVATION,
    Avis,
    CleEnvoi,
    Contenu,
    CourrielEnvoye,
    EnvoiImpossible,
    StatutEnvoi,
    courriel_depuis_item,
    item_courriel,
)
from shared.courriels.envoi import Courrier
from shared.courriels.memoire import BoiteAuxLettres, RegistreCourrielsEnMemoire
from shared.dynamo import depuis_dynamo, vers_dynamo
from shared.horloge import PARIS, HorlogeFixe

CLE = CleEnvoi.pour_dossier("FINMS1000001", "AVANCE#DECIDEE")
AVIS = Avis("test", "Objet « 1 »", {"x": 1})


class RedactionSimple:
    """`Redaction` without templates."""

    def __init__(self) -> None:
        self.redactions = 0

    def rediger(self, avis: Avis) -> Contenu:
        self.redactions += 1
        return Contenu(avis.objet, f"texte {avis.contexte['x']}", f"<p>{avis.contexte['x']}</p>")


@pytest.fixture
def boite() -> BoiteAuxLettres:
    return BoiteAuxLettres()


@pytest.fixture
def registre() -> RegistreCourrielsEnMemoire:
    return RegistreCourrielsEnMemoire()


@pytest.fixture
def horloge() -> HorlogeFixe:
    return HorlogeFixe(datetime(2022, 11, 9, 15, 52, 1, tzinfo=PARIS))


@pytest.fixture
def courrier(
    boite: BoiteAuxLettres, registre: RegistreCourrielsEnMemoire, horloge: HorlogeFixe
) -> Courrier:
    return Courrier(boite, RedactionSimple(), registre, horloge)


def test_envoye_une_fois_et_consigne_sur_le_dossier(
    courrier: Courrier, boite: BoiteAuxLettres, registre: RegistreCourrielsEnMemoire
) -> None:
    premier = courrier.envoyer_une_fois(
        CLE, [" op@editeur.fr ", "op@editeur.fr"], AVIS, dossiers=["FINMS1000001"]
    )
    second = courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])

    assert premier.statut is StatutEnvoi.ENVOYE and premier.message_id == "message-1"
    assert second.statut is StatutEnvoi.DEJA_ENVOYE and not second.envoye
    assert [c.destinataires for c in boite.envoyes] == [("op@editeur.fr",)]
    assert boite.envoyes[0].html == "<p>1</p>"
    assert registre.reservations[CLE]["messageId"] == "message-1"
    (consigne,) = registre.courriels_du_dossier("FINMS1000001")
    assert consigne == premier.consignes[0]
    assert consigne.objet == "Objet « 1 »"
    assert consigne.corps == "texte 1"
    assert consigne.destinataire == "op@editeur.fr"
    assert consigne.date_envoi == "09/11/2022 15:52:01"
    assert consigne.cle_envoi == "DOSSIER#FINMS1000001|ENVOI#AVANCE#DECIDEE"


def test_un_envoi_refuse_libere_la_reservation(
    courrier: Courrier, boite: BoiteAuxLettres, registre: RegistreCourrielsEnMemoire
) -> None:
    boite.en_panne_pour = {"op@editeur.fr"}
    with pytest.raises(EnvoiImpossible):
        courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])
    assert CLE not in registre.reservations
    assert registre.journal == []

    boite.en_panne_pour = set()
    reprise = courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])
    assert reprise.statut is StatutEnvoi.ENVOYE
    assert len(boite.envoyes) == 1


def test_envoye_mais_non_confirme_ni_perdu_ni_renvoye_par_un_envoi_vivant(
    courrier: Courrier,
    boite: BoiteAuxLettres,
    registre: RegistreCourrielsEnMemoire,
    horloge: HorlogeFixe,
) -> None:
    """Its confirmation and records (one transaction) failed: reported NON_CONSIGNE, its
    claim left unconfirmed; a send within PEREMPTION_RESERVATION may still be live, so it is
    left alone; after it, the claim is taken over, and the courriel is sent and listed."""
    registre.journal_en_panne = True
    envoi = courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])
    assert envoi.statut is StatutEnvoi.NON_CONSIGNE and envoi.envoye
    assert "envoyeLe" not in registre.reservations[CLE] and registre.journal == []

    registre.journal_en_panne = False
    encore = courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])
    assert encore.statut is StatutEnvoi.DEJA_ENVOYE and len(boite.envoyes) == 1
    horloge.regler(horloge.maintenant() + PEREMPTION_RESERVATION + timedelta(seconds=1))
    repris = courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])
    assert repris.statut is StatutEnvoi.ENVOYE
    (consigne,) = registre.courriels_du_dossier("FINMS1000001")
    assert consigne.message_id == repris.message_id


def test_une_reservation_abandonnee_avant_l_envoi_est_reprise(
    courrier: Courrier,
    boite: BoiteAuxLettres,
    registre: RegistreCourrielsEnMemoire,
    horloge: HorlogeFixe,
) -> None:
    """A run died between its claim and SES (or its claim's write answered an error after it
    was applied): the courriel was never sent; it must not be counted as sent for ever."""
    assert registre.reserver(CLE, "objet", horloge.maintenant(), "run-mort")
    assert registre.reserver(CLE, "objet", horloge.maintenant(), "run-mort")  # its own replay
    assert not registre.reserver(CLE, "objet", horloge.maintenant(), "autre")
    registre.liberer(CLE, "autre")  # not its claim: kept
    assert CLE in registre.reservations
    assert courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS).statut is (
        StatutEnvoi.DEJA_ENVOYE
    )
    horloge.regler(horloge.maintenant() + timedelta(minutes=21))
    envoi = courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])
    assert envoi.statut is StatutEnvoi.ENVOYE and len(boite.envoyes) == 1
    assert len(registre.courriels_du_dossier("FINMS1000001")) == 1


def test_sans_destinataire_rien_n_est_reserve(
    courrier: Courrier, registre: RegistreCourrielsEnMemoire
) -> None:
    with pytest.raises(ValueError, match="destinataire"):
        courrier.envoyer_une_fois(CLE, ["  ", ""], AVIS)
    assert registre.reservations == {}


def test_un_modele_en_erreur_ne_reserve_rien(
    boite: BoiteAuxLettres, registre: RegistreCourrielsEnMemoire, horloge: HorlogeFixe
) -> None:
    courrier = Courrier(boite, RedactionSimple(), registre, horloge)
    with pytest.raises(KeyError):
        courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], Avis("test", "objet", {}))
    assert registre.reservations == {} and boite.envoyes == []


def test_consigne_sur_chaque_dossier_et_depot_une_fois(
    courrier: Courrier, registre: RegistreCourrielsEnMemoire, horloge: HorlogeFixe
) -> None:
    courrier.envoyer_une_fois(
        CleEnvoi("CAMPAGNE#MS-VAGUE1", "RAPPEL#AVANCE#J-7#1"),
        ["op@editeur.fr"],
        AVIS,
        dossiers=["FIN1", "FIN2", "FIN1"],
        depots=["dep-1"],
    )
    horloge.regler(datetime(2022, 11, 10, 9, 0, tzinfo=PARIS))
    courrier.envoyer_une_fois(
        CleEnvoi.pour_dossier("FIN1", "AVANCE#DECIDEE"), ["op@editeur.fr"], AVIS, dossiers=["FIN1"]
    )
    assert [c.date_envoi for c in registre.courriels_du_dossier("FIN1")] == [
        "09/11/2022 15:52:01",
        "10/11/2022 09:00:00",
    ]
    assert len(registre.courriels_du_dossier("FIN2")) == 1
    assert len(registre.courriels_du_depot("dep-1")) == 1
    assert registre.courriels_du_depot("dep-1")[0].pk == "DEPOT#dep-1"


# --- The journal record: one writer, one reader -------------------------------------------------


def test_enregistrement_aller_retour() -> None:
    envoye = CourrielEnvoye(
        envoye_le=datetime(2022, 11, 9, 14, 52, 1, tzinfo=UTC),
        destinataires=("op-av.ms@outlook.com", "autre@editeur.fr"),
        objet="Acceptation de votre demande",
        corps="Madame, Monsieur,\n\n…",
        message_id="0100-abc",
        cle_envoi="DOSSIER#FINM55007206|ENVOI#AVANCE#DECIDEE",
        numero_asp="FINM55007206",
    )
    item = item_courriel(envoye)
    assert item["PK"] == "DOSSIER#FINM55007206"
    assert item["SK"] == f"COURRIEL#2022-11-09T14:52:01+00:00#{envoye.id}"
    assert item["dateEnvoi"] == "2022-11-09T15:52:01+01:00"  # Paris time
    assert item["destinataire"] == "op-av.ms@outlook.com, autre@editeur.fr"

    # Through DynamoDB's typed form, as the adapters write and read it.
    relu = courriel_depuis_item(depuis_dynamo(vers_dynamo(item)))
    assert relu == envoye
    assert relu.date_envoi == "09/11/2022 15:52:01"
    assert relu.vue() == {
        "id": envoye.id,
        "dateEnvoi": "09/11/2022 15:52:01",
        "envoyeLe": "2022-11-09T15:52:01+01:00",
        "destinataire": "op-av.ms@outlook.com, autre@editeur.fr",
        "objet": "Acceptation de votre demande",
        "corps": "Madame, Monsieur,\n\n…",
    }

    sur_depot = envoye.model_copy(update={"numero_asp": None, "id_depot": "dep-1"})
    assert courriel_depuis_item(item_courriel(sur_depot)) == sur_depot
    assert item_courriel(sur_depot)["PK"] == "DEPOT#dep-1"


def test_enregistrement_exige_un_instant_avec_fuseau_et_un_porteur() -> None:
    with pytest.raises(ValueError):
        CourrielEnvoye(
            envoye_le=datetime(2022, 11, 9, 15, 52),
            destinataires=("a@b.fr",),
            objet="o",
            corps="c",
            message_id="m",
            numero_asp="FIN1",
        )
    sans_porteur = CourrielEnvoye(
        envoye_le=datetime(2022, 11, 9, 15, 52, tzinfo=PARIS),
        destinataires=("a@b.fr",),
        objet="o",
        corps="c",
        message_id="m",
    )
    with pytest.raises(ValueError, match="dossier ou un dépôt"):
        item_courriel(sans_porteur)


def test_les_cles_se_trient_dans_l_ordre_des_envois_au_changement_d_heure() -> None:
    """SK holds the UTC instant: 02:30 +01:00 (after the change back) sorts after
    02:30 +02:00 (before it), though their Paris wall times are equal."""
    commun = {"destinataires": ("a@b.fr",), "objet": "o", "corps": "c", "message_id": "m"}
    avant = CourrielEnvoye(
        envoye_le=datetime(2024, 10, 27, 0, 30, tzinfo=UTC), numero_asp="F", **commun
    )
    apres = CourrielEnvoye(
        envoye_le=datetime(2024, 10, 27, 1, 30, tzinfo=UTC), numero_asp="F", **commun
    )
    assert avant.date_envoi == apres.date_envoi == "27/10/2024 02:30:00"
    assert avant.sk < apres.sk


def test_une_reservation_ecrite_dont_la_reponse_est_perdue_est_reconnue(
    boite: BoiteAuxLettres, registre: RegistreCourrielsEnMemoire, horloge: HorlogeFixe
) -> None:
    """The claim's write applied, its answer a 500: the send tries again with the same
    owner, recognises its own claim, and sends once (not « déjà envoyé » for ever)."""
    from botocore.exceptions import ClientError

    reserver = registre.reserver
    perdues: list[str] = []

    def ecrite_puis_perdue(cle: CleEnvoi, objet: str, le: datetime, proprietaire: str) -> bool:
        fait = reserver(cle, objet, le, proprietaire)
        if not perdues:
            perdues.append(proprietaire)
            raise ClientError(
                {
                    "Error": {"Code": "InternalServerError"},
                    "ResponseMetadata": {"HTTPStatusCode": 500},
                },
                "PutItem",
            )
        return fait

    registre.reserver = ecrite_puis_perdue  # type: ignore[method-assign]
    courrier = Courrier(boite, RedactionSimple(), registre, horloge)
    envoi = courrier.envoyer_une_fois(CLE, ["op@editeur.fr"], AVIS, dossiers=["FINMS1000001"])
    assert envoi.statut is StatutEnvoi.ENVOYE and len(boite.envoyes) == 1
    assert registre.reservations[CLE]["proprietaire"] == perdues[0]
    assert len(registre.courriels_du_dossier("FINMS1000001")) == 1
