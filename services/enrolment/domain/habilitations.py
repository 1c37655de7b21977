"""Who is a gestionnaire when signing in with ProConnect (the State's identity for agents).

Cognito calls the pre token generation trigger before it issues each token. For a user
federated from ProConnect the groups of the token are replaced (never added to): the
`gestionnaires` group when the agent's email or organisation (SIRET) is in the allow-list
kept as data (services/enrolment/donnees/gestionnaires.json), no group otherwise. A user
of the pool itself (an éditeur, a local account) is left untouched. Pure: the event in, the
event with its response out.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared.identifiants import siret_valide

# The identity provider's name in the template (infra/resources.yaml, ProConnectFournisseur).
FOURNISSEUR_PROCONNECT = "ProConnect"
# shared.web.GROUPE_GESTIONNAIRES (a test compares): the domain does not import chalice.
GROUPE_GESTIONNAIRES = "gestionnaires"
# The attribute the ProConnect `siret` claim is mapped to (the organisation of the agent).
ATTRIBUT_SIRET = "custom:siret"


class EvenementJetonInvalide(ValueError):
    """Not an event Cognito sends: refused, so that Cognito issues no token at all."""


class HabilitationsInvalides(ValueError):
    """The allow-list file is malformed: the message names the entry."""


@dataclass(frozen=True)
class Habilitations:
    """The organisations (SIRET) and emails whose ProConnect agents are gestionnaires."""

    siret: frozenset[str]
    emails: frozenset[str]

    @classmethod
    def depuis(cls, brut: Any) -> Habilitations:
        if not isinstance(brut, Mapping):
            raise HabilitationsInvalides("La liste des habilitations doit être un objet JSON.")
        siret = _chaines(brut, "siret")
        emails = _chaines(brut, "emails")
        for valeur in siret:
            if not siret_valide(valeur):
                raise HabilitationsInvalides(
                    f"« siret » : « {valeur} » n'est pas un SIRET valide (14 chiffres, clé juste)."
                )
        for valeur in emails:
            if not _email(valeur):
                raise HabilitationsInvalides(
                    f"« emails » : « {valeur} » n'est pas une adresse électronique."
                )
        return cls(frozenset(siret), frozenset(e.lower() for e in emails))

    def autorise(self, email: str | None, siret: str | None) -> bool:
        return bool(
            (email and email.strip().lower() in self.emails)
            or (siret and siret.strip() in self.siret)
        )


def _chaines(brut: Mapping[str, Any], champ: str) -> list[str]:
    valeurs = brut.get(champ, [])
    if not isinstance(valeurs, list) or not all(isinstance(v, str) for v in valeurs):
        raise HabilitationsInvalides(f"« {champ} » doit être une liste de chaînes.")
    return valeurs


def _email(valeur: str) -> bool:
    local, _, domaine = valeur.partition("@")
    return bool(local) and "." in domaine and " " not in valeur and "@" not in domaine


def fournisseur(attributs: Mapping[str, Any]) -> str | None:
    """The identity provider a federated user came from, None for a user of the pool.

    Cognito keeps it in the `identities` attribute, a JSON list the user cannot write."""
    brut = attributs.get("identities")
    if brut is None:
        return None
    try:
        identites = json.loads(brut) if isinstance(brut, str) else brut
    except ValueError:
        raise EvenementJetonInvalide("L'attribut « identities » n'est pas du JSON.") from None
    if (
        not isinstance(identites, list)
        or not identites
        or not all(isinstance(i, Mapping) for i in identites)
        or not isinstance(identites[0].get("providerName"), str)
    ):
        raise EvenementJetonInvalide("L'attribut « identities » ne nomme aucun fournisseur.")
    return str(identites[0]["providerName"])


def revendications(evenement: Any, habilitations: Habilitations) -> dict[str, Any]:
    """The trigger's answer: the event, with the groups (and name) of a federated user."""
    if not isinstance(evenement, Mapping):
        raise EvenementJetonInvalide("L'événement de Cognito doit être un objet.")
    requete = evenement.get("request")
    attributs = requete.get("userAttributes") if isinstance(requete, Mapping) else None
    if not isinstance(attributs, Mapping):
        raise EvenementJetonInvalide("L'événement de Cognito n'a pas d'attributs d'utilisateur.")
    resultat = dict(evenement)
    origine = fournisseur(attributs)
    if origine is None:
        return resultat  # a user of the pool: its groups are the pool's own
    # Any other federated provider (none is declared today) gets no group either.
    autorise = origine == FOURNISSEUR_PROCONNECT and habilitations.autorise(
        _texte(attributs.get("email")), _texte(attributs.get(ATTRIBUT_SIRET))
    )
    nom = " ".join(
        p for p in (_texte(attributs.get("given_name")), _texte(attributs.get("family_name"))) if p
    )
    resultat["response"] = {
        "claimsOverrideDetails": {
            # The name the history shows (shared.web.Identite.auteur): « Prénom Nom ».
            "claimsToAddOrOverride": {"name": nom} if nom else {},
            # The API reads custom:siret as an éditeur's: never an agent's organisation.
            "claimsToSuppress": [ATTRIBUT_SIRET],
            "groupOverrideDetails": {
                "groupsToOverride": [GROUPE_GESTIONNAIRES] if autorise else [],
                "iamRolesToOverride": [],
            },
        }
    }
    return resultat


def _texte(valeur: Any) -> str | None:
    return valeur.strip() or None if isinstance(valeur, str) else None
