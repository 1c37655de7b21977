// « Mes dossiers » and the dossier page: filters, statuses in the portal's words, the
// answer each status asks of the éditeur.
import type { DemandeInstruite, ResumeDossier, TypeDemande } from "../api/modeles";

export const STATUTS_FILTRE = [
  "En cours",
  "À modifier",
  "En attente de pièces complémentaires",
  "Décidée",
  "Rejetée",
  "Décidée et payée",
] as const;

export function statutDe(dossier: ResumeDossier, type: TypeDemande): string {
  return dossier.demandes.find((d) => d.typeDemande === type)?.libelleStatut ?? "—";
}

export function filtrerDossiers(dossiers: ResumeDossier[], recherche: string, statut: string): ResumeDossier[] {
  const texte = recherche.trim().toLowerCase();
  return dossiers.filter((d) => {
    if (statut && !d.demandes.some((x) => x.libelleStatut === statut)) return false;
    if (!texte) return true;
    return [d.numeroAsp, d.numeroAns, ...d.finess].some((v) => v.toLowerCase().includes(texte));
  });
}

export type Reponse =
  | { type: "modification"; demande: DemandeInstruite; lien: string }
  | { type: "pieces"; demande: DemandeInstruite };

/** What the éditeur must answer on this dossier, if anything. */
export function reponsesAttendues(numeroAns: string, demandes: DemandeInstruite[]): Reponse[] {
  const reponses: Reponse[] = [];
  for (const demande of demandes) {
    if (demande.statut === "A_MODIFIER") {
      const parametres = new URLSearchParams({ modification: "1", numeroAns, type: demande.typeDemande });
      reponses.push({ type: "modification", demande, lien: `/deposer?${parametres.toString()}` });
    } else if (demande.statut === "EN_ATTENTE_PIECES") {
      reponses.push({ type: "pieces", demande });
    }
  }
  return reponses;
}

// The history's actions as the API writes them (the dossier's and the instruction's).
const ACTIONS: Readonly<Record<string, string>> = {
  CREATION: "Dossier déposé",
  MODIFICATION: "Dossier modifié",
  INSTRUCTION_COMMENCEE: "Instruction commencée",
  DECISION_DECIDEE: "Demande décidée",
  DECISION_REJETEE: "Demande rejetée",
  DECISION_A_MODIFIER: "Modification demandée",
  DECISION_EN_ATTENTE_PIECES: "Pièces complémentaires demandées",
  DEPOSE: "Dossier déposé",
  IMPORTE: "Dossier importé",
  ACCUSE_RECEPTION: "Accusé de réception envoyé",
  INSTRUCTION_DEMARREE: "Instruction commencée",
  DECISION: "Décision du gestionnaire",
  MODIFICATION_IMPORTEE: "Modification importée",
  PIECES_COMPLEMENTAIRES_RECUES: "Pièces complémentaires reçues",
  VERSEMENT_DEMANDE: "Versement demandé",
  PAIEMENT_EFFECTUE: "Paiement effectué",
};

/** An history action in words (an unknown one: its words, never the raw code). */
export function actionEnMots(action: string): string {
  if (ACTIONS[action]) return ACTIONS[action];
  const mots = action.toLowerCase().replace(/_/g, " ");
  return mots.charAt(0).toUpperCase() + mots.slice(1);
}
