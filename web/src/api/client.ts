// The portal's only way to the platform: the public API, as the CLI and the tests use it,
// through one openapi-fetch client typed by the contract (src/api/schema.ts, generated from
// docs/openapi.json): a path, its parameters and its body are checked by the compiler.
import createClient, { type Client, type Middleware } from "openapi-fetch";

import { ErreurApi, erreurDepuisReponse, erreurReseau } from "./erreurs";
import type { paths } from "./schema";

export interface OptionsClient {
  /** The API's base URL, e.g. http://127.0.0.1:8000 locally, /api behind CloudFront. */
  baseUrl: string;
  /** The Cognito IdToken, when signed in (sent as the Authorization header). */
  jeton?: () => string | null;
  /** Injected in unit tests; the browser's fetch otherwise. */
  fetch?: (requete: Request) => Promise<Response>;
}

export interface OptionsRequete {
  signal?: AbortSignal;
}

export type ClientHttp = Client<paths>;

const MESSAGE_ILLISIBLE = "La réponse de la plateforme est illisible. Réessayez dans quelques instants.";

function estAbandon(e: unknown): boolean {
  return e instanceof DOMException && e.name === "AbortError";
}

/** The token on each call, a network failure in French, a success that is not JSON (a
 * proxy's page) refused while its status is known. */
function intermediaire(jeton: () => string | null): Middleware {
  return {
    onRequest({ request }) {
      const valeur = jeton();
      if (valeur) request.headers.set("Authorization", valeur);
      return request;
    },
    onError({ error }) {
      // An abandoned call stays an AbortError (nothing returned: openapi-fetch throws it as
      // it came; a DOMException is not always an Error of this realm).
      return estAbandon(error) ? undefined : erreurReseau();
    },
    async onResponse({ response }) {
      if (!response.ok) return undefined;
      const texte = await response.text().catch(() => "");
      if (texte) {
        try {
          JSON.parse(texte);
        } catch {
          throw new ErreurApi(response.status, "REPONSE_ILLISIBLE", MESSAGE_ILLISIBLE);
        }
      }
      return new Response(texte || null, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
  };
}

export class ClientApi {
  /** The typed client: `api.http.GET("/guichet")`; read its answer with `donnees`. */
  readonly http: ClientHttp;
  private readonly baseUrl: string;

  constructor(options: OptionsClient) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    const fetcher = options.fetch ?? ((requete: Request) => globalThis.fetch(requete));
    // openapi-fetch builds a Request, which needs an absolute URL outside a page: a base
    // such as /api is resolved against the page, as the browser's fetch did.
    const base = typeof location === "undefined" ? this.baseUrl : new URL(this.baseUrl || "/", location.href).href;
    this.http = createClient<paths>({
      baseUrl: base,
      fetch: fetcher,
      headers: { Accept: "application/json" },
    });
    this.http.use(intermediaire(options.jeton ?? (() => null)));
  }

  url(chemin: string): string {
    return `${this.baseUrl}${chemin.startsWith("/") ? chemin : `/${chemin}`}`;
  }
}

/** The answer's body, or the ErreurApi of a refusal (its `{code, message}` in French). */
export async function donnees<T>(appel: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await appel;
  if (!response.ok) throw erreurDepuisReponse(response.status, error);
  return data as T;
}
