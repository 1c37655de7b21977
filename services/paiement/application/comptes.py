"""Bank details for one run (a lot, the re-issues after a change): the IBAN decrypted at
most once per SIRET.

A lot pays up to 1,000 versements, often many for one éditeur: one KMS Decrypt each was
slow and costly. An éditeur's bank details are its structure's (every enrolment record of
a SIRET gets the same IBAN/BIC when a gestionnaire validates them), so within one run a
SIRET is paid to the account first read for it: its IBAN, BIC, holder and the ciphertext
that the versements keep. Each record's own statut (validated or not) is still read per
versement. The cache lives as long as the run: a later run reads the details afresh.
"""

from __future__ import annotations

from services.paiement.application.ports import Enrolements
from services.paiement.domain.versement import CoordonneesBancaires, Versement
from shared.chiffrement import Chiffrement, contexte_iban


class Comptes:
    def __init__(self, enrolements: Enrolements, chiffrement: Chiffrement) -> None:
        self._enrolements = enrolements
        self._chiffrement = chiffrement
        self._par_siret: dict[str, CoordonneesBancaires] = {}
        self._clairs: dict[tuple[str, str], str] = {}  # (siret, ciphertext) → IBAN

    def coordonnees(self, siret: str, numero_ans: str) -> CoordonneesBancaires | None:
        """The enrolment's bank details, IBAN in clear; None without an enrolment or IBAN."""
        lues = self._enrolements.compte(siret, numero_ans)
        if lues is None:
            return None
        connues = self._par_siret.get(siret)
        if connues is None:
            connues = self._par_siret[siret] = CoordonneesBancaires(
                titulaire=lues.titulaire,
                iban=self._dechiffrer(siret, lues.iban_chiffre),
                bic=lues.bic,
                validees=lues.validees,
                iban_chiffre=lues.iban_chiffre,
            )
        return CoordonneesBancaires(
            titulaire=connues.titulaire,
            iban=connues.iban,
            bic=connues.bic,
            validees=lues.validees,  # this record's statut
            iban_chiffre=connues.iban_chiffre,
        )

    def iban(self, versement: Versement) -> str | None:
        """The clear IBAN of the versement's current emission (None if it has none)."""
        if versement.iban_chiffre is None:
            return None
        return self._dechiffrer(versement.siret, versement.iban_chiffre)

    def _dechiffrer(self, siret: str, chiffre: str) -> str:
        cle = (siret, chiffre)
        if cle not in self._clairs:
            self._clairs[cle] = self._chiffrement.dechiffrer(chiffre, contexte_iban(siret))
        return self._clairs[cle]
