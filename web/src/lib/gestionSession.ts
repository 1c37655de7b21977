// Who is signed in, as far as the screens need to know: the Cognito groups of the stored
// IdToken (its payload, read without verifying: the API verifies every call). The sign-in
// itself is the Connexion screen's (lib/session.ts keeps the token).
import { jetonSession } from "./session";

export const GROUPE_GESTIONNAIRES = "gestionnaires";

export interface Identite {
  groupes: string[];
  nom: string | null;
  /** Seconds since the epoch. */
  expiration: number | null;
}

function base64UrlVersTexte(partie: string): string {
  const b64 = partie.replace(/-/g, "+").replace(/_/g, "/");
  const complete = b64 + "=".repeat((4 - (b64.length % 4)) % 4);
  const binaire = atob(complete);
  const octets = Uint8Array.from(binaire, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(octets);
}

/** The token's claims that matter here; null when it is not a JWT. */
export function identiteDuJeton(jeton: string | null): Identite | null {
  if (!jeton) return null;
  const parties = jeton.replace(/^Bearer\s+/i, "").split(".");
  if (parties.length !== 3 || !parties[1]) return null;
  try {
    const charge = JSON.parse(base64UrlVersTexte(parties[1])) as Record<string, unknown>;
    const groupes = Array.isArray(charge["cognito:groups"])
      ? charge["cognito:groups"].filter((g): g is string => typeof g === "string")
      : [];
    const nom = typeof charge["name"] === "string" ? charge["name"] : typeof charge["email"] === "string" ? charge["email"] : null;
    const expiration = typeof charge["exp"] === "number" ? charge["exp"] : null;
    return { groupes, nom, expiration };
  } catch {
    return null;
  }
}

export type AccesGestion = "autorise" | "non-connecte" | "expire" | "interdit";

/** May this token open the gestionnaire's screens? (`maintenant` in ms) */
export function accesGestion(jeton: string | null, maintenant: number = Date.now()): AccesGestion {
  const identite = identiteDuJeton(jeton);
  if (identite === null) return "non-connecte";
  if (identite.expiration !== null && identite.expiration * 1000 <= maintenant) return "expire";
  return identite.groupes.includes(GROUPE_GESTIONNAIRES) ? "autorise" : "interdit";
}

export function jetonGestion(): string | null {
  return jetonSession();
}
