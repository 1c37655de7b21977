"""Queries of the éditeur on its dépôts: one page of them, one with its compte rendu, the
annotated file. Answers are JSON-ready dicts (camelCase, amounts as strings). (The
dossiers are read by the instruction service: `GET /dossiers[/{n}]`.)"""

from __future__ import annotations

from typing import Any

from services.depot.application.acces import depot_de
from services.depot.application.ports import Depots, Stockage
from services.depot.domain.depot import (
    RAPPORT_COMPTE_RENDU,
    RAPPORT_FICHIER_ANNOTE,
    Conflit,
    Depot,
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


class Consultation:
    def __init__(self, depots: Depots, stockage: Stockage) -> None:
        self._depots = depots
        self._stockage = stockage

    def depot_et_compte_rendu(self, id_depot: str, siret: str) -> tuple[Depot, Any | None]:
        """The dépôt (404 unknown, 403 another éditeur's) and its stored compte rendu (the
        §6 document as written), None before the simulation."""
        depot = depot_de(self._depots, id_depot, siret)
        if depot.fichier is None or depot.simulation is None:
            return depot, None
        objet = self._stockage.lire(depot.cle_rapport(RAPPORT_COMPTE_RENDU))
        return depot, None if objet is None else lire_json(objet.contenu)

    def lire_depot(self, id_depot: str, siret: str) -> dict[str, Any]:
        """The dépôt with its compte rendu, if any."""
        depot, compte_rendu = self.depot_et_compte_rendu(id_depot, siret)
        return {**vue_depot(depot), "compteRendu": compte_rendu}

    def lire_fichier_annote(self, id_depot: str, siret: str) -> bytes:
        depot = depot_de(self._depots, id_depot, siret)
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

    def page_depots(
        self, siret: str, limite: int, depart: dict[str, Any] | None
    ) -> tuple[list[Depot], dict[str, Any] | None]:
        return self._depots.page(siret, limite, depart)
