// The gestionnaires' sign-in with ProConnect, through Cognito's hosted endpoints
// (infra/resources.yaml CognitoDomaine and GestionClient, docs/portail.md): an authorization
// code flow with PKCE (S256) run by the browser, since a public client has no secret to keep.
// The state and the code_verifier wait for the return in the tab's sessionStorage; the IdToken
// obtained is kept like the password sign-in's (lib/session.ts), so the API and the screens
// see no difference.
import type { ConfigPortail, ConfigProConnect } from "../typesConfig";
import { GROUPE_GESTIONNAIRES } from "./gestionSession";
import { deconnecter, lireJeton } from "./session";

/** The return address registered on GestionClient (CallbackURLs), under the portal's origin. */
export const CHEMIN_RETOUR = "/connexion/proconnect";
/** Cognito's name of the identity provider (ProConnectFournisseur's ProviderName). */
export const FOURNISSEUR = "ProConnect";
export const PORTEES = "openid email profile";
const CLE_TENTATIVE = "segurnum.proconnect";

const GENERIQUE =
  "La connexion avec ProConnect n'a pas abouti. Réessayez dans quelques instants ; si le problème persiste, contactez l'assistance.";

export type RaisonErreur = "retour" | "etat" | "jeton" | "non-habilite" | "configuration";

export class ErreurProConnect extends Error {
  /** What went wrong, for what the screen offers next (another account when not habilité). */
  readonly raison: RaisonErreur;

  constructor(message: string, raison: RaisonErreur) {
    super(message);
    this.name = "ErreurProConnect";
    this.raison = raison;
  }
}

/** /config.json's `proconnect`: Cognito's hosted domain (https only) and GestionClient's id. */
export function lireProConnect(valeur: unknown): ConfigProConnect | undefined {
  if (typeof valeur !== "object" || valeur === null) return undefined;
  const v = valeur as Record<string, unknown>;
  const domaine = v["domaine"];
  const clientId = v["clientId"];
  if (typeof domaine !== "string" || typeof clientId !== "string" || !clientId) return undefined;
  let url: URL;
  try {
    url = new URL(domaine);
  } catch {
    return undefined;
  }
  // The token exchange sends the code and the verifier there: never in clear, never a path.
  if (url.protocol !== "https:" || (url.pathname !== "/" && url.pathname !== "") || url.search || url.hash) return undefined;
  return { domaine: url.origin, clientId };
}

export function adresseRetour(origine: string): string {
  return `${origine}${CHEMIN_RETOUR}`;
}

function base64Url(octets: Uint8Array): string {
  let binaire = "";
  for (const octet of octets) binaire += String.fromCharCode(octet);
  return btoa(binaire).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** 32 random bytes in base64url: 43 characters, as RFC 7636 asks (43 to 128). */
export function nouvelAlea(): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** The PKCE challenge of a verifier: base64url(SHA-256(verifier)) (method S256). */
export async function defiPkce(verificateur: string): Promise<string> {
  const empreinte = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verificateur));
  return base64Url(new Uint8Array(empreinte));
}

function requete(parametres: Record<string, string>): string {
  return Object.entries(parametres)
    .map(([cle, valeur]) => `${encodeURIComponent(cle)}=${encodeURIComponent(valeur)}`)
    .join("&");
}

/** Cognito's authorize endpoint, straight to ProConnect (no hosted sign-in page in between). */
export function urlAutorisation(config: ConfigProConnect, origine: string, etat: string, defi: string): string {
  return `${config.domaine}/oauth2/authorize?${requete({
    identity_provider: FOURNISSEUR,
    client_id: config.clientId,
    response_type: "code",
    scope: PORTEES,
    redirect_uri: adresseRetour(origine),
    state: etat,
    code_challenge: defi,
    code_challenge_method: "S256",
  })}`;
}

export function urlDeconnexion(config: ConfigProConnect, origine: string): string {
  return `${config.domaine}/logout?${requete({ client_id: config.clientId, logout_uri: `${origine}/` })}`;
}

interface Tentative {
  etat: string;
  verificateur: string;
}

export interface Environnement {
  origine: string;
  stockage: Storage;
  aller: (url: string) => void;
  fetcher: typeof fetch;
}

/** Leaving the portal for Cognito (an object, so that the screens' tests can watch it). */
export const navigateur = {
  aller(url: string): void {
    window.location.assign(url);
  },
};

function environnement(choix: Partial<Environnement>): Environnement {
  return {
    origine: choix.origine ?? window.location.origin,
    stockage: choix.stockage ?? window.sessionStorage,
    aller: choix.aller ?? ((url) => navigateur.aller(url)),
    fetcher: choix.fetcher ?? ((e, i) => globalThis.fetch(e, i)),
  };
}

