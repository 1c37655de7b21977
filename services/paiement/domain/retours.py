"""The bank's returns: ISO 20022 status report pain.002 (CstmrPmtStsRpt).

The file comes from outside: read by defusedxml, without DTD, without entities, without
network access (an XML bomb or an external entity is refused before any expansion), of
bounded size. Versions read: pain.002.001.03 to .12 (same elements for what we use).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from services.paiement.domain.versement import ErreurPaiement
from shared.horloge import heure_paris
from shared.montant import Montant, MontantInvalide
from shared.refus import NatureRefus

TAILLE_MAX = 10 * 1024 * 1024
_ESPACE = re.compile(r"\{urn:iso:std:iso:20022:tech:xsd:pain\.002\.001\.(0[3-9]|1[0-2])\}")

STATUTS_PAYE = frozenset({"ACSC", "ACCC"})  # settled (at the beneficiary's for ACCC)
STATUT_REJETE = "RJCT"


class RetourIllisible(ErreurPaiement):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "RETOUR_ILLISIBLE",
            f"Le fichier de retour bancaire est refusé: {detail}. Aucun versement n'a été modifié.",
            NatureRefus.INVALIDE,
        )


@dataclass(frozen=True)
class StatutTransaction:
    end_to_end: str
    statut: str  # ACSC, ACCC, RJCT, ACSP, PDNG…
    code_motif: str | None
    montant: Montant | None
    devise: str | None
    date: datetime | None  # AccptncDtTm, otherwise the report's date


@dataclass(frozen=True)
class RapportBancaire:
    message_id: str
    cree_le: datetime | None
    message_origine: str | None  # MsgId of the pain.001: the lot's identifier
    statut_groupe: str | None
    code_motif_groupe: str | None
    transactions: tuple[StatutTransaction, ...]


class _Lecteur:
    """Lookup by local name, in the document's namespace."""

    def __init__(self, espace: str) -> None:
        self.espace = espace

    def chemin(self, chemin: str) -> str:
        return "/".join(f"{self.espace}{nom}" for nom in chemin.split("/"))

    def texte(self, noeud: Any, chemin: str) -> str | None:
        valeur = noeud.findtext(self.chemin(chemin))
        return valeur.strip() if valeur and valeur.strip() else None

    def tous(self, noeud: Any, chemin: str) -> list[Any]:
        return list(noeud.iterfind(self.chemin(chemin)))

    def un(self, noeud: Any, chemin: str) -> Any:
        return noeud.find(self.chemin(chemin))


def _instant(texte: str | None, quoi: str) -> datetime | None:
    if texte is None:
        return None
    try:
        return heure_paris(texte.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RetourIllisible(f"{quoi} illisible ({texte!r})") from exc


def _montant(noeud: Any, lecteur: _Lecteur, end_to_end: str) -> tuple[Montant | None, str | None]:
    montant = lecteur.un(noeud, "OrgnlTxRef/Amt/InstdAmt")
    if montant is None or not (montant.text or "").strip():
        return None, None
    try:
        return Montant.exact(Decimal(montant.text.strip())), montant.get("Ccy")
    except (InvalidOperation, MontantInvalide) as exc:
        raise RetourIllisible(f"montant illisible pour {end_to_end} ({montant.text!r})") from exc


def _racine(contenu: bytes) -> Any:
    if len(contenu) > TAILLE_MAX:
        raise RetourIllisible(f"fichier de plus de {TAILLE_MAX // (1024 * 1024)} Mo")
    try:
        return SafeElementTree.fromstring(
            contenu, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise RetourIllisible(
            "le XML déclare une DTD ou des entités (interdites dans un fichier bancaire)"
        ) from exc
    except SafeElementTree.ParseError as exc:
        raise RetourIllisible(f"XML mal formé ({exc})") from exc


def lire_pain002(contenu: bytes) -> RapportBancaire:
    racine = _racine(contenu)
    trouve = _ESPACE.match(racine.tag)
    if trouve is None or not racine.tag.endswith("}Document"):
        raise RetourIllisible(f"ce n'est pas un rapport pain.002 (élément racine {racine.tag!r})")
    lecteur = _Lecteur(trouve.group(0))
    rapport = lecteur.un(racine, "CstmrPmtStsRpt")
    if rapport is None:
        raise RetourIllisible("élément CstmrPmtStsRpt absent")
    message_id = lecteur.texte(rapport, "GrpHdr/MsgId")
    if message_id is None:
        raise RetourIllisible("identifiant du rapport (GrpHdr/MsgId) absent")
    cree_le = _instant(lecteur.texte(rapport, "GrpHdr/CreDtTm"), "date du rapport")
    groupe = lecteur.un(rapport, "OrgnlGrpInfAndSts")
    transactions: list[StatutTransaction] = []
    for info in lecteur.tous(rapport, "OrgnlPmtInfAndSts/TxInfAndSts"):
        end_to_end = lecteur.texte(info, "OrgnlEndToEndId") or ""
        montant, devise = _montant(info, lecteur, end_to_end)
        accepte = _instant(
            lecteur.texte(info, "AccptncDtTm"), f"date d'acceptation de {end_to_end}"
        )
        transactions.append(
            StatutTransaction(
                end_to_end=end_to_end,
                statut=lecteur.texte(info, "TxSts") or "",
                code_motif=lecteur.texte(info, "StsRsnInf/Rsn/Cd"),
                montant=montant,
                devise=devise,
                date=accepte or cree_le,
            )
        )
    return RapportBancaire(
        message_id=message_id,
        cree_le=cree_le,
        message_origine=None if groupe is None else lecteur.texte(groupe, "OrgnlMsgId"),
        statut_groupe=None if groupe is None else lecteur.texte(groupe, "GrpSts"),
        code_motif_groupe=None if groupe is None else lecteur.texte(groupe, "StsRsnInf/Rsn/Cd"),
        transactions=tuple(transactions),
    )
