"""§3, the bénéficiaires: mandataire, établissements clients (FINESS unique in the file),
responsables."""

from __future__ import annotations

from typing import Any

from services.depot.domain.controles import (
    CHIFFRE_DOUBLE,
    correspond_courriel,
    finess_ok,
    verdicts_domaines,
    verdicts_prefixes,
)
from services.depot.domain.erreurs import CodeErreur, Erreur
from services.depot.domain.validation.base import BaseValidation
from services.depot.domain.validation.champs import (
    BOOLEEN,
    CHAINE,
    CLES_BENEFICIAIRE,
    CLES_ETABLISSEMENT,
)
from services.depot.domain.validation.messages import (
    message_finess,
)
from services.depot.domain.validation.resultat import (
    LigneValidee,
)


class Beneficiaires(BaseValidation):
    def _beneficiaires(
        self, ligne: LigneValidee, demande: dict[str, Any], base: str
    ) -> dict[str, str]:
        """Judges the bénéficiaires; returns the demande's FINESS (strings) → their path.

        Fast path: a complete, valid établissement costs only type tests, the Luhn check
        and two cache lookups; any other case goes through `_etablissement`, which names
        each error.
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
            if not (beneficiaire.keys() <= CLES_BENEFICIAIRE):
                self._inconnus(beneficiaire, CLES_BENEFICIAIRE, chemin_b, erreurs)
            self._mandataire(ligne, beneficiaire, chemin_b)
            etablissements = self._liste(
                erreurs, beneficiaire, "etablissementsClients", chemin_b, "un établissement"
            )
            if etablissements is None:
                continue
            for ie, etablissement in enumerate(etablissements):
                # 4 keys and the 4 expected ones present: exactly the format's fields
                # (cheaper than comparing key sets).
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
        if not (etablissement.keys() <= CLES_ETABLISSEMENT):
            self._inconnus(etablissement, CLES_ETABLISSEMENT, chemin_e, erreurs)
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
                CHAINE,
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
                CHAINE,
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
                BOOLEEN,
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
                self._type(erreurs, chemin, champ, CHAINE + " ou null", valeur, True)
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
