"""One rule of format MS v1, one case: without the rule, the case is not reported (spec §2-§4).

Each case starts from the valid file `valide_3_lignes.json`, introduces a defect in it,
and expects that rule's error (code, pointer). The starting file gives no error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from services.depot.domain.compte_rendu import StatutLigne
from tests.fixtures.depot.generateur import demande_valide, finess_valides, octets, piece
from tests.unit.depot.aide_format import (
    RegistreFactice,
    contexte,
    dossier,
    erreurs,
    simuler_doc,
    valide,
)

D0 = "/demandes/0"
D1 = "/demandes/1"
E0 = D0 + "/beneficiaires/0/etablissementsClients/0"
F0, F1, F2 = (
    valide()["demandes"][0]["beneficiaires"][0]["etablissementsClients"][0]["finessGeo"],
    valide()["demandes"][1]["beneficiaires"][0]["etablissementsClients"][0]["finessGeo"],
    valide()["demandes"][1]["beneficiaires"][0]["etablissementsClients"][1]["finessGeo"],
)
AUTRE_FINESS = finess_valides(1, seed=99)[0]


def _dem(d: dict[str, Any], i: int = 0) -> dict[str, Any]:
    demande: dict[str, Any] = d["demandes"][i]
    return demande


def _etab(d: dict[str, Any], i: int = 0, b: int = 0, e: int = 0) -> dict[str, Any]:
    etablissement: dict[str, Any] = _dem(d, i)["beneficiaires"][b]["etablissementsClients"][e]
    return etablissement


def _pj(d: dict[str, Any], i: int = 0, j: int = 0) -> dict[str, Any]:
    p: dict[str, Any] = _dem(d, i)["piecesJustificatives"][j]
    return p


def _sc(d: dict[str, Any], i: int = 0, k: int = 0) -> dict[str, Any]:
    s: dict[str, Any] = _dem(d, i)["scenarioInstallation"][k]
    return s


def _solde(d: dict[str, Any]) -> None:
    """Line 0 becomes a valid solde (FACTURE + PV_VA, numeroASP of the avance)."""
    _dem(d)["numeroASP"] = "FINMS1000001"
    _dem(d)["piecesJustificatives"] = [
        piece("FACTURE", "DOSS-0001"),
        piece("PV_VA", "DOSS-0001"),
    ]


def _avec_solde(fn: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], Any]:
    def faire(d: dict[str, Any]) -> Any:
        _solde(d)
        return fn(d)

    return faire


def _modification(d: dict[str, Any]) -> None:
    _dem(d)["typeAction"] = "M"
    _dem(d)["numeroASP"] = "FINMS1000001"


def _modification_autre_couloir(d: dict[str, Any]) -> None:
    _modification(d)
    _dem(d)["numeroASP"] = "FINMS2000001"


def _texte_montant(texte: str) -> Callable[[dict[str, Any]], bytes]:
    """The amount of line 0 written as is in the JSON (exact value)."""

    def faire(d: dict[str, Any]) -> bytes:
        _dem(d)["commande"]["montantSegur"] = Decimal("12345.67")
        return octets(d).replace(b"12345.67", texte.encode())

    return faire


def _registre_enrole() -> RegistreFactice:
    return RegistreFactice(enroles={("73282932000074", "1234567890")})


@dataclass
class Cas:
    id: str
    defaut: Callable[[dict[str, Any]], Any]
    code: str
    chemin: str
    contexte: dict[str, Any] | None = None
    registre: Callable[[], RegistreFactice] | None = None
    fichier: bool = False  # a file error (otherwise: a line error)


Modif = Callable[[dict[str, Any]], None]


def _set(chemin: Callable[[dict[str, Any]], dict[str, Any]], cle: str, valeur: Any) -> Modif:
    def faire(d: dict[str, Any]) -> None:
        chemin(d)[cle] = valeur

    return faire


def _del(chemin: Callable[[dict[str, Any]], dict[str, Any]], cle: str) -> Modif:
    def faire(d: dict[str, Any]) -> None:
        del chemin(d)[cle]

    return faire


def _racine(d: dict[str, Any]) -> dict[str, Any]:
    return d


def _commande(d: dict[str, Any]) -> dict[str, Any]:
    commande: dict[str, Any] = _dem(d)["commande"]
    return commande


def _benef(d: dict[str, Any]) -> dict[str, Any]:
    b: dict[str, Any] = _dem(d)["beneficiaires"][0]
    return b


def _deux_etablissements_meme_finess(d: dict[str, Any]) -> None:
    _dem(d, 1)["beneficiaires"][0]["etablissementsClients"][1]["finessGeo"] = F1
    _dem(d, 1)["scenarioInstallation"].pop()


def _finess_de_la_ligne_0_en_ligne_1(d: dict[str, Any]) -> None:
    _etab(d, 1, 0, 0)["finessGeo"] = F0
    _sc(d, 1, 0)["finessGeo"] = F0


def _numero_dossier_repete(d: dict[str, Any]) -> None:
    _dem(d, 1)["numeroDossier"] = "DOSS-0001"


def _nom_fichier_repete(d: dict[str, Any]) -> None:
    _dem(d, 1)["piecesJustificatives"].append(dict(_pj(d, 0, 0)))


def _pieces(*types: str) -> Callable[[dict[str, Any]], None]:
    def faire(d: dict[str, Any]) -> None:
        _dem(d)["piecesJustificatives"] = [piece(t, "DOSS-0001") for t in types]

    return faire


def _sans_scenario(d: dict[str, Any]) -> None:
    _dem(d, 1)["scenarioInstallation"].pop()


def _scenario_etranger(d: dict[str, Any]) -> None:
    _sc(d, 0, 0)["finessGeo"] = AUTRE_FINESS


def _scenario_double(d: dict[str, Any]) -> None:
    _dem(d)["scenarioInstallation"].append(dict(_sc(d, 0, 0)))


def _numligne_repete(d: dict[str, Any]) -> None:
    _dem(d, 1)["numLigne"] = 1


def _doublon_json(d: dict[str, Any]) -> bytes:
    return octets(d).replace(
        b'"verrouillage": "1.4.2",', b'"verrouillage": "1.4.2", "verrouillage": "1.4.2",', 1
    )


def _element_non_objet(d: dict[str, Any]) -> None:
    d["demandes"].append("une demande")


def _montant_multi(d: dict[str, Any]) -> None:
    _dem(d, 1)["commande"]["montantSegur"] = Decimal("40000.01")


CAS = [
    # --- File header (§2): file errors.
    Cas(
        "champ inconnu (orthographe du seed)",
        _set(_racine, "leptid", None),
        "CHAMP_INCONNU",
        "/leptid",
        fichier=True,
    ),
    Cas(
        "idFichier non null",
        _set(_racine, "idFichier", "7152"),
        "CHAMP_RESERVE",
        "/idFichier",
        fichier=True,
    ),
    Cas(
        "numeroAns absent",
        _del(_racine, "numeroAns"),
        "CHAMP_OBLIGATOIRE",
        "/numeroAns",
        fichier=True,
    ),
    Cas(
        "numeroAns de 9 caractères",
        _set(_racine, "numeroAns", "aafty6325"),
        "NUMERO_ANS_INVALIDE",
        "/numeroAns",
        fichier=True,
    ),
    Cas(
        "numeroAns autre que celui du dépôt",
        lambda d: None,
        "NUMERO_ANS_INATTENDU",
        "/numeroAns",
        contexte={"numero_ans_attendu": "aafty63256"},
        fichier=True,
    ),
    Cas(
        "SIRET de 12 chiffres",
        _set(_racine, "siret", "885885858745"),
        "SIRET_INVALIDE",
        "/siret",
        fichier=True,
    ),
    Cas(
        "SIRET à la clé fausse",
        _set(_racine, "siret", "73282932000075"),
        "SIRET_INVALIDE",
        "/siret",
        fichier=True,
    ),
    Cas(
        "SIRET en nombre",
        _set(_racine, "siret", 73282932000074),
        "TYPE_INVALIDE",
        "/siret",
        fichier=True,
    ),
    Cas(
        "SIRET autre que celui du compte",
        lambda d: None,
        "SIRET_INATTENDU",
        "/siret",
        contexte={"siret_attendu": "44306184100047"},
        fichier=True,
    ),
    Cas(
        "demandes en objet (sigosigorse)",
        _set(_racine, "demandes", {}),
        "TYPE_INVALIDE",
        "/demandes",
        fichier=True,
    ),
    Cas(
        "aucune demande", _set(_racine, "demandes", []), "AUCUNE_DEMANDE", "/demandes", fichier=True
    ),
    Cas(
        "numLigne employé deux fois",
        _numligne_repete,
        "NUMLIGNE_DUPLIQUE",
        D1 + "/numLigne",
        fichier=True,
    ),
    Cas("clé dupliquée", _doublon_json, "CLE_DUPLIQUEE", D0 + "/verrouillage", fichier=True),
    Cas(
        "éditeur non enrôlé",
        lambda d: None,
        "EDITEUR_NON_ENROLE",
        "/numeroAns",
        registre=RegistreFactice,
        fichier=True,
    ),
    # --- Demande header (§3).
    Cas(
        "élément de demandes qui n'est pas un objet",
        _element_non_objet,
        "TYPE_INVALIDE",
        "/demandes/3",
    ),
    Cas("numLigne en chaîne", _set(_dem, "numLigne", "1"), "TYPE_INVALIDE", D0 + "/numLigne"),
    Cas("numLigne nul", _set(_dem, "numLigne", 0), "NUMLIGNE_INVALIDE", D0 + "/numLigne"),
    Cas(
        "champ inconnu dans une demande",
        _set(_dem, "numeroDemande", "x"),
        "CHAMP_INCONNU",
        D0 + "/numeroDemande",
    ),
    Cas(
        "verrouillage absent", _del(_dem, "verrouillage"), "CHAMP_OBLIGATOIRE", D0 + "/verrouillage"
    ),
    Cas(
        "typeAction inconnu",
        _set(_dem, "typeAction", "S"),
        "VALEUR_NON_AUTORISEE",
        D0 + "/typeAction",
    ),
    Cas(
        "numeroASP pour une création d'avance",
        _set(_dem, "numeroASP", "FINMS1000001"),
        "NUMERO_ASP_INTERDIT",
        D0 + "/numeroASP",
    ),
    Cas(
        "modification sans numeroASP",
        _set(_dem, "typeAction", "M"),
        "NUMERO_ASP_OBLIGATOIRE",
        D0 + "/numeroASP",
    ),
    Cas(
        "solde sans numeroASP",
        _avec_solde(_set(_dem, "numeroASP", None)),
        "NUMERO_ASP_OBLIGATOIRE",
        D0 + "/numeroASP",
        contexte={"type_demande": "SOLDE"},
    ),
    Cas(
        "numeroASP d'un autre couloir",
        _modification_autre_couloir,
        "NUMERO_ASP_INVALIDE",
        D0 + "/numeroASP",
    ),
    Cas(
        "numeroDossier de 21 caractères",
        _set(_dem, "numeroDossier", "D" * 21),
        "NUMERO_DOSSIER_INVALIDE",
        D0 + "/numeroDossier",
    ),
    Cas(
        "numeroDossier répété dans le fichier",
        _numero_dossier_repete,
        "NUMERO_DOSSIER_DUPLIQUE",
        D1 + "/numeroDossier",
    ),
    Cas(
        "verrouillage à 5 nombres",
        _set(_dem, "verrouillage", "1.4.2.0.1"),
        "VERROUILLAGE_INVALIDE",
        D0 + "/verrouillage",
    ),
    Cas(
        "codeTraitement rempli",
        _set(_dem, "codeTraitement", 0),
        "CHAMP_RESERVE",
        D0 + "/codeTraitement",
    ),
    # --- Commande.
    Cas("commande en tableau", _set(_dem, "commande", []), "TYPE_INVALIDE", D0 + "/commande"),
    Cas(
        "champ du seed regimeIVA",
        lambda d: _commande(d).update(regimeIVA="HT"),
        "CHAMP_INCONNU",
        D0 + "/commande/regimeIVA",
    ),
    Cas(
        "date inexistante",
        _set(_commande, "dateCommande", "31/02/2023"),
        "DATE_COMMANDE_INVALIDE",
        D0 + "/commande/dateCommande",
    ),
    Cas(
        "date au format ISO",
        _set(_commande, "dateCommande", "2023-10-18"),
        "DATE_COMMANDE_INVALIDE",
        D0 + "/commande/dateCommande",
    ),
    Cas(
        "date après le dépôt",
        _set(_commande, "dateCommande", "21/02/2024"),
        "DATE_COMMANDE_FUTURE",
        D0 + "/commande/dateCommande",
    ),
    Cas(
        "date avant la campagne",
        _set(_commande, "dateCommande", "30/06/2021"),
        "DATE_COMMANDE_TROP_ANCIENNE",
        D0 + "/commande/dateCommande",
    ),
    Cas(
        "régime inconnu",
        _set(_commande, "regimeTVA", "HTT"),
        "VALEUR_NON_AUTORISEE",
        D0 + "/commande/regimeTVA",
    ),
    Cas(
        "montant en chaîne",
        _set(_commande, "montantSegur", "18750.00"),
        "TYPE_INVALIDE",
        D0 + "/commande/montantSegur",
    ),
    Cas(
        "montant booléen",
        _set(_commande, "montantSegur", True),
        "TYPE_INVALIDE",
        D0 + "/commande/montantSegur",
    ),
    Cas(
        "montant nul",
        _set(_commande, "montantSegur", 0),
        "MONTANT_NON_POSITIF",
        D0 + "/commande/montantSegur",
    ),
    Cas(
        "montant à trois décimales",
        _texte_montant("1500.505"),
        "MONTANT_DECIMALES",
        D0 + "/commande/montantSegur",
    ),
    Cas(
        "montant à 17 chiffres qu'un float arrondirait",
        _texte_montant("1500.5000000000000001"),
        "MONTANT_DECIMALES",
        D0 + "/commande/montantSegur",
    ),
    Cas(
        "plafond d'un établissement dépassé",
        _set(_commande, "montantSegur", Decimal("20000.01")),
        "MONTANT_PLAFOND_DEPASSE",
        D0 + "/commande/montantSegur",
    ),
    Cas(
        "plafond de deux établissements dépassé",
        _montant_multi,
        "MONTANT_PLAFOND_DEPASSE",
        D1 + "/commande/montantSegur",
    ),
    # --- Bénéficiaires and établissements.
    Cas("aucun bénéficiaire", _set(_dem, "beneficiaires", []), "LISTE_VIDE", D0 + "/beneficiaires"),
    Cas(
        "mandataire en chaîne",
        _set(_benef, "mandataire", "true"),
        "TYPE_INVALIDE",
        D0 + "/beneficiaires/0/mandataire",
    ),
    Cas(
        "mandataire sans nom",
        _set(_benef, "nomMandataire", None),
        "CHAMP_OBLIGATOIRE",
        D0 + "/beneficiaires/0/nomMandataire",
    ),
    Cas(
        "courriel du mandataire invalide",
        _set(_benef, "emailMandataire", "dupont@mail"),
        "COURRIEL_INVALIDE",
        D0 + "/beneficiaires/0/emailMandataire",
    ),
    Cas(
        "aucun établissement",
        _set(_benef, "etablissementsClients", []),
        "LISTE_VIDE",
        D0 + "/beneficiaires/0/etablissementsClients",
    ),
    Cas(
        "établissement sans responsable",
        _del(_etab, "nomResponsable"),
        "CHAMP_OBLIGATOIRE",
        E0 + "/nomResponsable",
    ),
    Cas(
        "responsable en blanc",
        _set(_etab, "nomResponsable", "  "),
        "TEXTE_VIDE",
        E0 + "/nomResponsable",
    ),
    Cas(
        "courriel du responsable invalide",
        _set(_etab, "emailResponsable", "durand.mail.com"),
        "COURRIEL_INVALIDE",
        E0 + "/emailResponsable",
    ),
    Cas(
        "téléphone à 11 chiffres (seed)",
        _set(_etab, "telephoneResponsable", "06122116655"),
        "TELEPHONE_INVALIDE",
        E0 + "/telephoneResponsable",
    ),
    Cas(
        "champ du seed telephoneResponsable00",
        lambda d: _etab(d).update(telephoneResponsable00="0641124112"),
        "CHAMP_INCONNU",
        E0 + "/telephoneResponsable00",
    ),
    Cas(
        "FINESS de 8 caractères",
        _set(_etab, "finessGeo", "75071218"),
        "FINESS_INVALIDE",
        E0 + "/finessGeo",
    ),
    Cas(
        "FINESS à la clé fausse",
        _set(_etab, "finessGeo", "111111111"),
        "FINESS_INVALIDE",
        E0 + "/finessGeo",
    ),
    Cas(
        "FINESS en tableau (seed)",
        _set(_etab, "finessGeo", ["?????????"]),
        "TYPE_INVALIDE",
        E0 + "/finessGeo",
    ),
    Cas(
        "FINESS deux fois dans une demande",
        _deux_etablissements_meme_finess,
        "FINESS_DUPLIQUE",
        D1 + "/beneficiaires/0/etablissementsClients/1/finessGeo",
    ),
    Cas(
        "FINESS d'une demande précédente",
        _finess_de_la_ligne_0_en_ligne_1,
        "FINESS_DUPLIQUE",
        D1 + "/beneficiaires/0/etablissementsClients/0/finessGeo",
    ),
    # --- Pièces justificatives.
    Cas(
        "aucune pièce",
        _set(_dem, "piecesJustificatives", []),
        "LISTE_VIDE",
        D0 + "/piecesJustificatives",
    ),
    Cas(
        "nom de fichier de 101 caractères",
        _set(_pj, "nomFichier", "MS1_" + "x" * 84 + "-BDC-DOSS-0001.pdf"),
        "NOM_FICHIER_TROP_LONG",
        D0 + "/piecesJustificatives/0/nomFichier",
    ),
    Cas(
        "nomenclature du seed",
        _set(_pj, "nomFichier", "M1_OUI-val-RUC-DOSS-0001.pdf"),
        "NOMENCLATURE_INVALIDE",
        D0 + "/piecesJustificatives/0/nomFichier",
    ),
    Cas(
        "nomenclature: autre numeroDossier",
        _set(_pj, "nomFichier", "MS1_bdc-BDC-DOSS-0002.pdf"),
        "NOMENCLATURE_INVALIDE",
        D0 + "/piecesJustificatives/0/nomFichier",
    ),
    Cas(
        "nomenclature: code d'un autre type",
        _set(_pj, "nomFichier", "MS1_bdc-FAC-DOSS-0001.pdf"),
        "NOMENCLATURE_INVALIDE",
        D0 + "/piecesJustificatives/0/nomFichier",
    ),
    Cas(
        "nomenclature: dossier dans le nom",
        _set(_pj, "nomFichier", "MS1_a/b-BDC-DOSS-0001.pdf"),
        "NOMENCLATURE_INVALIDE",
        D0 + "/piecesJustificatives/0/nomFichier",
    ),
    Cas(
        "nomenclature: extension .docx",
        _set(_pj, "nomFichier", "MS1_bdc-BDC-DOSS-0001.docx"),
        "NOMENCLATURE_INVALIDE",
        D0 + "/piecesJustificatives/0/nomFichier",
    ),
    Cas(
        "nom de fichier d'une autre demande",
        _nom_fichier_repete,
        "NOM_FICHIER_DUPLIQUE",
        D1 + "/piecesJustificatives/2/nomFichier",
    ),
    Cas(
        "formatFichier PNG pour un .pdf",
        _set(_pj, "formatFichier", "PNG"),
        "FORMAT_FICHIER_INCOHERENT",
        D0 + "/piecesJustificatives/0/formatFichier",
    ),
    Cas(
        "typeFichier du seed RUC_COMMANDE",
        _set(_pj, "typeFichier", "RUC_COMMANDE"),
        "VALEUR_NON_AUTORISEE",
        D0 + "/piecesJustificatives/0/typeFichier",
    ),
    Cas(
        "avance sans bon de commande",
        _pieces("AUTRE"),
        "PIECE_OBLIGATOIRE_MANQUANTE",
        D0 + "/piecesJustificatives",
    ),
    Cas(
        "régime HT sans attestation",
        lambda d: _dem(d, 1)["piecesJustificatives"].pop(),
        "PIECE_OBLIGATOIRE_MANQUANTE",
        D1 + "/piecesJustificatives",
    ),
    Cas(
        "solde sans facture",
        _avec_solde(_pieces("PV_VA")),
        "PIECE_OBLIGATOIRE_MANQUANTE",
        D0 + "/piecesJustificatives",
        contexte={"type_demande": "SOLDE"},
    ),
    Cas(
        "solde sans PV_VA ni MOM",
        _avec_solde(_pieces("FACTURE")),
        "PIECE_OBLIGATOIRE_MANQUANTE",
        D0 + "/piecesJustificatives",
        contexte={"type_demande": "SOLDE"},
    ),
    # --- Installation scénarios.
    Cas(
        "établissement sans scénario",
        _sans_scenario,
        "SCENARIO_MANQUANT",
        D1 + "/scenarioInstallation",
    ),
    Cas(
        "scénario d'un FINESS hors demande",
        _scenario_etranger,
        "SCENARIO_FINESS_INCONNU",
        D0 + "/scenarioInstallation/0/finessGeo",
    ),
    Cas(
        "deux scénarios pour un FINESS",
        _scenario_double,
        "SCENARIO_DUPLIQUE",
        D0 + "/scenarioInstallation/1/finessGeo",
    ),
    Cas(
        "opérateur de messagerie en minuscules",
        _set(_sc, "operateurMessagerie", "gip_0"),
        "OPERATEUR_MESSAGERIE_INVALIDE",
        D0 + "/scenarioInstallation/0/operateurMessagerie",
    ),
    Cas(
        "profilMotif inconnu",
        _set(_sc, "profilMotif", "PB"),
        "VALEUR_NON_AUTORISEE",
        D0 + "/scenarioInstallation/0/profilMotif",
    ),
    Cas(
        "isMultireid en chaîne",
        _set(_sc, "isMultireid", "true"),
        "TYPE_INVALIDE",
        D0 + "/scenarioInstallation/0/isMultireid",
    ),
    Cas(
        "isRefSoins en nombre",
        _set(_sc, "isRefSoins", 1),
        "TYPE_INVALIDE",
        D0 + "/scenarioInstallation/0/isRefSoins",
    ),
    Cas(
        "ancienneVersion absente",
        _del(_sc, "ancienneVersion"),
        "CHAMP_OBLIGATOIRE",
        D0 + "/scenarioInstallation/0/ancienneVersion",
    ),
    # --- The guichet (§4): the time of receipt counts.
    Cas(
        "avance reçue à 14:00:00 le 28/02/2024",
        lambda d: None,
        "GUICHET_FERME",
        D0 + "/typeAction",
        contexte={"recu_le": "2024-02-28T14:00:00"},
    ),
    Cas(
        "solde reçu à 14:00 le 19/12/2024",
        _solde,
        "GUICHET_FERME",
        D0 + "/typeAction",
        contexte={
            "type_demande": "SOLDE",
            "recu_le": "2024-12-19T14:00",
            "date_depot": "2024-12-19T14:00",
        },
    ),
    Cas(
        "avance reçue avant l'ouverture",
        _set(_commande, "dateCommande", "01/07/2021"),
        "GUICHET_NON_OUVERT",
        D0 + "/typeAction",
        contexte={"recu_le": "2021-06-30T12:00", "date_depot": "2021-07-01T12:00"},
    ),
    # --- The platform's registries.
    Cas(
        "modification d'un dossier inconnu",
        _modification,
        "NUMERO_ASP_INCONNU",
        D0 + "/numeroASP",
        registre=_registre_enrole,
    ),
    Cas(
        "modification du dossier d'un autre éditeur",
        _modification,
        "NUMERO_ASP_AUTRE_EDITEUR",
        D0 + "/numeroASP",
        registre=lambda: RegistreFactice(
            enroles={("73282932000074", "1234567890")},
            dossiers={"FINMS1000001": dossier("FINMS1000001", siret="44306184100047")},
        ),
    ),
    Cas(
        "modification d'un dossier décidé",
        _modification,
        "DOSSIER_NON_MODIFIABLE",
        D0 + "/numeroASP",
        registre=lambda: RegistreFactice(
            enroles={("73282932000074", "1234567890")},
            dossiers={"FINMS1000001": dossier("FINMS1000001", statut="DECIDEE", modifiable=False)},
        ),
    ),
    Cas(
        "solde d'un dossier qui n'est pas une avance",
        _solde,
        "NUMERO_ASP_PAS_UNE_AVANCE",
        D0 + "/numeroASP",
        contexte={"type_demande": "SOLDE"},
        registre=lambda: RegistreFactice(
            enroles={("73282932000074", "1234567890")},
            dossiers={"FINMS1000001": dossier("FINMS1000001", type_demande="SOLDE")},
        ),
    ),
    Cas(
        "solde d'une avance déposée à 14:00",
        _solde,
        "GUICHET_AVANCE_TARDIVE",
        D0 + "/typeAction",
        contexte={"type_demande": "SOLDE"},
        registre=lambda: RegistreFactice(
            enroles={("73282932000074", "1234567890")},
            dossiers={"FINMS1000001": dossier("FINMS1000001", depose_le="2024-02-28T14:00")},
        ),
    ),
    Cas(
        "FINESS déjà financé par un autre dossier",
        lambda d: None,
        "FINESS_DEJA_FINANCE",
        E0 + "/finessGeo",
        registre=lambda: RegistreFactice(
            enroles={("73282932000074", "1234567890")},
            dossiers={"FINMS2000009": dossier("FINMS2000009", siret="44306184100047")},
            finess={F0: "FINMS2000009"},
        ),
    ),
    Cas(
        "numeroDossier déjà employé par l'éditeur",
        lambda d: None,
        "NUMERO_DOSSIER_DEJA_UTILISE",
        D0 + "/numeroDossier",
        registre=lambda: RegistreFactice(
            enroles={("73282932000074", "1234567890")},
            numeros_dossier={("73282932000074", "DOSS-0001")},
        ),
    ),
]


def test_le_fichier_de_depart_est_valide() -> None:
    resultat = simuler_doc(valide(), registre=_registre_enrole())
    assert erreurs(resultat) == set()
    assert resultat.compte_rendu.lignes_importables == 3


@pytest.mark.parametrize("cas", CAS, ids=[c.id for c in CAS])
def test_une_regle(cas: Cas) -> None:
    document = valide()
    produit = cas.defaut(document)
    contenu = produit if isinstance(produit, bytes) else document
    registre = cas.registre() if cas.registre else None
    resultat = simuler_doc(contenu, contexte(**(cas.contexte or {})), registre)
    cr = resultat.compte_rendu
    attendu = (cas.code, cas.chemin)
    if cas.fichier:
        assert attendu in {(e.code, e.chemin) for e in cr.erreurs_fichier}, erreurs(resultat)
        assert cr.lignes_importables == 0
        assert cr.code_sortie() == 3
    else:
        ligne = next(x for x in cr.lignes if attendu in {(e.code, e.chemin) for e in x.erreurs})
        assert cr.statut(ligne) is StatutLigne.REJETEE
        assert not cr.erreurs_fichier, cr.erreurs_fichier
        assert cr.code_sortie() == 1
    message = next(
        e.message
        for e in [*cr.erreurs_fichier, *(e for x in cr.lignes for e in x.erreurs)]
        if (e.code, e.chemin) == attendu
    )
    assert message.endswith(".") and message[0].isupper()


def test_le_message_finess_du_spec() -> None:
    document = valide()
    _etab(document)["finessGeo"] = "75071218"
    _sc(document)["finessGeo"] = "75071218"
    resultat = simuler_doc(document)
    messages = [e.message for e in resultat.compte_rendu.lignes[0].erreurs]
    assert messages == ["Le numéro FINESS géographique 75071218 doit compter 9 caractères."]


def test_les_erreurs_de_toutes_les_lignes_sont_rapportees() -> None:
    document = valide()
    _etab(document)["finessGeo"] = "111111111"
    _sc(document)["finessGeo"] = "111111111"
    _etab(document)["emailResponsable"] = "x"
    _dem(document, 2)["verrouillage"] = "v2"
    resultat = simuler_doc(document)
    assert erreurs(resultat) == {
        ("FINESS_INVALIDE", E0 + "/finessGeo"),
        ("COURRIEL_INVALIDE", E0 + "/emailResponsable"),
        ("VERROUILLAGE_INVALIDE", "/demandes/2/verrouillage"),
    }
    cr = resultat.compte_rendu
    assert [cr.statut(x) for x in cr.lignes] == [
        StatutLigne.REJETEE,
        StatutLigne.IMPORTABLE,
        StatutLigne.REJETEE,
    ]


def test_la_premiere_citation_reste_importable() -> None:
    document = valide()
    _finess_de_la_ligne_0_en_ligne_1(document)
    _numero_dossier_repete(document)
    cr = simuler_doc(document).compte_rendu
    assert cr.statut(cr.lignes[0]) is StatutLigne.IMPORTABLE
    assert cr.statut(cr.lignes[1]) is StatutLigne.REJETEE


def test_une_ligne_se_nomme_par_sa_position_sans_numligne_valide() -> None:
    document = valide()
    _dem(document, 1)["numLigne"] = "deux"
    cr = simuler_doc(document).compte_rendu
    assert [x.num_ligne for x in cr.lignes] == [1, 2, 3]
    _dem(document, 1)["numLigne"] = 42
    assert [x.num_ligne for x in simuler_doc(document).compte_rendu.lignes] == [1, 42, 3]


def test_un_montant_garde_sa_valeur_exacte() -> None:
    document = valide()
    contenu = octets(document).replace(b"18750.00", b"1500.500")
    resultat = simuler_doc(contenu)
    assert erreurs(resultat) == set()
    assert resultat.compte_rendu.lignes[0].montants is not None
    assert resultat.compte_rendu.lignes[0].montants.to_dict() == {
        "montantFinance": "1500.50",
        "avance": "450.15",
        "solde": "1050.35",
    }
    assert resultat.lignes_importables[0].demande["commande"]["montantSegur"] == "1500.50"


def test_les_plafonds_se_comptent_par_finess_distinct() -> None:
    document = valide()
    _dem(document, 1)["commande"]["montantSegur"] = Decimal("40000.00")
    assert erreurs(simuler_doc(document)) == set()


def test_guichet_une_seconde_avant_et_modification_apres() -> None:
    assert erreurs(simuler_doc(valide(), contexte(recu_le="2024-02-28T13:59:59"))) == set()
    document = valide()
    _modification(document)
    resultat = simuler_doc(document, contexte(recu_le="2024-03-15T10:00"))
    assert resultat.compte_rendu.lignes[0].erreurs == []
    assert {e.code for e in resultat.compte_rendu.lignes[1].erreurs} == {"GUICHET_FERME"}


def test_guichet_message_avec_l_heure_de_paris() -> None:
    # 13:00 UTC on 28/02/2024 = 14:00 in Paris: too late.
    resultat = simuler_doc(valide(), contexte(recu_le="2024-02-28T13:00:00+00:00"))
    messages = {e.message for e in resultat.compte_rendu.lignes[0].erreurs}
    assert messages == {"Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00."}
    # The other lines are judged separately: each has its guichet error.
    assert all(
        {e.code for e in ligne.erreurs} == {"GUICHET_FERME"}
        for ligne in resultat.compte_rendu.lignes
    )


def test_un_solde_reprend_le_numero_dossier_de_son_avance() -> None:
    document = valide()
    _solde(document)
    registre = RegistreFactice(
        enroles={("73282932000074", "1234567890")},
        dossiers={"FINMS1000001": dossier("FINMS1000001")},
        finess={F0: "FINMS1000001"},
        numeros_dossier={("73282932000074", "DOSS-0001")},
    )
    document["demandes"] = document["demandes"][:1]
    resultat = simuler_doc(document, contexte(type_demande="SOLDE"), registre)
    assert erreurs(resultat) == set()


def test_une_modification_garde_ses_propres_finess() -> None:
    document = valide()
    _modification(document)
    registre = RegistreFactice(
        enroles={("73282932000074", "1234567890")},
        dossiers={"FINMS1000001": dossier("FINMS1000001")},
        finess={F0: "FINMS1000001"},
        numeros_dossier={("73282932000074", "DOSS-0001")},
    )
    assert erreurs(simuler_doc(document, registre=registre)) == set()


def test_finess_deja_finance_nomme_le_statut_pas_l_editeur() -> None:
    registre = RegistreFactice(
        enroles={("73282932000074", "1234567890")},
        dossiers={
            "FINMS2000009": dossier(
                "FINMS2000009", siret="44306184100047", statut="EN_ATTENTE_PIECES"
            )
        },
        finess={F0: "FINMS2000009"},
    )
    resultat = simuler_doc(valide(), registre=registre)
    (erreur,) = resultat.compte_rendu.lignes[0].erreurs
    assert "en attente de pièces complémentaires" in erreur.message
    assert "44306184100047" not in erreur.message


def test_avertissement_mandataire_ignore_sans_rejet() -> None:
    document = valide()
    beneficiaire = _dem(document, 2)["beneficiaires"][1]
    beneficiaire["nomMandataire"] = "MARTIN"
    cr = simuler_doc(document).compte_rendu
    assert cr.lignes[2].erreurs == []
    assert [(a.code, a.chemin) for a in cr.lignes[2].avertissements] == [
        ("MANDATAIRE_IGNORE", "/demandes/2/beneficiaires/1/mandataire")
    ]
    assert cr.lignes_importables == 3


def test_la_poste_et_corse() -> None:
    document = valide()
    document["siret"] = "35600000049837"  # La Poste exception: digit sum a multiple of 5
    _etab(document)["finessGeo"] = "2A0000015"
    _sc(document)["finessGeo"] = "2A0000015"
    assert erreurs(simuler_doc(document)) == set()


def test_une_cause_une_erreur() -> None:
    """Invalid numeroDossier: no extra nomenclature error on every pièce."""
    document = valide()
    _dem(document)["numeroDossier"] = "DOSS 0001"
    assert erreurs(simuler_doc(document)) == {("NUMERO_DOSSIER_INVALIDE", D0 + "/numeroDossier")}
    document = valide()
    _pj(document)["typeFichier"] = "BDC"
    assert erreurs(simuler_doc(document)) == {
        ("VALEUR_NON_AUTORISEE", D0 + "/piecesJustificatives/0/typeFichier")
    }


def test_le_pointeur_echappe_tilde_et_barre() -> None:
    document = valide()
    _dem(document)["a/b~c"] = 1
    assert ("CHAMP_INCONNU", D0 + "/a~1b~0c") in erreurs(simuler_doc(document))


def test_demande_valide_du_generateur_en_solde_et_ms2() -> None:
    finess = finess_valides(2, seed=5)
    document = {
        "idFichier": None,
        "numeroAns": "1234567890",
        "siret": "73282932000074",
        "demandes": [
            demande_valide(1, finess, "S-1", couloir="MS2", type_demande="SOLDE", regime="HT")
        ],
    }
    resultat = simuler_doc(document, contexte(type_demande="SOLDE", couloir="MS2"))
    assert erreurs(resultat) == set()


@pytest.mark.parametrize("finess", ["?????????", "75071218", "111111111", "2C1234567"])
def test_un_finess_invalide_de_scenario_une_seule_erreur(finess: str) -> None:
    """One error per pointer: a scenario's invalid FINESS is not also « inconnu »."""
    document = valide()
    _sc(document)["finessGeo"] = finess
    resultat = simuler_doc(document)
    chemin = D0 + "/scenarioInstallation/0/finessGeo"
    codes = [e.code for e in resultat.compte_rendu.lignes[0].erreurs if e.chemin == chemin]
    assert codes == ["FINESS_INVALIDE"]
