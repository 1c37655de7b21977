"""Queries of the éditeur (and of the gestionnaire for a dossier): dépôts, compte rendu,
annotated file, dossiers. Answers are JSON-ready dicts (camelCase, amounts as strings)."""

from __future__ import annotations

from typing import Any

from services.depot.application.ports import Depots, Dossiers, EntreeHistorique, Stockage
from services.depot.domain.depot import (
    RAPPORT_COMPTE_RENDU,
    RAPPORT_FICHIER_ANNOTE,
    Conflit,
    Depot,
    Dossier,
    Introuvable,
    lire_json,
)


def vue_depot(depot: Depot) -> dict[str, Any]:
    simulation = depot.simulation
    return {
        "idDepot": depot.id,
        "siret": depot.siret,
        "numeroAns": depot.numero_ans,
        "couloir": depot.couloir,
        "campagne": depot.campagne,
        "typeDemande": str(depot.type_demande),
        "tauxTva": format(depot.taux_tva, "f"),
        "modification": depot.modification,
        "statut": str(depot.statut),
        "creeLe": depot.cree_le.isoformat(),
        "jsonRecuLe": depot.json_recu_le.isoformat() if depot.json_recu_le else None,
        "fichier": depot.fichier.nom if depot.fichier else None,
        "simulation": None
        if simulation is None
        else {
            "nombreLignes": simulation.nombre_lignes,
            "lignesImportables": simulation.lignes_importables,
            "lignesRejetees": simulation.lignes_rejetees,
            "erreursFichier": simulation.erreurs_fichier,
            "simuleLe": simulation.simule_le.isoformat(),
        },
        "importeLe": depot.importe_le.isoformat() if depot.importe_le else None,
        "termineLe": depot.termine_le.isoformat() if depot.termine_le else None,
        "numerosAsp": {str(k): v for k, v in sorted(depot.numeros_asp.items())},
        # IMPORT_EN_COURS: how far the import is (lines written or rejected, of the file's)
        "importEnCours": None
        if depot.import_en_cours is None
        else {
            "lignesATraiter": depot.import_en_cours.lignes_a_traiter,
            "lignesTraitees": depot.import_en_cours.lignes_traitees,
        },
    }


def _vue_historique(entree: EntreeHistorique) -> dict[str, Any]:
    return {
        "action": entree.action,
        "auteur": entree.auteur,
        "le": entree.le.isoformat(),
        **dict(entree.details),
    }


def vue_dossier(dossier: Dossier, complet: bool = False) -> dict[str, Any]:
    vue: dict[str, Any] = {
        "numeroAsp": dossier.numero_asp,
        "numeroDossier": dossier.numero_dossier,
        "siret": dossier.siret,
        "numeroAns": dossier.numero_ans,
        "couloir": dossier.couloir,
        "campagne": dossier.campagne,
        "typeDemande": str(dossier.type_demande),
        "statut": str(dossier.statut),
        "finess": list(dossier.finess),
        "montants": dict(dossier.montants),
        "tauxTva": format(dossier.taux_tva, "f"),
        "deposeLe": dossier.depose_le.isoformat(),
        "modifieLe": dossier.modifie_le.isoformat(),
        "idDepot": dossier.id_depot,
        "numLigne": dossier.num_ligne,
        "solde": None
        if dossier.solde is None
        else {k: v for k, v in dossier.solde.items() if complet or k != "demande"},
        "version": dossier.version,
    }
    if complet:
        vue["demande"] = dict(dossier.demande)
        vue["pieces"] = [dict(p) for p in dossier.pieces]
        vue["creeLe"] = dossier.cree_le.isoformat()
    return vue


class Consultation:
    def __init__(self, depots: Depots, dossiers: Dossiers, stockage: Stockage) -> None:
        self._depots = depots
        self._dossiers = dossiers
        self._stockage = stockage

    def _depot(self, id_depot: str, siret: str) -> Depot:
        depot = self._depots.lire(id_depot)
        if depot is None:
            raise Introuvable("DEPOT_INTROUVABLE", f"Le dépôt {id_depot} n'existe pas.")
        depot.verifier_proprietaire(siret)
        return depot

    def lire_depot(self, id_depot: str, siret: str) -> dict[str, Any]:
        """The dépôt (404 unknown, 403 another éditeur's) with its compte rendu, if any."""
        depot = self._depot(id_depot, siret)
        vue = vue_depot(depot)
        vue["compteRendu"] = None
        if depot.fichier is not None and depot.simulation is not None:
            objet = self._stockage.lire(depot.cle_rapport(RAPPORT_COMPTE_RENDU))
            if objet is not None:
                vue["compteRendu"] = lire_json(objet.contenu)
        return vue

    def lire_fichier_annote(self, id_depot: str, siret: str) -> bytes:
        depot = self._depot(id_depot, siret)
        if depot.fichier is None or depot.simulation is None:
            raise Conflit(
                "SIMULATION_ABSENTE",
                "Le fichier de ce dépôt n'a pas encore été simulé: le fichier annoté n'existe "
                "pas encore.",
            )
        objet = self._stockage.lire(depot.cle_rapport(RAPPORT_FICHIER_ANNOTE))
        if objet is None:
            raise Introuvable(
                "FICHIER_ANNOTE_ABSENT",
                "Le fichier annoté n'a pas pu être produit: le fichier déposé n'est pas lisible.",
            )
        return objet.contenu

    def lister_depots(self, siret: str) -> list[dict[str, Any]]:
        return [vue_depot(depot) for depot in self._depots.lister(siret)]

    def page_depots(
        self, siret: str, limite: int, depart: dict[str, Any] | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        depots, suite = self._depots.page(siret, limite, depart)
        return [vue_depot(depot) for depot in depots], suite

    def lister_dossiers(self, siret: str) -> list[dict[str, Any]]:
        return [vue_dossier(dossier) for dossier in self._dossiers.lister(siret)]

    def lire_dossier(self, numero_asp: str, siret: str | None = None) -> dict[str, Any]:
        """The dossier with its demande and history. `siret`: the éditeur asking (owner
        only); None for a gestionnaire."""
        dossier = self._dossiers.lire(numero_asp)
        if dossier is None:
            raise Introuvable("DOSSIER_INTROUVABLE", f"Le dossier {numero_asp} n'existe pas.")
        if siret is not None:
            dossier.verifier_proprietaire(siret)
        vue = vue_dossier(dossier, complet=True)
        vue["historique"] = [_vue_historique(e) for e in self._dossiers.historique(numero_asp)]
        return vue
