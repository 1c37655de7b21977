// The simulation's compte rendu (format §6) as the screen shows it: one row per line, its
// amounts in euros, each error at its field in words (the JSON Pointer `chemin` spelt out).
import type { CompteRendu, ErreurLigne, LigneCompteRendu } from "../api/modeles";

const LIBELLES: Readonly<Record<string, string>> = {
  numLigne: "numéro de ligne",
  typeAction: "type d'action",
  numeroASP: "numéro ASP",
  numeroDossier: "numéro de dossier",
  verrouillage: "verrouillage",
  commande: "commande",
  dateCommande: "date de commande",
  regimeTVA: "régime de TVA",
  montantSegur: "montant Ségur",
  beneficiaires: "bénéficiaire",
  mandataire: "mandataire",
  nomMandataire: "nom du mandataire",
  emailMandataire: "email du mandataire",
  telephoneMandataire: "téléphone du mandataire",
  etablissementsClients: "établissement client",
  finessGeo: "FINESS géographique",
  finessJuridique: "FINESS juridique",
  raisonSociale: "raison sociale",
  piecesJustificatives: "pièce justificative",
  nomFichier: "nom du fichier",
  typeFichier: "type de pièce",
  scenarioInstallation: "scénario d'installation",
  siret: "SIRET",
  numeroAns: "numéro ANS",
  idFichier: "identifiant du fichier",
  demandes: "demande",
};

function decoder(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** « /demandes/1/beneficiaires/0/etablissementsClients/0/finessGeo » →
 * « bénéficiaire 1 › établissement client 1 › FINESS géographique » (the line itself is the row). */
export function cheminEnMots(chemin: string | null | undefined): string {
  if (!chemin) return "";
  const segments = chemin.split("/").slice(1).map(decoder);
  if (segments[0] === "demandes" && segments.length >= 2 && /^\d+$/.test(segments[1] ?? "")) segments.splice(0, 2);
  const mots: string[] = [];
  for (const segment of segments) {
    if (/^\d+$/.test(segment) && mots.length > 0) {
      mots[mots.length - 1] = `${mots[mots.length - 1]} ${Number(segment) + 1}`;
    } else {
      mots.push(LIBELLES[segment] ?? segment);
    }
  }
  if (mots.length === 0) return "la ligne";
  const texte = mots.join(" › ");
  return texte.charAt(0).toUpperCase() + texte.slice(1);
}

const EUROS = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });

/** « 22500.00 » → « 22 500,00 € » (the API's decimal strings, never floats in sums). */
export function euros(montant: string | null | undefined): string {
  if (montant === null || montant === undefined || montant === "") return "—";
  const n = Number(montant);
  return Number.isFinite(n) ? EUROS.format(n).replace(/\u202f/g, " ") : montant;
}

export interface LigneAffichee {
  numLigne: number;
  importable: boolean;
  statut: string;
  montantFinance: string;
  avance: string;
  solde: string;
  numeroAsp: string | null;
  erreurs: { champ: string; message: string }[];
  avertissements: { champ: string; message: string }[];
}

const STATUTS: Readonly<Record<string, string>> = {
  IMPORTABLE: "Importable",
  REJETEE: "Rejetée",
  IMPORTEE: "Importée",
};

function enMots(erreurs: ErreurLigne[] | undefined): { champ: string; message: string }[] {
  return (erreurs ?? []).map((e) => ({ champ: cheminEnMots(e.chemin), message: e.message }));
}

export function lignesAffichees(compteRendu: CompteRendu, numerosAsp: Record<string, string> = {}): LigneAffichee[] {
  return [...compteRendu.lignes]
    .sort((a, b) => a.numLigne - b.numLigne)
    .map((l: LigneCompteRendu) => {
      const numeroAsp = l.numeroAsp ?? numerosAsp[String(l.numLigne)] ?? null;
      return {
        numLigne: l.numLigne,
        importable: l.statut !== "REJETEE",
        statut: numeroAsp ? "Importée" : (STATUTS[l.statut] ?? l.statut),
        montantFinance: euros(l.montants?.["montantFinance"]),
        avance: euros(l.montants?.["avance"]),
        solde: euros(l.montants?.["solde"]),
        numeroAsp,
        erreurs: enMots(l.erreurs),
        avertissements: enMots(l.avertissements),
      };
    });
}

/** The annotated file, downloaded from the page (the API's JSON, saved as a file). */
export function nomFichierAnnote(fichier: string | null | undefined, idDepot: string): string {
  const base = (fichier ?? `depot-${idDepot}.json`).replace(/\.json$/i, "");
  return `${base}-annote.json`;
}
