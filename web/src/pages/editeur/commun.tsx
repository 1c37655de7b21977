// Pieces shared by the éditeur's screens: the route guard by group, the upload progress bar,
// the list of a form's problems with links to their fields.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";

import { appartientA, useUtilisateur, type Groupe } from "../../lib/session";
import { pourcentage, type Progression } from "../../lib/televersement";

/** The API's messages sometimes start lower-case (« le code … »): a sentence on screen. */
export function phrase(message: string): string {
  const texte = message.trim();
  return texte ? texte.charAt(0).toUpperCase() + texte.slice(1) : texte;
}

/** A field's element id from its API path: « representant.email » → « champ-representant-email ». */
export function idChamp(champ: string): string {
  return `champ-${champ.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

/** Children only for a signed-in user of `groupe`; otherwise the sign-in, or a clear refusal. */
export function Protege({ groupe, children }: { groupe: Groupe; children: ReactNode }) {
  const utilisateur = useUtilisateur();
  const { pathname, search } = useLocation();
  if (utilisateur === null) {
    return <Navigate to={`/connexion?retour=${encodeURIComponent(pathname + search)}`} replace />;
  }
  if (!appartientA(utilisateur, groupe)) {
    return (
      <>
        <h1>Accès réservé</h1>
        <Alert
          severity="error"
          title="Votre compte ne donne pas accès à cette page"
          description={
            groupe === "editeurs"
              ? "Cette page est réservée aux éditeurs enrôlés."
              : "Cette page est réservée aux gestionnaires du service gestion."
          }
        />
      </>
    );
  }
  return <>{children}</>;
}

export function BarreProgression({ libelle, progression }: { libelle: string; progression: Progression | null }) {
  if (progression === null) return null;
  const valeur = pourcentage(progression);
  return (
    <div className="fr-my-2w" data-testid="progression">
      <label className="fr-label" htmlFor={`progression-${libelle.replace(/\W+/g, "-")}`}>
        {libelle} : {valeur} %
      </label>
      <progress
        id={`progression-${libelle.replace(/\W+/g, "-")}`}
        max={100}
        value={valeur}
        style={{ width: "100%", height: "0.75rem" }}
      >
        {valeur} %
      </progress>
    </div>
  );
}

/** Every problem of a form, each a link to its field (RGAA: errors listed at the top). */
export function ResumeProblemes({
  problemes,
  libelles,
  titre = "Le formulaire contient des erreurs",
}: {
  problemes: Record<string, string>;
  libelles?: Readonly<Record<string, string>>;
  titre?: string;
}) {
  const entrees = Object.entries(problemes);
  if (entrees.length === 0) return null;
  return (
    <div className="fr-alert fr-alert--error fr-mb-4w" role="alert" tabIndex={-1} id="resume-problemes">
      <h2 className="fr-alert__title">
        {titre} ({entrees.length === 1 ? "1 problème" : `${entrees.length} problèmes`})
      </h2>
      <ul>
        {entrees.map(([champ, message]) => (
          <li key={champ}>
            <a href={`#${idChamp(champ)}`}>
              {libelles?.[champ] ? `${libelles[champ]} : ` : ""}
              {phrase(message)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
