"""§2, the file's header: numeroAns, siret, and the identification of demandes (numLigne)."""

from __future__ import annotations

from typing import Any

from services.depot.domain.erreurs import CodeErreur, Erreur
from services.depot.domain.validation.base import BaseValidation
from services.depot.domain.validation.champs import (
    NUMERO_ANS,
    OBJET,
)
from services.depot.domain.validation.messages import (
    court,
    message_siret,
)
from services.depot.domain.validation.resultat import (
    LigneValidee,
)
from shared.identifiants import siret_valide


class Entete(BaseValidation):
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
        if not NUMERO_ANS.fullmatch(valeur):
            erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_ANS_INVALIDE,
                    "/numeroAns",
                    f"Le numéro ANS « {court(valeur)} » doit compter 10 lettres ou chiffres "
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
        """Each line is named by its valid numLigne, otherwise by its position."""
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
                    OBJET,
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
                        f"Le numLigne vaut {court(str(num))} ; il doit être un entier "
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
