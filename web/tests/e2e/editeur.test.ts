// The éditeur's path in Debian's Chromium (started by tests/e2e/test_portail_editeur.py,
// which passes the platform's addresses, the files to upload and a gestionnaire's token).
// On every screen: axe-core finds no serious or critical violation and a screenshot is
// written to CAPTURES; nothing is asked of any host but 127.0.0.1.
import { join } from "node:path";

import type { Page } from "playwright-core";
import { beforeEach, describe, expect, it, onTestFailed } from "vitest";

import {
  attendreAntiRobot,
  chromiumDuFichier,
  environnement,
  examinerEcran,
  remplir,
  selectionner,
  verifierAntiRobot,
} from "./navigateur";

const requis = environnement("tests/e2e/test_portail_editeur.py");
const PORTAIL = requis("PORTAIL_URL");
const API = requis("API_URL");
const CAPTURES = requis("CAPTURES");
const GESTIONNAIRE = requis("GESTIONNAIRE_JETON");
const NUMERO_ANS = requis("NUMERO_ANS");
const SIRET = requis("SIRET");
const PIECES = JSON.parse(requis("PIECES")) as string[];
const DEPOSITAIRE = "lea.bernard@cabinet-expert.example.fr";
const NOUVEAU = "Portail-Segur-2024!";

// The tab, once chromiumDuFichier has launched Chromium (before the first test).
let page: Page;
chromiumDuFichier(CAPTURES, (p) => (page = p));

async function verifierEcran(nom: string): Promise<void> {
  await examinerEcran(page, nom, join(CAPTURES, `${nom}.png`));
}

async function api<T>(chemin: string, init: RequestInit = {}): Promise<T> {
  const reponse = await fetch(`${API}${chemin}`, {
    ...init,
    headers: { Authorization: GESTIONNAIRE, "Content-Type": "application/json" },
  });
  const texte = await reponse.text();
  expect(reponse.ok, `${chemin}: ${texte}`).toBe(true);
  return JSON.parse(texte) as T;
}

let numeroEnrolement = "";

// A failed step leaves the screen as it was, for whoever reads the failure.
beforeEach(() => {
  onTestFailed(async () => {
    await page.screenshot({ path: join(CAPTURES, "echec-editeur.png"), fullPage: true }).catch(() => undefined);
  });
});

