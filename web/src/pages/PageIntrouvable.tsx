import { Link } from "react-router";

import { useTitre } from "../lib/titre";

export function PageIntrouvable() {
  useTitre("Page non trouvée");
  return (
    <>
      <h1>Page non trouvée</h1>
      <p className="fr-text--lead">La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.</p>
      <p>Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte.</p>
      <p>
        <Link to="/">Retour à l'accueil</Link>
      </p>
    </>
  );
}
