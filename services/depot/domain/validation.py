"""Les règles du format MS v1 (§2, §3, §4) qui ne demandent pas les registres de la plateforme.

Pourquoi une validation écrite à la main plutôt que les modèles pydantic de `modeles.py`:
un fichier maximal compte ~20 000 établissements et autant de scénarios; il doit être
jugé en moins de 5 fois le temps d'une simple lecture orjson (benchmarks/). pydantic
s'arrêterait aussi aux erreurs de type, alors qu'on veut toutes les erreurs, les règles
entre champs (scénarios, pièces, plafond, nomenclature, unicité dans le fichier), des
pointeurs RFC 6901 et des messages français. Les modèles restent la description publiée
(le schéma JSON); un test vérifie que les deux acceptent et refusent les mêmes champs.

Principe: une règle ne juge que des entrées valides. Un numeroDossier invalide n'entraîne
pas d'erreur de nomenclature sur chaque pièce, un typeFichier invalide ne fait pas
réclamer une pièce obligatoire: une cause, une erreur.

Chaque objet lu est compté (`cles`) pour la détection des clés dupliquées (voir
`lecture.py`): chaque dict du document doit être compté exactement une fois.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.depot.domain.controles import (
    CHIFFRE_DOUBLE,
    correspond_courriel,
    courriel_ok,
    finess_ok,
    telephone_ok,
    verdicts_domaines,
    verdicts_prefixes,
)
from services.depot.domain.erreurs import CodeErreur, Erreur, echapper
from services.depot.domain.format_ms import (
    LIBELLES_TYPE_FICHIER,
    LONGUEUR_MAX_NOM_FICHIER,
    MAX_DEMANDES,
    MOTIF_DATE,
    MOTIF_NUMERO_ANS,
    MOTIF_NUMERO_DOSSIER,
    MOTIF_OPERATEUR,
    MOTIF_VERROUILLAGE,
    FormatFichier,
    ProfilMotif,
    RegimeTva,
    TypeAction,
    TypeFichier,
    analyser_nom_fichier,
    motif_numero_asp,
)
from services.depot.domain.lecture import (
    LectureJson,
    lire_json,
    lire_prudemment,
    montants_bruts,
)
from services.depot.domain.montants import Montants, calculer_montants
from shared.campagnes import Campagne, TypeDemande
from shared.horloge import PARIS
from shared.identifiants import finess_format_valide, siret_valide
from shared.montant import Montant

C = TypeAction.C
M = TypeAction.M


@dataclass(frozen=True)
class ContexteValidation:
    """Ce que la validation doit savoir du dépôt (choisi au dépôt, ou donné au simulateur)."""

    type_demande: TypeDemande
    taux_tva: Decimal
    couloir: str
    campagne: Campagne
    date_depot: date  # jour du dépôt à Paris: la dateCommande ne peut pas le dépasser
    recu_le: datetime | None = None  # None: la règle du guichet n'est pas appliquée
    numero_ans_attendu: str | None = None
    siret_attendu: str | None = None


@dataclass
class LigneValidee:
    """Une demande du fichier jugée, et ce qu'on a pu en lire de valide."""

    index: int
    num_ligne: int  # le numLigne s'il est valide, sinon la position (index + 1)
    demande: Any
    erreurs: list[Erreur] = field(default_factory=list)
    avertissements: list[Erreur] = field(default_factory=list)
    type_action: TypeAction | None = None
    numero_asp: str | None = None  # au bon format
    numero_dossier: str | None = None  # au bon format
    # Les FINESS valides retenus (première citation dans le fichier), avec leur position
    # (bénéficiaire, établissement): le chemin ne se construit qu'à la demande.
    positions_finess: list[tuple[str, int, int]] = field(default_factory=list)
    noms_fichiers: list[tuple[str, str]] = field(default_factory=list)  # (nomFichier, chemin)
    montant_segur: Decimal | None = None
    montants: Montants | None = None

    @property
    def chemin(self) -> str:
        return f"/demandes/{self.index}"

    @property
    def finess(self) -> list[tuple[str, str]]:
        """(FINESS valide, chemin de son finessGeo), dans l'ordre du fichier."""
        return [
            (f, f"/demandes/{self.index}/beneficiaires/{b}/etablissementsClients/{e}/finessGeo")
            for f, b, e in self.positions_finess
        ]


@dataclass
class ResultatValidation:
    erreurs_fichier: list[Erreur] = field(default_factory=list)
    lignes: list[LigneValidee] = field(default_factory=list)
    donnees: Any = None
    siret: str | None = None  # valide
    numero_ans: str | None = None  # au bon format

    @property
    def fichier_rejete(self) -> bool:
        return bool(self.erreurs_fichier)


# --- Messages --------------------------------------------------------------------------------

_ORTHOGRAPHES_DU_SEED = {
    "leptid": "idFichier",
    "numerosas": "numeroAns",
    "sigosigorse": "demandes",
    "regimeIVA": "regimeTVA",
    "montantSeguret": "montantSegur",
    "FINSSGeo": "finessGeo",
    "nomResponsable00": "nomResponsable",
    "emailResponsable00": "emailResponsable",
    "telephoneResponsable00": "telephoneResponsable",
}


def _court(texte: str, limite: int = 60) -> str:
    return texte if len(texte) <= limite else texte[: limite - 1] + "…"


def decrire(valeur: Any) -> str:
    if valeur is None:
        return "null"
    if valeur is True:
        return "le booléen true"
    if valeur is False:
        return "le booléen false"
    if isinstance(valeur, int | Decimal | float):
        return f"le nombre {_court(str(valeur))}"
    if isinstance(valeur, str):
        return f"la chaîne « {_court(valeur)} »"
    if isinstance(valeur, list):
        return "un tableau"
    if isinstance(valeur, dict):
        return "un objet"
    return type(valeur).__name__


def _heure_francaise(instant: datetime) -> str:
    local = instant.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H}h{local:%M}"


def _euros(valeur: Decimal) -> str:
    if valeur.adjusted() > 15:
        return str(valeur)
    return Montant(valeur).en_francais()


def _compter_cles(valeur: Any) -> tuple[int, bool]:
    """Le nombre de clés de tous les objets d'une valeur (pile explicite, pas de récursion),
    et si l'une d'elles est "montantSegur" (voir `_Validation.douteux`)."""
    if type(valeur) is not dict and type(valeur) is not list:
        return 0, False
    total = 0
    montant = False
    pile = [valeur]
    while pile:
        v = pile.pop()
        if type(v) is dict:
            total += len(v)
            montant = montant or "montantSegur" in v
            pile.extend(x for x in v.values() if type(x) is dict or type(x) is list)
        elif type(v) is list:
            pile.extend(x for x in v if type(x) is dict or type(x) is list)
    return total, montant


def _decimales_ok(valeur: Decimal) -> bool:
    """Au plus deux décimales par valeur (1500.500 vaut 1500.50), sans arithmétique."""
    _, chiffres, exposant = valeur.as_tuple()
    if not isinstance(exposant, int):
        return False
    if exposant >= -2:
        return True
    zeros = 0
    for chiffre in reversed(chiffres):
        if chiffre:
            break
        zeros += 1
    return exposant + zeros >= -2


