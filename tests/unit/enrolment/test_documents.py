"""E2: représentant légal or tiers déclarant (every qualité), the documents each answer
requires, and the rules of each file (type, size, content)."""

from __future__ import annotations

from typing import Any

import pytest

from services.enrolment.application.soumission import AutoriserTeleversement
from services.enrolment.domain.documents import TAILLE_MAX, TypeDocument
from services.enrolment.domain.erreurs import DemandeInvalide
from tests.unit.enrolment.fakes import JETON_ROBOT, JPEG, PDF, PNG, Plateforme, formulaire, personne
from tests.unit.enrolment.test_formulaire import accepte, codes

DE_BASE = ("certificatReferencement", "pieceIdentiteRepresentant", "rib")


@pytest.fixture
def p() -> Plateforme:
    return Plateforme()


def tiers(qualite: str, **autres: Any) -> dict[str, Any]:
    return {"qualite": qualite, "depositaire": personne("depot"), **autres}


# --- Représentant légal or tiers déclarant ----------------------------------------------


def test_representant_legal_sans_tiers_declarant(p: Plateforme) -> None:
    accepte(p, formulaire(p))
    (demande,) = p.demandes.stockees.values()
    assert demande.contact.email == "rep@medisoft.example.fr"


def test_representant_legal_et_tiers_declarant_est_refuse(p: Plateforme) -> None:
    brut = formulaire(p, tiersDeclarant=tiers("EMPLOYE"))
    assert codes(p, brut) == {"tiersDeclarant": "TIERS_DECLARANT_NON_ATTENDU"}


def test_pas_representant_legal_sans_tiers_declarant_est_refuse(p: Plateforme) -> None:
    assert codes(p, formulaire(p, representantLegal=False)) == {
        "tiersDeclarant": "TIERS_DECLARANT_MANQUANT"
    }


@pytest.mark.parametrize(
    ("qualite", "piece", "autre"),
    [
        ("CENTRE_DE_GESTION", "contratPrestation", "mandat"),
        ("EXPERT_COMPTABLE", "contratPrestation", "mandat"),
        ("EMPLOYE", "mandat", "contratPrestation"),
    ],
)
def test_tiers_declarant_par_qualite(p: Plateforme, qualite: str, piece: str, autre: str) -> None:
    documents = p.documents(*DE_BASE, "pieceIdentiteDepositaire", piece)
    sans_piece = {k: v for k, v in documents.items() if k != piece}
    assert codes(
        p,
        formulaire(p, representantLegal=False, tiersDeclarant=tiers(qualite), documents=sans_piece),
    ) == {f"documents.{piece}": "DOCUMENT_MANQUANT"}
    sans_identite = {k: v for k, v in documents.items() if k != "pieceIdentiteDepositaire"}
    assert codes(
        p,
        formulaire(
            p, representantLegal=False, tiersDeclarant=tiers(qualite), documents=sans_identite
        ),
    ) == {"documents.pieceIdentiteDepositaire": "DOCUMENT_MANQUANT"}
    en_trop = documents | p.documents(autre)
    assert codes(
        p, formulaire(p, representantLegal=False, tiersDeclarant=tiers(qualite), documents=en_trop)
    ) == {f"documents.{autre}": "DOCUMENT_NON_ATTENDU"}
    complet = formulaire(
        p, representantLegal=False, tiersDeclarant=tiers(qualite), documents=documents
    )
    accepte(p, complet)
    (demande,) = p.demandes.stockees.values()
    assert demande.contact.email == "depot@medisoft.example.fr"  # every courriel goes there
    assert p.courriels.envoyes[0].destinataire == "depot@medisoft.example.fr"


def test_qualite_inconnue(p: Plateforme) -> None:
    documents = p.documents(*DE_BASE, "pieceIdentiteDepositaire", "contratPrestation")
    brut = formulaire(
        p, representantLegal=False, tiersDeclarant=tiers("AVOCAT"), documents=documents
    )
    assert codes(p, brut) == {"tiersDeclarant.qualite": "VALEUR_NON_PERMISE"}


