// The seed's story in Debian's Chromium, from the demande d'enrôlement to « Décidée et
// payée » (started by tests/e2e/test_portail_parcours.py, which passes PARCOURS_DONNEES).
// Two browser contexts, each signed in through the Connexion screen: the éditeur and the
// gestionnaire. Every file goes through the presigned POST the API returns. On every
// screen: axe-core finds no serious or critical violation, no raw code is shown, a
// screenshot is written to CAPTURES (parcours-NN-….png); nothing is asked of any host but
// 127.0.0.1; the pages raise no error.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from "vitest";

import {
  ARGUMENTS_CHROMIUM,
  CHROMIUM,
  OPTIONS_CONTEXTE,
  attendre,
  choisir,
  environnement,
  examinerEcran,
  refuserAutresHotes,
  remplir,
  selectionner,
  verifierAntiRobot,
  verifierSansIncident,
} from "./navigateur";

interface Donnees {
  siret: string;
  numeroAns: string;
  gestionnaire: { email: string; motDePasse: string };
  fichiers: Record<"demandes.json" | "pieces.zip" | "complement.zip" | "document.pdf", string>;
  pieces: string[];
  pieceDemandee: string;
  python: string;
  racine: string;
  travail: string;
}

const requis = environnement("tests/e2e/test_portail_parcours.py");
const PORTAIL = requis("PORTAIL_URL");
const API = requis("API_URL");
const CAPTURES = requis("CAPTURES");
const D = JSON.parse(requis("PARCOURS_DONNEES")) as Donnees;
const REPRESENTANT = "marc.fontaine@parcours-logiciels.example.fr";
const NOUVEAU = "Parcours-Segur-2024!";

let navigateur: Browser;
let editeur: Page;
let gestion: Page;
const contextes: BrowserContext[] = [];
const erreursPage: string[] = [];
const hotesRefuses: string[] = [];
let rang = 0;

async function contexte(qui: string): Promise<Page> {
  const c = await navigateur.newContext({ ...OPTIONS_CONTEXTE, acceptDownloads: true });
  await refuserAutresHotes(c, hotesRefuses);
  contextes.push(c);
  const page = await c.newPage();
  page.on("pageerror", (e) => erreursPage.push(`${qui}: ${e.message}`));
  return page;
}

beforeAll(async () => {
  mkdirSync(CAPTURES, { recursive: true });
  navigateur = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGUMENTS_CHROMIUM });
  editeur = await contexte("éditeur");
  gestion = await contexte("gestionnaire");
});

afterAll(async () => {
  for (const c of contextes) await c.close();
  await navigateur?.close();
  verifierSansIncident(erreursPage, hotesRefuses);
});

/** axe-core, no raw code, then the screenshot parcours-NN-nom.png (NN: the story's order). */
async function verifierEcran(page: Page, nom: string): Promise<void> {
  await examinerEcran(page, nom, join(CAPTURES, `parcours-${String(rang + 1).padStart(2, "0")}-${nom}.png`));
  rang += 1;
}

/** Reload `page` until `locator` holds `texte` (the views follow asynchronous work). */
async function rechargerJusqua(page: Page, testId: string, texte: string | RegExp, delai = 60_000): Promise<void> {
  let vu = "";
  await attendre(
    async () => {
    await page.reload();
    const cible = page.getByTestId(testId);
    await cible.waitFor({ timeout: 5_000 }).catch(() => undefined);
    vu = (await cible.textContent({ timeout: 1_000 }).catch(() => "")) ?? "";
    return typeof texte === "string" ? vu.includes(texte) : texte.test(vu);
    },
    () => `« ${testId} » n'a jamais montré ${String(texte)}: ${vu}`,
    delai,
  );
}

/** A link's target, fetched as a person's browser would: 200 and its first bytes. */
async function telecharger(href: string | null): Promise<Buffer> {
  expect(href).toBeTruthy();
  const r = await fetch(href as string);
  expect(r.status, `${href}`).toBe(200);
  return Buffer.from(await r.arrayBuffer());
}

/** The platform's side, in Python with the runtime's environment. */
function python(...argv: string[]): void {
  execFileSync(D.python, ["-m", "tests.e2e.test_portail_parcours", ...argv], { cwd: D.racine, stdio: "pipe", timeout: 60_000 });
}

