// The gestionnaire's screens' logic, pure and tested (tests/unit/gestion.test.ts): the
// desk's filters ↔ the address and the API's query string, the stack of opaque cursors
// (« Page précédente » goes back through it), the decision form's rules (those of the API,
// checked before sending), the words of statuses and of a bank return.
import type { CorpsDecision, Decision, FiltresBureau, LigneRetour, Retour, StatutDemande, TypeDemande } from "../api/modeles";

// --- the desk's filters --------------------------------------------------------------------

export interface FiltresDossiers {
  statut: string;
  typeDemande: string;
  couloir: string;
  siret: string;
  numeroAns: string;
}

export const FILTRES_VIDES: FiltresDossiers = { statut: "", typeDemande: "", couloir: "", siret: "", numeroAns: "" };

const CLES_FILTRES = ["statut", "typeDemande", "couloir", "siret", "numeroAns"] as const;

export const STATUTS_DEMANDE: readonly [StatutDemande, string][] = [
  ["EN_COURS", "En cours"],
  ["A_MODIFIER", "À modifier"],
  ["EN_ATTENTE_PIECES", "En attente de pièces complémentaires"],
  ["DECIDEE", "Décidée"],
  ["REJETEE", "Rejetée"],
  ["PAYEE", "Décidée et payée"],
  ["EN_ERREUR_TECHNIQUE", "En erreur technique"],
];

export const TYPES_DEMANDE: readonly [TypeDemande, string][] = [
  ["AVANCE", "Avance"],
  ["SOLDE", "Solde"],
];

/** Page sizes offered; the address may carry any other size the API accepts (1 to 200). */
export const TAILLES_PAGE = [10, 20, 50] as const;
export const TAILLE_PAGE_DEFAUT = 20;

/** The filters as the address holds them (`?statut=EN_COURS&siret=…`): unknown values dropped. */
export function filtresDepuisAdresse(parametres: URLSearchParams): FiltresDossiers {
  const f = { ...FILTRES_VIDES };
  for (const cle of CLES_FILTRES) f[cle] = (parametres.get(cle) ?? "").trim();
  if (!STATUTS_DEMANDE.some(([v]) => v === f.statut)) f.statut = "";
  if (!TYPES_DEMANDE.some(([v]) => v === f.typeDemande)) f.typeDemande = "";
  return f;
}

export function limiteDepuisAdresse(parametres: URLSearchParams): number {
  const n = Number(parametres.get("limite"));
  return Number.isInteger(n) && n >= 1 && n <= 200 ? n : TAILLE_PAGE_DEFAUT;
}

/** A filter as the API expects it: SIRET without spaces, the rest trimmed. */
function normaliser(cle: keyof FiltresDossiers, valeur: string): string {
  const v = valeur.trim();
  return cle === "siret" ? v.replace(/\s+/g, "") : v;
}

/** The address's parameters for these filters (empty ones left out). */
export function adresseDepuisFiltres(filtres: FiltresDossiers, limite: number = TAILLE_PAGE_DEFAUT): URLSearchParams {
  const p = new URLSearchParams();
  for (const cle of CLES_FILTRES) {
    const v = normaliser(cle, filtres[cle]);
    if (v) p.set(cle, v);
  }
  if (limite !== TAILLE_PAGE_DEFAUT) p.set("limite", String(limite));
  return p;
}

/** GET /gestion/dossiers's query for a page: filters (empty or unknown ones left out),
 * limite, then the cursor. */
export function requeteDossiers(filtres: FiltresDossiers, limite: number, curseur: string | null): FiltresBureau {
  const q: FiltresBureau = {};
  const statut = STATUTS_DEMANDE.find(([v]) => v === filtres.statut)?.[0];
  if (statut) q.statut = statut;
  const typeDemande = TYPES_DEMANDE.find(([v]) => v === filtres.typeDemande)?.[0];
  if (typeDemande) q.typeDemande = typeDemande;
  for (const cle of ["couloir", "siret", "numeroAns"] as const) {
    const v = normaliser(cle, filtres[cle]);
    if (v) q[cle] = v;
  }
  q.limite = limite;
  if (curseur) q.curseur = curseur;
  return q;
}

