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

// ——— Éditeur: enrôlement (E2), dépôts, dossiers (H16) ———
import type {
  ConfirmationEnrolement,
  Depot,
  DepotDemarre,
  DepotTermine,
  Dossier,
  EnvoiComplementaires,
  EnvoiPieces,
  Page,
  ResumeDossier,
  SuiviEnrolement,
  SuiviFinancier,
  Televersement,
  TypeDemande,
} from "./modeles";

const seg = encodeURIComponent;

export function autoriserDocumentEnrolement(
  api: ClientApi,
  typeDocument: string,
  nomFichier: string,
): Promise<Televersement> {
  return api.post<Televersement>("/enrolements/documents", { typeDocument, nomFichier });
}

export function soumettreEnrolement(api: ClientApi, demande: unknown): Promise<ConfirmationEnrolement> {
  return api.post<ConfirmationEnrolement>("/enrolements", demande);
}

export function suivreEnrolement(api: ClientApi, numero: string, jeton: string, options?: OptionsRequete): Promise<SuiviEnrolement> {
  return api.get<SuiviEnrolement>(`/enrolements/${seg(numero)}?jeton=${seg(jeton)}`, options);
}

export function demarrerDepot(
  api: ClientApi,
  corps: { typeDemande: TypeDemande; numeroAns: string; tauxTva: number; modification?: boolean },
): Promise<DepotDemarre> {
  return api.post<DepotDemarre>("/depots", corps);
}

export function lireDepot(api: ClientApi, idDepot: string, options?: OptionsRequete): Promise<Depot> {
  return api.get<Depot>(`/depots/${seg(idDepot)}`, options);
}

export function lireFichierAnnote(api: ClientApi, idDepot: string): Promise<unknown> {
  return api.get<unknown>(`/depots/${seg(idDepot)}/fichier-annote`);
}

export function importerDepot(api: ClientApi, idDepot: string): Promise<unknown> {
  return api.post<unknown>(`/depots/${seg(idDepot)}/import`, undefined);
}

export function autoriserZipPieces(api: ClientApi, idDepot: string): Promise<EnvoiPieces> {
  return api.post<EnvoiPieces>(`/depots/${seg(idDepot)}/pieces`, {});
}

export function terminerDepot(api: ClientApi, idDepot: string): Promise<DepotTermine> {
  return api.post<DepotTermine>(`/depots/${seg(idDepot)}/terminer`, {});
}

export function listerMesDossiers(api: ClientApi, curseur: string | null, limite = 20, options?: OptionsRequete): Promise<Page<ResumeDossier>> {
  const parametres = new URLSearchParams({ limite: String(limite) });
  if (curseur) parametres.set("curseur", curseur);
  return api.get<Page<ResumeDossier>>(`/dossiers?${parametres.toString()}`, options);
}

export function lireMonDossier(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<Dossier> {
  return api.get<Dossier>(`/dossiers/${seg(numeroAsp)}`, options);
}

export function lireMesVersements(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<SuiviFinancier> {
  return api.get<SuiviFinancier>(`/dossiers/${seg(numeroAsp)}/versements`, options);
}

export function autoriserPiecesComplementaires(api: ClientApi, numeroAsp: string): Promise<EnvoiComplementaires> {
  return api.post<EnvoiComplementaires>(`/dossiers/${seg(numeroAsp)}/pieces-complementaires`, {});
}
