"""A lot's SEPA credit transfer file: pain.001.001.09 (sepaxml), validated against the
XSD that sepaxml ships before it is stored.

One transaction per versement, to the enrolment's IBAN/BIC; a unique end-to-end
identifier (the versement and its emission rank); label = the demande's number + objet.
The debited account is the paying agency's (settings). MsgId = the lot's identifier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from typing import Any

from services.paiement.domain.versement import ErreurPaiement, EtatVersement, Versement
from shared.montant import ZERO, Montant
from shared.refus import NatureRefus

SCHEMA = "pain.001.001.09"
ESPACE = f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}"


@dataclass(frozen=True)
class Payeur:
    """The debtor: the « Agence de services et de paiement » (ASP)."""

    nom: str
    iban: str
    bic: str


@dataclass(frozen=True)
class FichierSepa:
    contenu: bytes
    message_id: str
    nombre: int
    total: Montant


class FichierSepaInvalide(ErreurPaiement):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "FICHIER_SEPA_INVALIDE",
            f"Le fichier de virements ne respecte pas le schéma {SCHEMA}: {detail}",
            NatureRefus.INTERNE,
        )


@lru_cache(maxsize=1)
def _classe_virement() -> Any:
    """sepaxml, loaded at the first lot produced (cold start of the other handlers)."""
    from sepaxml import SepaTransfer

    class _Virement(SepaTransfer):  # type: ignore[misc]
        """sepaxml, with the lot's identifier and time rather than a random value and the
        system time."""

        def __init__(self, config: dict[str, Any], message_id: str, cree_le: datetime) -> None:
            self._message_id = message_id
            self._cree_le = cree_le
            super().__init__(config, schema=SCHEMA, clean=True)

        def _create_header(self) -> None:
            super()._create_header()
            entete = self._xml.find("CstmrCdtTrfInitn/GrpHdr")
            entete.find("MsgId").text = self._message_id
            entete.find("CreDtTm").text = self._cree_le.astimezone(UTC).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
            self.msg_id = self._message_id

    return _Virement


def _centimes(montant: Montant) -> int:
    return int(montant.valeur * 100)


def libelle(versement: Versement) -> str:
    """Remittance information (unstructured): the demande's number and objet."""
    return f"{versement.numero_demande} {versement.objet}"


def generer_pain001(
    message_id: str,
    cree_le: datetime,
    execution: date,
    payeur: Payeur,
    versements: Sequence[Versement],
    ibans: Mapping[str, str],
) -> FichierSepa:
    """The file, validated; no versement: no file (ValueError). `ibans`: the clear IBAN of
    each versement, by end-to-end identifier (the versement keeps only its ciphertext and
    its mask)."""
    if not versements:
        raise ValueError("aucun versement: pas de fichier de virements")
    virement = _classe_virement()(
        {
            "name": payeur.nom,
            "IBAN": payeur.iban,
            "BIC": payeur.bic,
            "batch": True,
            "currency": "EUR",
        },
        message_id,
        cree_le,
    )
    total = ZERO
    identifiants: set[str] = set()
    for versement in versements:
        if versement.etat is not EtatVersement.MIS_EN_PAIEMENT or versement.montant is None:
            raise ValueError(f"{versement.end_to_end} n'est pas mis en paiement")
        if versement.end_to_end in identifiants:
            raise ValueError(f"identifiant de bout en bout en double: {versement.end_to_end}")
        identifiants.add(versement.end_to_end)
        total = total + versement.montant
        virement.add_payment(
            {
                "name": versement.titulaire or "",
                "IBAN": ibans.get(versement.end_to_end, ""),
                "BIC": versement.bic or "",
                "amount": _centimes(versement.montant),
                "execution_date": execution,
                "description": libelle(versement),
                "endtoend_id": versement.end_to_end,
            }
        )
    contenu: bytes = virement.export(validate=False)
    valider_pain001(contenu)
    nombre, somme = totaux_pain001(contenu)
    if nombre != len(versements) or somme != total:
        raise FichierSepaInvalide(
            f"{nombre} transactions pour {somme} € au lieu de {len(versements)} pour {total} €"
        )
    return FichierSepa(contenu=contenu, message_id=message_id, nombre=nombre, total=total)


@lru_cache(maxsize=1)
def _schema() -> Any:
    import xmlschema  # slow to load: only when a lot is produced

    chemin = resources.files("sepaxml") / "schemas" / f"{SCHEMA}.xsd"
    with resources.as_file(chemin) as fichier:
        return xmlschema.XMLSchema(str(fichier))


def valider_pain001(contenu: bytes) -> None:
    erreurs = list(_schema().iter_errors(contenu.decode("utf-8")))
    if erreurs:
        premiere = erreurs[0]
        raise FichierSepaInvalide(f"{premiere.reason} ({premiere.path})")


def totaux_pain001(contenu: bytes) -> tuple[int, Montant]:
    """NbOfTxs and CtrlSum of the header."""
    from defusedxml import ElementTree

    racine = ElementTree.fromstring(contenu)
    entete = racine.find(f"{{{ESPACE}}}CstmrCdtTrfInitn/{{{ESPACE}}}GrpHdr")
    if entete is None:
        raise FichierSepaInvalide("en-tête de groupe absent")
    return (
        int(entete.findtext(f"{{{ESPACE}}}NbOfTxs", "0")),
        Montant.exact(entete.findtext(f"{{{ESPACE}}}CtrlSum", "0")),
    )
