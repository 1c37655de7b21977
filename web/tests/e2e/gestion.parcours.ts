// The gestionnaire's screens in Debian's Chromium against the local platform, with the data
// tests/e2e/test_portail_gestion.py prepared (GESTION_DONNEES): the desk filtered and
// paginated, a dossier decided A_MODIFIER then DECIDEE after the éditeur's answer, a stale
// decision refused (409) in French, an enrolment validated, a batch run and a bank return
// uploaded with its result. On every screen: axe-core finds no serious or critical
// violation, a screenshot is written to CAPTURES (gestion-NN-….png), no raw code is shown.
// The sign-in is the Connexion screen's (H16): here the gestionnaire's IdToken is put in
// the tab's storage as that screen does.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { CODE_BRUT, attendre, choisir, chromiumDuFichier, environnement, examinerEcran } from "./navigateur";

interface Donnees {
  jeton: string;
  siret: string;
  dossiers: string[];
  enrolement: string;
  python: string;
  racine: string;
  travail: string;
}

const requis = environnement("tests/e2e/test_portail_gestion.py");
const PORTAIL = requis("PORTAIL_URL");
const API = requis("API_URL");
const CAPTURES = requis("CAPTURES");
const DONNEES = JSON.parse(requis("GESTION_DONNEES")) as Donnees;
const [D1, , D3] = DONNEES.dossiers as [string, string, string];

// The tab, once chromiumDuFichier has launched Chromium (before the first test).
let page: Page;
chromiumDuFichier(CAPTURES, (p) => (page = p), { acceptDownloads: true });

async function verifierEcran(nom: string): Promise<void> {
  await examinerEcran(page, nom, join(CAPTURES, `${nom}.png`));
}

async function api<T>(methode: string, chemin: string, corps?: unknown): Promise<{ statut: number; corps: T }> {
  const init: RequestInit = { method: methode, headers: { Authorization: DONNEES.jeton, "Content-Type": "application/json" } };
  if (corps !== undefined) init.body = JSON.stringify(corps);
  const r = await fetch(`${API}${chemin}`, init);
  return { statut: r.status, corps: (await r.json()) as T };
}

interface VueDemande {
  statut: string;
  attendu?: string;
}

async function etatAvance(numero: string): Promise<VueDemande | undefined> {
  const r = await api<{ demandes: (VueDemande & { typeDemande: string })[] }>("GET", `/gestion/dossiers/${numero}`);
  return r.corps.demandes.find((d) => d.typeDemande === "AVANCE");
}

/** The platform's side, in Python with the runtime's environment (test_portail_gestion.py). */
function python(...argv: string[]): void {
  execFileSync(DONNEES.python, ["-m", "tests.e2e.test_portail_gestion", ...argv], { cwd: DONNEES.racine, stdio: "pipe", timeout: 60_000 });
}

