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

// ——— Éditeur: enrôlement (E2), dépôts, dossiers (H16) ———

export interface EnvoiPresigne {
  url: string;
  champs: Record<string, string>;
  tailleMax: number;
  expireLe: string;
  cle?: string;
}

export interface Televersement {
  reference: string;
  envoi: EnvoiPresigne;
}

export interface ConfirmationEnrolement {
  numero: string;
  statut: string;
  libelleStatut: string;
  jetonSuivi: string;
}

export interface SuiviEnrolement {
  numero: string;
  nature: string;
  statut: string;
  libelleStatut: string;
  numeroAns: string | null;
  soumiseLe: string;
  decideeLe: string | null;
  motif: string | null;
}

export interface SimulationDepot {
  nombreLignes: number;
  lignesImportables: number;
  lignesRejetees: number;
  erreursFichier: number;
  simuleLe: string;
}

export interface ErreurLigne {
  code: string;
  chemin?: string | null;
  message: string;
}

export interface LigneCompteRendu {
  numLigne: number;
  statut: string;
  erreurs?: ErreurLigne[];
  avertissements?: ErreurLigne[];
  montants?: Record<string, string>;
  numeroAsp?: string | null;
}

export interface CompteRendu {
  fichier?: string | null;
  nombreLignes: number;
  lignesImportables: number;
  lignesRejetees: number;
  lignesImportees?: number;
  erreursFichier: ErreurLigne[];
  lignes: LigneCompteRendu[];
}

export interface ZipDepot {
  cle: string;
  nom: string | null;
  statut: string;
  recuLe: string | null;
  verifieLe: string | null;
  taille: number | null;
  erreursPieces: { fichier?: string | null; code: string; message: string }[];
}

export interface EtatDossierDepot {
  numLigne: number;
  numeroAsp: string;
  statut: string;
  piecesManquantes: string[];
}

export interface Depot {
  idDepot: string;
  typeDemande: TypeDemande;
  numeroAns: string;
  tauxTva: string;
  couloir: string;
  campagne: string;
  statut: string;
  modification: boolean;
  creeLe: string;
  fichier: string | null;
  simulation: SimulationDepot | null;
  importeLe: string | null;
  termineLe: string | null;
  numerosAsp: Record<string, string>;
  compteRendu?: CompteRendu | null;
  zips?: ZipDepot[];
  dossiers?: EtatDossierDepot[];
  importEnCours?: unknown;
}

export interface DepotDemarre {
  idDepot: string;
  statut: string;
  typeDemande: TypeDemande;
  numeroAns: string;
  tauxTva: string;
  couloir: string;
  envoi: EnvoiPresigne;
}

export interface EnvoiPieces {
  idDepot: string;
  envoi: EnvoiPresigne;
}

export interface DepotTermine {
  idDepot: string;
  statut: string;
  termineLe: string | null;
  dossiersIncomplets: { numLigne: number; numeroAsp: string; piecesManquantes: string[] }[];
}

export interface StatutDemande {
  typeDemande: TypeDemande;
  statut: string;
  libelleStatut: string;
}

export interface ResumeDossier {
  numeroAsp: string;
  numeroAns: string;
  campagne: string;
  couloir: string;
  deposeLe: string;
  finess: string[];
  demandes: StatutDemande[];
}

export interface Page<T> {
  elements: T[];
  curseurSuivant: string | null;
}

export interface DocumentDossier {
  nom: string;
  genre: string;
  deposeLe: string;
  url: string;
}

export interface DemandeDossier {
  typeDemande: TypeDemande;
  statut: string;
  libelleStatut: string;
  numeroDossier: string;
  montants: Record<string, string>;
  tauxTva: string;
  deposeLe?: string | null;
  motif?: string | null;
  piecesDemandees: string[];
  attendu?: string | null;
}

export interface CourrielDossier {
  objet: string;
  destinataire: string;
  envoyeLe: string;
  dateEnvoi: string;
  corps: string;
}

export interface EvenementDossier {
  action: string;
  instant: string;
  qui: string;
  motif: string;
  typeDemande: string | null;
  details: Record<string, unknown>;
}

export interface Dossier {
  numeroAsp: string;
  numeroAns: string;
  siret: string;
  campagne: string;
  couloir: string;
  deposeLe: string;
  finess: string[];
  demandes: DemandeDossier[];
  pieces: DocumentDossier[];
  decisionAttribution: DocumentDossier | null;
  courriels: CourrielDossier[];
  historique: EvenementDossier[];
}

export interface LigneVersement {
  numeroDemande: string;
  objet: string;
  typeVersement: string;
  etat: string;
  libelleEtat: string;
  codeRejet: string | null;
  motifRejet: string | null;
  montantCalcule: string | null;
  montantPaye: string | null;
  dateValidation: string;
  dateMiseEnPaiement: string | null;
  datePaiement: string | null;
  avisPaiement: { nom: string; url: string } | null;
  reemissions: number;
}

export interface SuiviFinancier {
  numeroAsp: string;
  versements: LigneVersement[];
}

export interface EnvoiComplementaires {
  numeroAsp: string;
  envoi: EnvoiPresigne;
}
