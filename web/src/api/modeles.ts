// The API's public views used by the portal (docs/api.md, docs/openapi.json): camelCase,
// instants in ISO 8601 with the Paris offset.

export type TypeDemande = "AVANCE" | "SOLDE";
export type StatutFenetre = "A_VENIR" | "OUVERT" | "FERME";

export interface Fenetre {
  typeDemande: TypeDemande;
  ouverture: string;
  echeance: string;
  ouvert: boolean;
  statut: StatutFenetre;
  /** Seconds until the deadline at the platform's instant (null when closed). */
  tempsRestant: number | null;
  tempsRestantTexte: string | null;
  message: string;
}

export interface Campagne {
  id: string;
  libelle: string;
  couloirs: string[];
  guichets: Partial<Record<TypeDemande, Fenetre>>;
}

export interface Guichet {
  instant: string;
  campagnes: Campagne[];
}

/** E1: a référencé solution and its DSR (shared/contrats.py ReferencementAns). */
export interface Referencement {
  numeroAns: string;
  couloir: string;
  typeLogiciel: string;
  vague: string;
  /** « MS1 / DUI / vague 1 » */
  dsr?: string;
  solution: string;
  versionSolution?: string;
  siret: string;
  raisonSociale?: string;
}