/** Keeps a new state and verifier for this tab, then leaves for ProConnect. */
export async function demarrerConnexion(config: ConfigProConnect, choix: Partial<Environnement> = {}): Promise<void> {
  const env = environnement(choix);
  const tentative: Tentative = { etat: nouvelAlea(), verificateur: nouvelAlea() };
  env.stockage.setItem(CLE_TENTATIVE, JSON.stringify(tentative));
  env.aller(urlAutorisation(config, env.origine, tentative.etat, await defiPkce(tentative.verificateur)));
}

/** The attempt kept by demarrerConnexion, forgotten as it is read: a state serves once. */
function reprendreTentative(stockage: Storage): Tentative | null {
  const brut = stockage.getItem(CLE_TENTATIVE);
  stockage.removeItem(CLE_TENTATIVE);
  if (!brut) return null;
  try {
    const lu: unknown = JSON.parse(brut);
    if (typeof lu !== "object" || lu === null) return null;
    const { etat, verificateur } = lu as Record<string, unknown>;
    return typeof etat === "string" && etat && typeof verificateur === "string" && verificateur ? { etat, verificateur } : null;
  } catch {
    return null;
  }
}

/** Cognito's `error` on the return (RFC 6749 §4.1.2.1) in words; its description is never shown. */
export function messageErreurRetour(erreur: string): string {
  switch (erreur) {
    case "access_denied":
      return "La connexion avec ProConnect a été annulée ou refusée. Vous pouvez recommencer depuis l'écran de connexion.";
    case "temporarily_unavailable":
    case "server_error":
      return "Le service de connexion est momentanément indisponible. Réessayez dans quelques instants.";
    default:
      return GENERIQUE;
  }
}

async function echangerCode(config: ConfigProConnect, code: string, verificateur: string, env: Environnement): Promise<string> {
  let reponse: Response;
  try {
    reponse = await env.fetcher(`${config.domaine}/oauth2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: requete({
        grant_type: "authorization_code",
        client_id: config.clientId,
        code,
        redirect_uri: adresseRetour(env.origine),
        code_verifier: verificateur,
      }),
    });
  } catch {
    throw new ErreurProConnect("Le service de connexion ne répond pas. Vérifiez votre connexion à internet, puis réessayez.", "jeton");
  }
  let donnees: Record<string, unknown> = {};
  try {
    const lu: unknown = await reponse.json();
    if (typeof lu === "object" && lu !== null) donnees = lu as Record<string, unknown>;
  } catch {
    // an unreadable answer: judged by its status below
  }
  if (!reponse.ok) {
    throw new ErreurProConnect(
      donnees["error"] === "invalid_grant"
        ? "Le code de connexion a expiré ou a déjà servi : recommencez la connexion avec ProConnect."
        : GENERIQUE,
      "jeton",
    );
  }
  const jeton = donnees["id_token"];
  if (typeof jeton !== "string" || !jeton) throw new ErreurProConnect(GENERIQUE, "jeton");
  return jeton;
}

/** The return from ProConnect: checks it, exchanges the code, returns a gestionnaire's IdToken. */
export async function terminerConnexion(
  config: ConfigProConnect,
  parametres: URLSearchParams,
  choix: Partial<Environnement> = {},
): Promise<string> {
  const env = environnement(choix);
  const tentative = reprendreTentative(env.stockage);
  const erreur = parametres.get("error");
  if (erreur !== null) throw new ErreurProConnect(messageErreurRetour(erreur), "retour");
  if (tentative === null || parametres.get("state") !== tentative.etat) {
    // Not the sign-in this tab asked for (another tab, a replayed or forged link).
    throw new ErreurProConnect(
      "Cette réponse de ProConnect ne correspond à aucune connexion demandée depuis cet onglet : recommencez depuis l'écran de connexion.",
      "etat",
    );
  }
  const code = parametres.get("code");
  if (!code) throw new ErreurProConnect(GENERIQUE, "retour");
  const jeton = await echangerCode(config, code, tentative.verificateur, env);
  const utilisateur = lireJeton(jeton);
  if (utilisateur === null) throw new ErreurProConnect(GENERIQUE, "jeton");
  if (!utilisateur.groupes.includes(GROUPE_GESTIONNAIRES)) {
    throw new ErreurProConnect(
      "Votre compte ProConnect n'est pas habilité à l'espace des gestionnaires. Si vous instruisez les demandes, demandez aux opérateurs de la plateforme de vous y inscrire.",
      "non-habilite",
    );
  }
  return jeton;
}

/** Sign-out: forgets the token; a ProConnect session also ends Cognito's (ProConnect's own is ProConnect's). */
export function seDeconnecter(config: ConfigPortail, choix: Partial<Environnement> = {}): void {
  const origine = deconnecter();
  if (origine === "proconnect" && config.proconnect) {
    const env = environnement(choix);
    env.aller(urlDeconnexion(config.proconnect, env.origine));
  }
}