describe("Espace gestionnaire", () => {
  it("refused without a gestionnaire's sign-in", async () => {
    await page.goto(`${PORTAIL}/gestion/dossiers`);
    await page.getByRole("heading", { level: 1, name: "Espace gestionnaire" }).waitFor();
    await expect(page.locator("main").textContent()).resolves.toContain("Connectez-vous avec votre compte de gestionnaire");
    await verifierEcran("gestion-01-acces-refuse");
    // What the Connexion screen does once signed in (lib/session.ts enregistrerJeton).
    await page.evaluate((jeton) => window.sessionStorage.setItem("segurnum.jeton", jeton), DONNEES.jeton);
  });

  it("the desk: filtered in the form, then page by page through the cursors", async () => {
    await page.goto(`${PORTAIL}/gestion/dossiers?limite=2`);
    await page.getByRole("heading", { level: 1, name: "Dossiers à instruire" }).waitFor();
    await expect(page.getByRole("link", { name: "Dossiers à instruire" }).first().isVisible()).resolves.toBe(true);
    await page.getByLabel("Statut", { exact: true }).selectOption("EN_COURS");
    await page.getByLabel("SIRET de l'éditeur").fill(DONNEES.siret);
    await page.getByRole("button", { name: "Filtrer" }).click();
    await page.waitForURL((u) => u.searchParams.get("siret") === DONNEES.siret && u.searchParams.get("statut") === "EN_COURS");
    const table = page.getByTestId("file-dossiers");
    await table.waitFor();
    const lignes = table.locator("tbody tr");
    await expect.poll(() => lignes.count()).toBe(2);
    const page1 = await lignes.locator("td:first-child").allTextContents();
    await expect(page.getByTestId("numero-page").textContent()).resolves.toBe("Page 1");
    await expect(table.textContent()).resolves.toContain("un gestionnaire");
    await verifierEcran("gestion-02-file-filtree-page-1");

    await page.getByRole("button", { name: "Page suivante" }).click();
    await expect.poll(() => page.getByTestId("numero-page").textContent()).toBe("Page 2");
    await expect.poll(() => lignes.count()).toBe(1);
    const page2 = await lignes.locator("td:first-child").allTextContents();
    expect([...page1, ...page2].sort()).toEqual([...DONNEES.dossiers].sort());
    await expect(page.getByRole("button", { name: "Page suivante" }).isDisabled()).resolves.toBe(true);
    await verifierEcran("gestion-03-file-filtree-page-2");

    await page.getByRole("button", { name: "Page précédente" }).click();
    await expect.poll(() => page.getByTestId("numero-page").textContent()).toBe("Page 1");
    await expect.poll(() => lignes.locator("td:first-child").allTextContents()).toEqual(page1);
  });

  it("a dossier decided A_MODIFIER with its motif, then DECIDEE after the éditeur's answer", async () => {
    await page.goto(`${PORTAIL}/gestion/dossiers?statut=EN_COURS&siret=${DONNEES.siret}`);
    await page.getByRole("link", { name: D1 }).click();
    await page.getByRole("heading", { level: 1, name: `Dossier ${D1}` }).waitFor();
    const demande = page.getByTestId("demande-AVANCE");
    await demande.waitFor();
    await expect(demande.textContent()).resolves.toMatch(/Avance6\s750,00\s€/);
    await page.getByRole("heading", { level: 2, name: "Pièces justificatives" }).waitFor();
    await verifierEcran("gestion-04-dossier-a-instruire");

    // A_MODIFIER without a motif: refused at the field before any call.
    await choisir(page, "Demander une modification à l'éditeur");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByText("Le motif est obligatoire pour cette décision").waitFor();
    await page.getByLabel(/^Motif/).fill("Le montant de la ligne 1 ne correspond pas au devis : corrigez-le.");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByText(/Décision enregistrée pour la demande avance/).waitFor();
    await expect.poll(() => page.getByTestId("demande-AVANCE-statut").textContent()).toBe("À modifier");
    await expect(page.getByTestId("demande-AVANCE-decision").textContent()).resolves.toContain("Le montant de la ligne 1");
    await expect(page.getByTestId("historique").textContent()).resolves.toContain("Modification demandée");
    await expect(page.getByTestId("formulaire-decision-AVANCE").count()).resolves.toBe(0);
    await verifierEcran("gestion-05-dossier-a-modifier");

    // The éditeur imports its M file: the dépôt tells the instruction, the demande is back.
    python("repondre", API, D1, DONNEES.siret);
    await attendre(async () => {
      const e = await etatAvance(D1);
      return e?.statut === "EN_COURS" && e.attendu === "GESTIONNAIRE";
    }, `${D1} jamais revenu EN_COURS`);
    // The view follows the instruction's record: reload until the form is offered again.
    const formulaire = page.getByTestId("formulaire-decision-AVANCE");
    await attendre(async () => {
      await page.reload();
      await formulaire.waitFor({ timeout: 3_000 }).catch(() => undefined);
      return formulaire.isVisible();
    }, `${D1}: formulaire de décision jamais proposé de nouveau: ${JSON.stringify(await etatAvance(D1))}`, 30_000);
    await choisir(page, "Décider (accepter la demande)");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByText(/Décision enregistrée/).waitFor();
    // The décision d'attribution is signed then the versement asked for: wait for both.
    await attendre(async () => {
      const r = await api<{ versements: { etat: string }[] }>("GET", `/gestion/dossiers/${D1}/versements`);
      return r.corps.versements[0]?.etat === "A_PAYER";
    }, `${D1}: versement jamais à payer`);
    await page.reload();
    await expect.poll(() => page.getByTestId("demande-AVANCE-statut").textContent()).toBe("Décidée");
    await expect(page.getByTestId("pieces").textContent()).resolves.toContain("Décision d'attribution");
    await expect(page.getByTestId("suivi-financier").textContent()).resolves.toContain("VERSE001");
    await expect(page.getByTestId("courriels").textContent()).resolves.toMatch(/Acceptation/);
    await verifierEcran("gestion-07-dossier-decide");
  });

  it("a decision on a demande another gestionnaire decided meanwhile: the 409 in French", async () => {
    await page.goto(`${PORTAIL}/gestion/dossiers/${D3}`);
    await page.getByTestId("formulaire-decision-AVANCE").waitFor();
    const rejet = await api("POST", `/gestion/dossiers/${D3}/AVANCE/decision`, { decision: "REJETEE", motif: "Hors périmètre du financement." });
    expect(rejet.statut).toBe(200);
    await choisir(page, "Décider (accepter la demande)");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    const alerte = page.locator(".fr-alert", { hasText: "La décision n'a pas été enregistrée" });
    await alerte.waitFor();
    const texte = (await alerte.textContent()) ?? "";
    // The API's words: the demande's statut and who it waits for.
    expect(texte).toContain(`du dossier ${D3} est au statut`);
    expect(texte).toContain("elle attend une action de");
    expect(texte).not.toMatch(CODE_BRUT);
    await verifierEcran("gestion-06-decision-refusee-409");
  });

  it("an enrolment with its documents, validated", async () => {
    await page.goto(`${PORTAIL}/gestion/enrolements`);
    await page.getByRole("heading", { level: 1, name: "Demandes d'enrôlement" }).waitFor();
    await page.getByTestId("liste-enrolements").waitFor();
    await page.getByRole("link", { name: DONNEES.enrolement }).click();
    await page.getByRole("heading", { level: 1, name: `Demande d'enrôlement ${DONNEES.enrolement}` }).waitFor();
    const documents = page.getByTestId("documents-enrolement").locator("a");
    await expect.poll(() => documents.count()).toBe(3);
    const lien = await documents.first().getAttribute("href");
    expect(lien).toBeTruthy();
    const document = await fetch(lien as string);
    expect(document.status).toBe(200);
    await expect(page.getByTestId("fiche-enrolement").textContent()).resolves.toContain("FR76");
    await verifierEcran("gestion-08-enrolement-a-instruire");

    await choisir(page, "Valider l'enrôlement");
    await page.getByRole("button", { name: "Enregistrer la décision" }).click();
    await page.getByText(/Demande validée/).waitFor();
    await expect.poll(() => page.getByTestId("fiche-enrolement").textContent()).toContain("validée");
    await expect(page.getByTestId("formulaire-enrolement").count()).resolves.toBe(0);
    await verifierEcran("gestion-09-enrolement-valide");
  });

  it("a batch run now, its SEPA file, then the bank's return uploaded and shown", async () => {
    await page.goto(`${PORTAIL}/gestion/paiements`);
    await page.getByRole("heading", { level: 1, name: "Paiements" }).waitFor();
    await page.getByRole("button", { name: "Lancer un lot maintenant" }).click();
    const resultat = page.getByTestId("resultat-lot").locator(".fr-alert");
    await resultat.waitFor();
    await expect(resultat.textContent()).resolves.toMatch(/Lot .* créé/);
    const lots = page.getByTestId("lots");
    await lots.waitFor();
    const lien = lots.locator("tbody tr").first().getByRole("link", { name: /Télécharger/ });
    const href = await lien.getAttribute("href");
    await verifierEcran("gestion-10-paiements-lot-lance");

    // The bank's answer for our transaction, built from the file the screen links to.
    const pain001 = join(DONNEES.travail, "pain001.xml");
    const fichier = await fetch(href as string);
    expect(fichier.status).toBe(200);
    writeFileSync(pain001, Buffer.from(await fichier.arrayBuffer()));
    const pain002 = join(DONNEES.travail, "retour-banque.xml");
    python("banque", pain001, `${D1}M0-VERSE001-1`, pain002);

    await page.getByLabel("Fichier de retour de la banque").setInputFiles(pain002);
    await page.getByRole("button", { name: "Envoyer le retour bancaire" }).click();
    const retour = page.getByTestId("resultat-retour");
    await retour.waitFor({ timeout: 60_000 });
    await expect(retour.textContent()).resolves.toContain("Retour bancaire traité");
    await expect(retour.textContent()).resolves.toContain("1 paiement effectué");
    await expect(page.getByTestId("retour-Paiements effectués").textContent()).resolves.toContain(D1);
    await verifierEcran("gestion-11-retour-bancaire-traite");

    await attendre(async () => (await etatAvance(D1))?.statut === "PAYEE", `${D1} jamais PAYEE`);
  });
});
