// The public screens in Debian's Chromium against the local platform (started by
// tests/e2e/test_portail.py, which passes PORTAIL_URL, API_URL and CAPTURES). On every
// screen: axe-core finds no serious or critical violation, a screenshot is written to
// CAPTURES, the page raises no error and asks nothing of any host but 127.0.0.1.
import { join } from "node:path";

import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it } from "vitest";

import { CODE_BRUT, capturer, chromiumDuFichier, environnement, verifierAccessibilite } from "./navigateur";

const requis = environnement("tests/e2e/test_portail.py");
const PORTAIL = requis("PORTAIL_URL");
const API = requis("API_URL");
const CAPTURES = requis("CAPTURES");

// The tab, once chromiumDuFichier has launched Chromium (before the first test).
let page: Page;
const { erreursPage } = chromiumDuFichier(CAPTURES, (p) => (page = p));

beforeEach(() => {
  erreursPage.length = 0;
});

/** axe-core on the screen as it is now: no serious or critical violation; then a screenshot. */
async function verifierEcran(nom: string): Promise<void> {
  await verifierAccessibilite(page, nom);
  await capturer(page, join(CAPTURES, `${nom}.png`));
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