async function seConnecter(page: Page, email: string, motDePasse: string): Promise<void> {
  await page.goto(`${PORTAIL}/connexion`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="motDePasse"]').fill(motDePasse);
  await page.getByRole("button", { name: "Se connecter" }).last().click();
}

let numeroEnrolement = "";
let numeroAsp = "";

// A failed step stops the story (--bail 1); both screens as they were are kept for the reader.
beforeEach(() => {
  onTestFailed(async () => {
    for (const [qui, page] of [["editeur", editeur], ["gestion", gestion]] as const) {
      await page.screenshot({ path: join(CAPTURES, `echec-parcours-${qui}.png`), fullPage: true }).catch(() => undefined);
    }
  });
});

describe("L'histoire du portail, de l'enrôlement à « Décidée et payée »", () => {
  it("l'éditeur demande son enrôlement, documents joints", async () => {
    await editeur.goto(`${PORTAIL}/enrolement`);
    await editeur.getByRole("heading", { level: 1, name: "Demande d'enrôlement" }).waitFor();
    await remplir(editeur, "numeroAns", D.numeroAns);
    await editeur.getByTestId("dsr").waitFor();
    await remplir(editeur, "demandeur.siret", D.siret);
    await remplir(editeur, "demandeur.denominationSociale", "PARCOURS LOGICIELS");
    await remplir(editeur, "demandeur.nomCommercial", "Parcours");
    await remplir(editeur, "demandeur.adresse.numero", "12");
    await selectionner(editeur, "demandeur.adresse.typeVoie", "RUE");
    await remplir(editeur, "demandeur.adresse.nomVoie", "de la République");
    await remplir(editeur, "demandeur.adresse.codePostal", "69002");
    await remplir(editeur, "demandeur.adresse.commune", "Lyon");
    await editeur.locator("label", { hasText: /^Oui$/ }).click();
    await remplir(editeur, "representant.nom", "Fontaine");
    await remplir(editeur, "representant.prenom", "Marc");
    await remplir(editeur, "representant.email", REPRESENTANT);
    await remplir(editeur, "representant.confirmationEmail", REPRESENTANT);
    await remplir(editeur, "representant.telephone", "04 72 10 20 30");
    await remplir(editeur, "coordonneesBancaires.iban", "FR76 3000 6000 0112 3456 7890 189");
    await remplir(editeur, "coordonneesBancaires.bic", "AGRIFRPPXXX");
    await remplir(editeur, "coordonneesBancaires.titulaire", "PARCOURS LOGICIELS");
    await remplir(editeur, "coordonneesBancaires.domiciliation", "Crédit Agricole Lyon");
    await selectionner(editeur, "tauxTva", "20");
    for (const type of ["certificatReferencement", "pieceIdentiteRepresentant", "rib"]) {
      await editeur.locator(`#champ-documents-${type}-input`).setInputFiles(D.fichiers["document.pdf"]);
    }
    await expect.poll(() => editeur.locator(".fr-upload-group .fr-valid-text").count(), { timeout: 20_000 }).toBe(3);
    await editeur.locator('label[for="champ-cguAcceptees-0"]').click();
    await editeur.locator('label[for="champ-sinceriteAttestee-0"]').click();
    await verifierAntiRobot(editeur);
    await verifierEcran(editeur, "editeur-enrolement-rempli");
    await editeur.getByRole("button", { name: "Envoyer ma demande d'enrôlement" }).click();
    const numero = editeur.getByTestId("numero-enrolement");
    await numero.waitFor({ timeout: 30_000 });
    numeroEnrolement = /ENR\d{4}M0/.exec((await numero.textContent()) ?? "")?.[0] ?? "";
    expect(numeroEnrolement).not.toBe("");
    await verifierEcran(editeur, "editeur-enrolement-confirmation");
  });

  it("la gestionnaire se connecte et valide l'enrôlement sur son écran", async () => {
    await gestion.goto(`${PORTAIL}/connexion`);
    await gestion.getByRole("heading", { level: 1 }).waitFor();
    await verifierEcran(gestion, "gestion-connexion");
    await seConnecter(gestion, D.gestionnaire.email, D.gestionnaire.motDePasse);
    await gestion.getByRole("heading", { level: 1, name: "Dossiers à instruire" }).waitFor();
    await gestion.getByRole("link", { name: "Enrôlements" }).first().click();
    await gestion.getByRole("heading", { level: 1, name: "Demandes d'enrôlement" }).waitFor();
    await gestion.getByTestId("liste-enrolements").waitFor();
    await verifierEcran(gestion, "gestion-enrolements-a-instruire");
    await gestion.getByRole("link", { name: numeroEnrolement }).click();
    await gestion.getByRole("heading", { level: 1, name: `Demande d'enrôlement ${numeroEnrolement}` }).waitFor();
    const documents = gestion.getByTestId("documents-enrolement").locator("a");
    await expect.poll(() => documents.count()).toBe(3);
    const pdf = await telecharger(await documents.first().getAttribute("href"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await expect(gestion.getByTestId("fiche-enrolement").textContent()).resolves.toContain("PARCOURS LOGICIELS");
    await verifierEcran(gestion, "gestion-enrolement-documents");
    await choisir(gestion, "Valider l'enrôlement");
    await gestion.getByRole("button", { name: "Enregistrer la décision" }).click();
    await gestion.getByText(/Demande validée/).waitFor();
    await expect.poll(() => gestion.getByTestId("fiche-enrolement").textContent()).toContain("validée");
    await verifierEcran(gestion, "gestion-enrolement-valide");
  });

  it("l'éditeur se connecte avec les identifiants du courriel et choisit son mot de passe", async () => {
    const courriel = await attendre(
      async () => {
        const r = await fetch(`${API}/_local/courriels?destinataire=${encodeURIComponent(REPRESENTANT)}`);
        const boite = (await r.json()) as { elements: { objet: string; corps: string }[] };
        return boite.elements.find((c) => /mot de passe/i.test(c.objet));
      },
      () => `aucun courriel d'identifiants pour ${REPRESENTANT}`,
      30_000,
    );
    const provisoire = /<strong>([^<]+)<\/strong>/
      .exec(courriel.corps)?.[1]
      ?.replace(/&amp;/g, "&")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;|&#39;/g, "'");
    expect(provisoire).toBeTruthy();
    await seConnecter(editeur, REPRESENTANT, provisoire ?? "");
    await editeur.locator('input[name="nouveauMotDePasse"]').waitFor();
    await verifierEcran(editeur, "editeur-nouveau-mot-de-passe");
    await editeur.locator('input[name="nouveauMotDePasse"]').fill(NOUVEAU);
    await editeur.locator('input[name="confirmationMotDePasse"]').fill(NOUVEAU);
    await editeur.getByRole("button", { name: "Enregistrer et se connecter" }).click();
    await editeur.getByRole("heading", { level: 1, name: "Mes dossiers" }).waitFor();
    await expect(editeur.locator("header").textContent()).resolves.toContain(REPRESENTANT);
  });

  it("l'éditeur dépose: JSON, compte rendu, import, ZIP, terminer", async () => {
    await editeur.getByRole("link", { name: "Déposer une demande" }).first().click();
    await editeur.getByRole("heading", { level: 1, name: "Déposer une demande" }).waitFor();
    await remplir(editeur, "numeroAns", D.numeroAns);
    await selectionner(editeur, "tauxTva", "20");
    await editeur.getByRole("button", { name: "Continuer" }).click();
    await editeur.locator("#fichier-json").setInputFiles(D.fichiers["demandes.json"]);
    await editeur.getByTestId("compte-rendu").waitFor({ timeout: 30_000 });
    await expect(editeur.getByTestId("ligne-1").textContent()).resolves.toContain("€");
    await verifierEcran(editeur, "editeur-depot-compte-rendu");
    await editeur.getByRole("button", { name: /Importer les 1 ligne/ }).click();
    await editeur.locator("#titre-pieces").waitFor({ timeout: 30_000 });
    await expect(editeur.getByTestId("dossiers-depot").textContent()).resolves.toContain(D.pieces[0] ?? "");
    await editeur.locator("#fichier-zip").setInputFiles(D.fichiers["pieces.zip"]);
    await editeur.getByTestId("zips").getByText("vérifié, pièces rapprochées").waitFor({ timeout: 30_000 });
    await expect(editeur.getByTestId("dossiers-depot").textContent()).resolves.toContain("complet");
    numeroAsp = /FINMS1\d+/.exec((await editeur.getByTestId("dossiers-depot").textContent()) ?? "")?.[0] ?? "";
    expect(numeroAsp).not.toBe("");
    await verifierEcran(editeur, "editeur-depot-pieces");
    await editeur.getByRole("button", { name: "Terminer le dépôt" }).click();
    await editeur.getByTestId("depot-complet").waitFor();
    await verifierEcran(editeur, "editeur-depot-termine");
  });

  it("la gestionnaire trouve le dossier dans sa file et demande une pièce complémentaire", async () => {
    const file = `${PORTAIL}/gestion/dossiers?siret=${D.siret}`;
    await gestion.goto(file);
    await attendre(
      async () => {
        await gestion.reload();
        const lien = gestion.getByRole("link", { name: numeroAsp });
        await lien.waitFor({ timeout: 3_000 }).catch(() => undefined);
        return (await lien.isVisible()) && ((await gestion.getByTestId("file-dossiers").textContent()) ?? "").includes("un gestionnaire");
      },
      () => `${numeroAsp} jamais sur le bureau de la gestionnaire`,
    );
    await verifierEcran(gestion, "gestion-file");
    await gestion.getByRole("link", { name: numeroAsp }).click();
    await gestion.getByRole("heading", { level: 1, name: `Dossier ${numeroAsp}` }).waitFor();
    await gestion.getByTestId("formulaire-decision-AVANCE").waitFor();
    await choisir(gestion, "Demander des pièces complémentaires");
    await gestion.getByLabel(/^Motif/).fill("Le bon de commande n'est pas signé : joignez le bon de commande signé.");
    await gestion.getByLabel(/^Pièces demandées/).fill(D.pieceDemandee);
    await gestion.getByRole("button", { name: "Enregistrer la décision" }).click();
    await gestion.getByText(/Décision enregistrée pour la demande avance/).waitFor();
    await expect.poll(() => gestion.getByTestId("demande-AVANCE-statut").textContent()).toBe("En attente de pièces complémentaires");
    await expect(gestion.getByTestId("demande-AVANCE-decision").textContent()).resolves.toContain(D.pieceDemandee);
    await verifierEcran(gestion, "gestion-dossier-pieces-demandees");
  });

  it("l'éditeur envoie la pièce depuis la page de son dossier", async () => {
    await editeur.getByRole("link", { name: "Voir mes dossiers" }).click();
    const tableau = editeur.getByTestId("mes-dossiers");
    await tableau.waitFor();
    await expect(tableau.textContent()).resolves.toContain("En attente de pièces complémentaires");
    await verifierEcran(editeur, "editeur-mes-dossiers");
    await tableau.getByRole("link", { name: numeroAsp }).click();
    const encart = editeur.getByTestId("pieces-complementaires");
    await encart.waitFor();
    await expect(encart.textContent()).resolves.toContain(D.pieceDemandee);
    await verifierEcran(editeur, "editeur-dossier-pieces-demandees");
    await editeur.locator("#zip-complementaire").setInputFiles(D.fichiers["complement.zip"]);
    await editeur.getByText("ZIP envoyé").waitFor({ timeout: 30_000 });
    await rechargerJusqua(editeur, "recapitulatif", "En cours");
    await editeur.getByRole("button", { name: "Historique" }).click();
    await expect(editeur.getByTestId("historique").textContent()).resolves.toContain("Pièces complémentaires reçues");
    await verifierEcran(editeur, "editeur-dossier-pieces-recues");
  });

  it("la gestionnaire décide", async () => {
    const formulaire = gestion.getByTestId("formulaire-decision-AVANCE");
    await attendre(
      async () => {
        await gestion.reload();
        await formulaire.waitFor({ timeout: 3_000 }).catch(() => undefined);
        return formulaire.isVisible();
      },
      () => `${numeroAsp}: formulaire de décision jamais proposé de nouveau`,
      30_000,
    );
    await expect(gestion.getByTestId("pieces").textContent()).resolves.toContain(D.pieceDemandee);
    await choisir(gestion, "Décider (accepter la demande)");
    await gestion.getByRole("button", { name: "Enregistrer la décision" }).click();
    await gestion.getByText(/Décision enregistrée/).waitFor();
    // The décision d'attribution is signed, then the versement asked for.
    await rechargerJusqua(gestion, "suivi-financier", "VERSE001");
    await expect.poll(() => gestion.getByTestId("demande-AVANCE-statut").textContent()).toBe("Décidée");
    await expect(gestion.getByTestId("pieces").textContent()).resolves.toContain("Décision d'attribution");
    await verifierEcran(gestion, "gestion-dossier-decide");
  });

  it("la gestionnaire lance un lot, télécharge le fichier SEPA et envoie le retour de la banque", async () => {
    await gestion.getByRole("link", { name: "Paiements" }).first().click();
    await gestion.getByRole("heading", { level: 1, name: "Paiements" }).waitFor();
    await gestion.getByRole("button", { name: "Lancer un lot maintenant" }).click();
    const resultat = gestion.getByTestId("resultat-lot").locator(".fr-alert");
    await resultat.waitFor();
    await expect(resultat.textContent()).resolves.toMatch(/Lot .* créé/);
    const lien = gestion.getByTestId("lots").locator("tbody tr").first().getByRole("link", { name: /Télécharger/ });
    // The link opens the presigned GET in a new tab: the file fetched from its address.
    const pain001 = join(D.travail, "pain001.xml");
    writeFileSync(pain001, await telecharger(await lien.getAttribute("href")));
    await verifierEcran(gestion, "gestion-paiements-lot");

    const pain002 = join(D.travail, "retour-banque.xml");
    python("banque", API, pain001, numeroAsp, pain002);
    await gestion.getByLabel("Fichier de retour de la banque").setInputFiles(pain002);
    await gestion.getByRole("button", { name: "Envoyer le retour bancaire" }).click();
    const retour = gestion.getByTestId("resultat-retour");
    await retour.waitFor({ timeout: 60_000 });
    await expect(retour.textContent()).resolves.toContain("Retour bancaire traité");
    await expect(gestion.getByTestId("retour-Paiements effectués").textContent()).resolves.toContain(numeroAsp);
    await verifierEcran(gestion, "gestion-retour-bancaire");
  });

  it("l'éditeur voit son dossier « Décidée et payée », la décision et l'avis de paiement", async () => {
    await rechargerJusqua(editeur, "recapitulatif", "Décidée et payée");
    for (const libelle of ["Pièces justificatives", "Suivi financier", "Courriels automatiquement envoyés", "Historique"]) {
      await editeur.getByRole("button", { name: libelle }).click();
    }
    const decision = await telecharger(await editeur.getByTestId("decision-attribution").getAttribute("href"));
    expect(decision.subarray(0, 5).toString()).toBe("%PDF-");
    const suivi = editeur.getByTestId("suivi-financier");
    await expect(suivi.textContent()).resolves.toContain("VERSE001");
    // Paid in the platform's time (the bank's pain.002 is dated by its clock), a date alone.
    const horloge = (await (await fetch(`${API}/_local/horloge`)).json()) as { maintenant: string };
    const annee = horloge.maintenant.slice(0, 4);
    await expect(suivi.textContent()).resolves.toMatch(new RegExp(`Paiement effectué.*\\d{2}/\\d{2}/${annee}.*\\d{2}/\\d{2}/${annee}`));
    await expect(suivi.textContent()).resolves.not.toContain(" à ");
    const avis = await telecharger(await suivi.locator("a").first().getAttribute("href"));
    expect(avis.subarray(0, 5).toString()).toBe("%PDF-");
    const historique = (await editeur.getByTestId("historique").textContent()) ?? "";
    for (const action of ["Dossier déposé", "Instruction commencée", "Pièces complémentaires demandées", "Pièces complémentaires reçues", "Demande décidée", "Paiement effectué"]) {
      expect(historique).toContain(action);
    }
    // The accordéons of a group open one at a time: one screenshot for the statut, one
    // for the suivi financier.
    await editeur.getByRole("button", { name: "Récapitulatif" }).click();
    await editeur.getByTestId("recapitulatif").waitFor({ state: "visible" });
    await editeur.getByTestId("historique").waitFor({ state: "hidden" });
    await verifierEcran(editeur, "editeur-dossier-decidee-et-payee");
    await editeur.getByRole("button", { name: "Suivi financier" }).click();
    await suivi.waitFor({ state: "visible" });
    await editeur.getByTestId("recapitulatif").waitFor({ state: "hidden" });
    await verifierEcran(editeur, "editeur-dossier-avis-de-paiement");
  });
});
