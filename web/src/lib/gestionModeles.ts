// The gestionnaire's views of the API (docs/api.md « Gestionnaires », « Paiement »,
// « Enrôlement »; names of docs/openapi.json, camelCase). Kept beside the gestion screens
// so that api/modeles.ts stays the éditeurs' and the public's.

export type StatutDemande =
  | "EN_COURS"
  | "A_MODIFIER"
  | "EN_ATTENTE_PIECES"
  | "DECIDEE"
  | "REJETEE"
  | "PAYEE"
  | "EN_ERREUR_TECHNIQUE";

export type Decision = "DECIDEE" | "REJETEE" | "A_MODIFIER" | "EN_ATTENTE_PIECES";

export interface Page<T> {
  elements: T[];
  curseurSuivant?: string | null;
}

/** A line of the desk (VueResumeDemande of instruction). */
export interface LigneBureau {
  numeroAsp: string;
  typeDemande: string;
  siret: string;
  numeroAns: string;
  couloir: string;
  campagne: string;
  statut: string;
  libelleStatut: string;
  attendu: string;
  montantFinance: string;
  modifieLe: string;
}

export interface DecisionGestionnaire {
  decision: string;
  motif: string;
  piecesDemandees: string[];
  auteur: string;
  le: string;
}

export interface DemandeInstruite {
  typeDemande: string;
  statut: string;
  libelleStatut: string;
  attendu?: string | null;
  numeroDossier: string;
  montants: Record<string, string>;
  tauxTva: string;
  deposeLe?: string | null;
  motif?: string | null;
  piecesDemandees: string[];
  decision?: DecisionGestionnaire | null;
  erreur?: { cause: string; etape: string; le: string } | null;
  versement?: { idVersement: string; montant: string; payeLe?: string | null } | null;
}

export interface DocumentDossier {
  nom: string;
  genre: string;
  deposeLe: string;
  url: string;
}

export interface Courriel {
  dateEnvoi: string;
  envoyeLe: string;
  destinataire: string;
  objet: string;
  corps: string;
}

export interface EvenementHistorique {
  qui: string;
  action: string;
  motif: string;
  instant: string;
  typeDemande?: string | null;
  details?: Record<string, unknown>;
}

export interface DossierGestion {
  numeroAsp: string;
  siret: string;
  numeroAns: string;
  couloir: string;
  campagne: string;
  finess: string[];
  deposeLe: string;
  demandes: DemandeInstruite[];
  pieces: DocumentDossier[];
  decisionAttribution?: DocumentDossier | null;
  courriels: Courriel[];
  historique: EvenementHistorique[];
}

export interface Lien {
  nom: string;
  url: string;
}

export interface LigneSuivi {
  numeroDemande: string;
  objet: string;
  typeVersement: string;
  etat: string;
  libelleEtat: string;
  codeRejet?: string | null;
  motifRejet?: string | null;
  montantCalcule?: string | null;
  dateValidation: string;
  dateMiseEnPaiement?: string | null;
  montantPaye?: string | null;
  datePaiement?: string | null;
  avisPaiement?: Lien | null;
  reemissions: number;
}

export interface SuiviFinancier {
  numeroAsp: string;
  versements: LigneSuivi[];
}

export interface Lot {
  idLot: string;
  creeLe: string;
  dateExecution: string;
  statut: string;
  nombreTransactions: number;
  total: string;
  fichier?: Lien | null;
}

export interface Anomalie {
  code: string;
  message: string;
  reference?: string | null;
}

export interface Lancement {
  lot: Lot | null;
  message: string;
  repris: Lot[];
  anomalies: Anomalie[];
}

/** A presigned POST: the `champs`, then the file as `file`, to `url`. */
export interface EnvoiPresigne {
  url: string;
  champs: Record<string, string>;
  cle?: string;
  expireLe: string;
  tailleMax: number;
}

export interface RetourDemande {
  idRetour: string;
  envoi: EnvoiPresigne;
}

export interface LigneRetour {
  numeroAsp: string;
  numeroDemande: string;
  objet: string;
  typeVersement: string;
  endToEnd: string;
  montant?: string | null;
  codeRejet?: string | null;
  motifRejet?: string | null;
}

export interface Retour {
  idRetour: string;
  statut: "ATTENDU" | "TRAITE" | "ILLISIBLE" | string;
  demandeLe: string;
  recuLe?: string | null;
  traiteLe?: string | null;
  messageId?: string | null;
  payes: LigneRetour[];
  rejetes: LigneRetour[];
  soldesLiberes: LigneRetour[];
  dejaTraites: number;
  enCours: number;
  anomalies: Anomalie[];
  erreur?: string | null;
}

export interface LigneEnrolement {
  numero: string;
  nature: string;
  statut: string;
  libelleStatut: string;
  numeroAns?: string | null;
  siret: string;
  raisonSociale: string;
  couloir?: string | null;
  soumiseLe: string;
}

export interface DocumentEnrolement {
  typeDocument: string;
  taille: number;
  url?: string | null;
}

export interface Enrolement extends LigneEnrolement {
  decideeLe?: string | null;
  motif?: string | null;
  nomCommercial: string;
  contact: { email: string; nom: string; prenom: string };
  tauxTva?: string | null;
  documents: DocumentEnrolement[];
  coordonneesBancaires?: { iban?: string | null; bic: string; titulaire: string; domiciliation: string } | null;
  formulaire: Record<string, unknown>;
  historique?: Record<string, unknown>[] | null;
  decision?: { statut: string; motif: string; par: string; le: string; compte?: string | null } | null;
}
