"""E3–E5 and bank details on fakes: confirmation and follow-up, the gestionnaire's list,
reading and decision (account created or extended, courriels), enrôlement complémentaire,
change of bank details."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.enrolment.application.instruction import (
    DejaDecidee,
    DemandeIntrouvable,
    MesDemandes,
    SuivreDemande,
)
from services.enrolment.application.ports import Compte, CurseurInvalide
from services.enrolment.application.soumission import Confirmation, NonEnrole
from services.enrolment.domain.demande import StatutDemandeEnrolement, masquer_iban
from services.enrolment.domain.erreurs import DemandeInvalide
from tests.unit.enrolment.fakes import (
    JETON_ROBOT,
    NUMERO_ANS,
    NUMERO_ANS_2,
    SIRET,
    Plateforme,
    formulaire,
    personne,
)

IBAN = "FR7630006000011234567890189"
NOUVEL_IBAN = "FR1420041010050500013M02606"


@pytest.fixture
def p() -> Plateforme:
    return Plateforme()


def soumise(p: Plateforme) -> Confirmation:
    return p.soumettre(formulaire(p), JETON_ROBOT)


def enrole(p: Plateforme) -> Confirmation:
    confirmation = soumise(p)
    p.decider(confirmation.numero, "VALIDEE", None, "gestionnaire-1")
    return confirmation


# --- E3: confirmation, accusé de réception, follow-up ----------------------------------


def test_numero_enr_et_accuse_de_reception(p: Plateforme) -> None:
    confirmation = soumise(p)
    assert confirmation.numero == "ENR0001M0"
    assert confirmation.statut is StatutDemandeEnrolement.SOUMISE
    (accuse,) = p.courriels.envoyes
    assert accuse.modele == "accuse_reception"
    assert accuse.destinataire == "rep@medisoft.example.fr"
    assert "ENR0001M0" in accuse.objet
    assert "Le numéro de votre demande est le ENR0001M0" in accuse.texte
    autre = formulaire(p, numeroAns="lgsMS10417")
    autre["demandeur"]["siret"] = "52871234200013"
    autre["demandeur"]["denominationSociale"] = "Logiciels du social"
    assert p.soumettre(autre, JETON_ROBOT).numero == "ENR0002M0"


def test_le_demandeur_suit_sa_demande_avec_son_jeton(p: Plateforme) -> None:
    confirmation = soumise(p)
    suivre = SuivreDemande(p.demandes)
    vue = suivre(confirmation.numero, confirmation.jeton_suivi)
    assert vue["statut"] == "SOUMISE"
    assert "iban" not in str(vue).lower()
    with pytest.raises(DemandeIntrouvable):
        suivre(confirmation.numero, "mauvais-jeton")
    with pytest.raises(DemandeIntrouvable):
        suivre("ENR9999M0", confirmation.jeton_suivi)
    with pytest.raises(DemandeIntrouvable):
        suivre("pas-un-numero", confirmation.jeton_suivi)
    p.decider(confirmation.numero, "REJETEE", "RIB illisible", "g")
    vue = suivre(confirmation.numero, confirmation.jeton_suivi)
    assert (vue["statut"], vue["motif"]) == ("REJETEE", "RIB illisible")


def test_le_jeton_de_suivi_n_est_pas_stocke_en_clair(p: Plateforme) -> None:
    confirmation = soumise(p)
    assert confirmation.jeton_suivi not in str(p.demandes.stockees)


# --- E4: list and read ------------------------------------------------------------------


def test_liste_par_statut_et_curseur(p: Plateforme) -> None:
    numeros = []
    for numero_ans, siret, nom in [
        (NUMERO_ANS, SIRET, "MEDISOFT SOLUTIONS"),
        ("lgsMS10417", "52871234200013", "LOGICIELS DU SOCIAL"),
        ("acoMS20233", "80245678000013", "ACCOMPAGNEO"),
    ]:
        brut = formulaire(p, numeroAns=numero_ans)
        brut["demandeur"].update(siret=siret, denominationSociale=nom)
        brut["representant"] = personne(siret)
        numeros.append(p.soumettre(brut, JETON_ROBOT).numero)
        p.horloge.regler(p.horloge.maintenant() + timedelta(minutes=1))
    p.decider(numeros[1], "REJETEE", "Certificat expiré", "g")
    page = p.lister(None, None, 2)
    assert [d.numero for d in page.demandes] == numeros[:2]
    suite = p.lister(None, page.curseur_suivant, 2)
    assert [d.numero for d in suite.demandes] == numeros[2:]
    assert suite.curseur_suivant is None
    soumises = p.lister("SOUMISE", None, 10)
    assert [d.numero for d in soumises.demandes] == [numeros[0], numeros[2]]
    with pytest.raises(DemandeInvalide) as exc:
        p.lister("EN_COURS", None, 500)
    assert {x.champ for x in exc.value.problemes} == {"statut", "limite"}
    with pytest.raises(CurseurInvalide):
        p.lister(None, "n'importe quoi", 2)


def test_lecture_iban_en_clair_pour_le_gestionnaire_seulement(p: Plateforme) -> None:
    confirmation = soumise(p)
    vue = p.lire(confirmation.numero, None)
    assert vue["coordonneesBancaires"]["iban"] == IBAN
    assert vue["formulaire"]["coordonneesBancaires"]["iban"] == IBAN
    assert all(d["url"].startswith("https://documents.local/") for d in vue["documents"])
    vue = p.lire(confirmation.numero, SIRET)
    assert vue["coordonneesBancaires"]["iban"] == "FR76 **** **** **** **** **** 0189"
    assert vue["formulaire"]["coordonneesBancaires"]["iban"] == "FR76 **** **** **** **** **** 0189"
    assert IBAN not in str(vue)
    assert "url" not in str(vue["documents"])
    with pytest.raises(DemandeIntrouvable):  # no éditeur reads another's demande
        p.lire(confirmation.numero, "52871234200013")
    assert [v["numero"] for v in MesDemandes(p.demandes)(SIRET)] == ["ENR0001M0"]
    assert MesDemandes(p.demandes)("52871234200013") == []


def test_masquer_iban() -> None:
    assert masquer_iban("FR7630006000011234567890189") == "FR76 **** **** **** **** **** 0189"
    assert masquer_iban("FR76 3000 6000 0112 3456 7890 189") == "FR76 **** **** **** **** **** 0189"
    assert masquer_iban(None) is None


# --- E4: decision -----------------------------------------------------------------------


def test_validee_cree_le_compte_et_envoie_deux_courriels(p: Plateforme) -> None:
    confirmation = soumise(p)
    p.horloge.regler(p.horloge.maintenant() + timedelta(days=2))
    demande = p.decider(confirmation.numero, "VALIDEE", None, "gestionnaire-1")
    assert demande.statut is StatutDemandeEnrolement.VALIDEE
    assert demande.decision is not None and demande.decision.compte == "CREE"
    compte = p.comptes.par_email("rep@medisoft.example.fr")
    assert compte == Compte(
        "rep@medisoft.example.fr", "rep@medisoft.example.fr", SIRET, frozenset({"editeurs"})
    )
    _accuse, identifiant, mot_de_passe = p.courriels.envoyes
    provisoire = p.comptes.mots_de_passe["rep@medisoft.example.fr"]
    assert identifiant.modele == "identifiant" and mot_de_passe.modele == "mot_de_passe"
    assert "rep@medisoft.example.fr" in identifiant.texte
    assert provisoire not in identifiant.texte  # two separate courriels
    assert provisoire in mot_de_passe.texte
    assert "Votre identifiant de connexion" not in mot_de_passe.texte
    assert identifiant.destinataire == mot_de_passe.destinataire == "rep@medisoft.example.fr"
    enrolement = p.enrolements.lire(SIRET, NUMERO_ANS)
    assert enrolement is not None and enrolement.valide
    assert (enrolement.couloir, enrolement.email, enrolement.iban, enrolement.bic) == (
        "MS1",
        "rep@medisoft.example.fr",
        IBAN,
        "AGRIFRPPXXX",
    )
    assert enrolement.coordonnees_validees_le == p.horloge.maintenant()
    assert enrolement.numero_demande == confirmation.numero


def test_mot_de_passe_provisoire_respecte_la_politique(p: Plateforme) -> None:
    enrole(p)
    provisoire = p.comptes.mots_de_passe["rep@medisoft.example.fr"]
    assert len(provisoire) >= 12
    assert any(c.isupper() for c in provisoire) and any(c.islower() for c in provisoire)
    assert any(c.isdigit() for c in provisoire) and not provisoire.isalnum()


def test_validee_etend_un_compte_existant_avec_la_meme_adresse(p: Plateforme) -> None:
    existant = Compte(
        "rep@medisoft.example.fr", "rep@medisoft.example.fr", None, frozenset({"autres"})
    )
    p.comptes.comptes["rep@medisoft.example.fr"] = existant
    confirmation = soumise(p)
    demande = p.decider(confirmation.numero, "VALIDEE", None, "g")
    assert demande.decision is not None and demande.decision.compte == "ETENDU"
    assert len(p.comptes.comptes) == 1 and p.comptes.mots_de_passe == {}
    compte = p.comptes.par_email("rep@medisoft.example.fr")
    assert compte is not None and compte.siret == SIRET and "editeurs" in compte.groupes
    _accuse, extension = p.courriels.envoyes
    assert extension.modele == "extension"
    assert "étendue au référencement zbuMSS0001" in extension.texte
    assert "mot de passe provisoire" not in extension.texte


def test_rejetee_envoie_le_motif(p: Plateforme) -> None:
    confirmation = soumise(p)
    with pytest.raises(DemandeInvalide) as exc:
        p.decider(confirmation.numero, "REJETEE", "  ", "g")
    assert [x.code for x in exc.value.problemes] == ["MOTIF_OBLIGATOIRE"]
    demande = p.decider(confirmation.numero, "REJETEE", "Le RIB est illisible.", "g")
    assert demande.statut is StatutDemandeEnrolement.REJETEE
    _accuse, rejet = p.courriels.envoyes
    assert rejet.modele == "rejet" and "Le RIB est illisible." in rejet.texte
    assert rejet.destinataire == "rep@medisoft.example.fr"
    assert p.enrolements.stockes == {} and p.comptes.comptes == {}


def test_decision_invalide_ou_demande_inconnue(p: Plateforme) -> None:
    confirmation = soumise(p)
    with pytest.raises(DemandeInvalide) as exc:
        p.decider(confirmation.numero, "ACCEPTEE", "x" * 2001, "g")
    assert {x.champ for x in exc.value.problemes} == {"decision", "motif"}
    with pytest.raises(DemandeIntrouvable):
        p.decider("ENR0404M0", "VALIDEE", None, "g")


def test_une_demande_ne_se_decide_qu_une_fois(p: Plateforme) -> None:
    confirmation = enrole(p)
    with pytest.raises(DejaDecidee):
        p.decider(confirmation.numero, "REJETEE", "trop tard", "g2")
    with pytest.raises(DejaDecidee):
        p.decider(confirmation.numero, "VALIDEE", None, "g2")
    assert len(p.courriels.envoyes) == 3


def test_deux_decisions_concurrentes_une_seule_gagne(p: Plateforme) -> None:
    confirmation = soumise(p)
    p.demandes.conflit_au_prochain = True  # another gestionnaire decided in between
    with pytest.raises(DejaDecidee):
        p.decider(confirmation.numero, "VALIDEE", None, "g")
    assert p.comptes.comptes == {} and len(p.courriels.envoyes) == 1


def test_effets_interrompus_reprises_par_une_nouvelle_validation(p: Plateforme) -> None:
    confirmation = soumise(p)

    class Panne(Exception):
        pass

    creer = p.comptes.creer

    def en_panne(*args: object) -> Compte:
        raise Panne

    p.comptes.creer = en_panne  # type: ignore[method-assign]
    with pytest.raises(Panne):
        p.decider(confirmation.numero, "VALIDEE", None, "g")
    p.comptes.creer = creer  # type: ignore[method-assign]
    demande = p.decider(confirmation.numero, "VALIDEE", None, "g")
    assert demande.decision is not None and demande.decision.compte == "CREE"
    assert [m.modele for m in p.courriels.envoyes] == [
        "accuse_reception",
        "identifiant",
        "mot_de_passe",
    ]


def test_deja_enrole_ou_demande_en_cours(p: Plateforme) -> None:
    soumise(p)
    with pytest.raises(DemandeInvalide) as exc:
        soumise(p)
    assert [(x.champ, x.code) for x in exc.value.problemes] == [("numeroAns", "DEMANDE_EN_COURS")]
    q = Plateforme()
    enrole(q)
    with pytest.raises(DemandeInvalide) as exc:
        q.soumettre(formulaire(q, numeroAns=NUMERO_ANS_2), JETON_ROBOT)
    assert [(x.champ, x.code) for x in exc.value.problemes] == [("demandeur.siret", "DEJA_ENROLE")]


# --- E5: enrôlement complémentaire ------------------------------------------------------


def complementaire(p: Plateforme, **autres: object) -> dict[str, object]:
    return {
        "numeroAns": NUMERO_ANS_2,
        "cguAcceptees": True,
        "sinceriteAttestee": True,
        "documents": p.documents("certificatReferencement"),
        **autres,
    }


def test_complementaire_reserve_aux_editeurs_enroles(p: Plateforme) -> None:
    with pytest.raises(NonEnrole):
        p.complementaire(complementaire(p), SIRET)


def test_complementaire_sans_pieces_d_identite_ni_rib(p: Plateforme) -> None:
    enrole(p)
    confirmation = p.complementaire(complementaire(p), SIRET)
    assert confirmation.demande.contact.email == "rep@medisoft.example.fr"
    assert confirmation.demande.contact.nom == "Martin"
    assert [d.type_document for d in confirmation.demande.documents] == ["certificatReferencement"]
    demande = p.decider(confirmation.numero, "VALIDEE", None, "g")
    assert demande.decision is not None and demande.decision.compte == "ETENDU"
    assert p.courriels.envoyes[-1].modele == "extension"
    assert len(p.comptes.comptes) == 1
    second = p.enrolements.lire(SIRET, NUMERO_ANS_2)
    assert second is not None and second.valide
    assert (second.couloir, second.iban, second.raison_sociale) == (
        "MS2",
        IBAN,
        "MEDISOFT SOLUTIONS",
    )


def test_complementaire_regles(p: Plateforme) -> None:
    enrole(p)
    inutile = complementaire(p, documents=p.documents("certificatReferencement", "rib"))
    nouveau_rib = complementaire(
        p,
        coordonneesBancaires={
            "iban": NOUVEL_IBAN,
            "bic": "PSSTFRPPPAR",
            "titulaire": "MEDISOFT",
            "domiciliation": "La Banque Postale",
        },
    )
    nouveau_tiers = complementaire(
        p, tiersDeclarant={"qualite": "EMPLOYE", "depositaire": personne("depot")}
    )
    deja = complementaire(p, numeroAns=NUMERO_ANS)
    cas = [
        (inutile, {"documents.rib": "DOCUMENT_NON_ATTENDU"}),
        (nouveau_rib, {"documents.rib": "DOCUMENT_MANQUANT"}),
        (
            nouveau_tiers,
            {
                "representant": "REPRESENTANT_MANQUANT",
                "documents.pieceIdentiteRepresentant": "DOCUMENT_MANQUANT",
                "documents.pieceIdentiteDepositaire": "DOCUMENT_MANQUANT",
                "documents.mandat": "DOCUMENT_MANQUANT",
            },
        ),
        (deja, {"numeroAns": "DEJA_ENROLE"}),
        (complementaire(p, numeroAns="INCONNU000"), {"numeroAns": "NUMERO_ANS_INCONNU"}),
        (complementaire(p, demandeur={}), {"demandeur": "CHAMP_INCONNU"}),
    ]
    for brut, attendus in cas:
        with pytest.raises(DemandeInvalide) as exc:
            p.complementaire(brut, SIRET)
        assert {x.champ: x.code for x in exc.value.problemes} == attendus


def test_complementaire_avec_nouveau_depositaire(p: Plateforme) -> None:
    enrole(p)
    brut = complementaire(
        p,
        representant=personne(),
        tiersDeclarant={"qualite": "EXPERT_COMPTABLE", "depositaire": personne("cabinet")},
        documents=p.documents(
            "certificatReferencement",
            "pieceIdentiteRepresentant",
            "pieceIdentiteDepositaire",
            "contratPrestation",
        ),
    )
    confirmation = p.complementaire(brut, SIRET)
    assert confirmation.demande.contact.email == "cabinet@medisoft.example.fr"
    p.decider(confirmation.numero, "VALIDEE", None, "g")
    assert p.comptes.par_email("cabinet@medisoft.example.fr") is not None  # a new account
    enrolement = p.enrolements.lire(SIRET, NUMERO_ANS_2)
    assert enrolement is not None and enrolement.email == "cabinet@medisoft.example.fr"


# --- Bank details -----------------------------------------------------------------------


def test_changement_de_coordonnees_valide_avant_tout_paiement(p: Plateforme) -> None:
    enrole(p)
    brut = {
        "coordonneesBancaires": {
            "iban": NOUVEL_IBAN,
            "bic": "PSSTFRPPPAR",
            "titulaire": "MEDISOFT SOLUTIONS",
            "domiciliation": "La Banque Postale",
        },
        "sinceriteAttestee": True,
        "documents": {},
    }
    with pytest.raises(DemandeInvalide) as exc:
        p.changement(brut, SIRET)
    assert {x.champ: x.code for x in exc.value.problemes} == {"documents.rib": "DOCUMENT_MANQUANT"}
    brut["documents"] = p.documents("rib")
    confirmation = p.changement(brut, SIRET)
    assert confirmation.demande.numero_ans is None
    with pytest.raises(DemandeInvalide) as exc:  # one change at a time
        p.changement(brut | {"documents": p.documents("rib")}, SIRET)
    assert [x.code for x in exc.value.problemes] == ["DEMANDE_EN_COURS"]
    avant = p.enrolements.lire(SIRET, NUMERO_ANS)
    assert avant is not None and avant.iban == IBAN  # not used until validated
    assert p.annonces.envoyees == []  # the first enrolment re-issues nothing
    p.horloge.regler(p.horloge.maintenant() + timedelta(days=1))
    demande = p.decider(confirmation.numero, "VALIDEE", None, "g")
    assert demande.decision is not None and demande.decision.compte == "SANS_OBJET"
    # Paiement is told once the records hold the new details (no IBAN in the message).
    assert [m.model_dump() for m in p.annonces.envoyees] == [
        {"siret": SIRET, "valideesLe": p.horloge.maintenant(), "numeroDemande": demande.numero}
    ]
    apres = p.enrolements.lire(SIRET, NUMERO_ANS)
    assert apres is not None
    assert (apres.iban, apres.bic, apres.coordonnees_validees_le, apres.version) == (
        NOUVEL_IBAN,
        "PSSTFRPPPAR",
        p.horloge.maintenant(),
        2,
    )
    assert p.courriels.envoyes[-1].modele == "coordonnees_validees"
    with pytest.raises(NonEnrole):
        p.changement(brut, "52871234200013")
