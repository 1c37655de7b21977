"""The simulation of a file of demandes (D3, D7, B1, B2, B4, B5).

Offline (`segurnum simuler`), without a registry: every rule of the format. On the
platform, with the registry: also the enrolment, the dossiers targeted by numeroASP, the
FINESS already funded (whatever the éditeur) and the numeroDossier already used.

For what follows (import, the ZIP's pièces), `ResultatSimulation` gives the importable
lines, the expected pièces with their pointers, and lets a line be rejected afterwards
(`compte_rendu.rejeter_ligne`): the counters follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.depot.application.ports import ContexteDepot, RegistrePlateforme
from services.depot.domain.annotation import annoter as _annoter
from services.depot.domain.compte_rendu import CompteRendu, LigneCompteRendu
from services.depot.domain.depot import Dossier
from services.depot.domain.erreurs import CodeErreur, Erreur, ErreurPiece
from services.depot.domain.format_ms import TAUX_TVA_AUTORISES, TypeAction
from services.depot.domain.montants import Montants
from services.depot.domain.validation import (
    ContexteValidation,
    LigneValidee,
    ResultatValidation,
    valider_contenu,
)
from shared.campagnes import TypeDemande
from shared.horloge import PARIS, horloge
from shared.montant import Montant
from shared.statuts import LIBELLES_COMPTE_RENDU, StatutDemande

__all__ = [
    "Erreur",
    "ErreurPiece",
    "LigneImportable",
    "ResultatSimulation",
    "annoter",
    "contexte_validation",
    "simuler",
]


@dataclass(frozen=True)
class LigneImportable:
    """An importable demande, as the import receives it (implements `LigneSimulee`)."""

    num_ligne: int
    index: int
    demande: dict[str, Any]  # the demande's JSON, montantSegur as a string « 18750.00 »
    finess: tuple[str, ...]  # the distinct geographic FINESS, in file order
    numero_dossier: str
    numero_asp: str | None
    type_action: str  # « C » or « M »
    montants: Montants


@dataclass
class ResultatSimulation:
    compte_rendu: CompteRendu
    lignes: list[LigneValidee] = field(default_factory=list)  # all of them, in file order
    _importables: dict[int, LigneImportable] = field(default_factory=dict, repr=False)

    @property
    def lignes_importables(self) -> list[LigneImportable]:
        """The lines without errors, right now (a line rejected afterwards is gone)."""
        if self.compte_rendu.fichier_rejete:
            return []
        resultat = []
        for ligne in self.lignes:
            if ligne.erreurs:
                continue
            importable = self._importables.get(ligne.index)
            if importable is None:
                importable = _ligne_importable(ligne)
                self._importables[ligne.index] = importable
            resultat.append(importable)
        return resultat

    def pieces_par_ligne(self) -> dict[int, list[tuple[str, str]]]:
        """By line position: the (nomFichier, pointer) of its pièces."""
        return {ligne.index: list(ligne.noms_fichiers) for ligne in self.lignes}

    def pieces_attendues(self, importables_seulement: bool = False) -> dict[str, tuple[int, str]]:
        """nomFichier → (numLigne, « /demandes/i/piecesJustificatives/j/nomFichier »).

        A name cited twice keeps its first line (the second is rejected)."""
        attendues: dict[str, tuple[int, str]] = {}
        for ligne in self.lignes:
            if importables_seulement and (ligne.erreurs or self.compte_rendu.fichier_rejete):
                continue
            for nom, chemin in ligne.noms_fichiers:
                attendues.setdefault(nom, (ligne.num_ligne, chemin))
        return attendues

    def rejeter_ligne(self, index: int, erreur: Erreur) -> None:
        self.compte_rendu.rejeter_ligne(index, erreur)

    def ajouter_erreurs_pieces(self, erreurs: list[ErreurPiece]) -> None:
        self.compte_rendu.ajouter_erreurs_pieces(erreurs)

    def code_sortie(self) -> int:
        return self.compte_rendu.code_sortie()


def _json_simple(valeur: Any) -> Any:
    """A JSON copy of the demande (the amount is put back as a string « 18750.00 »)."""
    if isinstance(valeur, dict):
        return {cle: _json_simple(v) for cle, v in valeur.items()}
    if isinstance(valeur, list):
        return [_json_simple(v) for v in valeur]
    if isinstance(valeur, Decimal):
        return str(Montant(valeur))
    return valeur


def _ligne_importable(ligne: LigneValidee) -> LigneImportable:
    # A line without errors has all its fields valid: these values exist.
    assert ligne.numero_dossier is not None and ligne.type_action is not None
    assert ligne.montants is not None and ligne.montant_segur is not None
    demande = _json_simple(ligne.demande)
    # The fast read leaves a float: write the exact value read again from the text.
    demande["commande"]["montantSegur"] = str(Montant(ligne.montant_segur))
    return LigneImportable(
        num_ligne=ligne.num_ligne,
        index=ligne.index,
        demande=demande,
        finess=tuple(finess for finess, _ in ligne.finess),
        numero_dossier=ligne.numero_dossier,
        numero_asp=ligne.numero_asp,
        type_action=str(ligne.type_action),
        montants=ligne.montants,
    )


def _en_paris(instant: datetime) -> datetime:
    return instant.replace(tzinfo=PARIS) if instant.tzinfo is None else instant


def contexte_validation(contexte: ContexteDepot) -> ContexteValidation:
    if contexte.taux_tva not in TAUX_TVA_AUTORISES:
        raise ValueError(f"taux de TVA non permis : {contexte.taux_tva}")
    reference = contexte.date_depot or contexte.recu_le or horloge().maintenant()
    jour: date = _en_paris(reference).astimezone(PARIS).date()
    return ContexteValidation(
        type_demande=contexte.type_demande,
        taux_tva=contexte.taux_tva,
        couloir=contexte.couloir,
        campagne=contexte.campagne,
        date_depot=jour,
        recu_le=_en_paris(contexte.recu_le) if contexte.recu_le is not None else None,
        numero_ans_attendu=contexte.numero_ans_attendu,
        siret_attendu=contexte.siret_attendu,
    )


def _libelle_statut(statut: str) -> str:
    try:
        return LIBELLES_COMPTE_RENDU[StatutDemande(statut)]
    except ValueError:
        return statut.lower().replace("_", " ")


def _heure(instant: datetime) -> str:
    local = _en_paris(instant).astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H}h{local:%M}"


def _controler_registre(
    resultat: ResultatValidation, contexte: ContexteDepot, registre: RegistrePlateforme
) -> None:
    """The rules that need the platform's registries (§3, §4).

    Everything needed is asked at once (FINESS, dossiers targeted, numeroDossier): on the
    platform, one call per 100 keys, whatever the number of lines."""
    if (
        resultat.siret is not None
        and resultat.numero_ans is not None
        and not registre.editeur_enrole(resultat.siret, resultat.numero_ans)
    ):
        resultat.erreurs_fichier.append(
            Erreur(
                CodeErreur.EDITEUR_NON_ENROLE,
                "/numeroAns",
                f"L'éditeur de SIRET {resultat.siret} n'est pas enrôlé pour le numéro ANS "
                f"{resultat.numero_ans} : un dépôt n'est possible qu'au titre d'un "
                "référencement pour lequel l'éditeur est enrôlé.",
            )
        )
    siret = contexte.siret_attendu or resultat.siret
    solde = contexte.type_demande is TypeDemande.SOLDE
    campagne = contexte.campagne
    lignes = [ligne for ligne in resultat.lignes if isinstance(ligne.demande, dict)]

    def vise_un_dossier(ligne: LigneValidee) -> bool:
        return ligne.numero_asp is not None and (solde or ligne.type_action is TypeAction.M)

    def cree(ligne: LigneValidee) -> bool:
        return not solde and ligne.type_action is TypeAction.C and ligne.numero_dossier is not None

    detenteurs = registre.detenteurs_finess(
        campagne.id, contexte.couloir, {f for ligne in lignes for f, _ in ligne.finess}
    )
    vises = {ligne.numero_asp for ligne in lignes if vise_un_dossier(ligne)}
    autres = {
        detenteurs[f]
        for ligne in lignes
        for f, _ in ligne.finess
        if f in detenteurs and detenteurs[f] != ligne.numero_asp
    }
    dossiers = registre.dossiers_connus({n for n in vises | autres if n is not None})
    utilises: set[str] = set()
    if siret is not None:
        utilises = registre.numeros_dossier_utilises(
            siret,
            {
                ligne.numero_dossier
                for ligne in lignes
                if cree(ligne) and ligne.numero_dossier is not None
            },
        )
    for ligne in lignes:
        base = ligne.chemin
        if vise_un_dossier(ligne):
            assert ligne.numero_asp is not None
            _controler_dossier(ligne, dossiers.get(ligne.numero_asp), siret, solde, contexte)
        for finess, chemin in ligne.finess:
            detenteur = detenteurs.get(finess)
            if detenteur is not None and detenteur != ligne.numero_asp:
                connu = dossiers.get(detenteur)
                etat = (
                    f"dossier {_libelle_statut(connu.statut)}"
                    if connu is not None
                    else "dossier en cours de création"
                )
                ligne.erreurs.append(
                    Erreur(
                        CodeErreur.FINESS_DEJA_FINANCE,
                        chemin,
                        f"L'établissement {finess} fait déjà l'objet d'une demande de "
                        f"financement ({etat}) pour ce couloir et cette campagne : un "
                        "établissement n'est financé qu'une fois.",
                    )
                )
        if cree(ligne) and ligne.numero_dossier in utilises:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_DOSSIER_DEJA_UTILISE,
                    base + "/numeroDossier",
                    f"Vous avez déjà déposé une demande de numeroDossier {ligne.numero_dossier} "
                    ": chaque nouvelle demande a son propre numeroDossier.",
                )
            )


def _controler_dossier(
    ligne: LigneValidee,
    dossier: Dossier | None,
    siret: str | None,
    solde: bool,
    contexte: ContexteDepot,
) -> None:
    chemin = ligne.chemin + "/numeroASP"
    numero = ligne.numero_asp
    if dossier is None:
        ligne.erreurs.append(
            Erreur(
                CodeErreur.NUMERO_ASP_INCONNU,
                chemin,
                f"Le dossier {numero} n'existe pas : vérifiez le numéro ASP.",
            )
        )
        return
    if siret is not None and dossier.siret != siret:
        ligne.erreurs.append(
            Erreur(
                CodeErreur.NUMERO_ASP_AUTRE_EDITEUR,
                chemin,
                f"Le dossier {numero} n'appartient pas à votre compte : vous ne pouvez viser "
                "que vos propres dossiers.",
            )
        )
        return
    if solde:
        if dossier.type_demande is not TypeDemande.AVANCE:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.NUMERO_ASP_PAS_UNE_AVANCE,
                    chemin,
                    f"Le dossier {numero} n'est pas un dossier d'avance : une demande de solde "
                    "vise le dossier d'avance qu'elle conclut.",
                )
            )
            return
        echeance = contexte.campagne.echeance_avance
        if _en_paris(dossier.depose_le) >= echeance:
            ligne.erreurs.append(
                Erreur(
                    CodeErreur.GUICHET_AVANCE_TARDIVE,
                    ligne.chemin + "/typeAction",
                    f"Le dossier d'avance {numero} a été déposé le "
                    f"{_heure(dossier.depose_le)}, après la fermeture du guichet des "
                    f"demandes d'avance ({_heure(echeance)}) : toute demande d'avance non "
                    f"déposée au {echeance.astimezone(PARIS):%d/%m/%y} ne peut faire l'objet "
                    "d'une demande de solde.",
                )
            )
        return
    if not dossier.modifiable:
        ligne.erreurs.append(
            Erreur(
                CodeErreur.DOSSIER_NON_MODIFIABLE,
                chemin,
                f"Le dossier {numero} est {_libelle_statut(dossier.statut)} : il ne peut plus "
                "être modifié.",
            )
        )


def simuler(
    contenu: bytes,
    nom_fichier: str,
    contexte: ContexteDepot,
    registre: RegistrePlateforme | None,
) -> ResultatSimulation:
    """Judges the deposited file and returns its compte rendu (§6) and importable lines."""
    resultat = valider_contenu(contenu, contexte_validation(contexte))
    if registre is not None and resultat.donnees is not None:
        _controler_registre(resultat, contexte, registre)
    compte_rendu = CompteRendu(
        fichier=nom_fichier,
        erreurs_fichier=resultat.erreurs_fichier,
        lignes=[
            LigneCompteRendu(
                num_ligne=ligne.num_ligne,
                index=ligne.index,
                erreurs=ligne.erreurs,  # the same list: a later rejection shows everywhere
                avertissements=ligne.avertissements,
                montants=ligne.montants,
            )
            for ligne in resultat.lignes
        ],
    )
    return ResultatSimulation(compte_rendu=compte_rendu, lignes=resultat.lignes)


def annoter(
    contenu: bytes, compte_rendu: CompteRendu, id_fichier: str, simulation: bool = False
) -> bytes:
    """The deposited file, with idFichier and codeTraitement / libelleTraitement per demande
    (0 = imported; 1 = demande rejected; 2 = file rejected as a whole)."""
    return _annoter(contenu, compte_rendu, id_fichier, simulation=simulation)
