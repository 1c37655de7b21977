import { createContext, useContext, type ReactNode } from "react";

import type { ClientApi } from "./api/client";
import type { ConfigPortail } from "./typesConfig";

const ContexteApi = createContext<ClientApi | null>(null);

const ContexteConfig = createContext<ConfigPortail>({ api: "/api" });

export function FournisseurApi({
  api,
  config,
  children,
}: {
  api: ClientApi;
  config?: ConfigPortail;
  children: ReactNode;
}) {
  return (
    <ContexteConfig.Provider value={config ?? { api: api.url("") }}>
      <ContexteApi.Provider value={api}>{children}</ContexteApi.Provider>
    </ContexteConfig.Provider>
  );
}

/** /config.json as read at start (the API, Cognito for the sign-in). */
export function useConfig(): ConfigPortail {
  return useContext(ContexteConfig);
}

export function useApi(): ClientApi {
  const api = useContext(ContexteApi);
  if (api === null) throw new Error("useApi hors de FournisseurApi");
  return api;
}
