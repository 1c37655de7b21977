"""§4 and §4b, the campaign's rules: ceiling per établissement, guichet."""

from __future__ import annotations

from services.depot.domain.erreurs import CodeErreur, Erreur
from services.depot.domain.format_ms import (
    TypeAction,
)
from services.depot.domain.validation.base import BaseValidation
from services.depot.domain.validation.messages import (
    euros,
    heure_francaise,
)
from services.depot.domain.validation.resultat import (
    LigneValidee,
)

C = TypeAction.C
M = TypeAction.M


class ReglesCampagne(BaseValidation):
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
                    f"Le montant Ségur {euros(montant)} dépasse le plafond de "
                    f"{euros(plafond)} de cette demande ({self.plafond.en_francais()} par "
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
            return  # a modification of the avance remains possible after the deadline
        if recu_le >= echeance:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.GUICHET_FERME,
                    base + "/typeAction",
                    f"Le guichet {quoi} est fermé depuis le {heure_francaise(echeance)}.",
                )
            )
        elif recu_le < campagne.ouverture:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.GUICHET_NON_OUVERT,
                    base + "/typeAction",
                    f"Le guichet {quoi} n'ouvre que le {heure_francaise(campagne.ouverture)}.",
                )
            )
