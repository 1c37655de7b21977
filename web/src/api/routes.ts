// One function per API route the portal calls: the screens never build URLs themselves.
// Each goes through the typed client (paths and bodies of docs/openapi.json).
import { type ClientApi, type OptionsRequete, donnees } from "./client";
import type {
  ConfirmationEnrolement,
  DemandeEnrolement,
  DemarrageDepot,
  Depot,
  DepotDemarre,
  DepotTermine,
  Dossier,
  EnvoiComplementaires,
  EnvoiPieces,
  Guichet,
  PageDossiers,
  Referencement,
  SuiviEnrolement,
  SuiviFinancier,
  Televersement,
  TypeDocument,
} from "./modeles";

export function lireGuichet(api: ClientApi, options?: OptionsRequete): Promise<Guichet> {
  return donnees(api.http.GET("/guichet", { ...options }));
}

export function rechercherReferencement(
  api: ClientApi,
  numeroAns: string,
  options?: OptionsRequete,
): Promise<Referencement> {
  return donnees(api.http.GET("/referencements/{numero_ans}", { params: { path: { numero_ans: numeroAns } }, ...options }));
}

// ——— Éditeur: enrôlement (E2), dépôts, dossiers (H16) ———

export function autoriserDocumentEnrolement(
  api: ClientApi,
  typeDocument: TypeDocument,
  nomFichier: string,
): Promise<Televersement> {
  return donnees(api.http.POST("/enrolements/documents", { body: { typeDocument, nomFichier } }));
}

export function soumettreEnrolement(api: ClientApi, demande: DemandeEnrolement): Promise<ConfirmationEnrolement> {
  return donnees(api.http.POST("/enrolements", { body: demande }));
}

export function suivreEnrolement(api: ClientApi, numero: string, jeton: string, options?: OptionsRequete): Promise<SuiviEnrolement> {
  return donnees(api.http.GET("/enrolements/{numero}", { params: { path: { numero }, query: { jeton } }, ...options }));
}

export function demarrerDepot(api: ClientApi, corps: DemarrageDepot): Promise<DepotDemarre> {
  return donnees(api.http.POST("/depots", { body: corps }));
}

export function lireDepot(api: ClientApi, idDepot: string, options?: OptionsRequete): Promise<Depot> {
  return donnees(api.http.GET("/depots/{id_depot}", { params: { path: { id_depot: idDepot } }, ...options }));
}

export function lireFichierAnnote(api: ClientApi, idDepot: string): Promise<unknown> {
  return donnees(api.http.GET("/depots/{id_depot}/fichier-annote", { params: { path: { id_depot: idDepot } } }));
}

export function importerDepot(api: ClientApi, idDepot: string): Promise<unknown> {
  return donnees(api.http.POST("/depots/{id_depot}/import", { params: { path: { id_depot: idDepot } } }));
}

export function autoriserZipPieces(api: ClientApi, idDepot: string): Promise<EnvoiPieces> {
  return donnees(api.http.POST("/depots/{id_depot}/pieces", { params: { path: { id_depot: idDepot } }, body: {} }));
}

export function terminerDepot(api: ClientApi, idDepot: string): Promise<DepotTermine> {
  return donnees(api.http.POST("/depots/{id_depot}/terminer", { params: { path: { id_depot: idDepot } }, body: {} }));
}

export function listerMesDossiers(api: ClientApi, curseur: string | null, limite = 20, options?: OptionsRequete): Promise<PageDossiers> {
  return donnees(api.http.GET("/dossiers", { params: { query: curseur ? { limite, curseur } : { limite } }, ...options }));
}

export function lireMonDossier(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<Dossier> {
  return donnees(api.http.GET("/dossiers/{numero_asp}", { params: { path: { numero_asp: numeroAsp } }, ...options }));
}

export function lireMesVersements(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<SuiviFinancier> {
  return donnees(api.http.GET("/dossiers/{numero_asp}/versements", { params: { path: { numero_asp: numeroAsp } }, ...options }));
}

export function autoriserPiecesComplementaires(api: ClientApi, numeroAsp: string): Promise<EnvoiComplementaires> {
  return donnees(
    api.http.POST("/dossiers/{numero_asp}/pieces-complementaires", { params: { path: { numero_asp: numeroAsp } }, body: {} }),
  );
}
