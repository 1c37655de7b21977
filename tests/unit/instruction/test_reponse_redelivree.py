"""The éditeur's answers are delivered at least once (dépôt → SQS): a redelivered answer
never resumes a later decision waiting for a new answer."""

from __future__ import annotations

from datetime import timedelta

from shared.campagnes import TypeDemande
from shared.messages import ActionEditeur, ReponseEditeur
from shared.statuts import StatutDemande
from tests.unit.instruction.faux import NUMERO, monde
from tests.unit.instruction.test_instruction import _attendre, _en_cours

AVANCE = TypeDemande.AVANCE


def test_une_reponse_redelivree_ne_repond_pas_a_la_decision_suivante() -> None:
    m = monde()
    _en_cours(m)
    m.instruction.decider(NUMERO, AVANCE, "A_MODIFIER", "Montant", None, "DUPONT")
    _attendre(m, "A_MODIFIER", "EDITEUR", "j2")
    m.horloge.regler(m.horloge.maintenant() + timedelta(minutes=5))
    reponse = ReponseEditeur(
        numeroAsp=NUMERO,
        typeDemande=AVANCE,
        action=ActionEditeur.MODIFICATION_IMPORTEE,
        qui="jeanne",
        instant=m.horloge.maintenant(),
    )
    assert m.instruction.repondre(reponse) is True
    _attendre(m, "EN_COURS", "GESTIONNAIRE", "j3")
    m.horloge.regler(m.horloge.maintenant() + timedelta(minutes=5))
    m.instruction.decider(NUMERO, AVANCE, "A_MODIFIER", "Encore", None, "DUPONT")
    _attendre(m, "A_MODIFIER", "EDITEUR", "j4")

    assert m.instruction.repondre(reponse) is False  # the first answer, delivered again
    etat = m.instruction.etat(NUMERO, AVANCE)
    assert (etat.statut, etat.jeton) == (StatutDemande.A_MODIFIER, "j4")

    nouvelle = reponse.model_copy(update={"instant": m.horloge.maintenant()})
    assert m.instruction.repondre(nouvelle) is True
