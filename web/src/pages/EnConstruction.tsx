import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link } from "react-router";

import { useTitre } from "../lib/titre";

/** A screen whose API routes are being built: says so plainly instead of a dead link. */
export function EnConstruction({ titre }: { titre: string }) {
  useTitre(titre);
  return (
    <>
      <h1>{titre}</h1>
      <Alert
        severity="info"
        title="Cet écran arrive prochainement"
        description="Il sera disponible dans une prochaine version du portail."
        className="fr-mb-4w"
      />
      <p>
        <Link to="/">Retour à l'accueil</Link>
      </p>
    </>
  );
}
