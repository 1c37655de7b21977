// « Rechercher » a référencement (E1): the numéro's format and the words shown for a DSR.
import type { Referencement } from "../api/modeles";
import type { ErreurApi } from "../api/erreurs";

const NUMERO_ANS = /^[A-Za-z0-9]{10}$/;

/** Null when the numéro has the expected form, else the French message for the field. */
export function verifierNumeroAns(saisie: string): string | null {
  const numero = saisie.trim();
  if (!numero) return "Saisissez le numéro unique de référencement (ANS), par exemple zbuMSS0001.";
  if (!NUMERO_ANS.test(numero)) {
    return `Le numéro unique de référencement (ANS) « ${numero} » n'est pas valide : 10 caractères alphanumériques sont attendus, par exemple zbuMSS0001.`;
  }
  return null;
}

const COULOIRS: Readonly<Record<string, string>> = {
  MS1: "MS1 — Médico-social (DUI)",
  MS2: "MS2 — Médico-social (DUI-PDE)",
};

const TYPES_LOGICIEL: Readonly<Record<string, string>> = {
  DUI: "dossier usager informatisé",
  "DUI-PDE": "dossier usager informatisé — protection de l'enfance",
};

/** « MS1 — Médico-social (DUI) / dossier usager informatisé / vague 1 » */
export function libelleDsr(r: Pick<Referencement, "couloir" | "typeLogiciel" | "vague">): string {
  const couloir = COULOIRS[r.couloir] ?? r.couloir;
  const type = TYPES_LOGICIEL[r.typeLogiciel] ?? r.typeLogiciel;
  return `${couloir} / ${type} / vague ${r.vague}`;
}

/** Where a failed search's message goes: at the field (unknown or malformed numéro) or in an
 * alert above the form (the platform could not answer). */
export function erreurRecherche(numero: string, erreur: ErreurApi): { champ: string | null; alerte: string | null } {
  if (erreur.statut === 404 && erreur.code !== "ROUTE_INCONNUE") {
    return {
      champ: `Aucune solution référencée ne porte le numéro « ${numero} ». Vérifiez le numéro indiqué sur le certificat de référencement délivré par l'ANS.`,
      alerte: null,
    };
  }
  const auChamp = erreur.champs["numeroAns"] ?? erreur.champs["numero"];
  if (auChamp !== undefined) return { champ: auChamp, alerte: null };
  if (erreur.statut === 422) return { champ: erreur.message, alerte: null };
  return { champ: null, alerte: erreur.message };
}
