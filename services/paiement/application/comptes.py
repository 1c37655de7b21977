"""Bank details for one run (a lot, the re-issues after a change): the IBAN decrypted at
most once per SIRET.

A lot pays up to 1,000 versements, often many for one éditeur: one KMS Decrypt each was
slow and costly. An éditeur's bank details are its structure's (every enrolment record of
a SIRET gets the same IBAN/BIC when a gestionnaire validates them), so within one run a
SIRET is paid to the account first read for it: its IBAN, BIC, holder and the ciphertext
that the versements keep. Each record's own statut (validated or not) is still its own.
Records are read once per run, a lot's all at once (`precharger`: a batch read per 100
enrolments, not a read per versement). The cache lives as long as the run: a later run
reads the details afresh.
"""

from __future__ import annotations

from collections.abc import Iterable

from services.paiement.application.ports import Enrolements
from services.paiement.domain.versement import (
    CoordonneesBancaires,
    CoordonneesChiffrees,
    Versement,
)
from shared.chiffrement import Chiffrement, contexte_iban


class Comptes:
    def __init__(self, enrolements: Enrolements, chiffrement: Chiffrement) -> None:
        self._enrolements = enrolements
        self._chiffrement = chiffrement
        self._par_siret: dict[str, CoordonneesBancaires] = {}
        self._clairs: dict[tuple[str, str], str] = {}  # (siret, ciphertext) → IBAN
        self._lus: dict[tuple[str, str], CoordonneesChiffrees | None] = {}  # this run's reads

    def precharger(self, cles: Iterable[tuple[str, str]]) -> None:
        """Reads these (siret, numeroAns) enrolments at once, those not read yet."""
        a_lire = {cle for cle in cles if cle not in self._lus}
        if a_lire:
            trouves = self._enrolements.lire_comptes(a_lire)
            self._lus.update({cle: trouves.get(cle) for cle in a_lire})

    def coordonnees(self, siret: str, numero_ans: str) -> CoordonneesBancaires | None:
        """The enrolment's bank details, IBAN in clear; None without an enrolment or IBAN."""
        cle = (siret, numero_ans)
        if cle not in self._lus:
            self._lus[cle] = self._enrolements.compte(siret, numero_ans)
        lues = self._lus[cle]
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
