// One function per gestionnaire route (docs/api.md): the gestion screens never build URLs.
// Each goes through the typed client (paths, queries and bodies of docs/openapi.json).
import { type ClientApi, type OptionsRequete, donnees } from "../api/client";
import type {
  CorpsDecision,
  DecisionEnrolement,
  Dossier,
  Enrolement,
  FiltresBureau,
  FiltresEnrolements,
  Lancement,
  PageBureau,
  PageEnrolements,
  PageLots,
  Retour,
  RetourDemande,
  SuiviFinancier,
} from "../api/modeles";

/** `filtres`: built by lib/gestion.ts (requeteDossiers). */
export function listerDossiers(api: ClientApi, filtres: FiltresBureau, options?: OptionsRequete): Promise<PageBureau> {
  return donnees(api.http.GET("/gestion/dossiers", { params: { query: filtres }, ...options }));
}

export function lireDossier(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<Dossier> {
  return donnees(api.http.GET("/gestion/dossiers/{numero_asp}", { params: { path: { numero_asp: numeroAsp } }, ...options }));
}

export function deciderDemande(api: ClientApi, numeroAsp: string, typeDemande: string, corps: CorpsDecision): Promise<unknown> {
  return donnees(
    api.http.POST("/gestion/dossiers/{numero_asp}/{type_demande}/decision", {
      params: { path: { numero_asp: numeroAsp, type_demande: typeDemande } },
      body: corps,
    }),
  );
}

export function relancerDemande(api: ClientApi, numeroAsp: string, typeDemande: string): Promise<unknown> {
  return donnees(
    api.http.POST("/gestion/dossiers/{numero_asp}/{type_demande}/relancer", {
      params: { path: { numero_asp: numeroAsp, type_demande: typeDemande } },
    }),
  );
}

export function lireVersements(api: ClientApi, numeroAsp: string, options?: OptionsRequete): Promise<SuiviFinancier> {
  return donnees(
    api.http.GET("/gestion/dossiers/{numero_asp}/versements", { params: { path: { numero_asp: numeroAsp } }, ...options }),
  );
}

export function reemettreVersement(api: ClientApi, numeroAsp: string, typeVersement: string): Promise<unknown> {
  return donnees(
    api.http.POST("/gestion/dossiers/{numero_asp}/versements/{type_versement}/reemettre", {
      params: { path: { numero_asp: numeroAsp, type_versement: typeVersement } },
      body: {},
    }),
  );
}

export function listerEnrolements(api: ClientApi, filtres: FiltresEnrolements, options?: OptionsRequete): Promise<PageEnrolements> {
  return donnees(api.http.GET("/gestion/enrolements", { params: { query: filtres }, ...options }));
}

export function lireEnrolement(api: ClientApi, numero: string, options?: OptionsRequete): Promise<Enrolement> {
  return donnees(api.http.GET("/gestion/enrolements/{numero}", { params: { path: { numero } }, ...options }));
}

export function deciderEnrolement(
  api: ClientApi,
  numero: string,
  corps: { decision: DecisionEnrolement; motif?: string },
): Promise<unknown> {
  return donnees(api.http.POST("/gestion/enrolements/{numero}/decision", { params: { path: { numero } }, body: corps }));
}

export function listerLots(api: ClientApi, curseur: string | null, options?: OptionsRequete): Promise<PageLots> {
  return donnees(api.http.GET("/gestion/paiements/lots", { params: { query: curseur ? { curseur } : {} }, ...options }));
}

export function lancerLot(api: ClientApi): Promise<Lancement> {
  return donnees(api.http.POST("/gestion/paiements/lots", { body: {} }));
}

export function demanderRetour(api: ClientApi): Promise<RetourDemande> {
  return donnees(api.http.POST("/gestion/paiements/retours", { body: {} }));
}

export function lireRetour(api: ClientApi, idRetour: string, options?: OptionsRequete): Promise<Retour> {
  return donnees(api.http.GET("/gestion/paiements/retours/{id_retour}", { params: { path: { id_retour: idRetour } }, ...options }));
}
