import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";

import { useConfig } from "../contexte";
import { ErreurProConnect, terminerConnexion, urlDeconnexion } from "../lib/proconnect";
import { enregistrerJeton } from "../lib/session";
import { useTitre } from "../lib/titre";

/** /connexion/proconnect: where Cognito sends the gestionnaire back from ProConnect. */
export function ConnexionProConnect() {
  useTitre("Connexion avec ProConnect");
  const { proconnect } = useConfig();
  const navigate = useNavigate();
  const [parametres] = useSearchParams();
  const [erreur, setErreur] = useState<ErreurProConnect | null>(null);
  // A code and a state serve once: StrictMode's second run of the effect must not replay them.
  const lance = useRef(false);

  useEffect(() => {
    if (lance.current) return;
    lance.current = true;
    if (!proconnect) {
      setErreur(
        new ErreurProConnect(
          "La connexion avec ProConnect n'est pas configurée pour ce portail : contactez l'assistance.",
          "configuration",
        ),
      );
      return;
    }
    terminerConnexion(proconnect, parametres)
      .then((jeton) => {
        enregistrerJeton(jeton, "proconnect");
        navigate("/gestion", { replace: true });
      })
      .catch((e: unknown) => {
        setErreur(
          e instanceof ErreurProConnect
            ? e
            : new ErreurProConnect("La connexion avec ProConnect n'a pas abouti. Réessayez dans quelques instants.", "jeton"),
        );
      });
  }, []);

  return (
    <>
      <h1>Connexion avec ProConnect</h1>
      {erreur === null ? (
        <p role="status">Connexion en cours…</p>
      ) : (
        <>
          <Alert
            severity="error"
            title="La connexion avec ProConnect n'a pas abouti"
            description={erreur.message}
            className="fr-mb-4w"
          />
          <div className="fr-btns-group fr-btns-group--inline-md">
            <Button linkProps={{ to: "/connexion" }}>Revenir à l'écran de connexion</Button>
            {erreur.raison === "non-habilite" && proconnect && (
              // Cognito keeps its own session: without ending it, the next attempt signs the same account in again.
              <a className="fr-btn fr-btn--secondary" href={urlDeconnexion(proconnect, window.location.origin)}>
                Se déconnecter de ce compte
              </a>
            )}
          </div>
        </>
      )}
    </>
  );
}