# --- Les ensembles de champs -----------------------------------------------------------------

_CLES_FICHIER = frozenset({"idFichier", "numeroAns", "siret", "demandes"})
_CLES_DEMANDE = frozenset(
    {
        "numLigne",
        "typeAction",
        "numeroASP",
        "numeroDossier",
        "verrouillage",
        "commande",
        "beneficiaires",
        "piecesJustificatives",
        "scenarioInstallation",
        "codeTraitement",
        "libelleTraitement",
    }
)
_CLES_COMMANDE = frozenset({"dateCommande", "regimeTVA", "montantSegur"})
_CLES_BENEFICIAIRE = frozenset(
    {
        "mandataire",
        "nomMandataire",
        "emailMandataire",
        "telephoneMandataire",
        "etablissementsClients",
    }
)
_CLES_ETABLISSEMENT = frozenset(
    {
        "finessGeo",
        "nomResponsable",
        "emailResponsable",
        "telephoneResponsable",
    }
)
_CLES_PIECE = frozenset({"nomFichier", "formatFichier", "typeFichier"})
_CLES_SCENARIO = frozenset(
    {
        "finessGeo",
        "ancienneVersion",
        "isMultireid",
        "isStockageId",
        "operateurMessagerie",
        "profilMotif",
        "isRefSoins",
    }
)
_OBJETS = {
    _CLES_FICHIER: "l'entête du fichier",
    _CLES_DEMANDE: "une demande",
    _CLES_COMMANDE: "la commande",
    _CLES_BENEFICIAIRE: "un bénéficiaire",
    _CLES_ETABLISSEMENT: "un établissement client",
    _CLES_PIECE: "une pièce justificative",
    _CLES_SCENARIO: "un scénario d'installation",
}
_ORDRE = (
    "idFichier",
    "numeroAns",
    "siret",
    "demandes",
    "numLigne",
    "typeAction",
    "numeroASP",
    "numeroDossier",
    "verrouillage",
    "commande",
    "dateCommande",
    "regimeTVA",
    "montantSegur",
    "beneficiaires",
    "mandataire",
    "nomMandataire",
    "emailMandataire",
    "telephoneMandataire",
    "etablissementsClients",
    "finessGeo",
    "nomResponsable",
    "emailResponsable",
    "telephoneResponsable",
    "piecesJustificatives",
    "nomFichier",
    "formatFichier",
    "typeFichier",
    "scenarioInstallation",
    "ancienneVersion",
    "isMultireid",
    "isStockageId",
    "operateurMessagerie",
    "profilMotif",
    "isRefSoins",
    "codeTraitement",
    "libelleTraitement",
)

_NUMERO_ANS = re.compile(MOTIF_NUMERO_ANS)
_NUMERO_DOSSIER = re.compile(MOTIF_NUMERO_DOSSIER)
_VERROUILLAGE = re.compile(MOTIF_VERROUILLAGE)
_OPERATEUR = re.compile(MOTIF_OPERATEUR)
_DATE = re.compile(MOTIF_DATE)
_FORMATS = {f.value: f for f in FormatFichier}
_TYPES_FICHIER = {t.value: t for t in TypeFichier}
_PROFILS = tuple(p.value for p in ProfilMotif)
_REGIMES = tuple(r.value for r in RegimeTva)

_CHAINE = "une chaîne de caractères"
_BOOLEEN = "un booléen (true ou false)"
_TABLEAU = "un tableau"
_OBJET = "un objet"


def message_finess(valeur: str) -> str:
    if len(valeur) != 9:
        return f"Le numéro FINESS géographique {valeur} doit compter 9 caractères."
    if not finess_format_valide(valeur):
        return (
            f"Le numéro FINESS géographique {valeur} doit commencer par deux chiffres, 2A "
            "ou 2B, suivis de 7 chiffres."
        )
    return (
        f"Le numéro FINESS géographique {valeur} a une clé de contrôle invalide "
        "(algorithme de Luhn) : vérifiez ce numéro."
    )


def message_siret(valeur: str) -> str:
    if not (valeur.isascii() and valeur.isdigit()):
        return f"Le SIRET « {_court(valeur)} » doit compter 14 chiffres, sans espace."
    if len(valeur) != 14:
        return f"Le SIRET {valeur} doit compter 14 chiffres (il en compte {len(valeur)})."
    return f"Le SIRET {valeur} a une clé de contrôle invalide : vérifiez ce numéro."


