// Sign-in against the Cognito user pool from the browser: InitiateAuth (USER_PASSWORD_AUTH)
// then, on first sign-in, RespondToAuthChallenge (NEW_PASSWORD_REQUIRED), JSON 1.1 over
// fetch. Locally the endpoint is moto's server; deployed the regional Cognito endpoint
// (/config.json, docs/portail.md).
import type { ConfigCognito } from "../typesConfig";

export type ResultatConnexion =
  | { etat: "connecte"; jeton: string }
  | { etat: "nouveauMotDePasse"; session: string };

export const REGLE_MOT_DE_PASSE =
  "12 caractères au moins, dont une minuscule, une majuscule, un chiffre et un symbole.";

export class ErreurConnexion extends Error {
  /** The form's field the problem belongs to, or null for the whole form. */
  readonly champ: "email" | "motDePasse" | "nouveauMotDePasse" | null;

  constructor(message: string, champ: ErreurConnexion["champ"] = null) {
    super(message);
    this.name = "ErreurConnexion";
    this.champ = champ;
  }
}

/** Cognito's error type (`__type`, sometimes prefixed) → a French message at its field. */
export function erreurCognito(type: string, etape: "connexion" | "nouveauMotDePasse"): ErreurConnexion {
  const nom = type.includes("#") ? (type.split("#").pop() ?? type) : type;
  switch (nom) {
    case "NotAuthorizedException":
    case "UserNotFoundException":
      return etape === "connexion"
        ? new ErreurConnexion("Adresse électronique ou mot de passe incorrect.", "motDePasse")
        : new ErreurConnexion(
            "La session de première connexion a expiré : reconnectez-vous avec le mot de passe provisoire.",
          );
    case "InvalidPasswordException":
      return new ErreurConnexion(
        `Le nouveau mot de passe ne respecte pas les règles : ${REGLE_MOT_DE_PASSE}`,
        "nouveauMotDePasse",
      );
    case "PasswordResetRequiredException":
      return new ErreurConnexion("Votre mot de passe doit être réinitialisé : contactez l'assistance.");
    case "UserNotConfirmedException":
      return new ErreurConnexion("Votre compte n'est pas encore activé : contactez l'assistance.");
    case "TooManyRequestsException":
    case "LimitExceededException":
      return new ErreurConnexion("Trop de tentatives en peu de temps : patientez quelques minutes, puis réessayez.");
    case "CodeMismatchException":
    case "ExpiredCodeException":
      return new ErreurConnexion("La session de connexion a expiré : reconnectez-vous.");
    default:
      return new ErreurConnexion(
        "La connexion n'a pas abouti. Réessayez dans quelques instants ; si le problème persiste, contactez l'assistance.",
      );
  }
}

async function appeler(
  config: ConfigCognito,
  action: "InitiateAuth" | "RespondToAuthChallenge",
  corps: unknown,
  etape: "connexion" | "nouveauMotDePasse",
  fetcher: typeof fetch,
): Promise<Record<string, unknown>> {
  let reponse: Response;
  try {
    reponse = await fetcher(config.url, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${action}`,
      },
      body: JSON.stringify(corps),
    });
  } catch {
    throw new ErreurConnexion("Le service de connexion ne répond pas. Vérifiez votre connexion à internet, puis réessayez.");
  }
  let donnees: Record<string, unknown> = {};
  try {
    const lu: unknown = await reponse.json();
    if (typeof lu === "object" && lu !== null) donnees = lu as Record<string, unknown>;
  } catch {
    // an empty or unreadable answer: judged by its status below
  }
  if (!reponse.ok) {
    const type = typeof donnees["__type"] === "string" ? donnees["__type"] : (reponse.headers.get("x-amzn-ErrorType") ?? "");
    throw erreurCognito(type.split(":")[0] ?? "", etape);
  }
  return donnees;
}

function resultat(donnees: Record<string, unknown>): ResultatConnexion {
  const auth = donnees["AuthenticationResult"];
  if (typeof auth === "object" && auth !== null) {
    const jeton = (auth as Record<string, unknown>)["IdToken"];
    if (typeof jeton === "string" && jeton) return { etat: "connecte", jeton };
  }
  if (donnees["ChallengeName"] === "NEW_PASSWORD_REQUIRED" && typeof donnees["Session"] === "string") {
    return { etat: "nouveauMotDePasse", session: donnees["Session"] };
  }
  throw new ErreurConnexion("Ce mode de connexion n'est pas pris en charge par le portail : contactez l'assistance.");
}

export async function connecter(
  config: ConfigCognito,
  email: string,
  motDePasse: string,
  fetcher: typeof fetch = (e, i) => globalThis.fetch(e, i),
): Promise<ResultatConnexion> {
  const donnees = await appeler(
    config,
    "InitiateAuth",
    { AuthFlow: "USER_PASSWORD_AUTH", ClientId: config.clientId, AuthParameters: { USERNAME: email, PASSWORD: motDePasse } },
    "connexion",
    fetcher,
  );
  return resultat(donnees);
}

export async function definirMotDePasse(
  config: ConfigCognito,
  email: string,
  session: string,
  nouveau: string,
  fetcher: typeof fetch = (e, i) => globalThis.fetch(e, i),
): Promise<ResultatConnexion> {
  const donnees = await appeler(
    config,
    "RespondToAuthChallenge",
    {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: config.clientId,
      Session: session,
      ChallengeResponses: { USERNAME: email, NEW_PASSWORD: nouveau },
    },
    "nouveauMotDePasse",
    fetcher,
  );
  return resultat(donnees);
}

/** The new password checked before it is sent (Cognito's policy of the template). */
export function verifierNouveauMotDePasse(nouveau: string, confirmation: string): string | null {
  if (nouveau.length < 12 || !/[a-z]/.test(nouveau) || !/[A-Z]/.test(nouveau) || !/[0-9]/.test(nouveau) || !/[^A-Za-z0-9]/.test(nouveau)) {
    return `Le mot de passe doit compter ${REGLE_MOT_DE_PASSE}`;
  }
  if (nouveau !== confirmation) return "Les deux mots de passe saisis sont différents.";
  return null;
}
