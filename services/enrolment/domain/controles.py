"""E2 rules that join several fields, checked on the demande as received (a dict), so they
are reported even when some other field is wrong: confirmation of each email, représentant
légal or tiers déclarant, the référencement known, and the documents the answers require.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from services.enrolment.domain.communes import codes_postaux, departement
from services.enrolment.domain.documents import Reponses, controler_presence
from services.enrolment.domain.erreurs import Probleme, probleme
from services.enrolment.domain.referentiel import numero_ans_valide
from shared.enrolement import ReferencementAns
from shared.identifiants import siret_valide


def _valeur(brut: Any, *chemin: str) -> Any:
    for nom in chemin:
        if not isinstance(brut, Mapping):
            return None
        brut = brut.get(nom)
    return brut


def texte(brut: Any, *chemin: str) -> str | None:
    valeur = _valeur(brut, *chemin)
    return valeur if isinstance(valeur, str) else None


def _cles(brut: Any, *chemin: str) -> set[str]:
    valeur = _valeur(brut, *chemin)
    return (
        {str(k) for k, v in valeur.items() if v is not None}
        if isinstance(valeur, Mapping)
        else set()
    )


def denomination_normalisee(texte: str) -> str:
    """Case, accents, punctuation and spacing do not make a different dénomination."""
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    mots = "".join(c if c.isalnum() else " " for c in sans_accents.casefold()).split()
    return " ".join(mots)


def denomination_modifiee(donnee: str | None, connue: str | None) -> bool:
    """True when a kbis must justify the dénomination: it differs from the one known for
    the SIRET, or none is known."""
    if donnee is None:
        return False
    return connue is None or denomination_normalisee(donnee) != denomination_normalisee(connue)


def _confirmation(brut: Any, chemin: tuple[str, ...], qui: str) -> list[Probleme]:
    email = texte(brut, *chemin, "email")
    confirmation = texte(brut, *chemin, "confirmationEmail")
    if email is None or confirmation is None:
        return []
    if email.strip().casefold() == confirmation.strip().casefold():
        return []
    champ = ".".join((*chemin, "confirmationEmail"))
    return [
        probleme(
            champ,
            "CONFIRMATION_EMAIL_DIFFERENTE",
            f"la confirmation doit être identique à l'email {qui} « {email} ».",
        )
    ]


def _referencement(brut: Any, referencement: ReferencementAns | None) -> list[Probleme]:
    numero = texte(brut, "numeroAns")
    if numero is None or not numero_ans_valide(numero) or referencement is not None:
        return []
    return [
        probleme(
            "numeroAns",
            "NUMERO_ANS_INCONNU",
            f"le numéro « {numero} » n'est pas dans le référentiel ANS : saisissez le numéro "
            "unique de référencement figurant sur le certificat délivré par l'ANS.",
        )
    ]


def _commune(brut: Any) -> list[Probleme]:
    """The commune is one of the code postal's (services/enrolment/domain/communes.py). Not
    judged while the code postal is itself malformed (that error is reported instead)."""
    racine = "demandeur.adresse"
    code = texte(brut, "demandeur", "adresse", "codePostal")
    commune = texte(brut, "demandeur", "adresse", "commune")
    if code is None or not (len(code) == 5 and code.isdigit()) or not (commune or "").strip():
        return []
    assert commune is not None
    verdict = codes_postaux().verifier(code, commune)
    if verdict.correspond:
        return []
    if not verdict.code_connu:
        return [
            Probleme(
                f"{racine}.codePostal",
                "CODE_POSTAL_INCONNU",
                f"Le code postal « {code} » n'existe pas dans la base officielle des codes "
                "postaux de La Poste. Pour un code CEDEX, écrivez la commune suivie de CEDEX "
                "(par exemple « LIMOGES CEDEX 1 »).",
            )
        ]
    if verdict.attendues:
        attendues = ", ".join(verdict.attendues)
        pluriel = "s" if len(verdict.attendues) > 1 else ""
        message = (
            f"La commune « {commune.strip()} » ne correspond pas au code postal {code} "
            f"(commune{pluriel} attendue{pluriel} : {attendues})."
        )
    else:
        message = (
            f"La commune « {commune.strip()} » n'est pas une commune du département "
            f"{departement(code)} (code postal CEDEX {code})."
        )
    return [Probleme(f"{racine}.commune", "COMMUNE_CODE_POSTAL", message)]


def _personnes(brut: Any) -> list[Probleme]:
    return [
        *_confirmation(brut, ("representant",), "du représentant"),
        *_confirmation(brut, ("tiersDeclarant", "depositaire"), "du dépositaire"),
    ]


def _kbis_requis(brut: Mapping[str, Any], referencement: ReferencementAns | None) -> bool:
    """The dénomination sociale differs from the one the référentiel knows for the SIRET
    (or the SIRET is not the référencement's éditeur). Not judged while the référencement,
    the SIRET or the dénomination is itself at fault (that error is reported instead)."""
    siret = (texte(brut, "demandeur", "siret") or "").replace(" ", "")
    denomination = texte(brut, "demandeur", "denominationSociale")
    if referencement is None or not siret_valide(siret) or not (denomination or "").strip():
        return False
    connue = referencement.raison_sociale if referencement.siret == siret else None
    return denomination_modifiee(denomination, connue)


def controler_enrolement(
    brut: Mapping[str, Any], referencement: ReferencementAns | None
) -> list[Probleme]:
    """E2: the rules across fields of a first demande d'enrôlement."""
    problemes = [*_referencement(brut, referencement), *_personnes(brut), *_commune(brut)]
    representant_legal = _valeur(brut, "representantLegal")
    tiers = _valeur(brut, "tiersDeclarant")
    if representant_legal is True and tiers is not None:
        problemes.append(
            probleme(
                "tiersDeclarant",
                "TIERS_DECLARANT_NON_ATTENDU",
                "vous avez indiqué être le représentant légal du fournisseur : le tiers "
                "déclarant (dépositaire, qualité) ne doit pas être renseigné.",
            )
        )
    if representant_legal is False and tiers is None:
        problemes.append(
            probleme(
                "tiersDeclarant",
                "TIERS_DECLARANT_MANQUANT",
                "vous n'êtes pas le représentant légal du fournisseur : renseignez le "
                "dépositaire et votre qualité de tiers déclarant (centre de gestion, "
                "expert-comptable ou employé de la personne morale).",
            )
        )
    reponses = Reponses(
        # Without the tiers déclarant, its documents are not asked for: its absence is said.
        tiers_declarant=representant_legal is False and isinstance(tiers, Mapping),
        qualite=texte(brut, "tiersDeclarant", "qualite"),
        hors_taxes=_valeur(brut, "tauxTva") == "HT",
        denomination_modifiee=_kbis_requis(brut, referencement),
    )
    problemes.extend(controler_presence(_cles(brut, "documents"), reponses))
    return problemes


def controler_complementaire(
    brut: Mapping[str, Any], referencement: ReferencementAns | None, deja_enrole: bool
) -> list[Probleme]:
    """E5: a new référencement for an enrolled éditeur; identity and bank documents only
    when those details are given again (they changed)."""
    problemes = [*_referencement(brut, referencement), *_personnes(brut)]
    if deja_enrole:
        problemes.append(
            probleme(
                "numeroAns",
                "DEJA_ENROLE",
                f"vous êtes déjà enrôlé (ou une demande est en cours) pour le référencement "
                f"« {texte(brut, 'numeroAns')} ».",
            )
        )
    tiers = _valeur(brut, "tiersDeclarant")
    if tiers is not None and _valeur(brut, "representant") is None:
        problemes.append(
            probleme(
                "representant",
                "REPRESENTANT_MANQUANT",
                "un nouveau tiers déclarant s'accompagne du représentant légal du fournisseur.",
            )
        )
    avec_identite = tiers is not None or _valeur(brut, "representant") is not None
    reponses = Reponses(
        tiers_declarant=tiers is not None,
        qualite=texte(brut, "tiersDeclarant", "qualite"),
        hors_taxes=_valeur(brut, "tauxTva") == "HT",
        denomination_modifiee=False,
        avec_identite=avec_identite,
        avec_banque=_valeur(brut, "coordonneesBancaires") is not None,
    )
    problemes.extend(controler_presence(_cles(brut, "documents"), reponses))
    return problemes


def controler_coordonnees(brut: Mapping[str, Any]) -> list[Probleme]:
    """A change of bank details: the RIB, nothing else."""
    reponses = Reponses(
        tiers_declarant=False,
        qualite=None,
        hors_taxes=False,
        denomination_modifiee=False,
        avec_identite=False,
        avec_banque=True,
        avec_certificat=False,
    )
    return controler_presence(_cles(brut, "documents"), reponses)