/** Each malformed filter's French message, by field: checked before the API is asked. */
export function verifierFiltres(filtres: FiltresDossiers): Partial<Record<keyof FiltresDossiers, string>> {
  const erreurs: Partial<Record<keyof FiltresDossiers, string>> = {};
  const siret = normaliser("siret", filtres.siret);
  if (siret && !/^[0-9]{14}$/.test(siret)) {
    erreurs.siret = `Le SIRET « ${filtres.siret.trim()} » n'est pas valide : 14 chiffres sont attendus.`;
  }
  const ans = filtres.numeroAns.trim();
  if (ans && !/^[A-Za-z0-9]{1,40}$/.test(ans)) {
    erreurs.numeroAns = `Le numéro ANS « ${ans} » n'est pas valide : lettres et chiffres seulement, sans espace.`;
  }
  const couloir = filtres.couloir.trim();
  if (couloir && !/^[A-Za-z0-9_-]{1,40}$/.test(couloir)) {
    erreurs.couloir = `Le couloir « ${couloir} » n'est pas valide : par exemple MS ou MS1.`;
  }
  return erreurs;
}

// --- the stack of opaque cursors -----------------------------------------------------------

/** The cursors of the pages seen so far: `[null]` is the first page, the last one is shown. */
export type PileCurseurs = readonly (string | null)[];

export const PREMIERE_PAGE: PileCurseurs = [null];

export function curseurCourant(pile: PileCurseurs): string | null {
  return pile[pile.length - 1] ?? null;
}

/** « Page suivante »: the API's `curseurSuivant` is pushed. */
export function pageSuivante(pile: PileCurseurs, curseurSuivant: string): PileCurseurs {
  return [...pile, curseurSuivant];
}

/** « Page précédente »: back to the cursor before (the first page stays the first). */
export function pagePrecedente(pile: PileCurseurs): PileCurseurs {
  return pile.length > 1 ? pile.slice(0, -1) : PREMIERE_PAGE;
}

export function numeroPage(pile: PileCurseurs): number {
  return Math.max(1, pile.length);
}

// --- the decision form ----------------------------------------------------------------------

export const DECISIONS: readonly [Decision, string][] = [
  ["DECIDEE", "Décider (accepter la demande)"],
  ["A_MODIFIER", "Demander une modification à l'éditeur"],
  ["EN_ATTENTE_PIECES", "Demander des pièces complémentaires"],
  ["REJETEE", "Rejeter la demande"],
];

export interface SaisieDecision {
  decision: Decision | "";
  motif: string;
  /** One pièce per line. */
  pieces: string;
}


