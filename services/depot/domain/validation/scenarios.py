"""§3, the installation scénarios: one per établissement client of the demande."""

from __future__ import annotations

from typing import Any

from services.depot.domain.controles import (
    finess_ok,
)
from services.depot.domain.erreurs import CodeErreur, Erreur
from services.depot.domain.validation.base import BaseValidation
from services.depot.domain.validation.champs import (
    CHAINE,
    CLES_SCENARIO,
    OPERATEUR,
    PROFILS,
)
from services.depot.domain.validation.messages import (
    court,
    message_finess,
)
from services.depot.domain.validation.resultat import (
    LigneValidee,
)


class Scenarios(BaseValidation):
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
            # Fast path (complete, valid scénario), otherwise `_scenario` names the errors.
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
            # An invalid FINESS is already reported: its missing scénario is only its echo.
            if finess not in couverts and finess_ok(finess):
                ligne.erreurs.append(
                    Erreur(
                        CodeErreur.SCENARIO_MANQUANT,
                        base + "/scenarioInstallation",
                        f"L'établissement {court(finess)} n'a pas de scénario "
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
        if not (scenario.keys() <= CLES_SCENARIO):
            self._inconnus(scenario, CLES_SCENARIO, chemin_s, erreurs)
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
            elif not finess_ok(finess):
                # One error per pointer: an invalid number is not also « inconnu ».
                erreurs.append(Erreur(CodeErreur.FINESS_INVALIDE, chemin_f, message_finess(finess)))
            else:
                erreurs.append(
                    Erreur(
                        CodeErreur.SCENARIO_FINESS_INCONNU,
                        chemin_f,
                        f"Le scénario d'installation vise le FINESS {finess}, qui n'est pas un "
                        "des établissements clients de cette demande.",
                    )
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
                CHAINE,
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
                CHAINE,
                operateur,
                "operateurMessagerie" in scenario,
            )
        elif OPERATEUR.fullmatch(operateur):
            if len(self.operateurs_valides) < 10_000:
                self.operateurs_valides.add(operateur)
        else:
            erreurs.append(
                Erreur(
                    CodeErreur.OPERATEUR_MESSAGERIE_INVALIDE,
                    chemin_s + "/operateurMessagerie",
                    f"L'opérateur de messagerie « {court(operateur)} » doit compter 1 à "
                    "20 caractères parmi les majuscules sans accent, les chiffres et « _ » "
                    "(par exemple GIP_0).",
                )
            )
        profil = scenario.get("profilMotif")
        if profil != "PA" and profil != "PM" and profil != "MOT":
            self._enum(erreurs, scenario, "profilMotif", chemin_s, PROFILS)
