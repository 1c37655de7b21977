// The signed-in user's IdToken (Cognito), kept for the tab only (sessionStorage), and what
// the portal reads from it: who is signed in, their groups (`cognito:groups`), their SIRET.
// The API checks the token; these claims only decide what the portal shows.
import { useSyncExternalStore } from "react";

const CLE = "segurnum.jeton";
const CLE_ORIGINE = "segurnum.origine";

export type Groupe = "editeurs" | "gestionnaires";

export interface Utilisateur {
  email: string;
  nom: string;
  groupes: string[];
  siret: string | null;
  /** Expiry, in milliseconds since the epoch. */
  expireA: number;
}

function base64UrlVersTexte(partie: string): string {
  const base64 = partie.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(partie.length / 4) * 4, "=");
  const binaire = atob(base64);
  const octets = Uint8Array.from(binaire, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(octets);
}

/** The claims of an IdToken, or null when it is not a readable JWT. */
export function lireJeton(jeton: string): Utilisateur | null {
  const parties = jeton.split(".");
  if (parties.length !== 3 || !parties[1]) return null;
  let charge: Record<string, unknown>;
  try {
    const lu: unknown = JSON.parse(base64UrlVersTexte(parties[1]));
    if (typeof lu !== "object" || lu === null) return null;
    charge = lu as Record<string, unknown>;
  } catch {
    return null;
  }
  const texte = (cle: string): string => (typeof charge[cle] === "string" ? (charge[cle] as string) : "");
  const groupesBruts = charge["cognito:groups"];
  const groupes = Array.isArray(groupesBruts) ? groupesBruts.filter((g): g is string => typeof g === "string") : [];
  const exp = typeof charge["exp"] === "number" ? charge["exp"] * 1000 : 0;
  const email = texte("email") || texte("cognito:username");
  return {
    email,
    nom: texte("name") || email,
    groupes,
    siret: texte("custom:siret") || null,
    expireA: exp,
  };
}

export function estExpire(utilisateur: Utilisateur, maintenant: number = Date.now()): boolean {
  return utilisateur.expireA <= maintenant;
}

export function appartientA(utilisateur: Utilisateur | null, groupe: Groupe): boolean {
  return utilisateur !== null && utilisateur.groupes.includes(groupe);
}

/** Where a signed-in user goes first: their own space. */
export function accueilDe(utilisateur: Utilisateur): string {
  if (appartientA(utilisateur, "editeurs")) return "/dossiers";
  if (appartientA(utilisateur, "gestionnaires")) return "/gestion";
  return "/";
}

const abonnes = new Set<() => void>();

function prevenir(): void {
  for (const abonne of abonnes) abonne();
}

/** The token when one is kept and not expired (an expired one is forgotten). */
export function jetonSession(): string | null {
  let jeton: string | null;
  try {
    jeton = window.sessionStorage.getItem(CLE);
  } catch {
    return null;
  }
  if (!jeton) return null;
  const utilisateur = lireJeton(jeton);
  if (utilisateur === null || estExpire(utilisateur)) return null;
  return jeton;
}

/** How the session began, when it must also end elsewhere: ProConnect's signs out of Cognito's domain too. */
export type OrigineSession = "proconnect";

export function enregistrerJeton(jeton: string | null, origine: OrigineSession | null = null): void {
  if (jeton) window.sessionStorage.setItem(CLE, jeton);
  else window.sessionStorage.removeItem(CLE);
  if (jeton && origine) window.sessionStorage.setItem(CLE_ORIGINE, origine);
  else window.sessionStorage.removeItem(CLE_ORIGINE);
  instantane = undefined;
  prevenir();
}

/** Forgets the token; returns where the session came from (lib/proconnect.ts seDeconnecter). */
export function deconnecter(): OrigineSession | null {
  let origine: string | null = null;
  try {
    origine = window.sessionStorage.getItem(CLE_ORIGINE);
  } catch {
    // no storage: nothing was kept either
  }
  enregistrerJeton(null);
  return origine === "proconnect" ? "proconnect" : null;
}

let instantane: { jeton: string | null; utilisateur: Utilisateur | null } | undefined;

export function utilisateurSession(): Utilisateur | null {
  const jeton = jetonSession();
  if (instantane === undefined || instantane.jeton !== jeton) {
    instantane = { jeton, utilisateur: jeton ? lireJeton(jeton) : null };
  }
  return instantane.utilisateur;
}

function abonner(rappel: () => void): () => void {
  abonnes.add(rappel);
  window.addEventListener("storage", rappel);
  return () => {
    abonnes.delete(rappel);
    window.removeEventListener("storage", rappel);
  };
}

/** The signed-in user, re-rendered on sign-in and sign-out. */
export function useUtilisateur(): Utilisateur | null {
  return useSyncExternalStore(abonner, utilisateurSession, () => null);
}
