// Where the API is, and the sign-in's services: read at start from /config.json (written
// beside the built files: by the local runtime's static server, by the deployment next to
// the bucket's files), so one build serves every environment. Without it: VITE_API_URL,
// else /api (same origin behind CloudFront).

import type { ConfigCognito, ConfigPortail } from "./typesConfig";
import { lireProConnect } from "./lib/proconnect";

export type { ConfigCognito, ConfigPortail, ConfigProConnect } from "./typesConfig";

function lireCognito(valeur: unknown): ConfigCognito | undefined {
  if (typeof valeur !== "object" || valeur === null) return undefined;
  const v = valeur as Record<string, unknown>;
  const url = v["url"];
  const clientId = v["clientId"];
  return typeof url === "string" && url && typeof clientId === "string" && clientId ? { url, clientId } : undefined;
}

export async function chargerConfig(fetcher: typeof fetch = globalThis.fetch): Promise<ConfigPortail> {
  try {
    const reponse = await fetcher("/config.json", { cache: "no-store" });
    if (reponse.ok) {
      const config: unknown = await reponse.json();
      if (typeof config === "object" && config !== null) {
        const api = (config as Record<string, unknown>)["api"];
        if (typeof api === "string" && api) {
          const cognito = lireCognito((config as Record<string, unknown>)["cognito"]);
          const proconnect = lireProConnect((config as Record<string, unknown>)["proconnect"]);
          return { api, ...(cognito ? { cognito } : {}), ...(proconnect ? { proconnect } : {}) };
        }
      }
    }
  } catch {
    // no config.json: the build-time default below
  }
  const defaut: unknown = import.meta.env["VITE_API_URL"];
  return { api: typeof defaut === "string" && defaut ? defaut : "/api" };
}
