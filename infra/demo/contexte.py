"""What the story carries from step to step, and what each step reports."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from infra.demo.donnees import Jeu
from infra.demo.plateforme import EtapeEchouee, Plateforme, attendre


@dataclass
class Contexte:
    p: Plateforme
    jeu: Jeu
    sortie: Path
    lignes: list[str] = field(default_factory=list)  # the current step's report (rich markup)
    fichiers: list[Path] = field(default_factory=list)
    courriels: list[dict[str, Any]] = field(default_factory=list)  # every one read, in order
    gestion: str = ""
    jetons: dict[str, str] = field(default_factory=dict)  # éditeur A/B → IdToken
    enrolements: dict[str, str] = field(default_factory=dict)  # A/B → ENR number
    depots: dict[str, str] = field(default_factory=dict)  # role → idDepot
    dossiers: dict[str, str] = field(default_factory=dict)  # role → numeroAsp
    montants: dict[str, Decimal] = field(default_factory=dict)  # numeroAsp → montantFinance
    versements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    lots: list[dict[str, Any]] = field(default_factory=list)
    faits: dict[str, Any] = field(default_factory=dict)  # what the e2e test asserts

    def dire(self, texte: str) -> None:
        self.lignes.append(texte)

    def ecrire(self, nom: str, contenu: bytes) -> Path:
        """A file the story produced, kept under the run's folder."""
        chemin = self.sortie / nom
        chemin.parent.mkdir(parents=True, exist_ok=True)
        chemin.write_bytes(contenu)
        self.fichiers.append(chemin)
        return chemin

    def courriel(self, destinataire: str, objet_contient: str, delai: float = 30) -> dict[str, Any]:
        """Waits for a courriel to `destinataire` whose subject contains `objet_contient`
        (not read yet); reports it."""
        deja = {c["rang"] for c in self.courriels}

        def trouve() -> dict[str, Any] | None:
            for c in self.p.courriels(destinataire):
                if c["rang"] not in deja and objet_contient.lower() in str(c["objet"]).lower():
                    return c
            return None

        c = attendre(trouve, f"courriel « {objet_contient} » à {destinataire}", delai, 0.3)
        self.courriels.append(c)
        self.dire(f"  ✉  à {destinataire}: « {c['objet']} »")
        return c

    def sans_courriel(self, destinataire: str, objet_contient: str) -> bool:
        return not any(
            objet_contient.lower() in str(c["objet"]).lower()
            for c in self.p.courriels(destinataire)
        )


def en_gras(corps: str) -> list[str]:
    """The values a courriel shows in bold (identifiant, mot de passe)."""
    return [html.unescape(v) for v in re.findall(r"<strong>([^<]+)</strong>", corps)]


def montant(texte: Any) -> Decimal:
    return Decimal(str(texte))


def euros(valeur: Any) -> str:
    """« 18 000,00 € », as the platform's documents write amounts."""
    from shared.documents.pdf import montant_francais
    from shared.montant import Montant

    return montant_francais(Montant(str(valeur)))


__all__ = ["Contexte", "EtapeEchouee", "attendre", "en_gras", "euros", "montant"]
