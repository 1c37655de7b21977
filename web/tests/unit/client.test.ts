import { describe, expect, it } from "vitest";

import { ClientApi } from "../../src/api/client";
import { ErreurApi, MESSAGE_RESEAU } from "../../src/api/erreurs";

interface Appel {
  url: string;
  init: RequestInit;
}

function fauxFetch(statut: number, corps: string, appels: Appel[]): typeof fetch {
  return async (entree, init) => {
    appels.push({ url: String(entree), init: init ?? {} });
    return new Response(corps || null, { status: statut, headers: { "Content-Type": "application/json" } });
  };
}

describe("ClientApi", () => {
  it("joins the base URL and the path, sends the token as Authorization", async () => {
    const appels: Appel[] = [];
    const api = new ClientApi({ baseUrl: "http://127.0.0.1:8000/", jeton: () => "eyJ.jeton", fetch: fauxFetch(200, '{"a": 1}', appels) });
    await expect(api.get("/guichet")).resolves.toEqual({ a: 1 });
    expect(appels[0]?.url).toBe("http://127.0.0.1:8000/guichet");
    const entetes = appels[0]?.init.headers as Record<string, string>;
    expect(entetes["Authorization"]).toBe("eyJ.jeton");
    expect(appels[0]?.init.method).toBe("GET");
  });

  it("sends no Authorization header when signed out; JSON bodies for POST", async () => {
    const appels: Appel[] = [];
    const api = new ClientApi({ baseUrl: "/api", fetch: fauxFetch(201, '{"idDepot": "d1"}', appels) });
    await api.post("depots", { typeDemande: "AVANCE", tauxTva: 20 });
    const entetes = appels[0]?.init.headers as Record<string, string>;
    expect(appels[0]?.url).toBe("/api/depots");
    expect(entetes["Authorization"]).toBeUndefined();
    expect(entetes["Content-Type"]).toBe("application/json");
    expect(JSON.parse(String(appels[0]?.init.body))).toEqual({ typeDemande: "AVANCE", tauxTva: 20 });
  });

  it("throws an ErreurApi in French on an error answer", async () => {
    const api = new ClientApi({
      baseUrl: "/api",
      fetch: fauxFetch(404, '{"code": "ROUTE_INCONNUE", "message": "Cette route n\'existe pas"}', []),
    });
    const erreur = await api.get("/referencements/zbuMSS0001").catch((e: unknown) => e);
    expect(erreur).toBeInstanceOf(ErreurApi);
    expect((erreur as ErreurApi).code).toBe("ROUTE_INCONNUE");
    expect((erreur as ErreurApi).message).toBe("Ce service n'est pas encore disponible sur la plateforme.");
  });

  it("turns a network failure into the network message", async () => {
    const api = new ClientApi({
      baseUrl: "/api",
      fetch: async () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(api.get("/guichet")).rejects.toMatchObject({ statut: 0, message: MESSAGE_RESEAU });
  });

  it("refuses an unreadable success body with a French message", async () => {
    const api = new ClientApi({ baseUrl: "/api", fetch: fauxFetch(200, "<html>", []) });
    await expect(api.get("/guichet")).rejects.toMatchObject({ code: "REPONSE_ILLISIBLE" });
  });
});
