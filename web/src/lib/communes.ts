/// <reference types="vite/client" />
/**
 * E2 — the commune of the demandeur's address and its code postal, from La Poste's base
 * officielle des codes postaux: the same file the enrolment service checks against
 * (services/enrolment/donnees/communes.json, generated from the npm package `codes-postaux`
 * by `python -m infra.codes_postaux`), loaded in its own chunk only when a code is typed.
 *
 * The same normalisation as services/enrolment/domain/communes.py (tests on both sides use
 * the same cases): case, accents and punctuation do not count, « St »/« Ste » are « Saint »/
 * « Sainte », a trailing « CEDEX » and its number are left out. The portal only warns; the
 * API decides.
 */

export type CodesPostaux = {
  horsBase: string[];
  communes: Record<string, string[]>;
  acheminements: Record<string, string[]>;
};

let chargement: Promise<CodesPostaux> | null = null;

/** The base, parsed once per page load. */
export function chargerCodesPostaux(): Promise<CodesPostaux> {
  chargement ??= import("../../../services/enrolment/donnees/communes.json?raw").then(
    (module) => JSON.parse(module.default) as CodesPostaux,
  );
  return chargement;
}

const SAINTS: Record<string, string> = { st: "saint", ste: "sainte", sts: "saints", stes: "saintes" };

export function normaliserCommune(commune: string): string {
  const sansAccents = commune
    .replace(/[œŒ]/g, "oe")
    .replace(/[æÆ]/g, "ae")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
  let mots = sansAccents.replace(/[^a-z0-9]+/g, " ").trim().split(" ").filter(Boolean);
  const cedex = mots.indexOf("cedex", 1);
  if (cedex > 0) mots = mots.slice(0, cedex);
  return mots.map((m) => SAINTS[m] ?? m).join(" ");
}

/** The département of a code postal (or of a CEDEX code): 2 digits, 3 overseas. */
export function departement(codePostal: string): string {
  return codePostal.startsWith("97") ? codePostal.slice(0, 3) : codePostal.slice(0, 2);
}

/** The communes of a code postal, by their official names (« Paris » for 75001). */
export function communesDuCodePostal(base: CodesPostaux, codePostal: string): string[] {
  return base.communes[codePostal] ?? [];
}

function acceptees(base: CodesPostaux, codePostal: string): Set<string> {
  return new Set([...communesDuCodePostal(base, codePostal), ...(base.acheminements[codePostal] ?? [])].map(normaliserCommune));
}

function avecCedex(commune: string): boolean {
  return commune.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).indexOf("cedex", 1) > 0;
}

/** What to warn about the commune typed for this code postal; null when it matches (or
 * when the code is outside the base, or not yet a code postal). */
export function avertissementCommune(base: CodesPostaux, codePostal: string, commune: string): string | null {
  const code = codePostal.trim();
  if (!/^\d{5}$/.test(code) || !commune.trim() || base.horsBase.some((p) => code.startsWith(p))) return null;
  const nom = normaliserCommune(commune);
  const attendues = communesDuCodePostal(base, code);
  if (attendues.length > 0) {
    if (acceptees(base, code).has(nom)) return null;
    const s = attendues.length > 1 ? "s" : "";
    return `La commune « ${commune.trim()} » ne correspond pas au code postal ${code} (commune${s} attendue${s} : ${attendues.join(", ")}).`;
  }
  if (avecCedex(commune)) {
    const dep = departement(code);
    const connues = Object.keys(base.communes).filter((cp) => departement(cp) === dep);
    if (connues.some((cp) => acceptees(base, cp).has(nom))) return null;
    return `La commune « ${commune.trim()} » n'est pas une commune du département ${dep} (code postal CEDEX ${code}).`;
  }
  return `Le code postal « ${code} » n'existe pas dans la base officielle des codes postaux de La Poste. Pour un code CEDEX, écrivez la commune suivie de CEDEX (par exemple « LIMOGES CEDEX 1 »).`;
}
