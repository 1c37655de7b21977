// Every failed call becomes an ErreurApi whose `message` is French text for a person:
// the API's own message when it wrote one for people, a message of ours otherwise. A raw
// code (ROUTE_INCONNUE…) is kept in `code` for the program, never shown.

export interface ProblemeChamp {
  champ: string;
  code: string;
  message: string;
}

/** Codes whose API message speaks to developers: the portal words them for people. */
const MESSAGES_PORTAIL: Readonly<Record<string, string>> = {
  ROUTE_INCONNUE: "Ce service n'est pas encore disponible sur la plateforme.",
  NON_AUTHENTIFIE: "Vous n'êtes pas connecté ou votre session a expiré : connectez-vous pour continuer.",
  ACCES_INTERDIT: "Votre compte ne donne pas accès à cette page.",
  METHODE_NON_AUTORISEE: "Cette action n'est pas possible ici.",
  ERREUR_INTERNE:
    "Une erreur inattendue est survenue sur la plateforme. Réessayez dans quelques instants ; si elle persiste, contactez l'assistance.",
};

export const MESSAGE_RESEAU =
  "La plateforme ne répond pas. Vérifiez votre connexion à internet, puis réessayez.";

function messageParStatut(statut: number): string {
  if (statut === 0) return MESSAGE_RESEAU;
  if (statut === 401) return MESSAGES_PORTAIL["NON_AUTHENTIFIE"] as string;
  if (statut === 403) return MESSAGES_PORTAIL["ACCES_INTERDIT"] as string;
  if (statut === 404) return "L'élément demandé est introuvable.";
  if (statut === 413) return "Le fichier envoyé est trop volumineux.";
  if (statut === 429) return "Trop de demandes en peu de temps : patientez quelques instants, puis réessayez.";
  if (statut >= 500) return MESSAGES_PORTAIL["ERREUR_INTERNE"] as string;
  return "La demande n'a pas pu aboutir. Vérifiez les informations saisies, puis réessayez.";
}

/** A code-like word (two upper-case words joined by "_"): never shown to people. */
const CODE_BRUT = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

function estProbleme(valeur: unknown): valeur is ProblemeChamp {
  if (typeof valeur !== "object" || valeur === null) return false;
  const v = valeur as Record<string, unknown>;
  return typeof v["champ"] === "string" && typeof v["code"] === "string" && typeof v["message"] === "string";
}

export class ErreurApi extends Error {
  readonly statut: number;
  readonly code: string;
  /** The API's problems, field by field (REQUETE_INVALIDE), keyed by field name. */
  readonly champs: Readonly<Record<string, string>>;

  constructor(statut: number, code: string, message: string, champs: Record<string, string> = {}) {
    super(message);
    this.name = "ErreurApi";
    this.statut = statut;
    this.code = code;
    this.champs = champs;
  }
}

/** The ErreurApi for an answer with this status and (parsed or absent) body. */
export function erreurDepuisReponse(statut: number, corps: unknown): ErreurApi {
  const c = typeof corps === "object" && corps !== null ? (corps as Record<string, unknown>) : {};
  const code = typeof c["code"] === "string" ? c["code"] : "";
  const brut = typeof c["message"] === "string" ? c["message"].trim() : "";
  const champs: Record<string, string> = {};
  for (const p of Array.isArray(c["erreurs"]) ? c["erreurs"] : []) {
    if (estProbleme(p) && !(p.champ in champs)) champs[p.champ] = p.message;
  }
  let message = MESSAGES_PORTAIL[code];
  if (message === undefined) {
    // Only our own shape ({code, message}) carries a message written for people: a proxy's
    // "Bad Gateway" or an HTML page never reaches the screen.
    message = code && brut && !CODE_BRUT.test(brut) ? brut : messageParStatut(statut);
  }
  return new ErreurApi(statut, code || `HTTP_${statut}`, message, champs);
}

/** A failure before any answer (network down, CORS refused, aborted). */
export function erreurReseau(): ErreurApi {
  return new ErreurApi(0, "RESEAU", MESSAGE_RESEAU);
}

/** Any thrown value → French text for a person. */
export function messageErreur(erreur: unknown): string {
  if (erreur instanceof ErreurApi) return erreur.message;
  return MESSAGES_PORTAIL["ERREUR_INTERNE"] as string;
}