class _Validation:
    def __init__(self, contexte: ContexteValidation, contenu_rapide: bytes | None = None) -> None:
        """`contenu_rapide`: le texte, quand les données viennent de la lecture rapide
        (orjson: nombres non entiers en float); les montants exacts y sont relus."""
        self.contexte = contexte
        self.cles = 0
        self.contenu_rapide = contenu_rapide
        # Lecture rapide: vrai dès qu'un float ou une clé "montantSegur" hors d'une
        # commande empêche d'être sûr des valeurs exactes; on relit alors prudemment.
        self.douteux = False
        self.rang_montant = 0
        self.textes_montants: list[bytes | None] | None = None
        self.erreurs_fichier: list[Erreur] = []
        self.couloir = contexte.couloir
        self.solde = contexte.type_demande is TypeDemande.SOLDE
        self.motif_asp = motif_numero_asp(contexte.couloir)
        self.plafond = contexte.campagne.plafond_par_etablissement
        self.finess_fichier: dict[str, int] = {}  # FINESS → numLigne de la première demande
        self.dossiers_fichier: dict[str, int] = {}
        self.noms_fichier: dict[str, tuple[int, int]] = {}  # nom → (index, numLigne)
        self.dates: dict[str, date | None] = {}
        self.operateurs_valides: set[str] = set()

    # --- Outils ---------------------------------------------------------------------------

    def _compter(self, valeur: Any) -> None:
        cles, montant = _compter_cles(valeur)
        self.cles += cles
        if montant:
            self.douteux = True

    def _montant_exact(self, rang: int, valeur: float) -> Decimal:
        """La valeur exacte du rang-ième montantSegur du document (lecture rapide)."""
        if self.textes_montants is None:
            self.textes_montants = montants_bruts(self.contenu_rapide or b"")
        textes = self.textes_montants
        texte = textes[rang] if rang < len(textes) else None
        try:
            exact = Decimal(texte.decode("ascii")) if texte is not None else None
        except (ArithmeticError, ValueError):
            exact = None
        # orjson's value only guards that the text found is this amount's (compared as
        # Decimal, shortest repr): the amount itself is always the exact Decimal text.
        if exact is None or Decimal(repr(valeur)) != exact:
            self.douteux = True
            return Decimal(repr(valeur))  # provisoire: le fichier sera relu prudemment
        return exact

    def verifier_montants(self) -> None:
        """Lecture rapide: chaque montantSegur du texte doit avoir été lu à sa place."""
        if self.textes_montants is not None and self.rang_montant != len(self.textes_montants):
            self.douteux = True

    def _type(
        self,
        erreurs: list[Erreur],
        chemin: str,
        champ: str,
        attendu: str,
        valeur: Any,
        present: bool,
    ) -> None:
        """Un champ obligatoire absent ou null, ou d'un autre type que celui attendu."""
        if valeur is None:
            if present:
                message = f"Le champ {champ} est obligatoire : il ne peut pas valoir null "
            else:
                message = f"Le champ {champ} est obligatoire et absent "
            erreurs.append(
                Erreur(CodeErreur.CHAMP_OBLIGATOIRE, chemin, message + f"({attendu} attendu).")
            )
            return
        self._compter(valeur)
        if type(valeur) is float:  # lecture rapide: un entier de plus de 64 bits, peut-être
            self.douteux = True
        erreurs.append(
            Erreur(
                CodeErreur.TYPE_INVALIDE,
                chemin,
                f"Le champ {champ} doit être {attendu} ; reçu : {decrire(valeur)}.",
            )
        )

    def _inconnus(
        self, objet: dict[str, Any], attendues: frozenset[str], base: str, erreurs: list[Erreur]
    ) -> None:
        quoi = _OBJETS[attendues]
        liste = ", ".join(c for c in _ORDRE if c in attendues)
        minuscules = {c.lower(): c for c in attendues}
        for cle, valeur in objet.items():
            if cle in attendues:
                continue
            self._compter(valeur)
            if cle == "montantSegur":
                self.douteux = True
            du_seed = _ORTHOGRAPHES_DU_SEED.get(cle)
            proche = minuscules.get(cle.lower())
            if du_seed is not None and du_seed in attendues:
                precision = (
                    f" : c'est l'orthographe de l'exemple publié par l'ASP, le champ s'appelle "
                    f"{du_seed}."
                )
            elif proche is not None:
                precision = f" : le champ s'écrit {proche}."
            else:
                precision = f" (champs attendus : {liste})."
            erreurs.append(
                Erreur(
                    CodeErreur.CHAMP_INCONNU,
                    base + "/" + echapper(cle),
                    f"Le champ « {_court(cle)} » n'existe pas dans {quoi}{precision}",
                )
            )

    def _liste(
        self, erreurs: list[Erreur], objet: dict[str, Any], champ: str, base: str, quoi: str
    ) -> list[Any] | None:
        valeur = objet.get(champ)
        if type(valeur) is not list:
            self._type(erreurs, base + "/" + champ, champ, _TABLEAU, valeur, champ in objet)
            return None
        if not valeur:
            erreurs.append(
                Erreur(
                    CodeErreur.LISTE_VIDE,
                    base + "/" + champ,
                    f"Le tableau {champ} est vide : il doit contenir au moins {quoi}.",
                )
            )
        return valeur

    def _element_objet(
        self, erreurs: list[Erreur], valeur: Any, chemin: str, champ: str, position: int
    ) -> bool:
        if type(valeur) is dict:
            self.cles += len(valeur)
            return True
        self._type(erreurs, chemin, f"{champ} (élément {position + 1})", _OBJET, valeur, True)
        return False

    def _texte(
        self, erreurs: list[Erreur], objet: dict[str, Any], champ: str, base: str
    ) -> str | None:
        """Un texte obligatoire, non blanc."""
        valeur = objet.get(champ)
        if type(valeur) is str:
            if valeur.strip():
                return valeur
            erreurs.append(
                Erreur(
                    CodeErreur.TEXTE_VIDE,
                    base + "/" + champ,
                    f"Le champ {champ} ne doit pas être vide.",
                )
            )
            return None
        self._type(erreurs, base + "/" + champ, champ, _CHAINE, valeur, champ in objet)
        return None

    def _booleen(
        self, erreurs: list[Erreur], objet: dict[str, Any], champ: str, base: str, nullable: bool
    ) -> None:
        valeur = objet.get(champ)
        if type(valeur) is bool or (nullable and valeur is None):
            return
        attendu = _BOOLEEN + (" ou null" if nullable else "")
        self._type(erreurs, base + "/" + champ, champ, attendu, valeur, champ in objet)

    def _enum(
        self,
        erreurs: list[Erreur],
        objet: dict[str, Any],
        champ: str,
        base: str,
        permises: Collection[str],
    ) -> str | None:
        valeur = objet.get(champ)
        if type(valeur) is str and valeur in permises:
            return valeur
        liste = " ou ".join(f"« {v} »" for v in permises)
        if type(valeur) is str:
            erreurs.append(
                Erreur(
                    CodeErreur.VALEUR_NON_AUTORISEE,
                    base + "/" + champ,
                    f"Le champ {champ} vaut « {_court(valeur)} » ; valeurs permises : {liste}.",
                )
            )
            return None
        self._type(erreurs, base + "/" + champ, champ, f"la chaîne {liste}", valeur, champ in objet)
        return None

    def _courriel(self, erreurs: list[Erreur], valeur: str, chemin: str, champ: str) -> None:
        if not courriel_ok(valeur):
            erreurs.append(
                Erreur(
                    CodeErreur.COURRIEL_INVALIDE,
                    chemin,
                    f"Le courriel « {_court(valeur)} » ({champ}) n'est pas une adresse valide "
                    "(attendu : nom@domaine.fr).",
                )
            )

    def _telephone(self, erreurs: list[Erreur], valeur: str, chemin: str, champ: str) -> None:
        if not telephone_ok(valeur):
            erreurs.append(
                Erreur(
                    CodeErreur.TELEPHONE_INVALIDE,
                    chemin,
                    f"Le numéro de téléphone « {_court(valeur)} » ({champ}) n'est pas un numéro "
                    "français valide : 10 chiffres commençant par 0, ou +33 suivi de "
                    "9 chiffres, sans espace.",
                )
            )

    # --- Le fichier ------------------------------------------------------------------------

    def valider(self, donnees: Any) -> ResultatValidation:
        resultat = ResultatValidation(erreurs_fichier=self.erreurs_fichier, donnees=donnees)
        if type(donnees) is not dict:
            self._compter(donnees)
            self.erreurs_fichier.append(
                Erreur(
                    CodeErreur.TYPE_INVALIDE,
                    "",
                    "Le fichier doit contenir un objet JSON { … } (l'entête du fichier et son "
                    f"tableau demandes) ; reçu : {decrire(donnees)}.",
                )
            )
            return resultat
        self.cles += len(donnees)
        erreurs = self.erreurs_fichier
        if not (donnees.keys() <= _CLES_FICHIER):
            self._inconnus(donnees, _CLES_FICHIER, "", erreurs)
        id_fichier = donnees.get("idFichier")
        if id_fichier is not None:
            self._compter(id_fichier)
            erreurs.append(
                Erreur(
                    CodeErreur.CHAMP_RESERVE,
                    "/idFichier",
                    "Le champ idFichier doit valoir null dans un dépôt : la plateforme le "
                    f"remplit dans le fichier retourné ; reçu : {decrire(id_fichier)}.",
                )
            )
        resultat.numero_ans = self._numero_ans(donnees)
        resultat.siret = self._siret(donnees)
        demandes = donnees.get("demandes")
        if type(demandes) is not list:
            self._type(erreurs, "/demandes", "demandes", _TABLEAU, demandes, "demandes" in donnees)
            return resultat
        if not demandes:
            erreurs.append(
                Erreur(
                    CodeErreur.AUCUNE_DEMANDE,
                    "/demandes",
                    "Le tableau demandes est vide : un fichier contient de 1 à "
                    f"{MAX_DEMANDES} demandes.",
                )
            )
        elif len(demandes) > MAX_DEMANDES:
            erreurs.append(
                Erreur(
                    CodeErreur.TROP_DE_DEMANDES,
                    "/demandes",
                    f"Le fichier contient {len(demandes)} demandes ; il en contient au plus "
                    f"{MAX_DEMANDES} : répartissez-les en plusieurs fichiers.",
                )
            )
        resultat.lignes = self._identifier(demandes)
        for ligne in resultat.lignes:
            if type(ligne.demande) is dict:
                self._demande(ligne)
        return resultat

    def _numero_ans(self, donnees: dict[str, Any]) -> str | None:
        valeur = donnees.get("numeroAns")
        erreurs = self.erreurs_fichier
        if type(valeur) is not str:
            self._type(
                erreurs,
                "/numeroAns",
                "numeroAns",
                "une chaîne de 10 lettres ou chiffres",
                valeur,
                "numeroAns" in donnees,
            )
            return None
        if not _NUMERO_ANS.fullmatch(valeur):
            erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_ANS_INVALIDE,
                    "/numeroAns",
                    f"Le numéro ANS « {_court(valeur)} » doit compter 10 lettres ou chiffres "
                    "(le numéro de référencement de la solution).",
                )
            )
            return None
        attendu = self.contexte.numero_ans_attendu
        if attendu is not None and valeur != attendu:
            erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_ANS_INATTENDU,
                    "/numeroAns",
                    f"Le numéro ANS {valeur} du fichier n'est pas celui choisi pour ce dépôt "
                    f"({attendu}).",
                )
            )
        return valeur

    def _siret(self, donnees: dict[str, Any]) -> str | None:
        valeur = donnees.get("siret")
        erreurs = self.erreurs_fichier
        if type(valeur) is not str:
            self._type(
                erreurs, "/siret", "siret", "une chaîne de 14 chiffres", valeur, "siret" in donnees
            )
            return None
        if not siret_valide(valeur):
            erreurs.append(Erreur(CodeErreur.SIRET_INVALIDE, "/siret", message_siret(valeur)))
            return None
        attendu = self.contexte.siret_attendu
        if attendu is not None and valeur != attendu:
            erreurs.append(
                Erreur(
                    CodeErreur.SIRET_INATTENDU,
                    "/siret",
                    f"Le SIRET {valeur} du fichier n'est pas celui de votre compte ({attendu}).",
                )
            )
        return valeur

    def _identifier(self, demandes: list[Any]) -> list[LigneValidee]:
        """Chaque ligne est nommée par son numLigne valide, sinon par sa position."""
        lignes: list[LigneValidee] = []
        vus: dict[int, int] = {}
        for index, demande in enumerate(demandes):
            ligne = LigneValidee(index=index, num_ligne=index + 1, demande=demande)
            lignes.append(ligne)
            chemin = f"/demandes/{index}"
            if type(demande) is not dict:
                self._type(
                    ligne.erreurs,
                    chemin,
                    f"demandes (élément {index + 1})",
                    _OBJET,
                    demande,
                    True,
                )
                continue
            self.cles += len(demande)
            num = demande.get("numLigne")
            if type(num) is not int:
                self._type(
                    ligne.erreurs,
                    chemin + "/numLigne",
                    "numLigne",
                    "un entier supérieur ou égal à 1",
                    num,
                    "numLigne" in demande,
                )
                continue
            if num < 1:
                ligne.erreurs.append(
                    Erreur(
                        CodeErreur.NUMLIGNE_INVALIDE,
                        chemin + "/numLigne",
                        f"Le numLigne vaut {_court(str(num))} ; il doit être un entier "
                        "supérieur ou égal à 1.",
                    )
                )
                continue
            ligne.num_ligne = num
            premier = vus.get(num)
            if premier is None:
                vus[num] = index
            else:
                self.erreurs_fichier.append(
                    Erreur(
                        CodeErreur.NUMLIGNE_DUPLIQUE,
                        chemin + "/numLigne",
                        f"Le numLigne {num} est déjà celui de la demande en position "
                        f"{premier + 1} ; chaque demande doit avoir son propre numLigne.",
                    )
                )
        return lignes

    # --- Une demande -----------------------------------------------------------------------

    def _demande(self, ligne: LigneValidee) -> None:
        demande: dict[str, Any] = ligne.demande
        base = ligne.chemin
        erreurs = ligne.erreurs
        if not (demande.keys() <= _CLES_DEMANDE):
            self._inconnus(demande, _CLES_DEMANDE, base, erreurs)
        ligne.type_action = self._type_action(ligne, demande, base)
        self._numero_asp(ligne, demande, base)
        self._numero_dossier(ligne, demande, base)
        verrouillage = demande.get("verrouillage")
        if type(verrouillage) is not str:
            self._type(
                erreurs,
                base + "/verrouillage",
                "verrouillage",
                _CHAINE,
                verrouillage,
                "verrouillage" in demande,
            )
        elif not _VERROUILLAGE.fullmatch(verrouillage):
            erreurs.append(
                Erreur(
                    CodeErreur.VERROUILLAGE_INVALIDE,
                    base + "/verrouillage",
                    f"La version installée (verrouillage) « {_court(verrouillage)} » doit "
                    "s'écrire en 1 à 4 nombres séparés par des points, par exemple 1.4.2.",
                )
            )
        for champ in ("codeTraitement", "libelleTraitement"):
            valeur = demande.get(champ)
            if valeur is not None:
                self._compter(valeur)
                erreurs.append(
                    Erreur(
                        CodeErreur.CHAMP_RESERVE,
                        base + "/" + champ,
                        f"Le champ {champ} doit valoir null dans un dépôt : la plateforme le "
                        f"remplit dans le fichier retourné ; reçu : {decrire(valeur)}.",
                    )
                )
        regime = self._commande(ligne, demande, base)
        finess_demande = self._beneficiaires(ligne, demande, base)
        self._pieces(ligne, demande, base, regime)
        self._scenarios(ligne, demande, base, finess_demande)
        self._plafond(ligne, base, len(finess_demande))
        if ligne.montant_segur is not None and regime is not None:
            ligne.montants = calculer_montants(ligne.montant_segur, regime, self.contexte.taux_tva)
        self._guichet(ligne, base)

    def _type_action(
        self, ligne: LigneValidee, demande: dict[str, Any], base: str
    ) -> TypeAction | None:
        valeur = demande.get("typeAction")
        if valeur == "C":
            return C
        if valeur == "M":
            return M
        if type(valeur) is str:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.VALEUR_NON_AUTORISEE,
                    base + "/typeAction",
                    f"Le champ typeAction vaut « {_court(valeur)} » ; valeurs permises : « C » "
                    "(création) ou « M » (modification d'une demande déjà déposée).",
                )
            )
        else:
            self._type(
                ligne.erreurs,
                base + "/typeAction",
                "typeAction",
                "la chaîne « C » ou « M »",
                valeur,
                "typeAction" in demande,
            )
        return None

    def _numero_asp(self, ligne: LigneValidee, demande: dict[str, Any], base: str) -> None:
        valeur = demande.get("numeroASP")
        chemin = base + "/numeroASP"
        erreurs = ligne.erreurs
        exemple = f"FIN{self.couloir}000042"
        if self.solde:
            if valeur is None:
                erreurs.append(
                    Erreur(
                        CodeErreur.NUMERO_ASP_OBLIGATOIRE,
                        chemin,
                        "Le champ numeroASP est obligatoire pour une demande de solde : "
                        "indiquez le numéro ASP du dossier d'avance que ce solde conclut "
                        f"(par exemple {exemple}).",
                    )
                )
                return
        elif ligne.type_action is C:
            if valeur is not None:
                self._compter(valeur)
                erreurs.append(
                    Erreur(
                        CodeErreur.NUMERO_ASP_INTERDIT,
                        chemin,
                        "Le champ numeroASP doit valoir null pour une création de demande "
                        "d'avance (typeAction C) : la plateforme attribue ce numéro ; "
                        f"reçu : {decrire(valeur)}.",
                    )
                )
            return
        elif ligne.type_action is M and valeur is None:
            erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_ASP_OBLIGATOIRE,
                    chemin,
                    "Le champ numeroASP est obligatoire pour une modification (typeAction M) : "
                    f"indiquez le numéro ASP du dossier à modifier (par exemple {exemple}).",
                )
            )
            return
        if valeur is None:
            return
        if type(valeur) is not str:
            self._type(erreurs, chemin, "numeroASP", f"une chaîne comme {exemple}", valeur, True)
            return
        if not self.motif_asp.fullmatch(valeur):
            erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_ASP_INVALIDE,
                    chemin,
                    f"Le numéro ASP « {_court(valeur)} » doit s'écrire FIN{self.couloir} suivi "
                    f"de 6 chiffres (par exemple {exemple}) : FIN, le couloir du dépôt "
                    f"({self.couloir}), puis le numéro du dossier.",
                )
            )
            return
        ligne.numero_asp = valeur

    def _numero_dossier(self, ligne: LigneValidee, demande: dict[str, Any], base: str) -> None:
        valeur = demande.get("numeroDossier")
        chemin = base + "/numeroDossier"
        if type(valeur) is not str:
            self._type(
                ligne.erreurs, chemin, "numeroDossier", _CHAINE, valeur, "numeroDossier" in demande
            )
            return
        if not _NUMERO_DOSSIER.fullmatch(valeur):
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_DOSSIER_INVALIDE,
                    chemin,
                    f"Le numeroDossier « {_court(valeur)} » doit compter de 1 à 20 caractères "
                    "parmi les lettres sans accent, les chiffres, « _ » et « - ».",
                )
            )
            return
        ligne.numero_dossier = valeur
        premier = self.dossiers_fichier.get(valeur)
        if premier is None:
            self.dossiers_fichier[valeur] = ligne.num_ligne
        else:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_DOSSIER_DUPLIQUE,
                    chemin,
                    f"Le numeroDossier {valeur} est déjà celui de la demande de la ligne "
                    f"{premier} : chaque demande du fichier a son propre numeroDossier.",
                )
            )

    def _commande(
        self, ligne: LigneValidee, demande: dict[str, Any], base: str
    ) -> RegimeTva | None:
        commande = demande.get("commande")
        chemin = base + "/commande"
        erreurs = ligne.erreurs
        if type(commande) is not dict:
            self._type(erreurs, chemin, "commande", _OBJET, commande, "commande" in demande)
            return None
        self.cles += len(commande)
        if not (commande.keys() <= _CLES_COMMANDE):
            self._inconnus(commande, _CLES_COMMANDE, chemin, erreurs)
        self._date_commande(ligne, commande, chemin)
        regime = self._enum(erreurs, commande, "regimeTVA", chemin, _REGIMES)
        montant = commande.get("montantSegur")
        chemin_montant = chemin + "/montantSegur"
        if "montantSegur" in commande:
            rang = self.rang_montant
            self.rang_montant += 1
            if type(montant) is float:
                montant = self._montant_exact(rang, montant)
        if type(montant) is int:
            montant = Decimal(montant)
        if type(montant) is not Decimal:
            self._type(
                erreurs,
                chemin_montant,
                "montantSegur",
                "un nombre (par exemple 18750.00)",
                montant,
                "montantSegur" in commande,
            )
        elif not montant.is_finite() or montant <= 0:
            erreurs.append(
                Erreur(
                    CodeErreur.MONTANT_NON_POSITIF,
                    chemin_montant,
                    f"Le montant Ségur (montantSegur) doit être strictement positif ; "
                    f"reçu : {_court(str(montant))}.",
                )
            )
        elif not _decimales_ok(montant):
            erreurs.append(
                Erreur(
                    CodeErreur.MONTANT_DECIMALES,
                    chemin_montant,
                    f"Le montant Ségur {_court(str(montant))} a plus de deux décimales : un "
                    "montant s'exprime au centime près (par exemple 18750.50).",
                )
            )
        else:
            ligne.montant_segur = montant
        return RegimeTva(regime) if regime is not None else None

    def _date_commande(self, ligne: LigneValidee, commande: dict[str, Any], base: str) -> None:
        valeur = commande.get("dateCommande")
        chemin = base + "/dateCommande"
        if type(valeur) is not str:
            self._type(
                ligne.erreurs,
                chemin,
                "dateCommande",
                "une date « jj/mm/aaaa »",
                valeur,
                "dateCommande" in commande,
            )
            return
        if valeur in self.dates:
            jour = self.dates[valeur]
        else:
            jour = None
            if _DATE.fullmatch(valeur):
                try:
                    jour = date(int(valeur[6:]), int(valeur[3:5]), int(valeur[:2]))
                except ValueError:
                    jour = None
            self.dates[valeur] = jour
        if jour is None:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.DATE_COMMANDE_INVALIDE,
                    chemin,
                    f"La date de commande « {_court(valeur)} » n'est pas une date réelle au "
                    "format jj/mm/aaaa (par exemple 18/10/2021).",
                )
            )
            return
        depot = self.contexte.date_depot
        minimum = self.contexte.campagne.date_commande_min
        if jour > depot:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.DATE_COMMANDE_FUTURE,
                    chemin,
                    f"La date de commande {valeur} est postérieure à la date du dépôt "
                    f"({depot:%d/%m/%Y}) : une commande déclarée doit déjà être signée.",
                )
            )
        elif jour < minimum:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.DATE_COMMANDE_TROP_ANCIENNE,
                    chemin,
                    f"La date de commande {valeur} est antérieure au {minimum:%d/%m/%Y}, "
                    "première date de commande acceptée par la campagne "
                    f"« {self.contexte.campagne.libelle} ».",
                )
            )

    def _beneficiaires(
        self, ligne: LigneValidee, demande: dict[str, Any], base: str
    ) -> dict[str, str]:
        """Juge les bénéficiaires; rend les FINESS (chaînes) de la demande → leur chemin.

        Chemin rapide: un établissement complet et valide ne coûte que des tests de type,
        la clé de Luhn et deux consultations de cache; tout autre cas passe par
        `_etablissement`, qui nomme chaque erreur.
        """
        beneficiaires = self._liste(
            ligne.erreurs, demande, "beneficiaires", base, "un bénéficiaire"
        )
        finess_demande: dict[str, str] = {}
        if beneficiaires is None:
            return finess_demande
        erreurs = ligne.erreurs
        positions = ligne.positions_finess
        finess_fichier = self.finess_fichier
        num_ligne = ligne.num_ligne
        double = CHIFFRE_DOUBLE
        courriels = verdicts_domaines
        correspond = correspond_courriel
        telephones = verdicts_prefixes
        cles = 0
        for ib, beneficiaire in enumerate(beneficiaires):
            chemin_b = f"{base}/beneficiaires/{ib}"
            if not self._element_objet(erreurs, beneficiaire, chemin_b, "beneficiaires", ib):
                continue
            if not (beneficiaire.keys() <= _CLES_BENEFICIAIRE):
                self._inconnus(beneficiaire, _CLES_BENEFICIAIRE, chemin_b, erreurs)
            self._mandataire(ligne, beneficiaire, chemin_b)
            etablissements = self._liste(
                erreurs, beneficiaire, "etablissementsClients", chemin_b, "un établissement"
            )
            if etablissements is None:
                continue
            for ie, etablissement in enumerate(etablissements):
                # 4 clés et les 4 attendues présentes: exactement les champs du format
                # (moins cher que de comparer les ensembles de clés).
                if type(etablissement) is dict and len(etablissement) == 4:
                    try:
                        finess = etablissement["finessGeo"]
                        nom = etablissement["nomResponsable"]
                        courriel = etablissement["emailResponsable"]
                        telephone = etablissement["telephoneResponsable"]
                    except KeyError:
                        finess = None
                    if (
                        type(finess) is str
                        and len(finess) == 9
                        and finess not in finess_fichier
                        and finess not in finess_demande
                        and finess.isdigit()
                        and finess.isascii()
                        and type(nom) is str
                        and nom
                        and not nom.isspace()
                        and type(courriel) is str
                        and type(telephone) is str
                        and len(telephone) == 10
                        and telephone[0] == "0"
                        and telephone.isdigit()
                        and telephone.isascii()
                        and telephones.get(telephone[1:6]) is True
                    ):
                        o = finess.encode("ascii")
                        trouve = correspond(courriel)
                        if (
                            (o[0] + o[2] + o[4] + o[6] + o[8])
                            + (double[o[1]] + double[o[3]] + double[o[5]] + double[o[7]])
                        ) % 10 == 0 and (
                            trouve is not None
                            and len(courriel) <= 254
                            and courriels.get(trouve.group(1)) is True
                        ):
                            cles += 4
                            finess_demande[finess] = ""
                            finess_fichier[finess] = num_ligne
                            positions.append((finess, ib, ie))
                            continue
                self._etablissement(ligne, etablissement, chemin_b, ib, ie, finess_demande)
        self.cles += cles
        return finess_demande

    def _etablissement(
        self,
        ligne: LigneValidee,
        etablissement: Any,
        chemin_b: str,
        ib: int,
        ie: int,
        finess_demande: dict[str, str],
    ) -> None:
        erreurs = ligne.erreurs
        chemin_e = f"{chemin_b}/etablissementsClients/{ie}"
        if not self._element_objet(erreurs, etablissement, chemin_e, "etablissementsClients", ie):
            return
        if not (etablissement.keys() <= _CLES_ETABLISSEMENT):
            self._inconnus(etablissement, _CLES_ETABLISSEMENT, chemin_e, erreurs)
        finess = etablissement.get("finessGeo")
        chemin_f = chemin_e + "/finessGeo"
        if type(finess) is str:
            if finess in finess_demande:
                if finess_ok(finess):
                    erreurs.append(
                        Erreur(
                            CodeErreur.FINESS_DUPLIQUE,
                            chemin_f,
                            f"Le numéro FINESS géographique {finess} figure déjà dans cette "
                            "demande : chaque établissement n'y est cité qu'une fois.",
                        )
                    )
            else:
                finess_demande[finess] = chemin_f
                if not finess_ok(finess):
                    erreurs.append(
                        Erreur(CodeErreur.FINESS_INVALIDE, chemin_f, message_finess(finess))
                    )
                else:
                    premier = self.finess_fichier.get(finess)
                    if premier is None:
                        self.finess_fichier[finess] = ligne.num_ligne
                        ligne.positions_finess.append((finess, ib, ie))
                    else:
                        erreurs.append(
                            Erreur(
                                CodeErreur.FINESS_DUPLIQUE,
                                chemin_f,
                                f"Le numéro FINESS géographique {finess} figure déjà dans la "
                                f"demande de la ligne {premier} : un établissement n'est "
                                "financé qu'une fois.",
                            )
                        )
        else:
            self._type(
                erreurs,
                chemin_f,
                "finessGeo",
                "une chaîne de 9 caractères",
                finess,
                "finessGeo" in etablissement,
            )
        nom = etablissement.get("nomResponsable")
        if type(nom) is not str or not nom.strip():
            self._texte(erreurs, etablissement, "nomResponsable", chemin_e)
        courriel = etablissement.get("emailResponsable")
        if type(courriel) is str:
            self._courriel(erreurs, courriel, chemin_e + "/emailResponsable", "emailResponsable")
        else:
            self._type(
                erreurs,
                chemin_e + "/emailResponsable",
                "emailResponsable",
                _CHAINE,
                courriel,
                "emailResponsable" in etablissement,
            )
        telephone = etablissement.get("telephoneResponsable")
        if type(telephone) is str:
            self._telephone(
                erreurs, telephone, chemin_e + "/telephoneResponsable", "telephoneResponsable"
            )
        else:
            self._type(
                erreurs,
                chemin_e + "/telephoneResponsable",
                "telephoneResponsable",
                _CHAINE,
                telephone,
                "telephoneResponsable" in etablissement,
            )

    def _mandataire(self, ligne: LigneValidee, beneficiaire: dict[str, Any], base: str) -> None:
        erreurs = ligne.erreurs
        mandataire = beneficiaire.get("mandataire")
        if type(mandataire) is not bool:
            self._type(
                erreurs,
                base + "/mandataire",
                "mandataire",
                _BOOLEEN,
                mandataire,
                "mandataire" in beneficiaire,
            )
        renseignes = []
        for champ in ("nomMandataire", "emailMandataire", "telephoneMandataire"):
            valeur = beneficiaire.get(champ)
            chemin = base + "/" + champ
            if valeur is None:
                if mandataire is True:
                    erreurs.append(
                        Erreur(
                            CodeErreur.CHAMP_OBLIGATOIRE,
                            chemin,
                            f"Le champ {champ} est obligatoire quand mandataire vaut true.",
                        )
                    )
                continue
            renseignes.append(champ)
            if type(valeur) is not str:
                self._type(erreurs, chemin, champ, _CHAINE + " ou null", valeur, True)
            elif champ == "nomMandataire":
                if not valeur.strip():
                    erreurs.append(
                        Erreur(
                            CodeErreur.TEXTE_VIDE,
                            chemin,
                            "Le champ nomMandataire ne doit pas être vide.",
                        )
                    )
            elif champ == "emailMandataire":
                self._courriel(erreurs, valeur, chemin, champ)
            else:
                self._telephone(erreurs, valeur, chemin, champ)
        if mandataire is False and renseignes:
            ligne.avertissements.append(
                Erreur(
                    CodeErreur.MANDATAIRE_IGNORE,
                    base + "/mandataire",
                    "mandataire vaut false : " + ", ".join(renseignes) + " ne seront pas pris "
                    "en compte.",
                )
            )

    def _pieces(
        self, ligne: LigneValidee, demande: dict[str, Any], base: str, regime: RegimeTva | None
    ) -> None:
        pieces = self._liste(
            ligne.erreurs, demande, "piecesJustificatives", base, "une pièce justificative"
        )
        if pieces is None:
            return
        erreurs = ligne.erreurs
        types_presents: set[TypeFichier] = set()
        type_invalide = False
        noms_fichier = self.noms_fichier
        for ip, piece in enumerate(pieces):
            chemin_p = f"{base}/piecesJustificatives/{ip}"
            if not self._element_objet(erreurs, piece, chemin_p, "piecesJustificatives", ip):
                type_invalide = True
                continue
            if not (piece.keys() <= _CLES_PIECE):
                self._inconnus(piece, _CLES_PIECE, chemin_p, erreurs)
            format_texte = self._enum(erreurs, piece, "formatFichier", chemin_p, _FORMATS)
            type_texte = self._enum(erreurs, piece, "typeFichier", chemin_p, _TYPES_FICHIER)
            type_fichier = _TYPES_FICHIER[type_texte] if type_texte is not None else None
            if type_fichier is None:
                type_invalide = True
            else:
                types_presents.add(type_fichier)
            nom = piece.get("nomFichier")
            chemin_n = chemin_p + "/nomFichier"
            if type(nom) is not str:
                self._type(erreurs, chemin_n, "nomFichier", _CHAINE, nom, "nomFichier" in piece)
                continue
            ligne.noms_fichiers.append((nom, chemin_n))
            if len(nom) > LONGUEUR_MAX_NOM_FICHIER:
                erreurs.append(
                    Erreur(
                        CodeErreur.NOM_FICHIER_TROP_LONG,
                        chemin_n,
                        f"Le nom de fichier « {_court(nom)} » compte {len(nom)} caractères ; "
                        f"il en compte au plus {LONGUEUR_MAX_NOM_FICHIER}.",
                    )
                )
            analyse = analyser_nom_fichier(nom, self.couloir, ligne.numero_dossier, type_fichier)
            if analyse.problemes:
                erreurs.append(
                    Erreur(
                        CodeErreur.NOMENCLATURE_INVALIDE,
                        chemin_n,
                        f"Le nom de fichier « {_court(nom)} » ne respecte pas la nomenclature "
                        f"{self.couloir}_<texte libre>-<CODE>-<numeroDossier>.<extension> : "
                        + " ; ".join(analyse.problemes)
                        + ".",
                    )
                )
            if (
                format_texte is not None
                and analyse.format is not None
                and analyse.format.value != format_texte
            ):
                erreurs.append(
                    Erreur(
                        CodeErreur.FORMAT_FICHIER_INCOHERENT,
                        chemin_p + "/formatFichier",
                        f"Le formatFichier {format_texte} ne correspond pas à l'extension du "
                        f"fichier « {_court(nom)} » (attendu : {analyse.format.value}).",
                    )
                )
            premier = noms_fichier.get(nom)
            if premier is None:
                noms_fichier[nom] = (ligne.index, ligne.num_ligne)
            else:
                ou = (
                    "cette demande"
                    if premier[0] == ligne.index
                    else f"la demande de la ligne {premier[1]}"
                )
                erreurs.append(
                    Erreur(
                        CodeErreur.NOM_FICHIER_DUPLIQUE,
                        chemin_n,
                        f"Le nom de fichier « {_court(nom)} » est déjà cité par {ou} : chaque "
                        "pièce du fichier a son propre nom.",
                    )
                )
        if not pieces or type_invalide:
            return  # une pièce illisible ne fait pas réclamer celle qu'elle est peut-être
        requises: list[tuple[TypeFichier, ...]] = []
        if self.solde:
            requises.append((TypeFichier.FACTURE,))
            requises.append((TypeFichier.PV_VA, TypeFichier.MOM))
        else:
            requises.append((TypeFichier.BON_COMMANDE,))
        if regime is RegimeTva.HT:
            requises.append((TypeFichier.ATTESTATION_HT,))
        pourquoi = {
            TypeFichier.FACTURE: "une demande de solde",
            TypeFichier.PV_VA: "une demande de solde",
            TypeFichier.BON_COMMANDE: "une demande d'avance",
            TypeFichier.ATTESTATION_HT: "le régime HT",
        }
        for alternatives in requises:
            if types_presents.isdisjoint(alternatives):
                libelle = " ou ".join(LIBELLES_TYPE_FICHIER[t] for t in alternatives)
                erreurs.append(
                    Erreur(
                        CodeErreur.PIECE_OBLIGATOIRE_MANQUANTE,
                        base + "/piecesJustificatives",
                        f"Il manque {libelle} : {pourquoi[alternatives[0]]} l'exige.",
                    )
                )

    def _scenarios(
        self,
        ligne: LigneValidee,
        demande: dict[str, Any],
        base: str,
        finess_demande: dict[str, str],
    ) -> None:
        scenarios = self._liste(
            ligne.erreurs, demande, "scenarioInstallation", base, "un scénario d'installation"
        )
        if scenarios is None:
            return
        couverts: set[str] = set()
        operateurs = self.operateurs_valides
        cles = 0
        for isc, scenario in enumerate(scenarios):
            # Chemin rapide (scénario complet et valide), sinon `_scenario` nomme les erreurs.
            if type(scenario) is dict and len(scenario) == 7:
                try:
                    finess = scenario["finessGeo"]
                    operateur = scenario["operateurMessagerie"]
                    profil = scenario["profilMotif"]
                    ref_soins = scenario["isRefSoins"]
                    version = scenario["ancienneVersion"]
                    multireid = scenario["isMultireid"]
                    stockage = scenario["isStockageId"]
                except KeyError:
                    finess = None
                if (
                    type(finess) is str
                    and finess in finess_demande
                    and finess not in couverts
                    and type(version) is str
                    and type(multireid) is bool
                    and type(stockage) is bool
                    and (ref_soins is None or type(ref_soins) is bool)
                    and type(operateur) is str
                    and operateur in operateurs
                    and (profil == "PA" or profil == "PM" or profil == "MOT")
                ):
                    cles += 7
                    couverts.add(finess)
                    continue
            self._scenario(
                ligne, scenario, f"{base}/scenarioInstallation/{isc}", isc, finess_demande, couverts
            )
        self.cles += cles
        if not scenarios:
            return
        for finess in finess_demande:
            # Un FINESS invalide est déjà signalé: son scénario manquant n'en est que l'écho.
            if finess not in couverts and finess_ok(finess):
                ligne.erreurs.append(
                    Erreur(
                        CodeErreur.SCENARIO_MANQUANT,
                        base + "/scenarioInstallation",
                        f"L'établissement {_court(finess)} n'a pas de scénario "
                        "d'installation : chaque établissement client de la demande en a "
                        "exactement un.",
                    )
                )

    def _scenario(
        self,
        ligne: LigneValidee,
        scenario: Any,
        chemin_s: str,
        isc: int,
        finess_demande: dict[str, str],
        couverts: set[str],
    ) -> None:
        erreurs = ligne.erreurs
        if not self._element_objet(erreurs, scenario, chemin_s, "scenarioInstallation", isc):
            return
        if not (scenario.keys() <= _CLES_SCENARIO):
            self._inconnus(scenario, _CLES_SCENARIO, chemin_s, erreurs)
        finess = scenario.get("finessGeo")
        chemin_f = chemin_s + "/finessGeo"
        if type(finess) is str:
            if finess in couverts:
                erreurs.append(
                    Erreur(
                        CodeErreur.SCENARIO_DUPLIQUE,
                        chemin_f,
                        f"L'établissement {finess} a déjà un scénario d'installation dans "
                        "cette demande : un seul scénario par établissement.",
                    )
                )
            elif finess in finess_demande:
                couverts.add(finess)
            else:
                erreurs.append(
                    Erreur(
                        CodeErreur.SCENARIO_FINESS_INCONNU,
                        chemin_f,
                        f"Le scénario d'installation vise le FINESS {_court(finess)}, qui "
                        "n'est pas un des établissements clients de cette demande.",
                    )
                )
                if not finess_ok(finess):
                    erreurs.append(
                        Erreur(CodeErreur.FINESS_INVALIDE, chemin_f, message_finess(finess))
                    )
        else:
            self._type(
                erreurs,
                chemin_f,
                "finessGeo",
                "une chaîne de 9 caractères",
                finess,
                "finessGeo" in scenario,
            )
        version = scenario.get("ancienneVersion")
        if type(version) is not str:
            self._type(
                erreurs,
                chemin_s + "/ancienneVersion",
                "ancienneVersion",
                _CHAINE,
                version,
                "ancienneVersion" in scenario,
            )
        self._booleen(erreurs, scenario, "isMultireid", chemin_s, False)
        self._booleen(erreurs, scenario, "isStockageId", chemin_s, False)
        self._booleen(erreurs, scenario, "isRefSoins", chemin_s, True)
        operateur = scenario.get("operateurMessagerie")
        if type(operateur) is not str:
            self._type(
                erreurs,
                chemin_s + "/operateurMessagerie",
                "operateurMessagerie",
                _CHAINE,
                operateur,
                "operateurMessagerie" in scenario,
            )
        elif _OPERATEUR.fullmatch(operateur):
            if len(self.operateurs_valides) < 10_000:
                self.operateurs_valides.add(operateur)
        else:
            erreurs.append(
                Erreur(
                    CodeErreur.OPERATEUR_MESSAGERIE_INVALIDE,
                    chemin_s + "/operateurMessagerie",
                    f"L'opérateur de messagerie « {_court(operateur)} » doit compter 1 à "
                    "20 caractères parmi les majuscules sans accent, les chiffres et « _ » "
                    "(par exemple GIP_0).",
                )
            )
        profil = scenario.get("profilMotif")
        if profil != "PA" and profil != "PM" and profil != "MOT":
            self._enum(erreurs, scenario, "profilMotif", chemin_s, _PROFILS)

    def _plafond(self, ligne: LigneValidee, base: str, etablissements: int) -> None:
        montant = ligne.montant_segur
        if montant is None or etablissements == 0:
            return
        plafond = self.plafond.valeur * etablissements
        if montant > plafond:
            pluriel = "s" if etablissements > 1 else ""
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.MONTANT_PLAFOND_DEPASSE,
                    base + "/commande/montantSegur",
                    f"Le montant Ségur {_euros(montant)} dépasse le plafond de "
                    f"{_euros(plafond)} de cette demande ({self.plafond.en_francais()} par "
                    f"établissement × {etablissements} établissement{pluriel}).",
                )
            )

    def _guichet(self, ligne: LigneValidee, base: str) -> None:
        recu_le = self.contexte.recu_le
        if recu_le is None:
            return
        campagne = self.contexte.campagne
        if self.solde:
            echeance = campagne.echeance_solde
            quoi = "des demandes de solde"
        elif ligne.type_action is C:
            echeance = campagne.echeance_avance
            quoi = "des demandes d'avance"
        else:
            return  # une modification d'avance reste possible après l'échéance
        if recu_le >= echeance:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.GUICHET_FERME,
                    base + "/typeAction",
                    f"Le guichet {quoi} est fermé depuis le {_heure_francaise(echeance)}.",
                )
            )
        elif recu_le < campagne.ouverture:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.GUICHET_NON_OUVERT,
                    base + "/typeAction",
                    f"Le guichet {quoi} n'ouvre que le {_heure_francaise(campagne.ouverture)}.",
                )
            )


def valider_document(donnees: Any, contexte: ContexteValidation) -> ResultatValidation:
    """Juge une valeur JSON lue exactement (nombres non entiers en Decimal)."""
    return _Validation(contexte).valider(donnees)


def valider_contenu(contenu: bytes, contexte: ContexteValidation) -> ResultatValidation:
    """Lit et juge un fichier déposé (toutes les règles qui ne demandent pas de registre)."""
    lecture: LectureJson = lire_json(contenu)
    if not lecture.lisible:
        return ResultatValidation(erreurs_fichier=list(lecture.erreurs))
    if not lecture.exacte:
        validation = _Validation(contexte, contenu_rapide=lecture.contenu)
        resultat = validation.valider(lecture.donnees)
        validation.verifier_montants()
        if not validation.douteux and validation.cles == lecture.deux_points:
            return resultat
        # Un doublon, un « : » dans une chaîne, un nombre à relire exactement: on relit.
        lecture = lire_prudemment(lecture.contenu)
        if not lecture.lisible:
            return ResultatValidation(erreurs_fichier=list(lecture.erreurs))
    resultat = valider_document(lecture.donnees, contexte)
    resultat.erreurs_fichier[:0] = lecture.doublons
    return resultat