export function piecesSaisies(texte: string): string[] {
  return texte
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The API's rules, field by field: a decision chosen; a motif except for DECIDEE; pièces
 * for EN_ATTENTE_PIECES only. */
export function verifierDecision(s: SaisieDecision): Partial<Record<"decision" | "motif" | "pieces", string>> {
  const erreurs: Partial<Record<"decision" | "motif" | "pieces", string>> = {};
  if (!s.decision) {
    erreurs.decision = "Choisissez une décision.";
    return erreurs;
  }
  const motif = s.motif.trim();
  if (s.decision !== "DECIDEE" && !motif) {
    erreurs.motif = "Le motif est obligatoire pour cette décision : il est envoyé à l'éditeur.";
  } else if (motif.length > 2000) {
    erreurs.motif = `Le motif est trop long (${motif.length} caractères) : 2000 caractères au plus.`;
  }
  const pieces = piecesSaisies(s.pieces);
  if (s.decision === "EN_ATTENTE_PIECES") {
    if (pieces.length === 0) erreurs.pieces = "Indiquez au moins une pièce demandée, une par ligne.";
    else if (pieces.length > 50) erreurs.pieces = "50 pièces au plus peuvent être demandées.";
  }
  return erreurs;
}

/** The body of POST …/decision (call after verifierDecision found nothing). */
export function corpsDecision(s: SaisieDecision): CorpsDecision {
  if (!s.decision) throw new Error("décision absente");
  const corps: CorpsDecision = { decision: s.decision };
  const motif = s.motif.trim();
  if (motif) corps.motif = motif;
  if (s.decision === "EN_ATTENTE_PIECES") corps.piecesDemandees = piecesSaisies(s.pieces);
  return corps;
}

// --- words ----------------------------------------------------------------------------------

const ATTENDUS: Readonly<Record<string, string>> = {
  GESTIONNAIRE: "un gestionnaire",
  EDITEUR: "l'éditeur",
  PAIEMENT: "le service de paiement",
  PLATEFORME: "la plateforme (traitement en cours)",
  PERSONNE: "personne (instruction terminée)",
};

/** Who must act, in words (shared/dossier.py LIBELLES_ATTENDU); an unknown value is not shown raw. */
export function libelleAttendu(attendu: string | null | undefined): string {
  if (!attendu) return "—";
  return ATTENDUS[attendu] ?? "—";
}

export function libelleTypeDemande(type: string): string {
  return TYPES_DEMANDE.find(([v]) => v === type)?.[1] ?? type.charAt(0) + type.slice(1).toLowerCase();
}

/** « 6750.00 » → « 6 750,00 € » (the API's amounts are decimal strings). */
export function montantEnEuros(montant: string | null | undefined): string {
  if (montant === null || montant === undefined || montant === "") return "—";
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(montant.trim());
  if (!m) return montant;
  const entier = (m[2] ?? "0").replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  const decimales = ((m[3] ?? "") + "00").slice(0, 2);
  return `${m[1]}${entier},${decimales}\u00a0€`;
}

/** « 2024-02-20 » → « 20/02/2024 » (dates without time of the suivi financier). */
export function dateCourte(iso: string | null | undefined): string {
  if (!iso) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

// --- a bank return --------------------------------------------------------------------------

export interface ResumeRetour {
  /** Still waited for: poll again. */
  enAttente: boolean;
  severite: "info" | "success" | "warning" | "error";
  titre: string;
  description: string;
  payes: LigneRetour[];
  rejetes: LigneRetour[];
  soldesLiberes: LigneRetour[];
  anomalies: string[];
}

function pluriel(n: number, un: string, plusieurs: string): string {
  return `${n} ${n > 1 ? plusieurs : un}`;
}

/** A bank return in French for its screen: what was paid, rejected, and each anomaly. */
export function resumerRetour(r: Retour): ResumeRetour {
  const base = { payes: r.payes, rejetes: r.rejetes, soldesLiberes: r.soldesLiberes };
  const anomalies = r.anomalies.map((a) => (a.reference ? `${a.message} (${a.reference})` : a.message));
  if (r.statut === "ATTENDU") {
    return { ...base, anomalies, enAttente: true, severite: "info", titre: "Retour bancaire en cours de traitement", description: "Le fichier est attendu ou en cours de lecture : le résultat s'affiche ici dès qu'il est traité." };
  }
  if (r.statut === "ILLISIBLE") {
    return {
      ...base,
      anomalies,
      enAttente: false,
      severite: "error",
      titre: "Retour bancaire illisible",
      description: `${r.erreur ?? "Le fichier n'est pas un rapport de statut de paiement (pain.002) lisible."} Aucun paiement n'a été modifié.`,
    };
  }
  const parties = [
    pluriel(r.payes.length, "paiement effectué", "paiements effectués"),
    pluriel(r.rejetes.length, "paiement rejeté", "paiements rejetés"),
  ];
  if (r.soldesLiberes.length) parties.push(pluriel(r.soldesLiberes.length, "solde libéré", "soldes libérés"));
  if (r.dejaTraites) parties.push(pluriel(r.dejaTraites, "transaction déjà traitée", "transactions déjà traitées"));
  if (r.enCours) parties.push(pluriel(r.enCours, "transaction encore en cours à la banque", "transactions encore en cours à la banque"));
  if (anomalies.length) parties.push(pluriel(anomalies.length, "anomalie", "anomalies"));
  const severite = anomalies.length || r.rejetes.length ? "warning" : "success";
  return { ...base, anomalies, enAttente: false, severite, titre: "Retour bancaire traité", description: `${parties.join(", ")}.` };
}

// --- the dossier's history and amounts ------------------------------------------------------

const ACTIONS: Readonly<Record<string, string>> = {
  CREATION: "Dossier déposé",
  INSTRUCTION_COMMENCEE: "Instruction commencée",
  MODIFICATION: "Dossier modifié par l'éditeur",
  MODIFICATION_IMPORTEE: "Modification importée par l'éditeur",
  SOLDE: "Demande de solde déposée",
  MODIFICATION_SOLDE: "Demande de solde modifiée",
  PIECES_COMPLEMENTAIRES_RECUES: "Pièces complémentaires reçues",
  DECIDEE: "Décidée",
  REJETEE: "Rejetée",
  A_MODIFIER: "Modification demandée",
  EN_ATTENTE_PIECES: "Pièces complémentaires demandées",
  PAYEE: "Paiement effectué",
  PAIEMENT_EFFECTUE: "Paiement effectué",
  ERREUR_TECHNIQUE: "Erreur technique",
  RELANCE: "Relancée après une erreur technique",
  REPRISE: "Reprise",
  EN_COURS: "Remise en instruction",
  DECISION_DECIDEE: "Décidée",
  DECISION_REJETEE: "Rejetée",
  DECISION_A_MODIFIER: "Modification demandée",
  DECISION_EN_ATTENTE_PIECES: "Pièces complémentaires demandées",
  DECISION_PDF: "Décision d'attribution signée",
  DECISION_ATTRIBUTION: "Décision d'attribution signée",
};

/** An action of the history in words; an unknown one loses its underscores, never shown raw. */
export function libelleAction(action: string): string {
  const connu = ACTIONS[action];
  if (connu) return connu;
  const mots = action.replace(/_/g, " ").toLowerCase().trim();
  return mots ? mots.charAt(0).toUpperCase() + mots.slice(1) : "—";
}

const MONTANTS: Readonly<Record<string, string>> = {
  montantFinance: "Montant financé",
  avance: "Avance",
  solde: "Solde",
};

export function libelleMontant(cle: string): string {
  return MONTANTS[cle] ?? cle.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

/** May a gestionnaire decide this demande now? (the API says 409 otherwise) */
export function decisionAttendue(d: { statut: string; attendu?: string | null }): boolean {
  return d.statut === "EN_COURS" && d.attendu === "GESTIONNAIRE";
}

// --- enrolments -----------------------------------------------------------------------------

const NATURES: Readonly<Record<string, string>> = {
  ENROLEMENT: "Enrôlement",
  COMPLEMENTAIRE: "Enrôlement complémentaire",
  COORDONNEES_BANCAIRES: "Nouvelles coordonnées bancaires",
};

export function libelleNature(nature: string): string {
  return NATURES[nature] ?? libelleAction(nature);
}

const DOCUMENTS: Readonly<Record<string, string>> = {
  certificatReferencement: "Certificat de référencement (ANS)",
  pieceIdentiteRepresentant: "Pièce d'identité du représentant légal",
  pieceIdentiteDepositaire: "Pièce d'identité du dépositaire",
  contratPrestation: "Contrat de prestation",
  mandat: "Mandat du représentant légal",
  rib: "Relevé d'identité bancaire (RIB)",
  kbis: "Extrait Kbis",
  attestationNonAssujettissement: "Attestation de non-assujettissement à la TVA",
};

export function libelleDocument(type: string): string {
  return DOCUMENTS[type] ?? libelleMontant(type);
}

export interface SaisieEnrolement {
  decision: "VALIDEE" | "REJETEE" | "";
  motif: string;
}

/** VALIDEE or REJETEE; REJETEE needs its motif (sent to the demandeur). */
export function verifierDecisionEnrolement(s: SaisieEnrolement): Partial<Record<"decision" | "motif", string>> {
  if (!s.decision) return { decision: "Choisissez de valider ou de rejeter la demande." };
  const motif = s.motif.trim();
  if (s.decision === "REJETEE" && !motif) return { motif: "Le motif est obligatoire pour un rejet : il est envoyé au demandeur." };
  if (motif.length > 2000) return { motif: `Le motif est trop long (${motif.length} caractères) : 2000 caractères au plus.` };
  return {};
}
