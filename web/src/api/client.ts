// The portal's only way to the platform: the public API, as the CLI and the tests use it.
import { ErreurApi, erreurDepuisReponse, erreurReseau } from "./erreurs";

export interface OptionsClient {
  /** The API's base URL, e.g. http://127.0.0.1:8000 locally, /api behind CloudFront. */
  baseUrl: string;
  /** The Cognito IdToken, when signed in (sent as the Authorization header). */
  jeton?: () => string | null;
  /** Injected in unit tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
}

export interface OptionsRequete {
  signal?: AbortSignal;
}

export class ClientApi {
  private readonly baseUrl: string;
  private readonly jeton: () => string | null;
  private readonly fetcher: typeof fetch;

  constructor(options: OptionsClient) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.jeton = options.jeton ?? (() => null);
    this.fetcher = options.fetch ?? ((entree, init) => globalThis.fetch(entree, init));
  }

  url(chemin: string): string {
    return `${this.baseUrl}${chemin.startsWith("/") ? chemin : `/${chemin}`}`;
  }

  get<T>(chemin: string, options: OptionsRequete = {}): Promise<T> {
    return this.requete<T>("GET", chemin, undefined, options);
  }

  post<T>(chemin: string, corps: unknown, options: OptionsRequete = {}): Promise<T> {
    return this.requete<T>("POST", chemin, corps, options);
  }

  private async requete<T>(
    methode: string,
    chemin: string,
    corps: unknown,
    options: OptionsRequete,
  ): Promise<T> {
    const entetes: Record<string, string> = { Accept: "application/json" };
    const jeton = this.jeton();
    if (jeton) entetes["Authorization"] = jeton;
    const init: RequestInit = { method: methode, headers: entetes };
    if (corps !== undefined) {
      entetes["Content-Type"] = "application/json";
      init.body = JSON.stringify(corps);
    }
    if (options.signal) init.signal = options.signal;
    let reponse: Response;
    try {
      reponse = await this.fetcher(this.url(chemin), init);
    } catch (e) {
      if (e instanceof DOMException && e.name === "AbortError") throw e;
      throw erreurReseau();
    }
    const texte = await reponse.text().catch(() => "");
    let donnees: unknown = undefined;
    if (texte) {
      try {
        donnees = JSON.parse(texte);
      } catch {
        donnees = undefined;
      }
    }
    if (!reponse.ok) throw erreurDepuisReponse(reponse.status, donnees);
    if (donnees === undefined && texte) throw new ErreurApi(reponse.status, "REPONSE_ILLISIBLE", "La réponse de la plateforme est illisible. Réessayez dans quelques instants.");
    return donnees as T;
  }
}
