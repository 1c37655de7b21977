"""Problems of a demande d'enrôlement: one per field, with its path, a code and a French
message naming the field and what is expected.

pydantic's generic errors (missing, wrong type, unknown field…) are translated by the
shared `erreurs_champs`; our own validators raise `PydanticCustomError(code, message)`
whose message already names the field, and are kept as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from shared.api_messages import erreurs_champs
from shared.refus import Refus


@dataclass(frozen=True)
class Probleme:
    champ: str  # dotted path as the client sent it, e.g. "demandeur.adresse.codePostal"
    code: str
    message: str

    def en_dict(self) -> dict[str, str]:
        return {"champ": self.champ, "code": self.code, "message": self.message}


class DemandeInvalide(Refus):
    """The demande cannot be recorded: every problem found, listed at once in `erreurs`."""

    def __init__(self, problemes: Iterable[Probleme]) -> None:
        self.problemes = tuple(problemes)
        nombre = len(self.problemes)
        super().__init__(
            "DEMANDE_INVALIDE",
            f"La demande contient {nombre} erreur{'s' if nombre > 1 else ''}: "
            + " ".join(p.message for p in self.problemes),
            erreurs=[p.en_dict() for p in self.problemes],
        )


# The French name of each field (its last path segment, camelCase as sent).
LIBELLES: dict[str, str] = {
    "numeroAns": "numéro unique de référencement (ANS)",
    "demandeur": "demandeur",
    "siret": "SIRET",
    "denominationSociale": "dénomination sociale",
    "nomCommercial": "nom commercial",
    "adresse": "adresse",
    "destinataire": "identité du destinataire / service",
    "entreeBatiment": "entrée / bâtiment / immeuble",
    "numero": "numéro de voie",
    "extension": "extension du numéro",
    "typeVoie": "type de voie",
    "nomVoie": "nom de voie",
    "complement": "complément d'adresse",
    "codePostal": "code postal",
    "commune": "commune",
    "representantLegal": "je suis le représentant légal du fournisseur",
    "representant": "représentant légal",
    "nom": "nom",
    "prenom": "prénom",
    "email": "email",
    "confirmationEmail": "confirmation de l'email",
    "telephone": "téléphone",
    "tiersDeclarant": "tiers déclarant",
    "qualite": "qualité du tiers déclarant",
    "depositaire": "dépositaire",
    "coordonneesBancaires": "coordonnées bancaires",
    "iban": "IBAN",
    "bic": "BIC",
    "titulaire": "titulaire du compte",
    "domiciliation": "domiciliation",
    "tauxTva": "taux de TVA",
    "cguAcceptees": "acceptation des CGU",
    "sinceriteAttestee": "attestation de sincérité",
    "documents": "documents",
    "certificatReferencement": "certificat de référencement",
    "pieceIdentiteRepresentant": "pièce d'identité du représentant légal",
    "pieceIdentiteDepositaire": "pièce d'identité du dépositaire",
    "contratPrestation": "contrat de prestation",
    "mandat": "mandat du représentant légal",
    "rib": "RIB",
    "kbis": "kbis",
    "attestationNonAssujettissement": "attestation de non-assujettissement à la TVA",
    "jetonAntiRobot": "vérification anti-robot",
}

# A person's fields are named after whom they describe.
_PERSONNES = {"representant": "du représentant", "depositaire": "du dépositaire"}


def libelle(champ: str) -> str:
    """« code postal », « email du dépositaire »… for a dotted path."""
    parties = [p for p in champ.split(".") if p]
    if not parties:
        return "demande"
    feuille = parties[-1]
    texte = LIBELLES.get(feuille, feuille)
    for parent in reversed(parties[:-1]):
        if parent in _PERSONNES and feuille not in _PERSONNES:
            return f"{texte} {_PERSONNES[parent]}"
    return texte


def probleme(champ: str, code: str, attendu: str) -> Probleme:
    """A problem whose message is « Le champ « libellé » (chemin) : attendu »."""
    return Probleme(champ, code, f"Champ « {libelle(champ)} » ({champ}) : {attendu}")


def _code_propre(erreur: Mapping[str, Any]) -> bool:
    # Our validators' codes are upper case (SIRET_INVALIDE); pydantic's are lower case.
    type_ = str(erreur["type"])
    return type_.isupper()


def problemes_validation(exc: ValidationError, prefixe: str = "") -> list[Probleme]:
    """Every error of `exc`, in order; `prefixe` is prepended to each path."""
    resultat: list[Probleme] = []
    for erreur in exc.errors(include_url=False, include_input=False):
        champ = ".".join(str(p) for p in erreur["loc"] if not (isinstance(p, str) and "[" in p))
        champ = f"{prefixe}.{champ}" if prefixe and champ else (prefixe or champ)
        if _code_propre(erreur):
            message = str(erreur["msg"])
            if message[:1].islower():  # what is expected: the field is named before it
                resultat.append(probleme(champ, str(erreur["type"]), message))
            else:  # a whole sentence that names the field itself
                resultat.append(Probleme(champ, str(erreur["type"]), message))
            continue
        (traduit,) = erreurs_champs([erreur])
        resultat.append(probleme(champ, traduit["code"], traduit["message"] + "."))
    return _sans_doublon(resultat)


def _sans_doublon(problemes: Iterable[Probleme]) -> list[Probleme]:
    vus: list[Probleme] = []
    for p in problemes:
        if p not in vus:
            vus.append(p)
    return vus


def fusionner(*listes: Iterable[Probleme]) -> list[Probleme]:
    """The problems of several checks; a field already at fault in an earlier list is not
    reported again by a later one (its value could not be checked further)."""
    resultat: list[Probleme] = []
    deja: set[str] = set()
    for liste in listes:
        nouveaux = list(liste)
        resultat.extend(p for p in nouveaux if p.champ not in deja)
        deja.update(p.champ for p in nouveaux)
    return _sans_doublon(resultat)
