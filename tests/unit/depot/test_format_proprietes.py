"""Properties (hypothesis): a generated valid file gives no error, and k defects injected
into k distinct fields give exactly those k pointers. The fast checks give the same
answer as shared.identifiants / shared.contact."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.depot.domain.controles import courriel_ok, finess_ok, telephone_ok
from services.depot.domain.modeles import FichierDemandes
from services.depot.domain.validation import ContexteValidation, valider_document
from shared.campagnes import TypeDemande, campagne
from shared.contact import courriel_valide, telephone_francais_valide
from shared.identifiants import finess_valide
from tests.fixtures.depot.generateur import demande_valide, finess_valides, octets
from tests.unit.depot.aide_format import chemins, contexte, simuler_doc

DEPOT = "2024-02-20T10:00"
JOUR_DEPOT = date(2024, 2, 20)
PREFIXES_VALIDES = ["01", "03", "09", "060", "064", "068", "073", "079", "041", "050", "0261"]
LIBRE = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.-éèàçÉœ"
    ),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip(" ") != "")
COURRIEL = st.builds(
    lambda local, domaine: f"{local}@{domaine}",
    st.from_regex(r"[a-z][a-z0-9_+-]{0,10}(\.[a-z0-9]{1,8}){0,2}", fullmatch=True),
    st.sampled_from(["ehpad-les-lilas.fr", "mail.com", "ars.sante.fr", "exemple.org"]),
)
TELEPHONE = st.builds(
    lambda prefixe, reste: (prefixe + reste)[:10],
    st.sampled_from(PREFIXES_VALIDES),
    st.from_regex(r"[0-9]{8}", fullmatch=True),
)


@st.composite
def fichiers_valides(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str]]:
    type_demande = draw(st.sampled_from(["AVANCE", "SOLDE"]))
    couloir = draw(st.sampled_from(["MS1", "MS2"]))
    n = draw(st.integers(1, 4))
    tailles = [draw(st.integers(1, 4)) for _ in range(n)]
    tous = finess_valides(sum(tailles), seed=draw(st.integers(0, 10_000)))
    dossiers = draw(
        st.lists(
            st.from_regex(r"[A-Za-z0-9_-]{1,20}", fullmatch=True),
            min_size=n,
            max_size=n,
            unique=True,
        )
    )
    numeros = draw(st.lists(st.integers(1, 10**6), min_size=n, max_size=n, unique=True))
    demandes = []
    debut = 0
    for i in range(n):
        finess = tous[debut : debut + tailles[i]]
        debut += tailles[i]
        regime = draw(st.sampled_from(["HT", "TTC"]))
        plafond = 20000 * len(finess)
        montant = draw(st.decimals(min_value=Decimal("0.01"), max_value=plafond, places=2))
        jour = draw(st.dates(min_value=date(2021, 7, 1), max_value=JOUR_DEPOT))
        demande = demande_valide(
            numeros[i],
            finess,
            dossiers[i],
            couloir,
            type_demande,
            regime,
            type_action=draw(st.sampled_from(["C", "M"])) if type_demande == "AVANCE" else "C",
            numero_asp=f"FIN{couloir}{draw(st.integers(0, 999_999)):06d}",
            montant=montant,
            beneficiaires=draw(st.integers(1, 2)),
            date_commande=f"{jour:%d/%m/%Y}",
        )
        if demande["typeAction"] == "C" and type_demande == "AVANCE":
            demande["numeroASP"] = None
        for piece in demande["piecesJustificatives"]:
            code_et_suite = piece["nomFichier"].split("-", 1)[0]
            piece["nomFichier"] = piece["nomFichier"].replace(
                code_et_suite, f"{couloir}_{draw(LIBRE)}", 1
            )
            if draw(st.booleans()):
                extension = draw(
                    st.sampled_from([("PNG", ".png"), ("JPG", ".jpeg"), ("JPG", ".JPG")])
                )
                piece["formatFichier"] = extension[0]
                piece["nomFichier"] = piece["nomFichier"][: -len(".pdf")] + extension[1]
        for beneficiaire in demande["beneficiaires"]:
            if draw(st.booleans()):
                beneficiaire.update(
                    mandataire=False,
                    nomMandataire=None,
                    emailMandataire=None,
                    telephoneMandataire=None,
                )
            for etab in beneficiaire["etablissementsClients"]:
                etab["nomResponsable"] = draw(
                    st.text(min_size=1, max_size=30).filter(lambda t: t.strip() != "")
                )
                etab["emailResponsable"] = draw(COURRIEL)
                etab["telephoneResponsable"] = draw(TELEPHONE)
        for scenario in demande["scenarioInstallation"]:
            scenario["ancienneVersion"] = draw(st.text(max_size=10))
            scenario["profilMotif"] = draw(st.sampled_from(["PA", "PM", "MOT"]))
            scenario["isRefSoins"] = draw(st.sampled_from([None, True, False]))
            scenario["operateurMessagerie"] = draw(
                st.from_regex(r"[A-Z0-9_]{1,20}", fullmatch=True)
            )
        demandes.append(demande)
    document = {
        "idFichier": None,
        "numeroAns": "1234567890",
        "siret": "73282932000074",
        "demandes": demandes,
    }
    return document, {
        "type_demande": type_demande,
        "couloir": couloir,
        "taux": draw(st.sampled_from(["20", "10", "5.5", "2.1", "0"])),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fichiers_valides())
def test_un_fichier_valide_n_a_aucune_erreur(cas: tuple[dict[str, Any], dict[str, str]]) -> None:
    document, options = cas
    resultat = simuler_doc(document, contexte(date_depot=DEPOT, **options))
    assert chemins(resultat) == set(), resultat.compte_rendu.to_dict()
    assert resultat.compte_rendu.lignes_importables == len(document["demandes"])
    # The pydantic models (the published schema) accept it too.
    FichierDemandes.model_validate(document)


# --- k defects, k pointers ----------------------------------------------------------------


@dataclass(frozen=True)
class Defaut:
    nom: str
    objet: str  # "demande", "commande", "etablissement", "scenario", "piece"
    champ: str
    valeur: Any


DEFAUTS = [
    Defaut("verrouillage", "demande", "verrouillage", "v1"),
    Defaut("typeAction", "demande", "typeAction", "X"),
    Defaut("codeTraitement", "demande", "codeTraitement", 0),
    Defaut("date", "commande", "dateCommande", "32/01/2023"),
    Defaut("montant", "commande", "montantSegur", Decimal("10.001")),
    Defaut("inconnu", "commande", "remise", 5),
    Defaut("courriel", "etablissement", "emailResponsable", "sans-arobase"),
    Defaut("telephone", "etablissement", "telephoneResponsable", "12345"),
    Defaut("nom", "etablissement", "nomResponsable", ""),
    Defaut("operateur", "scenario", "operateurMessagerie", "gip 0"),
    Defaut("profil", "scenario", "profilMotif", "ZZ"),
    Defaut("multireid", "scenario", "isMultireid", "oui"),
    Defaut("version", "scenario", "ancienneVersion", 1),
    Defaut("format", "piece", "formatFichier", "PNG"),
]


def _cible(demande: dict[str, Any], defaut: Defaut, rang: int) -> tuple[dict[str, Any], str]:
    if defaut.objet == "demande":
        return demande, ""
    if defaut.objet == "commande":
        return demande["commande"], "/commande"
    if defaut.objet == "etablissement":
        etabs = demande["beneficiaires"][0]["etablissementsClients"]
        e = rang % len(etabs)
        return etabs[e], f"/beneficiaires/0/etablissementsClients/{e}"
    if defaut.objet == "scenario":
        k = rang % len(demande["scenarioInstallation"])
        return demande["scenarioInstallation"][k], f"/scenarioInstallation/{k}"
    j = rang % len(demande["piecesJustificatives"])
    return demande["piecesJustificatives"][j], f"/piecesJustificatives/{j}"


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 3),
    st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(DEFAUTS), st.integers(0, 3)),
        min_size=1,
        max_size=8,
    ),
)
def test_k_defauts_donnent_k_pointeurs(
    etablissements: int, injections: list[tuple[int, Defaut, int]]
) -> None:
    document: dict[str, Any] = {
        "idFichier": None,
        "numeroAns": "1234567890",
        "siret": "73282932000074",
        "demandes": [
            demande_valide(i + 1, finess, f"D{i}")
            for i, finess in enumerate(
                [finess_valides(3 * etablissements, seed=1)[j::3] for j in range(3)]
            )
        ],
    }
    attendus: set[str] = set()
    for ligne, defaut, rang in injections:
        demande: dict[str, Any] = document["demandes"][ligne]
        objet, chemin = _cible(demande, defaut, rang)
        pointeur = f"/demandes/{ligne}{chemin}/{defaut.champ}"
        if pointeur in attendus:
            continue  # a field already broken: k counts distinct fields
        attendus.add(pointeur)
        objet[defaut.champ] = copy.deepcopy(defaut.valeur)
    resultat = simuler_doc(octets(document), contexte(date_depot=DEPOT))
    assert chemins(resultat) == attendus, resultat.compte_rendu.to_dict()


# --- The fast checks and the shared rules --------------------------------------------------

CHIFFRES_ET_AUTRES = st.text(alphabet="0123456789AB ٣?-", min_size=0, max_size=11)


@settings(max_examples=500, deadline=None)
@given(st.one_of(CHIFFRES_ET_AUTRES, st.from_regex(r"[0-9]{9}", fullmatch=True)))
def test_finess_ok_comme_shared(valeur: str) -> None:
    assert finess_ok(valeur) == finess_valide(valeur)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        COURRIEL,
        st.emails(),
        st.text(max_size=30),
        st.builds(
            lambda a, b: f"{a}@{b}",
            st.text(min_size=1, max_size=10),
            st.text(min_size=1, max_size=15),
        ),
        st.builds(
            lambda a, b: f"{a}@{b}.fr",
            st.from_regex(r"[a-z.]{1,70}", fullmatch=True),
            st.from_regex(r"[a-z0-9-]{1,70}(\.[a-z0-9-]{1,70}){0,3}", fullmatch=True),
        ),
    )
)
def test_courriel_ok_comme_shared(valeur: str) -> None:
    assert courriel_ok(valeur) == courriel_valide(valeur)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"0[0-9]{9}", fullmatch=True),
        st.from_regex(r"\+33[0-9]{9}", fullmatch=True),
        st.text(alphabet="0123456789+ ", max_size=13),
    )
)
def test_telephone_ok_comme_shared(valeur: str) -> None:
    assert telephone_ok(valeur) == telephone_francais_valide(valeur)


def test_valider_document_et_jour_de_depot() -> None:
    """The pure validation takes the dépôt day from the context (not the clock)."""
    document = {
        "idFichier": None,
        "numeroAns": "1234567890",
        "siret": "73282932000074",
        "demandes": [demande_valide(1, finess_valides(1), "D1", date_commande="21/02/2024")],
    }
    ctx = ContexteValidation(
        TypeDemande.AVANCE, Decimal(20), "MS1", campagne("MS-VAGUE1"), JOUR_DEPOT
    )
    assert [e.code for e in valider_document(document, ctx).lignes[0].erreurs] == [
        "DATE_COMMANDE_FUTURE"
    ]
    ctx2 = ContexteValidation(
        TypeDemande.AVANCE,
        Decimal(20),
        "MS1",
        campagne("MS-VAGUE1"),
        JOUR_DEPOT + timedelta(days=1),
    )
    assert valider_document(document, ctx2).lignes[0].erreurs == []
