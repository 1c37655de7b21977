"""Public views of the dépôt's routes, built from what its use cases return (domain objects,
never stored items): the one place where the dépôt's answers take their shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from services.depot.api_modeles import (
    VueCompteRendu,
    VueDepot,
    VueDepotDemarre,
    VueDepotDetaille,
    VueDossierIncomplet,
    VueEnvoi,
    VueErreurPiece,
    VueEtatDossier,
    VueImportEnCours,
    VuePiecesComplementaires,
    VuePiecesDemandees,
    VueSimulation,
    VueTerminer,
    VueZip,
)

if TYPE_CHECKING:  # annotations only: a route imports the views, not every use case
    from services.depot.application.demarrage import DepotDemarre
    from services.depot.application.pieces import EtatPiecesDepot, ResultatTerminer, ZipDepose
    from services.depot.application.pieces_complementaires import EtatComplements
    from services.depot.application.ports import EnvoiAutorise
    from services.depot.domain.depot import Depot


def vue_envoi(envoi: EnvoiAutorise) -> VueEnvoi:
    return VueEnvoi(
        url=envoi.url,
        champs=dict(envoi.champs),
        cle=envoi.cle,
        expire_le=envoi.expire_le,
        taille_max=envoi.taille_max,
    )


def vue_depot_demarre(demarre: DepotDemarre) -> VueDepotDemarre:
    depot = demarre.depot
    return VueDepotDemarre(
        id_depot=depot.id,
        statut=str(depot.statut),
        type_demande=str(depot.type_demande),
        numero_ans=depot.numero_ans,
        couloir=depot.couloir,
        taux_tva=format(depot.taux_tva, "f"),
        envoi=vue_envoi(demarre.envoi),
    )


def _champs_depot(depot: Depot) -> dict[str, Any]:
    """The fields every view of a dépôt has (VueDepot, VueDepotDetaille)."""
    simulation = depot.simulation
    return {
        "id_depot": depot.id,
        "siret": depot.siret,
        "numero_ans": depot.numero_ans,
        "couloir": depot.couloir,
        "campagne": depot.campagne,
        "type_demande": str(depot.type_demande),
        "taux_tva": format(depot.taux_tva, "f"),
        "modification": depot.modification,
        "statut": str(depot.statut),
        "cree_le": depot.cree_le,
        "json_recu_le": depot.json_recu_le,
        "fichier": depot.fichier.nom if depot.fichier else None,
        "simulation": None
        if simulation is None
        else VueSimulation(
            nombre_lignes=simulation.nombre_lignes,
            lignes_importables=simulation.lignes_importables,
            lignes_rejetees=simulation.lignes_rejetees,
            erreurs_fichier=simulation.erreurs_fichier,
            simule_le=simulation.simule_le,
        ),
        "importe_le": depot.importe_le,
        "termine_le": depot.termine_le,
        "numeros_asp": {str(k): v for k, v in sorted(depot.numeros_asp.items())},
    }


def _import_en_cours(depot: Depot) -> VueImportEnCours | None:
    en_cours = depot.import_en_cours
    if en_cours is None:
        return None
    return VueImportEnCours(
        lignes_a_traiter=en_cours.lignes_a_traiter, lignes_traitees=en_cours.lignes_traitees
    )


def vue_depot(depot: Depot) -> VueDepot:
    return VueDepot(**_champs_depot(depot), import_en_cours=_import_en_cours(depot))


def vue_zip(zip_: ZipDepose) -> VueZip:
    return VueZip(
        nom=zip_.nom,
        cle=zip_.cle,
        statut=str(zip_.statut),
        autorise_le=zip_.autorise_le,
        recu_le=zip_.recu_le,
        verifie_le=zip_.verifie_le,
        taille=zip_.taille,
        erreurs_pieces=[VueErreurPiece.model_validate(e) for e in zip_.erreurs_pieces],
        pieces=list(zip_.pieces),
    )


def vue_depot_detaille(
    depot: Depot, compte_rendu: Mapping[str, Any] | None, pieces: EtatPiecesDepot
) -> VueDepotDetaille:
    """`compte_rendu`: the stored report (§6), read back as it was written."""
    return VueDepotDetaille(
        **_champs_depot(depot),
        compte_rendu=None if compte_rendu is None else VueCompteRendu.model_validate(compte_rendu),
        zips=[vue_zip(z) for z in pieces.zips],
        dossiers=[
            VueEtatDossier(
                numero_asp=d.numero_asp,
                num_ligne=d.num_ligne,
                statut=d.statut,
                pieces_manquantes=list(d.pieces_manquantes),
            )
            for d in pieces.dossiers
        ],
        import_en_cours=_import_en_cours(depot),
    )


def vue_terminer(resultat: ResultatTerminer) -> VueTerminer:
    return VueTerminer(
        id_depot=resultat.depot.id,
        statut=str(resultat.depot.statut),
        termine_le=resultat.depot.termine_le,
        dossiers_incomplets=[
            VueDossierIncomplet(
                numero_asp=d.numero_asp,
                num_ligne=d.num_ligne,
                pieces_manquantes=list(d.pieces_manquantes),
            )
            for d in resultat.incomplets
        ],
    )


def vue_pieces_complementaires(etat: EtatComplements) -> VuePiecesComplementaires:
    return VuePiecesComplementaires(
        numero_asp=etat.numero_asp,
        attendues=[
            VuePiecesDemandees(
                type_demande=str(e.type_demande),
                pieces_demandees=list(e.pieces_demandees),
                motif=e.decision.motif if e.decision is not None else "",
            )
            for e in etat.attendues
        ],
        zips=[vue_zip(z) for z in etat.zips],
    )
