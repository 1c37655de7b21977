import { createHash } from "node:crypto";

import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StrictMode } from "react";
import { MemoryRouter, Route, Routes } from "react-router";

import { ClientApi } from "../../src/api/client";
import { FournisseurApi } from "../../src/contexte";
import {
  defiPkce,
  demarrerConnexion,
  ErreurProConnect,
  lireProConnect,
  navigateur,
  seDeconnecter,
  terminerConnexion,
  urlDeconnexion,
} from "../../src/lib/proconnect";
import { enregistrerJeton, jetonSession } from "../../src/lib/session";
import { Connexion } from "../../src/pages/Connexion";
import { ConnexionProConnect } from "../../src/pages/ConnexionProConnect";
import type { ConfigPortail } from "../../src/typesConfig";

const DOMAINE = "https://segurnum-123456789012.auth.eu-west-3.amazoncognito.com";
const CONFIG = { domaine: DOMAINE, clientId: "gestion-client" };
const ORIGINE = "https://portail.segur.gouv.fr";

function jwt(charge: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg: "RS256" })}.${b64(charge)}.signature`;
}
const GESTIONNAIRE = jwt({ "cognito:groups": ["gestionnaires"], exp: Date.now() / 1000 + 3600, email: "agent@ars.sante.fr" });
const SANS_GROUPE = jwt({ exp: Date.now() / 1000 + 3600, email: "agent@mairie.fr" });

type Appel = { url: string; init: RequestInit | undefined };

function fetcherQuiRepond(statut: number, corps: unknown, appels: Appel[] = []): typeof fetch {
  return (async (url: string, init?: RequestInit) => {
    appels.push({ url: String(url), init });
    return new Response(JSON.stringify(corps), { status: statut, headers: { "Content-Type": "application/json" } });
  }) as unknown as typeof fetch;
}

/** Leaves for ProConnect as the button does; returns the authorize URL it went to. */
async function partir(): Promise<URL> {
  let destination = "";
  await demarrerConnexion(CONFIG, { origine: ORIGINE, aller: (url) => (destination = url) });
  return new URL(destination);
}

beforeEach(() => window.sessionStorage.clear());
afterEach(() => {
  cleanup();
  window.sessionStorage.clear();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("ProConnect: the configuration", () => {
  it("reads Cognito's https domain and the client; refuses anything else", () => {
    expect(lireProConnect({ domaine: `${DOMAINE}/`, clientId: "c" })).toEqual({ domaine: DOMAINE, clientId: "c" });
    expect(lireProConnect({ domaine: "http://segurnum.auth.eu-west-3.amazoncognito.com", clientId: "c" })).toBeUndefined();
    expect(lireProConnect({ domaine: `${DOMAINE}/oauth2`, clientId: "c" })).toBeUndefined();
    expect(lireProConnect({ domaine: "pas une adresse", clientId: "c" })).toBeUndefined();
    expect(lireProConnect({ domaine: DOMAINE, clientId: "" })).toBeUndefined();
    expect(lireProConnect(undefined)).toBeUndefined();
  });
});

describe("ProConnect: leaving for the authorize endpoint", () => {
  it("every parameter, PKCE S256 over the verifier kept for the tab", async () => {
    const url = await partir();
    expect(url.origin + url.pathname).toBe(`${DOMAINE}/oauth2/authorize`);
    const p = url.searchParams;
    expect([...p.keys()].sort()).toEqual(
      ["client_id", "code_challenge", "code_challenge_method", "identity_provider", "redirect_uri", "response_type", "scope", "state"],
    );
    expect(p.get("identity_provider")).toBe("ProConnect");
    expect(p.get("client_id")).toBe("gestion-client");
    expect(p.get("response_type")).toBe("code");
    expect(p.get("scope")).toBe("openid email profile");
    expect(url.search).toContain("scope=openid%20email%20profile");
    expect(p.get("redirect_uri")).toBe(`${ORIGINE}/connexion/proconnect`);
    expect(p.get("code_challenge_method")).toBe("S256");
    const garde = JSON.parse(window.sessionStorage.getItem("segurnum.proconnect") ?? "{}") as { etat: string; verificateur: string };
    expect(p.get("state")).toBe(garde.etat);
    expect(garde.verificateur).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get("code_challenge")).toBe(createHash("sha256").update(garde.verificateur).digest("base64url"));
    expect(garde.etat).not.toBe(garde.verificateur);
  });

  it("a new state and verifier each time", async () => {
    const premiere = (await partir()).searchParams;
    const seconde = (await partir()).searchParams;
    expect(seconde.get("state")).not.toBe(premiere.get("state"));
    expect(seconde.get("code_challenge")).not.toBe(premiere.get("code_challenge"));
  });

  it("the challenge is base64url without padding", async () => {
    const verificateur = "M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag";
    const defi = await defiPkce(verificateur);
    expect(defi).toBe(createHash("sha256").update(verificateur).digest("base64url"));
    expect(defi).not.toMatch(/[+/=]/);
  });
});

describe("ProConnect: the return", () => {
  it("exchanges the code at the token endpoint (form-encoded, with the verifier) and returns the IdToken", async () => {
    const etat = (await partir()).searchParams.get("state") ?? "";
    const garde = JSON.parse(window.sessionStorage.getItem("segurnum.proconnect") ?? "{}") as { verificateur: string };
    const appels: Appel[] = [];
    const fetcher = fetcherQuiRepond(200, { id_token: GESTIONNAIRE, access_token: "a", token_type: "Bearer", expires_in: 3600 }, appels);
    const jeton = await terminerConnexion(CONFIG, new URLSearchParams({ code: "le-code", state: etat }), { origine: ORIGINE, fetcher });
    expect(jeton).toBe(GESTIONNAIRE);
    expect(appels).toHaveLength(1);
    expect(appels[0]?.url).toBe(`${DOMAINE}/oauth2/token`);
    expect(appels[0]?.init?.method).toBe("POST");
    expect(new Headers(appels[0]?.init?.headers).get("Content-Type")).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(String(appels[0]?.init?.body)))).toEqual({
      grant_type: "authorization_code",
      client_id: "gestion-client",
      code: "le-code",
      redirect_uri: `${ORIGINE}/connexion/proconnect`,
      code_verifier: garde.verificateur,
    });
    // The state served once.
    expect(window.sessionStorage.getItem("segurnum.proconnect")).toBeNull();
  });

  it("a wrong state, or none kept in this tab: refused before any exchange", async () => {
    await partir();
    const appels: Appel[] = [];
    const fetcher = fetcherQuiRepond(200, { id_token: GESTIONNAIRE }, appels);
    await expect(
      terminerConnexion(CONFIG, new URLSearchParams({ code: "c", state: "un-autre" }), { origine: ORIGINE, fetcher }),
    ).rejects.toMatchObject({ raison: "etat", message: expect.stringContaining("ne correspond à aucune connexion") });
    // The right state replayed after a refusal is refused too: the attempt was forgotten.
    await expect(
      terminerConnexion(CONFIG, new URLSearchParams({ code: "c", state: "" }), { origine: ORIGINE, fetcher }),
    ).rejects.toMatchObject({ raison: "etat" });
    expect(appels).toEqual([]);
  });

  it("an error from Cognito in the query: French words, never its description", async () => {
    const etat = (await partir()).searchParams.get("state") ?? "";
    const refus = terminerConnexion(
      CONFIG,
      new URLSearchParams({ error: "access_denied", error_description: "PreTokenGeneration failed", state: etat }),
      { origine: ORIGINE, fetcher: fetcherQuiRepond(500, {}) },
    );
    await expect(refus).rejects.toBeInstanceOf(ErreurProConnect);
    await expect(refus).rejects.toMatchObject({ raison: "retour", message: expect.stringContaining("annulée ou refusée") });
    await expect(refus).rejects.not.toMatchObject({ message: expect.stringContaining("PreTokenGeneration") });
  });

  it("a refused code (invalid_grant) and an unreachable endpoint", async () => {
    let etat = (await partir()).searchParams.get("state") ?? "";
    await expect(
      terminerConnexion(CONFIG, new URLSearchParams({ code: "c", state: etat }), {
        origine: ORIGINE,
        fetcher: fetcherQuiRepond(400, { error: "invalid_grant" }),
      }),
    ).rejects.toMatchObject({ raison: "jeton", message: expect.stringContaining("expiré ou a déjà servi") });
    etat = (await partir()).searchParams.get("state") ?? "";
    const enPanne = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    await expect(
      terminerConnexion(CONFIG, new URLSearchParams({ code: "c", state: etat }), { origine: ORIGINE, fetcher: enPanne }),
    ).rejects.toMatchObject({ raison: "jeton", message: expect.stringContaining("ne répond pas") });
  });

  it("an agent without the gestionnaires group is not signed in", async () => {
    const etat = (await partir()).searchParams.get("state") ?? "";
    await expect(
      terminerConnexion(CONFIG, new URLSearchParams({ code: "c", state: etat }), {
        origine: ORIGINE,
        fetcher: fetcherQuiRepond(200, { id_token: SANS_GROUPE }),
      }),
    ).rejects.toMatchObject({ raison: "non-habilite", message: expect.stringContaining("n'est pas habilité") });
  });
});

describe("ProConnect: signing out", () => {
  it("a ProConnect session goes through Cognito's logout; a password session does not", () => {
    const config: ConfigPortail = { api: "/api", proconnect: CONFIG };
    const destinations: string[] = [];
    enregistrerJeton(GESTIONNAIRE, "proconnect");
    seDeconnecter(config, { origine: ORIGINE, aller: (url) => destinations.push(url) });
    expect(jetonSession()).toBeNull();
    expect(destinations).toEqual([`${DOMAINE}/logout?client_id=gestion-client&logout_uri=${encodeURIComponent(`${ORIGINE}/`)}`]);
    expect(urlDeconnexion(CONFIG, ORIGINE)).toBe(destinations[0]);
    enregistrerJeton(GESTIONNAIRE);
    seDeconnecter(config, { origine: ORIGINE, aller: (url) => destinations.push(url) });
    expect(jetonSession()).toBeNull();
    expect(destinations).toHaveLength(1);
  });
});

function monter(config: ConfigPortail, chemin: string) {
  const api = new ClientApi({ baseUrl: "http://api.test", fetch: async () => new Response("{}", { status: 500 }) });
  // StrictMode, as main.tsx: its second run of the effects must not replay the code.
  return render(
    <StrictMode>
      <FournisseurApi api={api} config={config}>
        <MemoryRouter initialEntries={[chemin]}>
          <Routes>
            <Route path="connexion" element={<Connexion />} />
            <Route path="connexion/proconnect" element={<ConnexionProConnect />} />
            <Route path="gestion" element={<p>Bureau du gestionnaire</p>} />
          </Routes>
        </MemoryRouter>
      </FournisseurApi>
    </StrictMode>,
  );
}

describe("ProConnect: the screens", () => {
  const COGNITO = { url: "http://127.0.0.1:5000", clientId: "portail" };

  it("the sign-in screen shows the ProConnect button only with its configuration", () => {
    monter({ api: "/api", cognito: COGNITO }, "/connexion");
    expect(screen.getByLabelText(/Adresse électronique/)).toBeTruthy();
    expect(screen.queryByText("ProConnect")).toBeNull();
    expect(screen.queryByText("S’identifier avec")).toBeNull();
    cleanup();
    monter({ api: "/api", cognito: COGNITO, proconnect: CONFIG }, "/connexion");
    expect(screen.getByLabelText(/Adresse électronique/)).toBeTruthy();
    const bouton = screen.getByText("ProConnect").closest("button");
    expect(bouton?.textContent).toBe("S’identifier avecProConnect");
  });

  it("the button keeps a state for the tab, then leaves for the authorize endpoint", async () => {
    const aller = vi.spyOn(navigateur, "aller").mockImplementation(() => undefined);
    monter({ api: "/api", cognito: COGNITO, proconnect: CONFIG }, "/connexion");
    const bouton = screen.getByText("ProConnect").closest("button");
    if (bouton === null) throw new Error("pas de bouton ProConnect");
    fireEvent.click(bouton);
    await waitFor(() => expect(aller).toHaveBeenCalledTimes(1));
    const url = new URL(String(aller.mock.calls[0]?.[0]));
    expect(url.origin + url.pathname).toBe(`${DOMAINE}/oauth2/authorize`);
    expect(url.searchParams.get("redirect_uri")).toBe(`${window.location.origin}/connexion/proconnect`);
    const garde = JSON.parse(window.sessionStorage.getItem("segurnum.proconnect") ?? "{}") as { etat: string };
    expect(url.searchParams.get("state")).toBe(garde.etat);
  });

  it("the return screen: the token kept as the password sign-in keeps it, then the desk", async () => {
    vi.spyOn(navigateur, "aller").mockImplementation(() => undefined);
    await demarrerConnexion(CONFIG);
    const garde = JSON.parse(window.sessionStorage.getItem("segurnum.proconnect") ?? "{}") as { etat: string };
    const appels: Appel[] = [];
    let repondre: () => void = () => undefined;
    const reponse = new Promise<void>((r) => (repondre = r));
    const repond = fetcherQuiRepond(200, { id_token: GESTIONNAIRE, access_token: "a" }, appels);
    vi.stubGlobal("fetch", async (url: string, init?: RequestInit) => {
      await reponse;
      return repond(url, init);
    });
    monter({ api: "/api", proconnect: CONFIG }, `/connexion/proconnect?code=le-code&state=${garde.etat}`);
    // While Cognito answers: waiting, and no error from StrictMode's second run of the effect
    // (the state, already used, would be refused).
    expect(screen.getByRole("status").textContent).toBe("Connexion en cours…");
    await new Promise((r) => setTimeout(r, 20));
    expect(screen.queryByText(/n'a pas abouti/)).toBeNull();
    repondre();
    expect(await screen.findByText("Bureau du gestionnaire")).toBeTruthy();
    expect(appels.map((a) => a.url)).toEqual([`${DOMAINE}/oauth2/token`]);
    expect(jetonSession()).toBe(GESTIONNAIRE);
    expect(window.sessionStorage.getItem("segurnum.origine")).toBe("proconnect");
  });

  it("the return screen: an agent without the group is not signed in and may end Cognito's session", async () => {
    vi.spyOn(navigateur, "aller").mockImplementation(() => undefined);
    await demarrerConnexion(CONFIG);
    const garde = JSON.parse(window.sessionStorage.getItem("segurnum.proconnect") ?? "{}") as { etat: string };
    vi.stubGlobal("fetch", fetcherQuiRepond(200, { id_token: SANS_GROUPE }));
    monter({ api: "/api", proconnect: CONFIG }, `/connexion/proconnect?code=le-code&state=${garde.etat}`);
    const alerte = await screen.findByText(/n'est pas habilité à l'espace des gestionnaires/);
    expect(alerte.closest(".fr-alert--error")).toBeTruthy();
    expect(jetonSession()).toBeNull();
    expect(screen.getByText("Se déconnecter de ce compte").getAttribute("href")).toBe(urlDeconnexion(CONFIG, window.location.origin));
  });

  it("the return screen: an error in the query shown in French in a DSFR alert", async () => {
    monter({ api: "/api", proconnect: CONFIG }, "/connexion/proconnect?error=access_denied&error_description=Boom&state=x");
    const alerte = await screen.findByText(/annulée ou refusée/);
    expect(alerte.closest(".fr-alert--error")).toBeTruthy();
    expect(screen.queryByText(/Boom/)).toBeNull();
    expect(screen.getByText("Revenir à l'écran de connexion")).toBeTruthy();
    expect(jetonSession()).toBeNull();
  });

  it("the return screen without configuration says so", async () => {
    monter({ api: "/api" }, "/connexion/proconnect?code=c&state=x");
    expect(await screen.findByText(/n'est pas configurée pour ce portail/)).toBeTruthy();
  });
});
