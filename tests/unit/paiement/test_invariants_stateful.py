"""Random sequences of decisions, batches, bank returns (ACSC / RJCT / pending, duplicated,
wrong amounts), bank-detail changes and re-issues; the invariants hold after every step:
what is paid on a demande never exceeds its montant, a versement is never sent twice nor
paid twice, a solde is released once its avance is paid."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from services.paiement.adapters.banque_locale import Reponse, repondre, transactions_pain001
from services.paiement.application.lots import lancer_lot
from services.paiement.application.retours import traiter_retour
from services.paiement.application.versements import (
    creer_versement,
    reemettre,
    reemettre_pour_editeur,
)
from services.paiement.domain.motifs import MOTIFS_REJET
from services.paiement.domain.versement import (
    ErreurPaiement,
    EtatVersement,
    TypeVersement,
    Versement,
    avance_reglee,
    total_paye,
)
from shared.montant import Montant
from tests.unit.paiement.fakes import BIC_A, BIC_B, IBAN_A, IBAN_B, paiement_en_memoire
from tests.unit.paiement.test_cas_usage import SIRET, decision

DOSSIERS = [f"FINMS100000{n}" for n in range(1, 6)]
MONTANTS = st.decimals(min_value="0.01", max_value="500000.00", places=2).map(str)
COMPTES = [(IBAN_A, BIC_A), (IBAN_B, BIC_B)]
ENVOYES = (EtatVersement.MIS_EN_PAIEMENT, EtatVersement.PAYE, EtatVersement.REJETE)


class Paiements(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.paiement, self.depot, self.enrolements, self.stockage, self.horloge = (
            paiement_en_memoire()
        )
        self.compte = 0
        self.enrolements.definir(SIRET, "ANS1")
        self.montants: dict[str, str] = {}  # montant financé decided, per dossier
        self.retours: list[bytes] = []  # every bank file already processed
        self.payes: dict[str, Versement] = {}  # end-to-end id → versement once paid

    # --- rules ---------------------------------------------------------------------

    @rule(asp=st.sampled_from(DOSSIERS), montant=MONTANTS)
    def decider_avance(self, asp: str, montant: str) -> None:
        montant = self.montants.setdefault(asp, montant)
        creer_versement(self.paiement, decision(asp, montant))

    @rule(asp=st.sampled_from(DOSSIERS))
    def decider_solde(self, asp: str) -> None:
        if asp in self.montants:  # no solde without a decided avance (G3)
            creer_versement(self.paiement, decision(asp, self.montants[asp], "SOLDE"))

    @rule()
    def lancer(self) -> None:
        avant = set(self.stockage.fichiers)
        resultat = lancer_lot(self.paiement)
        nouveaux = set(self.stockage.fichiers) - avant
        assert len(nouveaux) == (0 if resultat.lot is None else 1)
        assert self.depot.verrou is None

    @rule()
    def lancer_pendant_un_autre(self) -> None:
        maintenant = self.horloge.maintenant()
        assert self.depot.prendre_verrou("AUTRE", maintenant, maintenant + timedelta(hours=1))
        avant = dict(self.stockage.fichiers)
        assert lancer_lot(self.paiement).lot is None
        assert self.stockage.fichiers == avant
        self.depot.rendre_verrou("AUTRE")

    @precondition(lambda self: bool(self.stockage.fichiers))
    @rule(
        data=st.data(),
        statuts=st.lists(
            st.tuples(
                st.sampled_from(["ACSC", "ACSC", "RJCT", "ACSP"]),
                st.sampled_from(sorted(MOTIFS_REJET)),
                st.booleans(),
            ),
            min_size=1,
            max_size=12,
        ),
    )
    def retour_bancaire(self, data: st.DataObject, statuts: list[tuple[str, str, bool]]) -> None:
        cle = data.draw(st.sampled_from(sorted(self.stockage.fichiers)))
        pain001 = self.stockage.fichiers[cle]
        reponses = {}
        for (e2e, montant), (statut, code, faux) in zip(
            transactions_pain001(pain001), statuts, strict=False
        ):
            mauvais = str(Montant(montant) + Montant("0.01")) if faux else None
            reponses[e2e] = Reponse(e2e, statut, code if statut == "RJCT" else None, mauvais)
        self.horloge.regler(self.horloge.maintenant() + timedelta(hours=6))
        contenu = repondre(pain001, self.horloge.maintenant(), reponses)
        resultat = traiter_retour(self.paiement, contenu)
        for versement in resultat.payes:
            assert versement.end_to_end not in self.payes  # never paid twice
            self.payes[versement.end_to_end] = versement
        self.retours.append(contenu)

    @precondition(lambda self: bool(self.retours))
    @rule(data=st.data())
    def retour_en_double(self, data: st.DataObject) -> None:
        contenu = data.draw(st.sampled_from(self.retours))
        avant = dict(self.depot.items)
        resultat = traiter_retour(self.paiement, contenu)
        assert resultat.payes == [] and resultat.rejetes == []
        # Only a solde released by the replay may change (never happens: already released).
        assert self.depot.items == avant

    @rule(validees=st.booleans())
    def changer_coordonnees(self, validees: bool) -> None:
        self.compte = 1 - self.compte
        iban, bic = COMPTES[self.compte]
        self.enrolements.definir(SIRET, "ANS1", iban, bic, validees)

    @rule(asp=st.sampled_from(DOSSIERS), type_versement=st.sampled_from(TypeVersement))
    def reemettre_un(self, asp: str, type_versement: TypeVersement) -> None:
        avant = self.depot.lire(asp, type_versement)
        try:
            apres = reemettre(self.paiement, asp, type_versement)
        except ErreurPaiement:
            assert self.depot.lire(asp, type_versement) == avant
            return
        assert avant is not None and avant.etat is EtatVersement.REJETE
        assert apres.etat is EtatVersement.A_PAYER and apres.rang == avant.rang + 1

    @rule()
    def reemettre_tout(self) -> None:
        reemettre_pour_editeur(self.paiement, SIRET, "ANS1")

    # --- invariants ----------------------------------------------------------------

    @invariant()
    def jamais_plus_que_le_montant(self) -> None:
        for asp, montant in self.montants.items():
            versements = self.depot.du_dossier(asp)
            assert total_paye(versements) <= Montant(montant)
            if len(versements) == 2 and all(
                v.etat in (EtatVersement.PAYE, EtatVersement.SANS_OBJET) for v in versements
            ):
                assert total_paye(versements) == Montant(montant)  # to the cent

    @invariant()
    def chaque_versement_coherent(self) -> None:
        for versement in self.depot.items.values():
            # No IBAN in clear on a versement: its ciphertext and the masked copy only.
            assert IBAN_A not in repr(asdict(versement)) and IBAN_B not in repr(asdict(versement))
            if versement.etat in ENVOYES:
                assert versement.iban_chiffre and versement.iban_masque
            if versement.etat is EtatVersement.PAYE:
                assert versement.montant_paye == versement.montant
                assert versement.paye_le is not None
            else:
                assert versement.montant_paye is None
            if versement.type is TypeVersement.SOLDE:
                avance = self.depot.lire(versement.numero_asp, TypeVersement.AVANCE)
                paye = avance_reglee(avance)
                if paye is None:
                    assert versement.etat is EtatVersement.EN_ATTENTE_AVANCE
                else:
                    assert versement.etat is not EtatVersement.EN_ATTENTE_AVANCE
                    assert versement.montant == Montant(
                        max(versement.montant_finance.valeur - paye.valeur, 0)
                    )

    @invariant()
    def jamais_envoye_deux_fois(self) -> None:
        vus: set[str] = set()
        for contenu in self.stockage.fichiers.values():
            for e2e, _ in transactions_pain001(contenu):
                assert e2e not in vus
                vus.add(e2e)
        for versement in self.depot.items.values():
            if versement.etat in (EtatVersement.MIS_EN_PAIEMENT, EtatVersement.PAYE):
                assert versement.end_to_end in vus
            if versement.etat is EtatVersement.A_PAYER:
                assert versement.end_to_end not in vus

    @invariant()
    def un_paiement_est_definitif(self) -> None:
        for e2e, paye in self.payes.items():
            actuel = self.depot.lire(paye.numero_asp, paye.type)
            assert actuel is not None and actuel.etat is EtatVersement.PAYE
            assert actuel.end_to_end == e2e and actuel.montant_paye == paye.montant_paye
        assert self.depot.verrou is None


Paiements.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
test_paiements = Paiements.TestCase
