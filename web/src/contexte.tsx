import { createContext, useContext, type ReactNode } from "react";

import type { ClientApi } from "./api/client";

const ContexteApi = createContext<ClientApi | null>(null);

export function FournisseurApi({ api, children }: { api: ClientApi; children: ReactNode }) {
  return <ContexteApi.Provider value={api}>{children}</ContexteApi.Provider>;
}

export function useApi(): ClientApi {
  const api = useContext(ContexteApi);
  if (api === null) throw new Error("useApi hors de FournisseurApi");
  return api;
}
