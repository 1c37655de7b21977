import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { useEffect, useState } from "react";

import type { Fenetre, StatutFenetre, TypeDemande } from "../api/modeles";
import { dateHeureParis, dureeEnTexte, secondesRestantes } from "../lib/temps";

export const LIBELLES_TYPE: Readonly<Record<TypeDemande, string>> = {
  AVANCE: "Demandes d'avance",
  SOLDE: "Demandes de solde",
};

const BADGES: Readonly<Record<StatutFenetre, { texte: string; severite: "success" | "error" | "info" }>> = {
  OUVERT: { texte: "Ouvert", severite: "success" },
  FERME: { texte: "Fermé", severite: "error" },
  A_VENIR: { texte: "À venir", severite: "info" },
};

/** The document types a window's statut and type as strings: one it does not name is shown
 * as closed, under its own word. */
function badgeDe(statut: string) {
  return Object.hasOwn(BADGES, statut) ? BADGES[statut as StatutFenetre] : BADGES.FERME;
}

function libelleType(type: string): string {
  return Object.hasOwn(LIBELLES_TYPE, type) ? LIBELLES_TYPE[type as TypeDemande] : type;
}

/** The time left, counted down every 30 s from the API's `tempsRestant` (the platform's
 * clock, which may differ from the browser's). */
export function useTempsRestant(tempsRestant: number | null, recuA: number): number {
  const [maintenant, setMaintenant] = useState(() => Date.now());
  useEffect(() => {
    const minuterie = window.setInterval(() => setMaintenant(Date.now()), 30_000);
    return () => window.clearInterval(minuterie);
  }, []);
  return secondesRestantes(tempsRestant ?? 0, recuA, maintenant);
}

export function FenetreGuichet({ fenetre, recuA }: { fenetre: Fenetre; recuA: number }) {
  const restant = useTempsRestant(fenetre.tempsRestant, recuA);
  const badge = badgeDe(fenetre.statut);
  const ouvert = fenetre.ouvert && restant > 0;
  return (
    <div className="fr-col-12 fr-col-md-6">
      <div className="fr-tile fr-enlarge-link--none fr-p-3w" data-testid={`guichet-${fenetre.typeDemande}`}>
        <h3 className="fr-h5 fr-mb-1w">{libelleType(fenetre.typeDemande)}</h3>
        <div className="fr-mb-2w">
          <Badge severity={ouvert ? "success" : badge.severite} small>
            {ouvert ? BADGES.OUVERT.texte : fenetre.statut === "OUVERT" ? BADGES.FERME.texte : badge.texte}
          </Badge>
        </div>
        <p className="fr-mb-1w">{fenetre.message}</p>
        {ouvert ? (
          <p className="fr-text--lg fr-text--bold fr-mb-0">
            Temps restant : <span data-testid="temps-restant">{dureeEnTexte(restant)}</span>
          </p>
        ) : (
          <p className="fr-mb-0">Échéance : {dateHeureParis(fenetre.echeance)} (heure de Paris)</p>
        )}
      </div>
    </div>
  );
}
