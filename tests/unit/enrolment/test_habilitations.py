"""The claims of a gestionnaire signed in with ProConnect (Cognito's pre token generation).

The events have the shape Cognito sends (trigger version 1); a federated user carries
the `identities` attribute, a JSON string Cognito writes and the user cannot.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from services.enrolment.adapters.habilitations import FICHIER, habilitations_livrees
from services.enrolment.domain.habilitations import (
    GROUPE_GESTIONNAIRES,
    EvenementJetonInvalide,
    Habilitations,
    HabilitationsInvalides,
    revendications,
)

SIRET_DINUM = "11002001300097"
SIRET_AUTRE = "13002526500013"
HABILITATIONS = Habilitations.depuis(
    {"siret": [SIRET_DINUM], "emails": ["Claire.Martin@ars.sante.fr"]}
)


def _evenement(*, fournisseur: str | None = "ProConnect", **attributs: str) -> dict[str, Any]:
    utilisateur: dict[str, str] = {"sub": "0b1c", "email_verified": "true", **attributs}
    if fournisseur is not None:
        utilisateur["identities"] = json.dumps(
            [
                {
                    "userId": "a1b2",
                    "providerName": fournisseur,
                    "providerType": "OIDC",
                    "issuer": None,
                    "primary": "true",
                    "dateCreated": "1733600000000",
                }
            ]
        )
        utilisateur["cognito:user_status"] = "EXTERNAL_PROVIDER"
    return {
        "version": "1",
        "triggerSource": "TokenGeneration_HostedAuth",
        "region": "eu-west-3",
        "userPoolId": "eu-west-3_abc",
        "userName": f"{fournisseur}_a1b2" if fournisseur else "editeur@exemple.fr",
        "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": "xyz"},
        "request": {
            "userAttributes": utilisateur,
            "groupConfiguration": {
                "groupsToOverride": ["editeurs"],
                "iamRolesToOverride": [],
                "preferredRole": None,
            },
        },
        "response": {"claimsOverrideDetails": None},
    }


def _groupes(reponse: dict[str, Any]) -> list[str]:
    details = reponse["response"]["claimsOverrideDetails"]
    return list(details["groupOverrideDetails"]["groupsToOverride"])


def test_un_email_autorise_donne_le_groupe_gestionnaires() -> None:
    evenement = _evenement(
        email="claire.martin@ars.sante.fr",
        given_name="Claire",
        family_name="Martin",
        **{"custom:siret": SIRET_AUTRE},
    )
    reponse = revendications(evenement, HABILITATIONS)
    assert _groupes(reponse) == [GROUPE_GESTIONNAIRES]
    details = reponse["response"]["claimsOverrideDetails"]
    assert details["claimsToAddOrOverride"] == {"name": "Claire Martin"}
    # the organisation's SIRET never reaches the API as an éditeur's
    assert details["claimsToSuppress"] == ["custom:siret"]
    assert reponse["request"] == evenement["request"]  # the rest of the event as it came


def test_une_organisation_autorisee_donne_le_groupe() -> None:
    evenement = _evenement(email="agent@numerique.gouv.fr", **{"custom:siret": SIRET_DINUM})
    assert _groupes(revendications(evenement, HABILITATIONS)) == [GROUPE_GESTIONNAIRES]


def test_un_agent_hors_liste_n_a_aucun_groupe() -> None:
    """Not even the group the pool would have given (an operator's mistaken addition)."""
    evenement = _evenement(email="agent@ailleurs.gouv.fr", **{"custom:siret": SIRET_AUTRE})
    reponse = revendications(evenement, HABILITATIONS)
    assert _groupes(reponse) == []
    assert reponse["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"] == {}


def test_un_autre_fournisseur_federe_n_a_aucun_groupe() -> None:
    evenement = _evenement(
        fournisseur="AutreFournisseur",
        email="claire.martin@ars.sante.fr",
        **{"custom:siret": SIRET_DINUM},
    )
    assert _groupes(revendications(evenement, HABILITATIONS)) == []


def test_un_utilisateur_du_pool_est_laisse_tel_quel() -> None:
    """An éditeur (or a local account) whose email is in the list stays what the pool says."""
    evenement = _evenement(
        fournisseur=None, email="claire.martin@ars.sante.fr", **{"custom:siret": SIRET_DINUM}
    )
    avant = copy.deepcopy(evenement)
    assert revendications(evenement, HABILITATIONS) == avant
    assert evenement == avant


@pytest.mark.parametrize(
    "evenement",
    [
        None,
        [],
        {},
        {"request": {}},
        {"request": {"userAttributes": "email=x"}},
        {"request": {"userAttributes": {"identities": "pas du json"}}},
        {"request": {"userAttributes": {"identities": "[]"}}},
        {"request": {"userAttributes": {"identities": '[{"userId": "1"}]'}}},
        {"request": {"userAttributes": {"identities": '"ProConnect"'}}},
    ],
)
def test_un_evenement_malforme_est_refuse(evenement: Any) -> None:
    """Cognito then issues no token: nobody is signed in on a guess."""
    with pytest.raises(EvenementJetonInvalide):
        revendications(evenement, HABILITATIONS)


@pytest.mark.parametrize(
    ("brut", "champ"),
    [
        ([], "objet"),
        ({"siret": "11002001300097"}, "siret"),
        ({"siret": ["11002001300098"]}, "11002001300098"),
        ({"emails": ["pas-une-adresse"]}, "pas-une-adresse"),
        ({"emails": [42]}, "emails"),
    ],
)
def test_une_liste_malformee_est_refusee_en_nommant_l_entree(brut: Any, champ: str) -> None:
    with pytest.raises(HabilitationsInvalides, match=champ):
        Habilitations.depuis(brut)


def test_la_liste_livree_est_lisible_et_documentee() -> None:
    brut = json.loads(FICHIER.read_text(encoding="utf-8"))
    assert "description" in brut
    assert isinstance(habilitations_livrees(), Habilitations)


def test_le_fichier_d_une_liste_est_lu_tel_quel(tmp_path: Path) -> None:
    chemin = tmp_path / "gestionnaires.json"
    chemin.write_text(json.dumps({"siret": [SIRET_DINUM], "emails": []}), encoding="utf-8")
    assert habilitations_livrees(chemin).autorise(None, SIRET_DINUM)


def test_le_groupe_est_celui_de_l_api() -> None:
    from shared.web import GROUPE_GESTIONNAIRES as GROUPE_API

    assert GROUPE_GESTIONNAIRES == GROUPE_API


def test_le_handler_repond_a_cognito_sans_aucun_reglage(monkeypatch: pytest.MonkeyPatch) -> None:
    """The trigger requires no setting (tests/infra/test_reglages.py relies on it)."""
    import os

    from services.enrolment import api
    from shared.settings import recharger

    for variable in [v for v in os.environ if v.startswith("SEGURNUM_")]:
        monkeypatch.delenv(variable)
    recharger()
    try:
        evenement = _evenement(email="agent@ailleurs.gouv.fr")
        reponse = api.enrolment_jeton_connexion(evenement, None)
        assert _groupes(reponse) == []
    finally:
        monkeypatch.undo()
        recharger()
