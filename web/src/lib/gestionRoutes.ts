// One function per gestionnaire route (docs/api.md): the gestion screens never build URLs.
import type { ClientApi, OptionsRequete } from "../api/client";
import type {
  Decision,
  DossierGestion,
  Enrolement,
  Lancement,
  LigneBureau,
  LigneEnrolement,
  Lot,
  Page,
  Retour,
  RetourDemande,
  SuiviFinancier,
} from "./gestionModeles";

const seg = encodeURIComponent;

/** `requete`: the query string built by lib/gestion.ts (requeteDossiers), without « ? ». */
export function listerDossiers(api: ClientApi, requete: string, options?: OptionsRequete): Promise<Page<LigneBureau>> {
  return api.get(`/gestion/dossiers${requete ? `?${requete}` : ""}`, options);
}

export function lireDossier(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<DossierGestion> {
  return api.get(`/gestion/dossiers/${seg(numeroAsp)}`, options);
}

export function deciderDemande(
  api: ClientApi,
  numeroAsp: string,
  typeDemande: string,
  corps: { decision: Decision; motif?: string; piecesDemandees?: string[] },
): Promise<unknown> {
  return api.post(`/gestion/dossiers/${seg(numeroAsp)}/${seg(typeDemande)}/decision`, corps);
}

export function relancerDemande(api: ClientApi, numeroAsp: string, typeDemande: string): Promise<unknown> {
  return api.post(`/gestion/dossiers/${seg(numeroAsp)}/${seg(typeDemande)}/relancer`, {});
}

export function lireVersements(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<SuiviFinancier> {
  return api.get(`/gestion/dossiers/${seg(numeroAsp)}/versements`, options);
}

export function reemettreVersement(api: ClientApi, numeroAsp: string, typeVersement: string): Promise<unknown> {
  return api.post(`/gestion/dossiers/${seg(numeroAsp)}/versements/${seg(typeVersement)}/reemettre`, {});
}

export function listerEnrolements(api: ClientApi, requete: string, options?: OptionsRequete): Promise<Page<LigneEnrolement>> {
  return api.get(`/gestion/enrolements${requete ? `?${requete}` : ""}`, options);
}

export function lireEnrolement(api: ClientApi, numero: string, options?: OptionsRequete): Promise<Enrolement> {
  return api.get(`/gestion/enrolements/${seg(numero)}`, options);
}

export function deciderEnrolement(
  api: ClientApi,
  numero: string,
  corps: { decision: "VALIDEE" | "REJETEE"; motif?: string },
): Promise<unknown> {
  return api.post(`/gestion/enrolements/${seg(numero)}/decision`, corps);
}

export function listerLots(api: ClientApi, requete: string, options?: OptionsRequete): Promise<Page<Lot>> {
  return api.get(`/gestion/paiements/lots${requete ? `?${requete}` : ""}`, options);
}

export function lancerLot(api: ClientApi): Promise<Lancement> {
  return api.post("/gestion/paiements/lots", {});
}

export function demanderRetour(api: ClientApi): Promise<RetourDemande> {
  return api.post("/gestion/paiements/retours", {});
}

export function lireRetour(api: ClientApi, idRetour: string, options?: OptionsRequete): Promise<Retour> {
  return api.get(`/gestion/paiements/retours/${seg(idRetour)}`, options);
}
