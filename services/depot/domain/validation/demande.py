"""§3, a demande's header and its commande: typeAction, numeroASP, numeroDossier,
dateCommande, regimeTVA, montantSegur."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from services.depot.domain.erreurs import CodeErreur, Erreur
from services.depot.domain.format_ms import (
    RegimeTva,
    TypeAction,
)
from services.depot.domain.validation.base import BaseValidation
from services.depot.domain.validation.champs import (
    CHAINE,
    CLES_COMMANDE,
    DATE,
    NUMERO_DOSSIER,
    OBJET,
    REGIMES,
    decimales_ok,
)
from services.depot.domain.validation.messages import (
    court,
    decrire,
)
from services.depot.domain.validation.resultat import (
    LigneValidee,
)

C = TypeAction.C
M = TypeAction.M


class EnteteDemande(BaseValidation):
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
                    f"Le champ typeAction vaut « {court(valeur)} » ; valeurs permises : « C » "
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
                    f"Le numéro ASP « {court(valeur)} » doit s'écrire FIN{self.couloir} suivi "
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
                ligne.erreurs, chemin, "numeroDossier", CHAINE, valeur, "numeroDossier" in demande
            )
            return
        if not NUMERO_DOSSIER.fullmatch(valeur):
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_DOSSIER_INVALIDE,
                    chemin,
                    f"Le numeroDossier « {court(valeur)} » doit compter de 1 à 20 caractères "
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
            self._type(erreurs, chemin, "commande", OBJET, commande, "commande" in demande)
            return None
        self.cles += len(commande)
        if not (commande.keys() <= CLES_COMMANDE):
            self._inconnus(commande, CLES_COMMANDE, chemin, erreurs)
        self._date_commande(ligne, commande, chemin)
        regime = self._enum(erreurs, commande, "regimeTVA", chemin, REGIMES)
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
                    f"reçu : {court(str(montant))}.",
                )
            )
        elif not decimales_ok(montant):
            erreurs.append(
                Erreur(
                    CodeErreur.MONTANT_DECIMALES,
                    chemin_montant,
                    f"Le montant Ségur {court(str(montant))} a plus de deux décimales : un "
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
            if DATE.fullmatch(valeur):
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
                    f"La date de commande « {court(valeur)} » n'est pas une date réelle au "
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
