// One function per API route the portal calls: the screens never build URLs themselves.
import type { ClientApi, OptionsRequete } from "./client";
import type { Guichet, Referencement } from "./modeles";

export function lireGuichet(api: ClientApi, options?: OptionsRequete): Promise<Guichet> {
  return api.get<Guichet>("/guichet", options);
}

export function rechercherReferencement(
  api: ClientApi,
  numeroAns: string,
  options?: OptionsRequete,
): Promise<Referencement> {
  return api.get<Referencement>(`/referencements/${encodeURIComponent(numeroAns)}`, options);
}