def test_depositaire_email_et_confirmation(p: Plateforme) -> None:
    documents = p.documents(*DE_BASE, "pieceIdentiteDepositaire", "mandat")
    depositaire = personne("depot") | {"confirmationEmail": "autre@medisoft.example.fr"}
    brut = formulaire(
        p,
        representantLegal=False,
        tiersDeclarant={"qualite": "EMPLOYE", "depositaire": depositaire},
        documents=documents,
    )
    assert codes(p, brut) == {
        "tiersDeclarant.depositaire.confirmationEmail": "CONFIRMATION_EMAIL_DIFFERENTE"
    }
    depositaire = personne("depot") | {"telephone": "12"}
    brut["tiersDeclarant"]["depositaire"] = depositaire
    assert codes(p, brut) == {"tiersDeclarant.depositaire.telephone": "TELEPHONE_INVALIDE"}


# --- Documents required by the answers --------------------------------------------------


@pytest.mark.parametrize("manquant", DE_BASE)
def test_documents_de_toute_demande(p: Plateforme, manquant: str) -> None:
    documents = p.documents(*(d for d in DE_BASE if d != manquant))
    assert codes(p, formulaire(p, documents=documents)) == {
        f"documents.{manquant}": "DOCUMENT_MANQUANT"
    }


def test_kbis_quand_la_denomination_differe(p: Plateforme) -> None:
    brut = formulaire(p)
    brut["demandeur"]["denominationSociale"] = "MEDISOFT GROUPE"
    assert codes(p, brut) == {"documents.kbis": "DOCUMENT_MANQUANT"}
    brut = formulaire(p, documents=p.documents(*DE_BASE, "kbis"))
    brut["demandeur"]["denominationSociale"] = "MEDISOFT GROUPE"
    accepte(p, brut)


def test_pas_de_kbis_pour_la_meme_denomination_a_la_casse_et_aux_accents_pres(
    p: Plateforme,
) -> None:
    brut = formulaire(p, documents=p.documents(*DE_BASE, "kbis"))
    assert codes(p, brut) == {"documents.kbis": "DOCUMENT_NON_ATTENDU"}
    brut = formulaire(p)
    brut["demandeur"]["denominationSociale"] = "Médisoft  solutions"
    accepte(p, brut)


def test_kbis_quand_le_siret_n_est_pas_celui_de_l_editeur_reference(p: Plateforme) -> None:
    brut = formulaire(p)
    brut["demandeur"]["siret"] = "52871234200013"  # another éditeur of the référentiel
    assert codes(p, brut) == {"documents.kbis": "DOCUMENT_MANQUANT"}


def test_attestation_de_non_assujettissement_pour_le_regime_ht(p: Plateforme) -> None:
    assert codes(p, formulaire(p, tauxTva="HT")) == {
        "documents.attestationNonAssujettissement": "DOCUMENT_MANQUANT"
    }
    documents = p.documents(*DE_BASE, "attestationNonAssujettissement")
    assert codes(p, formulaire(p, tauxTva="20", documents=documents)) == {
        "documents.attestationNonAssujettissement": "DOCUMENT_NON_ATTENDU"
    }
    accepte(p, formulaire(p, tauxTva="HT", documents=documents))


def test_document_inconnu(p: Plateforme) -> None:
    documents = p.documents(*DE_BASE) | {"photo": "photo/" + "0" * 32 + ".png"}
    assert codes(p, formulaire(p, documents=documents)) == {"documents.photo": "CHAMP_INCONNU"}


def test_reference_d_un_autre_type_de_document(p: Plateforme) -> None:
    documents = p.documents(*DE_BASE)
    documents["rib"] = documents["certificatReferencement"]
    assert codes(p, formulaire(p, documents=documents)) == {
        "documents.rib": "REFERENCE_DOCUMENT_INVALIDE"
    }


# --- The rules of each file -------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "contenu"),
    [("rib.pdf", PDF), ("rib.PNG", PNG), ("rib.jpg", JPEG), ("rib.jpeg", JPEG)],
)
def test_types_de_fichier_acceptes(p: Plateforme, nom: str, contenu: bytes) -> None:
    documents = p.documents(*DE_BASE)
    documents["rib"] = p.televerser("rib", contenu, nom)
    accepte(p, formulaire(p, documents=documents))


