// The public screens in Debian's Chromium against the local platform (started by
// tests/e2e/test_portail.py, which passes PORTAIL_URL, API_URL and CAPTURES). On every
// screen: axe-core finds no serious or critical violation, a screenshot is written to
// CAPTURES, the page raises no error and asks nothing of any host but 127.0.0.1.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

function requis(nom: string): string {
  const valeur = process.env[nom];
  if (!valeur) throw new Error(`${nom} manquant: lancez ce test par tests/e2e/test_portail.py`);
  return valeur;
}

const PORTAIL = requis("PORTAIL_URL");
const API = requis("API_URL");
const CAPTURES = requis("CAPTURES");
const CHROMIUM = process.env["CHROMIUM"] ?? "/usr/bin/chromium";
const CODE_BRUT = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

let profil: string;
let contexte: BrowserContext;
let page: Page;
const erreursPage: string[] = [];
const hotesRefuses: string[] = [];

beforeAll(async () => {
  mkdirSync(CAPTURES, { recursive: true });
  profil = mkdtempSync(join(tmpdir(), "segurnum-chromium-"));
  contexte = await chromium.launchPersistentContext(profil, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    locale: "fr-FR",
    timezoneId: "Europe/Paris",
    viewport: { width: 1280, height: 900 },
  });
  // Nothing but the local platform: fonts, icons and scripts all come from the build.
  await contexte.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.hostname === "localhost") return route.continue();
    hotesRefuses.push(url.href);
    return route.abort();
  });
  page = contexte.pages()[0] ?? (await contexte.newPage());
  page.on("pageerror", (e) => erreursPage.push(e.message));
});

afterAll(async () => {
  await contexte?.close();
  if (profil) rmSync(profil, { recursive: true, force: true });
  expect(erreursPage).toEqual([]);
  expect(hotesRefuses).toEqual([]);
});

beforeEach(() => {
  erreursPage.length = 0;
});

/** axe-core on the screen as it is now: no serious or critical violation; then a screenshot. */
async function verifierEcran(nom: string): Promise<void> {
  const resultat = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const graves = resultat.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(graves, `axe-core sur « ${nom} »`).toEqual([]);
  await page.screenshot({ path: join(CAPTURES, `${nom}.png`), fullPage: true });
}

async function routeExiste(chemin: string): Promise<boolean> {
  const document = (await (await fetch(`${API}/openapi.json`)).json()) as { paths?: Record<string, unknown> };
  return Object.keys(document.paths ?? {}).some((p) => p.replace(/\{[^}]+\}/g, "{}") === chemin);
}

describe("Portail public", () => {
  it("accueil: each campaign's guichets, their time left, the DSFR frame", async () => {
    await page.goto(PORTAIL);
    await page.getByTestId("guichet-AVANCE").waitFor();
    await expect(page.title()).resolves.toBe("Accueil — Ségur numérique — médico-social");
    const avance = page.getByTestId("guichet-AVANCE");
    // The platform's clock started at 2024-02-20T10:00 Paris (tests/e2e/conftest.py) and
    // runs: the screen shows what the API says now (« 8 jours 3 heures »).
    const api = (await (await fetch(`${API}/guichet`)).json()) as {
      campagnes: { guichets: { AVANCE: { tempsRestantTexte: string } } }[];
    };
    const attendu = api.campagnes[0]?.guichets.AVANCE.tempsRestantTexte;
    expect(attendu).toMatch(/^8 jours \d heures?$/);
    await expect(avance.getByTestId("temps-restant").textContent()).resolves.toBe(attendu);
    await expect(avance.textContent()).resolves.toContain("ouvert jusqu'au 28/02/2024 à 14h00");
    await expect(page.getByTestId("guichet-SOLDE").textContent()).resolves.toContain("19/12/2024 à 14h00");
    await expect(page.getByRole("heading", { level: 3, name: "Médico-social, vague 1" }).isVisible()).resolves.toBe(true);
    await expect(page.locator("header").textContent()).resolves.toContain("Ségur numérique — médico-social");
    await expect(page.locator("footer").isVisible()).resolves.toBe(true);
    // DSFR's own fonts, from the build: Marianne loaded.
    await page.evaluate(() => document.fonts.ready);
    await expect(page.evaluate(() => document.fonts.check('16px "Marianne"'))).resolves.toBe(true);
    await verifierEcran("01-accueil");
  });

  it("rechercher: a malformed numéro is refused at its field", async () => {
    await page.goto(PORTAIL);
    await page.getByRole("link", { name: "Rechercher un référencement" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Rechercher un référencement" }).waitFor();
    await page.getByLabel("N° unique de référencement (ANS)").fill("abc");
    await page.getByRole("button", { name: "Rechercher" }).click();
    const message = page.locator(".fr-message--error");
    await message.waitFor();
    await expect(message.textContent()).resolves.toContain("« abc » n'est pas valide");
    await verifierEcran("02-rechercher-numero-invalide");
  });

  it("rechercher: an unknown numéro gets a clear French message, never a raw code", async () => {
    const existe = await routeExiste("/referencements/{}");
    await page.goto(`${PORTAIL}/rechercher`);
    await page.getByLabel("N° unique de référencement (ANS)").fill("zzzMSS9999");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.waitForURL(/numero=zzzMSS9999/);
    // Until the route exists the API answers 404 ROUTE_INCONNUE: the portal says the
    // service is not available yet, and never claims the numéro is unknown.
    const attendu = existe
      ? page.locator(".fr-message--error", { hasText: "Aucune solution référencée ne porte le numéro « zzzMSS9999 »" })
      : page.locator(".fr-alert", { hasText: "Ce service n'est pas encore disponible sur la plateforme." });
    await attendu.waitFor();
    await expect(page.locator("main").textContent()).resolves.not.toMatch(CODE_BRUT);
    await verifierEcran("03-rechercher-numero-inconnu");
  });

  it("rechercher: a référencement of the référentiel ANS, shown with its DSR", async () => {
    await page.goto(`${PORTAIL}/rechercher?numero=zbuMSS0001`);
    if (await routeExiste("/referencements/{}")) {
      const fiche = page.getByTestId("fiche-referencement");
      await fiche.waitFor();
      await expect(fiche.textContent()).resolves.toContain("MS1 — Médico-social (DUI)");
    } else {
      await page.locator(".fr-alert").waitFor();
    }
    await expect(page.getByLabel("N° unique de référencement (ANS)").inputValue()).resolves.toBe("zbuMSS0001");
    await verifierEcran("04-rechercher-referencement");
  });

  it("an unknown address: « Page non trouvée » in the same frame", async () => {
    await page.goto(`${PORTAIL}/nulle-part`);
    await page.getByRole("heading", { level: 1, name: "Page non trouvée" }).waitFor();
    await verifierEcran("05-page-introuvable");
  });
});
