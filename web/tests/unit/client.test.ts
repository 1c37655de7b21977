import { describe, expect, it } from "vitest";

import { ClientApi, donnees } from "../../src/api/client";
import { ErreurApi, MESSAGE_RESEAU } from "../../src/api/erreurs";
import { demarrerDepot, importerDepot, lireGuichet, rechercherReferencement, suivreEnrolement } from "../../src/api/routes";
import { listerDossiers } from "../../src/lib/gestionRoutes";

interface Appel {
  url: string;
  methode: string;
  entetes: Headers;
  corps: string;
}

function fauxFetch(statut: number, corps: string, appels: Appel[]): (requete: Request) => Promise<Response> {
  return async (requete) => {
    appels.push({ url: requete.url, methode: requete.method, entetes: requete.headers, corps: await requete.text() });
    return new Response(corps || null, { status: statut, headers: { "Content-Type": "application/json" } });
  };
}

describe("ClientApi", () => {
  it("joins the base URL and the path, sends the token as Authorization", async () => {
    const appels: Appel[] = [];
    const api = new ClientApi({ baseUrl: "http://127.0.0.1:8000/", jeton: () => "eyJ.jeton", fetch: fauxFetch(200, '{"a": 1}', appels) });
    await expect(lireGuichet(api)).resolves.toEqual({ a: 1 });
    expect(appels[0]?.url).toBe("http://127.0.0.1:8000/guichet");
    expect(appels[0]?.entetes.get("Authorization")).toBe("eyJ.jeton");
    expect(appels[0]?.entetes.get("Accept")).toBe("application/json");
    expect(appels[0]?.methode).toBe("GET");
  });

  it("sends no Authorization header when signed out; JSON bodies for POST, none when the route has none", async () => {
    const appels: Appel[] = [];
    const api = new ClientApi({ baseUrl: "/api", fetch: fauxFetch(201, '{"idDepot": "d1"}', appels) });
    await demarrerDepot(api, { typeDemande: "AVANCE", numeroAns: "zbuMSS0001", tauxTva: 20 });
    // A relative base is the page's: the same URL as the browser's fetch("/api/depots").
    expect(appels[0]?.url).toBe(new URL("/api/depots", location.href).href);
    expect(appels[0]?.methode).toBe("POST");
    expect(appels[0]?.entetes.get("Authorization")).toBeNull();
    expect(appels[0]?.entetes.get("Content-Type")).toBe("application/json");
    expect(JSON.parse(appels[0]?.corps ?? "")).toEqual({ typeDemande: "AVANCE", numeroAns: "zbuMSS0001", tauxTva: 20 });
    await importerDepot(api, "d 1/2");
    expect(appels[1]?.url).toBe(new URL("/api/depots/d%201%2F2/import", location.href).href);
    expect(appels[1]?.corps).toBe("");
    expect(appels[1]?.entetes.get("Content-Type")).toBeNull();
  });

  it("encodes path segments and query parameters", async () => {
    const appels: Appel[] = [];
    const api = new ClientApi({ baseUrl: "http://api.test", fetch: fauxFetch(200, "{}", appels) });
    await suivreEnrolement(api, "ENR/1", "j+t=");
    await rechercherReferencement(api, "zbu MSS");
    await listerDossiers(api, { couloir: "MS", numeroAns: "zbuMSS0001", limite: 20, curseur: "eyJh+/=" });
    expect(appels.map((a) => a.url)).toEqual([
      "http://api.test/enrolements/ENR%2F1?jeton=j%2Bt%3D",
      "http://api.test/referencements/zbu%20MSS",
      "http://api.test/gestion/dossiers?couloir=MS&numeroAns=zbuMSS0001&limite=20&curseur=eyJh%2B%2F%3D",
    ]);
  });

  it("throws an ErreurApi in French on an error answer", async () => {
    const api = new ClientApi({
      baseUrl: "/api",
      fetch: fauxFetch(404, '{"code": "ROUTE_INCONNUE", "message": "Cette route n\'existe pas"}', []),
    });
    const erreur = await rechercherReferencement(api, "zbuMSS0001").catch((e: unknown) => e);
    expect(erreur).toBeInstanceOf(ErreurApi);
    expect((erreur as ErreurApi).statut).toBe(404);
    expect((erreur as ErreurApi).code).toBe("ROUTE_INCONNUE");
    expect((erreur as ErreurApi).message).toBe("Ce service n'est pas encore disponible sur la plateforme.");
  });

  it("keeps the API's own French message and its problems field by field", async () => {
    const corps = {
      code: "REQUETE_INVALIDE",
      message: "Le corps de la requête contient 1 erreur.",
      erreurs: [{ champ: "tauxTva", code: "TYPE_INVALIDE", message: "un nombre JSON est attendu" }],
    };
    const api = new ClientApi({ baseUrl: "/api", fetch: fauxFetch(422, JSON.stringify(corps), []) });
    await expect(demarrerDepot(api, { typeDemande: "AVANCE", numeroAns: "zbuMSS0001", tauxTva: 20 })).rejects.toMatchObject({
      statut: 422,
      code: "REQUETE_INVALIDE",
      message: "Le corps de la requête contient 1 erreur.",
      champs: { tauxTva: "un nombre JSON est attendu" },
    });
  });

  it("an error answer that is not JSON gets the status's French message", async () => {
    const api = new ClientApi({ baseUrl: "/api", fetch: fauxFetch(502, "<html>Bad Gateway</html>", []) });
    await expect(lireGuichet(api)).rejects.toMatchObject({ statut: 502, code: "HTTP_502", message: expect.stringMatching(/Réessayez/) });
  });

  it("turns a network failure into the network message", async () => {
    const api = new ClientApi({
      baseUrl: "/api",
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(lireGuichet(api)).rejects.toMatchObject({ statut: 0, message: MESSAGE_RESEAU });
  });

  it("lets an abandoned call end as an AbortError, not as a network failure", async () => {
    const abandon = new AbortController();
    const api = new ClientApi({
      baseUrl: "/api",
      // As fetch does: an abandoned signal, now or later, rejects with an AbortError.
      fetch: (requete) =>
        new Promise((_, rejeter) => {
          const abandonner = () => rejeter(new DOMException("abandon", "AbortError"));
          if (requete.signal.aborted) abandonner();
          else requete.signal.addEventListener("abort", abandonner);
        }),
    });
    const appel = lireGuichet(api, { signal: abandon.signal });
    abandon.abort();
    await expect(appel).rejects.toMatchObject({ name: "AbortError" });
  });

  it("refuses an unreadable success body with a French message", async () => {
    const api = new ClientApi({ baseUrl: "/api", fetch: fauxFetch(200, "<html>", []) });
    await expect(lireGuichet(api)).rejects.toMatchObject({ statut: 200, code: "REPONSE_ILLISIBLE" });
  });

  it("an empty success body reads as nothing", async () => {
    const api = new ClientApi({ baseUrl: "/api", fetch: fauxFetch(200, "", []) });
    await expect(donnees(api.http.GET("/guichet"))).resolves.toBeUndefined();
  });
});
