// Time left before a guichet's deadline, written like the API's `tempsRestantTexte`
// (services/depot/domain/guichet.py, duree_en_texte): two units at most, rounded down, so
// the time left is never overstated.

function unite(nombre: number, singulier: string): string {
  return nombre === 1 ? `${nombre} ${singulier}` : `${nombre} ${singulier}s`;
}

/** « 6 jours 3 heures », « 2 heures 5 minutes », « 45 minutes », « moins d'une minute ». */
export function dureeEnTexte(secondes: number): string {
  const s = Math.max(0, Math.floor(secondes));
  if (s < 60) return "moins d'une minute";
  const jours = Math.floor(s / 86_400);
  const heures = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (jours > 0) return heures > 0 ? `${unite(jours, "jour")} ${unite(heures, "heure")}` : unite(jours, "jour");
  if (heures > 0) {
    return minutes > 0 ? `${unite(heures, "heure")} ${unite(minutes, "minute")}` : unite(heures, "heure");
  }
  return unite(minutes, "minute");
}

/**
 * Seconds left now, from the API's `tempsRestant` (counted at the platform's instant, whose
 * clock may differ from the browser's) and the time elapsed since the answer arrived.
 */
export function secondesRestantes(tempsRestant: number, recuA: number, maintenant: number): number {
  // Whole seconds elapsed: the instant of the answer shows exactly the API's figure.
  const ecoule = Math.max(0, Math.floor((maintenant - recuA) / 1000));
  return Math.max(0, Math.floor(tempsRestant) - ecoule);
}

const FORMAT_PARIS = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** « 28/02/2024 à 14h00 », in Paris time whatever the browser's time zone. */
export function dateHeureParis(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parties = Object.fromEntries(FORMAT_PARIS.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parties["day"]}/${parties["month"]}/${parties["year"]} à ${parties["hour"]}h${parties["minute"]}`;
}
