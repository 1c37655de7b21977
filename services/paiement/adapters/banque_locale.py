"""A stand-in for the bank, for the tests and the local demo: answers a pain.001 with a
pain.002.001.10 status report (every transaction ACSC unless told otherwise)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree

SCHEMA = "pain.002.001.10"
_PAIN001 = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.09}"


@dataclass(frozen=True)
class Reponse:
    end_to_end: str
    statut: str = "ACSC"
    code_motif: str | None = None
    montant: str | None = None  # as sent unless given (None in rapport_pain002: left out)


def transactions_pain001(contenu: bytes) -> list[tuple[str, str]]:
    """(end-to-end id, amount) of each transaction of a pain.001.001.09."""
    racine = SafeElementTree.fromstring(contenu)
    return [
        (
            transaction.findtext(f"{_PAIN001}PmtId/{_PAIN001}EndToEndId", ""),
            transaction.findtext(f"{_PAIN001}Amt/{_PAIN001}InstdAmt", ""),
        )
        for transaction in racine.iter(f"{_PAIN001}CdtTrfTxInf")
    ]


def message_pain001(contenu: bytes) -> str:
    racine = SafeElementTree.fromstring(contenu)
    return str(racine.findtext(f".//{_PAIN001}GrpHdr/{_PAIN001}MsgId", ""))


def repondre(
    pain001: bytes,
    instant: datetime,
    reponses: Mapping[str, Reponse] | None = None,
    message_id: str | None = None,
) -> bytes:
    """The bank's answer to a whole file; `reponses` overrides some transactions."""
    reponses = reponses or {}
    transactions = [
        Reponse(
            end_to_end=e2e,
            statut=reponses[e2e].statut if e2e in reponses else "ACSC",
            code_motif=reponses[e2e].code_motif if e2e in reponses else None,
            montant=(reponses[e2e].montant if e2e in reponses else None) or montant,
        )
        for e2e, montant in transactions_pain001(pain001)
    ]
    origine = message_pain001(pain001)
    return rapport_pain002(message_id or f"RET-{origine}"[:35], origine, instant, transactions)


def _sous(parent: ElementTree.Element, nom: str, texte: str | None = None) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, nom)
    if texte is not None:
        element.text = texte
    return element


def rapport_pain002(
    message_id: str,
    origine: str,
    instant: datetime,
    transactions: Sequence[Reponse],
    statut_groupe: str | None = None,
    code_motif_groupe: str | None = None,
) -> bytes:
    horodatage = instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    document = ElementTree.Element("Document", xmlns=f"urn:iso:std:iso:20022:tech:xsd:{SCHEMA}")
    rapport = _sous(document, "CstmrPmtStsRpt")
    entete = _sous(rapport, "GrpHdr")
    _sous(entete, "MsgId", message_id)
    _sous(entete, "CreDtTm", horodatage)
    groupe = _sous(rapport, "OrgnlGrpInfAndSts")
    _sous(groupe, "OrgnlMsgId", origine)
    _sous(groupe, "OrgnlMsgNmId", "pain.001.001.09")
    statuts = {t.statut for t in transactions}
    if statut_groupe is None:
        statut_groupe = statuts.pop() if len(statuts) == 1 else "PART"
    _sous(groupe, "GrpSts", statut_groupe)
    if code_motif_groupe:
        _sous(_sous(_sous(groupe, "StsRsnInf"), "Rsn"), "Cd", code_motif_groupe)
    if transactions:
        lot = _sous(rapport, "OrgnlPmtInfAndSts")
        _sous(lot, "OrgnlPmtInfId", origine)
        for transaction in transactions:
            info = _sous(lot, "TxInfAndSts")
            _sous(info, "OrgnlEndToEndId", transaction.end_to_end)
            _sous(info, "TxSts", transaction.statut)
            if transaction.code_motif:
                _sous(_sous(_sous(info, "StsRsnInf"), "Rsn"), "Cd", transaction.code_motif)
            if transaction.statut in ("ACSC", "ACCC"):
                _sous(info, "AccptncDtTm", horodatage)
            if transaction.montant is not None:
                montant = _sous(_sous(_sous(info, "OrgnlTxRef"), "Amt"), "InstdAmt")
                montant.set("Ccy", "EUR")
                montant.text = transaction.montant
    corps: bytes = ElementTree.tostring(document, encoding="unicode").encode("utf-8")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + corps