@pytest.mark.parametrize("nom", ["rib.gif", "rib.exe", "rib", "rib.pdf.zip", "a/b.pdf", ""])
def test_extension_refusee_des_le_televersement(p: Plateforme, nom: str) -> None:
    with pytest.raises(DemandeInvalide) as exc:
        AutoriserTeleversement(p.stockage)("rib", nom)
    ((champ, code),) = [(x.champ, x.code) for x in exc.value.problemes]
    assert champ == "nomFichier"
    assert code in {"EXTENSION_INTERDITE", "NOM_FICHIER_INVALIDE"}
    assert p.stockage.envois == []


def test_type_de_document_inconnu_au_televersement(p: Plateforme) -> None:
    with pytest.raises(DemandeInvalide) as exc:
        AutoriserTeleversement(p.stockage)("photo", "a.pdf")
    assert [x.code for x in exc.value.problemes] == ["VALEUR_NON_PERMISE"]


def test_le_televersement_est_limite_a_4_mo(p: Plateforme) -> None:
    televersement = AutoriserTeleversement(p.stockage)("kbis", "kbis.pdf")
    assert televersement.envoi.taille_max == 4 * 1024 * 1024
    assert televersement.reference.startswith("kbis/")
    assert televersement.envoi.cle == f"enrolements/televersements/{televersement.reference}"


def _rib(p: Plateforme, contenu: bytes | None, nom: str = "rib.pdf") -> dict[str, str]:
    documents = p.documents(*DE_BASE)
    reference = p.televerser("rib", contenu or b"", nom)
    if contenu is None:
        del p.stockage.objets[f"enrolements/televersements/{reference}"]
    documents["rib"] = reference
    return documents


@pytest.mark.parametrize(
    ("contenu", "nom", "code"),
    [
        (None, "rib.pdf", "DOCUMENT_NON_TELEVERSE"),
        (b"", "rib.pdf", "DOCUMENT_VIDE"),
        (
            PDF[:-7] + b" " * (TAILLE_MAX - len(PDF)) + PDF[-7:] + b"x",
            "rib.pdf",
            "DOCUMENT_TROP_VOLUMINEUX",
        ),
        (PNG, "rib.pdf", "CONTENU_NON_CONFORME"),  # a PNG named .pdf
        (b"MZ\x90\x00" + b"\x00" * 60, "rib.pdf", "CONTENU_NON_CONFORME"),  # an executable
        (PDF[:-7], "rib.pdf", "CONTENU_NON_CONFORME"),  # truncated: no %%EOF
        (PNG[:-12], "rib.png", "CONTENU_NON_CONFORME"),  # no IEND
        (JPEG[:-2], "rib.jpg", "CONTENU_NON_CONFORME"),  # no FF D9
        (b"PK\x03\x04" + b"\x00" * 30, "rib.pdf", "CONTENU_NON_CONFORME"),  # an archive
    ],
)
def test_regles_du_fichier(p: Plateforme, contenu: bytes | None, nom: str, code: str) -> None:
    brut = formulaire(p, documents=_rib(p, contenu, nom))
    assert codes(p, brut) == {"documents.rib": code}


def test_exactement_4_mo_est_accepte(p: Plateforme) -> None:
    contenu = PDF[:-7] + b" " * (TAILLE_MAX - len(PDF)) + PDF[-7:]
    assert len(contenu) == TAILLE_MAX
    accepte(p, formulaire(p, documents=_rib(p, contenu)))


def test_les_documents_sont_copies_sous_le_numero_de_la_demande(p: Plateforme) -> None:
    confirmation = p.soumettre(formulaire(p), JETON_ROBOT)
    cles = {d.type_document: d.cle for d in confirmation.demande.documents}
    assert cles == {t: f"enrolements/demandes/{confirmation.numero}/{t}.pdf" for t in DE_BASE}
    assert all(p.stockage.objets[c] == PDF for c in cles.values())
    assert {d.type_document for d in confirmation.demande.documents} <= {
        t.value for t in TypeDocument
    }
