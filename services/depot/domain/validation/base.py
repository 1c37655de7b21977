"""A validation's state and its tools: types, unknown fields, lists, texts, enumerations,
emails, phone numbers; the key count (duplicate detection, see `lecture.py`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any

from services.depot.domain.controles import (
    courriel_ok,
    telephone_ok,
)
from services.depot.domain.erreurs import CodeErreur, Erreur, echapper
from services.depot.domain.format_ms import (
    motif_numero_asp,
)
from services.depot.domain.lecture import (
    montants_bruts,
)
from services.depot.domain.validation.champs import (
    BOOLEEN,
    CHAINE,
    OBJET,
    OBJETS,
    ORDRE,
    TABLEAU,
    compter_cles,
)
from services.depot.domain.validation.messages import (
    ORTHOGRAPHES_DU_SEED,
    court,
    decrire,
)
from services.depot.domain.validation.resultat import (
    ContexteValidation,
)
from shared.campagnes import TypeDemande


class BaseValidation:
    """A validation's state and the tools common to every section."""

    def __init__(self, contexte: ContexteValidation, contenu_rapide: bytes | None = None) -> None:
        """`contenu_rapide`: the text, when the data come from the fast read (orjson:
        non-integer numbers as float); the exact amounts are read again from it."""
        self.contexte = contexte
        self.cles = 0
        self.contenu_rapide = contenu_rapide
        # Fast read: true as soon as a float or a "montantSegur" key outside a commande
        # keeps us from being sure of the exact values; the file is then read carefully.
        self.douteux = False
        self.rang_montant = 0
        self.textes_montants: list[bytes | None] | None = None
        self.erreurs_fichier: list[Erreur] = []
        self.couloir = contexte.couloir
        self.solde = contexte.type_demande is TypeDemande.SOLDE
        self.motif_asp = motif_numero_asp(contexte.couloir)
        self.plafond = contexte.campagne.plafond_par_etablissement
        self.finess_fichier: dict[str, int] = {}  # FINESS → numLigne of the first demande
        self.dossiers_fichier: dict[str, int] = {}
        self.noms_fichier: dict[str, tuple[int, int]] = {}  # nom → (index, numLigne)
        self.dates: dict[str, date | None] = {}
        self.operateurs_valides: set[str] = set()

    # --- Outils ---------------------------------------------------------------------------

    def _compter(self, valeur: Any) -> None:
        cles, montant = compter_cles(valeur)
        self.cles += cles
        if montant:
            self.douteux = True

    def _montant_exact(self, rang: int, valeur: float) -> Decimal:
        """The exact value of the document's rang-th montantSegur (fast read)."""
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
            return Decimal(repr(valeur))  # provisional: the file will be read carefully
        return exact

    def verifier_montants(self) -> None:
        """Fast read: every montantSegur of the text must have been read in its place."""
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
        """A mandatory field missing or null, or of another type than the expected one."""
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
        if type(valeur) is float:  # fast read: an integer wider than 64 bits, perhaps
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
        quoi = OBJETS[attendues]
        liste = ", ".join(c for c in ORDRE if c in attendues)
        minuscules = {c.lower(): c for c in attendues}
        for cle, valeur in objet.items():
            if cle in attendues:
                continue
            self._compter(valeur)
            if cle == "montantSegur":
                self.douteux = True
            du_seed = ORTHOGRAPHES_DU_SEED.get(cle)
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
                    f"Le champ « {court(cle)} » n'existe pas dans {quoi}{precision}",
                )
            )

    def _liste(
        self, erreurs: list[Erreur], objet: dict[str, Any], champ: str, base: str, quoi: str
    ) -> list[Any] | None:
        valeur = objet.get(champ)
        if type(valeur) is not list:
            self._type(erreurs, base + "/" + champ, champ, TABLEAU, valeur, champ in objet)
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
        self._type(erreurs, chemin, f"{champ} (élément {position + 1})", OBJET, valeur, True)
        return False

    def _texte(
        self, erreurs: list[Erreur], objet: dict[str, Any], champ: str, base: str
    ) -> str | None:
        """A mandatory, non-blank text."""
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
        self._type(erreurs, base + "/" + champ, champ, CHAINE, valeur, champ in objet)
        return None

    def _booleen(
        self, erreurs: list[Erreur], objet: dict[str, Any], champ: str, base: str, nullable: bool
    ) -> None:
        valeur = objet.get(champ)
        if type(valeur) is bool or (nullable and valeur is None):
            return
        attendu = BOOLEEN + (" ou null" if nullable else "")
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
                    f"Le champ {champ} vaut « {court(valeur)} » ; valeurs permises : {liste}.",
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
                    f"Le courriel « {court(valeur)} » ({champ}) n'est pas une adresse valide "
                    "(attendu : nom@domaine.fr).",
                )
            )

    def _telephone(self, erreurs: list[Erreur], valeur: str, chemin: str, champ: str) -> None:
        if not telephone_ok(valeur):
            erreurs.append(
                Erreur(
                    CodeErreur.TELEPHONE_INVALIDE,
                    chemin,
                    f"Le numéro de téléphone « {court(valeur)} » ({champ}) n'est pas un numéro "
                    "français valide : 10 chiffres commençant par 0, ou +33 suivi de "
                    "9 chiffres, sans espace.",
                )
            )
