// What the browser tests share: Debian's Chromium in French at Paris time, nothing asked of
// any host but 127.0.0.1 (the others aborted and kept), the pages' errors kept, both asserted
// empty at the end; each screen checked by axe-core (WCAG 2.1 AA: no serious or critical
// violation) with no raw code shown, then captured; the forms' fields by their #champ-… id.
// Not a test itself: its name matches neither *.test.ts nor the files the two own configs name.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

export const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
export const ARGUMENTS_CHROMIUM = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const OPTIONS_CONTEXTE: BrowserContextOptions = {
  locale: "fr-FR",
  timezoneId: "Europe/Paris",
  viewport: { width: 1280, height: 900 },
};
/** An error code as the API writes it (ROUTE_INCONNUE): never shown to a person. */
export const CODE_BRUT = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

/** `requis(nom)`: the environment variable the pytest file `lanceur` sets, or an error naming it. */
export function environnement(lanceur: string): (nom: string) => string {
  return (nom) => {
    const valeur = process.env[nom];
    if (!valeur) throw new Error(`${nom} manquant: lancez ce test par ${lanceur}`);
    return valeur;
  };
}

/** Nothing but the local platform: fonts, icons and scripts all come from the build. */
export async function refuserAutresHotes(contexte: BrowserContext, hotesRefuses: string[]): Promise<void> {
  await contexte.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    hotesRefuses.push(url.href);
    return route.abort();
  });
}

/** At the end: no page raised an error, nothing was asked of another host. */
export function verifierSansIncident(erreursPage: string[], hotesRefuses: string[]): void {
  expect(erreursPage).toEqual([]);
  expect(hotesRefuses).toEqual([]);
}

export interface Incidents {
  erreursPage: string[];
  hotesRefuses: string[];
}

/**
 * One Chromium for the test file, on a fresh profile (CAPTURES created): launched before its
 * tests, `pret` given its tab; closed after them, then verifierSansIncident.
 */
export function chromiumDuFichier(captures: string, pret: (page: Page) => void, options: BrowserContextOptions = {}): Incidents {
  const incidents: Incidents = { erreursPage: [], hotesRefuses: [] };
  let profil: string | undefined;
  let contexte: BrowserContext | undefined;
  beforeAll(async () => {
    mkdirSync(captures, { recursive: true });
    profil = mkdtempSync(join(tmpdir(), "segurnum-chromium-"));
    contexte = await chromium.launchPersistentContext(profil, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGUMENTS_CHROMIUM,
      ...OPTIONS_CONTEXTE,
      ...options,
    });
    await refuserAutresHotes(contexte, incidents.hotesRefuses);
    const page = contexte.pages()[0] ?? (await contexte.newPage());
    page.on("pageerror", (e) => incidents.erreursPage.push(e.message));
    pret(page);
  });
  afterAll(async () => {
    await contexte?.close();
    if (profil) rmSync(profil, { recursive: true, force: true });
    verifierSansIncident(incidents.erreursPage, incidents.hotesRefuses);
  });
  return incidents;
}

/** axe-core on the screen as it is now: no serious or critical violation. */
export async function verifierAccessibilite(page: Page, nom: string): Promise<void> {
  const resultat = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const graves = resultat.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(graves, `axe-core sur « ${nom} »`).toEqual([]);
}

/** The whole page, as a PNG at `chemin`. */
export async function capturer(page: Page, chemin: string): Promise<void> {
  await page.screenshot({ path: chemin, fullPage: true });
}

/** axe-core, no raw code in <main>, then the screenshot at `capture`. */
export async function examinerEcran(page: Page, nom: string, capture: string): Promise<void> {
  await verifierAccessibilite(page, nom);
  await expect(page.locator("main").textContent()).resolves.not.toMatch(CODE_BRUT);
  await capturer(page, capture);
}

/** A form's field by its name (« demandeur.siret » → #champ-demandeur-siret). */
function champ(page: Page, nom: string) {
  return page.locator(`#champ-${nom.replace(/[^A-Za-z0-9]+/g, "-")}`);
}

export async function remplir(page: Page, nom: string, valeur: string): Promise<void> {
  await champ(page, nom).fill(valeur);
}

/** The ALTCHA widget's verified state: its proof of work computed by the browser. */
export async function attendreAntiRobot(page: Page): Promise<void> {
  await page.locator('[data-testid="verification-anti-robot"][data-etat="verified"]').waitFor({ timeout: 60_000 });
}

/** « Je ne suis pas un robot » checked as a person does (its label: the tick is drawn over
 * the box), then its verified state. */
export async function verifierAntiRobot(page: Page): Promise<void> {
  const widget = page.locator("altcha-widget");
  await expect(widget.getByRole("checkbox", { name: "Je ne suis pas un robot" }).isChecked()).resolves.toBe(false);
  await widget.locator("label", { hasText: "Je ne suis pas un robot" }).click();
  await attendreAntiRobot(page);
}

export async function selectionner(page: Page, nom: string, valeur: string): Promise<void> {
  await champ(page, nom).selectOption(valeur);
}

/** A DSFR radio: its label is what a person clicks (the input itself is drawn over). */
export async function choisir(page: Page, libelle: string): Promise<void> {
  await page.locator("label", { hasText: libelle }).click();
  await expect(page.getByLabel(libelle).isChecked()).resolves.toBe(true);
}

/** `condition` until it holds (every 300 ms), or an error with `message` after `delai`. */
export async function attendre<T>(
  condition: () => Promise<T | null | undefined | false>,
  message: string | (() => string),
  delai = 60_000,
): Promise<T> {
  const fin = Date.now() + delai;
  while (Date.now() < fin) {
    const valeur = await condition();
    if (valeur) return valeur;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(typeof message === "string" ? message : message());
}