describe("Éditeur", () => {
  it("demande d'enrôlement: problems at their fields, documents uploaded, confirmation", async () => {
    await page.goto(`${PORTAIL}/enrolement`);
    await page.getByRole("heading", { level: 1, name: "Demande d'enrôlement" }).waitFor();
    await page.getByRole("button", { name: "Envoyer ma demande d'enrôlement" }).click();
    await page.locator("#resume-problemes").waitFor();
    await expect(page.locator("#champ-demandeur-siret").getAttribute("aria-invalid")).resolves.not.toBe("false");
    await verifierEcran("20-editeur-enrolement-erreurs");

    await remplir(page, "numeroAns", NUMERO_ANS);
    await page.getByTestId("dsr").waitFor();
    await remplir(page, "demandeur.siret", SIRET);
    await remplir(page, "demandeur.denominationSociale", "SOINS CONNECTES");
    await remplir(page, "demandeur.nomCommercial", "Soins Connectés");
    await remplir(page, "demandeur.adresse.numero", "8");
    await selectionner(page, "demandeur.adresse.typeVoie", "AVENUE");
    await remplir(page, "demandeur.adresse.nomVoie", "Jean Jaurès");
    await remplir(page, "demandeur.adresse.codePostal", "31000");
    await remplir(page, "demandeur.adresse.commune", "Toulouse");
    await page.getByText("Non, je suis un tiers déclarant").click();
    await page.getByTestId("tiers-declarant").waitFor();
    for (const [racine, nom, prenom, email] of [
      ["representant", "Girard", "Hélène", "helene.girard@soins-connectes.example.fr"],
      ["tiersDeclarant.depositaire", "Bernard", "Léa", DEPOSITAIRE],
    ] as const) {
      await remplir(page, `${racine}.nom`, nom);
      await remplir(page, `${racine}.prenom`, prenom);
      await remplir(page, `${racine}.email`, email);
      await remplir(page, `${racine}.confirmationEmail`, email);
      await remplir(page, `${racine}.telephone`, "05 61 12 34 56");
    }
    await selectionner(page, "tiersDeclarant.qualite", "EXPERT_COMPTABLE");
    // A wrong IBAN first: the API's problem shown at its field.
    await remplir(page, "coordonneesBancaires.iban", "FR76 3000 6000 0112 3456 7890 180");
    await remplir(page, "coordonneesBancaires.bic", "AGRIFRPPXXX");
    await remplir(page, "coordonneesBancaires.titulaire", "SOINS CONNECTES");
    await remplir(page, "coordonneesBancaires.domiciliation", "Crédit Agricole Toulouse");
    await selectionner(page, "tauxTva", "20");
    const fichier = requis("FICHIER_PDF");
    for (const type of ["certificatReferencement", "pieceIdentiteRepresentant", "pieceIdentiteDepositaire", "contratPrestation", "rib"]) {
      await page.locator(`#champ-documents-${type}-input`).setInputFiles(fichier);
    }
    await expect.poll(() => page.locator(".fr-upload-group .fr-valid-text").count(), { timeout: 20_000 }).toBe(5);
    await page.locator('label[for="champ-cguAcceptees-0"]').click();
    await page.locator('label[for="champ-sinceriteAttestee-0"]').click();
    await verifierAntiRobot(page);
    await page.getByRole("button", { name: "Envoyer ma demande d'enrôlement" }).click();
    const resume = page.locator("#resume-problemes");
    await resume.waitFor({ timeout: 30_000 }).catch(async (e: unknown) => {
      await page.screenshot({ path: join(CAPTURES, "debug-editeur.png"), fullPage: true });
      throw e;
    });
    await expect(resume.textContent()).resolves.toContain("IBAN");
    await expect(page.locator("#champ-coordonneesBancaires-iban").getAttribute("aria-describedby")).resolves.toBeTruthy();
    await verifierEcran("21-editeur-enrolement-iban-refuse");

    await remplir(page, "coordonneesBancaires.iban", "FR76 3000 6000 0112 3456 7890 189");
    // The first solution served once: the portal solved a new challenge meanwhile.
    await attendreAntiRobot(page);
    await page.getByRole("button", { name: "Envoyer ma demande d'enrôlement" }).click();
    const numero = page.getByTestId("numero-enrolement");
    await numero.waitFor({ timeout: 30_000 });
    numeroEnrolement = /ENR\d{4}M0/.exec((await numero.textContent()) ?? "")?.[0] ?? "";
    expect(numeroEnrolement).not.toBe("");
    await verifierEcran("22-editeur-enrolement-confirmation");

    await page.getByTestId("lien-suivi").click();
    await expect(page.getByTestId("suivi-enrolement").textContent()).resolves.toMatch(/Soumise|soumise|instruction/);
    await verifierEcran("23-editeur-enrolement-suivi");
  });

  it("sign-in with the courriel's temporary password, then a new password", async () => {
    // The gestionnaire's validation, through the API (its screens are tested elsewhere).
    await api(`/gestion/enrolements/${numeroEnrolement}/decision`, { method: "POST", body: JSON.stringify({ decision: "VALIDEE" }) });
    const boite = await api<{ elements: { objet: string; corps: string }[] }>(`/_local/courriels?destinataire=${encodeURIComponent(DEPOSITAIRE)}`);
    const secret = boite.elements.find((c) => /mot de passe/i.test(c.objet));
    const provisoire = /<strong>([^<]+)<\/strong>/.exec(secret?.corps ?? "")?.[1]?.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
    expect(provisoire).toBeTruthy();

    await page.goto(`${PORTAIL}/connexion`);
    await page.locator('input[name="email"]').fill(DEPOSITAIRE);
    await page.locator('input[name="motDePasse"]').fill("Mauvais-2024!!");
    await page.getByRole("button", { name: "Se connecter" }).last().click();
    await page.getByText("Adresse électronique ou mot de passe incorrect.").waitFor();
    await page.locator('input[name="motDePasse"]').fill(provisoire ?? "");
    await page.getByRole("button", { name: "Se connecter" }).last().click();
    await page.locator('input[name="nouveauMotDePasse"]').waitFor();
    await verifierEcran("24-editeur-connexion-nouveau-mot-de-passe");
    await page.locator('input[name="nouveauMotDePasse"]').fill(NOUVEAU);
    await page.locator('input[name="confirmationMotDePasse"]').fill(NOUVEAU);
    await page.getByRole("button", { name: "Enregistrer et se connecter" }).click();
    await page.getByRole("heading", { level: 1, name: "Mes dossiers" }).waitFor();
    await expect(page.locator("header").textContent()).resolves.toContain(DEPOSITAIRE);
  });

  it("déposer une demande: JSON, compte rendu, import, ZIP, terminer", async () => {
    await page.getByRole("link", { name: "Déposer une demande" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Déposer une demande" }).waitFor();
    await remplir(page, "numeroAns", NUMERO_ANS);
    await selectionner(page, "tauxTva", "20");
    await page.getByRole("button", { name: "Continuer" }).click();
    await page.locator("#fichier-json").setInputFiles(requis("FICHIER_JSON"));
    await page.getByTestId("compte-rendu").waitFor({ timeout: 30_000 });
    await expect(page.getByTestId("ligne-2").textContent()).resolves.toContain("FINESS géographique");
    await expect(page.getByTestId("ligne-1").textContent()).resolves.toContain("€");
    await verifierEcran("25-editeur-depot-compte-rendu");

    await page.getByRole("button", { name: /Importer les 1 ligne/ }).click();
    await page.locator("#titre-pieces").waitFor({ timeout: 30_000 });
    await expect(page.getByTestId("dossiers-depot").textContent()).resolves.toContain(PIECES[0] ?? "");
    await page.locator("#fichier-zip").setInputFiles(requis("FICHIER_ZIP"));
    await page.getByTestId("zips").getByText("vérifié, pièces rapprochées").waitFor({ timeout: 30_000 });
    await expect(page.getByTestId("dossiers-depot").textContent()).resolves.toContain("complet");
    await verifierEcran("26-editeur-depot-pieces");
    await page.getByRole("button", { name: "Terminer le dépôt" }).click();
    await page.getByTestId("depot-complet").waitFor();
    await verifierEcran("27-editeur-depot-termine");
  });

  it("mes dossiers and the dossier page with its accordéons", async () => {
    await page.getByRole("link", { name: "Voir mes dossiers" }).click();
    const tableau = page.getByTestId("mes-dossiers");
    await tableau.waitFor();
    const lien = tableau.getByRole("link", { name: /^FINMS1/ });
    await expect(lien.count()).resolves.toBe(1);
    await verifierEcran("28-editeur-mes-dossiers");
    await lien.click();
    await page.getByTestId("accordeons").waitFor();
    for (const libelle of ["Pièces justificatives", "Courriels automatiquement envoyés", "Suivi financier", "Historique"]) {
      await page.getByRole("button", { name: libelle }).click();
    }
    await page.getByTestId("historique").waitFor();
    await expect(page.getByTestId("recapitulatif").textContent()).resolves.toContain("En cours");
    await verifierEcran("29-editeur-dossier");
  });
});
