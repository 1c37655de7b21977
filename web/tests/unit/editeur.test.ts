import { describe, expect, it } from "vitest";

import { connecter, definirMotDePasse, erreurCognito, verifierNouveauMotDePasse } from "../../src/lib/cognito";
import { cheminEnMots, euros, lignesAffichees } from "../../src/lib/compteRendu";
import { reponsesAttendues } from "../../src/lib/dossiers";
import { corpsDemande, documentsRequis, formulaireVide, kbisRequis, verifierFormulaire } from "../../src/lib/enrolement";
import { accueilDe, appartientA, lireJeton } from "../../src/lib/session";
import { messageRefusS3, pourcentage, tailleEnTexte, verifierFichier } from "../../src/lib/televersement";

function jwt(charge: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(unescape(encodeURIComponent(JSON.stringify(o)))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${b64({ alg: "RS256" })}.${b64(charge)}.signature`;
}

describe("session: the IdToken's claims", () => {
  it("reads email, groups, SIRET and expiry (UTF-8 names)", () => {
    const u = lireJeton(jwt({ email: "lea@x.fr", name: "Léa", "cognito:groups": ["editeurs"], "custom:siret": "33912345700014", exp: 2_000_000_000 }));
    expect(u).toEqual({ email: "lea@x.fr", nom: "Léa", groupes: ["editeurs"], siret: "33912345700014", expireA: 2_000_000_000_000 });
    expect(appartientA(u, "editeurs")).toBe(true);
    expect(appartientA(u, "gestionnaires")).toBe(false);
    expect(accueilDe(u!)).toBe("/dossiers");
  });
  it("refuses what is not a JWT", () => {
    expect(lireJeton("abc")).toBeNull();
    expect(lireJeton("a.!!!.c")).toBeNull();
    expect(appartientA(null, "editeurs")).toBe(false);
  });
});

describe("cognito: sign-in from the browser", () => {
  const config = { url: "http://127.0.0.1:5000", clientId: "client" };
  it("InitiateAuth then the new-password challenge, JSON 1.1", async () => {
    const appels: { cible: string | null; corps: Record<string, unknown> }[] = [];
    const fetcher = (async (_url: string, init: RequestInit) => {
      const cible = new Headers(init.headers).get("X-Amz-Target");
      appels.push({ cible, corps: JSON.parse(String(init.body)) as Record<string, unknown> });
      const reponse = cible?.endsWith("InitiateAuth")
        ? { ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s1" }
        : { AuthenticationResult: { IdToken: "jeton" } };
      return new Response(JSON.stringify(reponse), { status: 200 });
    }) as unknown as typeof fetch;
    await expect(connecter(config, "a@b.fr", "Provisoire1!", fetcher)).resolves.toEqual({ etat: "nouveauMotDePasse", session: "s1" });
    await expect(definirMotDePasse(config, "a@b.fr", "s1", "Nouveau-2024!x", fetcher)).resolves.toEqual({ etat: "connecte", jeton: "jeton" });
    expect(appels[0]).toEqual({
      cible: "AWSCognitoIdentityProviderService.InitiateAuth",
      corps: { AuthFlow: "USER_PASSWORD_AUTH", ClientId: "client", AuthParameters: { USERNAME: "a@b.fr", PASSWORD: "Provisoire1!" } },
    });
    expect(appels[1]?.corps).toMatchObject({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s1", ChallengeResponses: { USERNAME: "a@b.fr", NEW_PASSWORD: "Nouveau-2024!x" } });
  });
  it("a wrong password: French, at the password field", async () => {
    const fetcher = (async () => new Response(JSON.stringify({ __type: "NotAuthorizedException", message: "Incorrect username or password." }), { status: 400 })) as unknown as typeof fetch;
    await expect(connecter(config, "a@b.fr", "x", fetcher)).rejects.toMatchObject({ champ: "motDePasse", message: "Adresse électronique ou mot de passe incorrect." });
    expect(erreurCognito("com.amazonaws#InvalidPasswordException", "nouveauMotDePasse").champ).toBe("nouveauMotDePasse");
    expect(erreurCognito("Autre", "connexion").message).not.toMatch(/Exception/);
  });
  it("the new password's policy checked before sending", () => {
    expect(verifierNouveauMotDePasse("court", "court")).toContain("12 caractères");
    expect(verifierNouveauMotDePasse("Nouveau-2024!x", "Nouveau-2024!y")).toContain("différents");
    expect(verifierNouveauMotDePasse("Nouveau-2024!x", "Nouveau-2024!x")).toBeNull();
  });
});

describe("televersement", () => {
  it("progress, sizes, files refused before upload, S3's refusals in French", () => {
    expect(pourcentage({ envoye: 0, total: 0 })).toBe(0);
    expect(pourcentage({ envoye: 999, total: 1000 })).toBe(99);
    expect(pourcentage({ envoye: 1000, total: 1000 })).toBe(100);
    expect(tailleEnTexte(4 * 1024 * 1024)).toBe("4 Mo");
    expect(verifierFichier({ name: "rib.docx", size: 10 }, ["pdf"])).toContain("pdf attendu");
    expect(verifierFichier({ name: "rib.PDF", size: 0 }, ["pdf"])).toContain("vide");
    expect(verifierFichier({ name: "rib.pdf", size: 5_000_000 }, ["pdf"], 4 * 1024 * 1024)).toContain("4 Mo");
    expect(verifierFichier({ name: "rib.pdf", size: 10 }, ["pdf"], 100)).toBeNull();
    expect(messageRefusS3(400, "<Error><Code>EntityTooLarge</Code></Error>")).toContain("taille maximale");
    expect(messageRefusS3(403, "<Error><Code>AccessDenied</Code><Message>Policy expired</Message></Error>")).toContain("expiré");
  });
});

describe("enrolement: documents required by the answers, body, problems", () => {
  const connu = { siret: "33912345700014", raisonSociale: "SOINS CONNECTES" };
  it("tiers déclarant, TVA HT and a different dénomination add their documents", () => {
    const f = { ...formulaireVide(), siret: "339 123 457 00014", denominationSociale: "Soins connectés" };
    expect(documentsRequis(f, connu)).toEqual(["certificatReferencement", "pieceIdentiteRepresentant", "rib"]);
    expect(kbisRequis({ ...f, denominationSociale: "Autre SAS" }, connu)).toBe(true);
    expect(documentsRequis({ ...f, representantLegal: "non", qualite: "EMPLOYE", tauxTva: "HT" }, connu)).toEqual([
      "certificatReferencement",
      "pieceIdentiteRepresentant",
      "pieceIdentiteDepositaire",
      "mandat",
      "rib",
      "attestationNonAssujettissement",
    ]);
    expect(documentsRequis({ ...f, representantLegal: "non", qualite: "EXPERT_COMPTABLE" }, connu)).toContain("contratPrestation");
  });
  it("the body: optional address parts left out, tiers déclarant only when chosen", () => {
    const f = { ...formulaireVide(), numeroAns: " scoMS10089 ", typeVoie: "RUE", nomVoie: "Haute", representantLegal: "oui" as const, tauxTva: "20" as const };
    const corps = corpsDemande(f, { rib: "rib/x.pdf", kbis: "kbis/y.pdf" }, "eyJjaGFsbGVuZ2UiOnt9fQ==", connu);
    expect(corps["numeroAns"]).toBe("scoMS10089");
    expect((corps["demandeur"] as { adresse: unknown }).adresse).toEqual({ typeVoie: "RUE", nomVoie: "Haute" });
    expect(corps["documents"]).toEqual({ rib: "rib/x.pdf" });
    expect(corps["tiersDeclarant"]).toBeUndefined();
    expect(corps["representantLegal"]).toBe(true);
    const tiers = corpsDemande({ ...f, representantLegal: "non", qualite: "EMPLOYE" }, {}, "c", connu);
    expect(tiers["tiersDeclarant"]).toMatchObject({ qualite: "EMPLOYE" });
  });
  it("problems keyed like the API's champ", () => {
    const p = verifierFormulaire({ ...formulaireVide(), codePostal: "690", representant: { nom: "", prenom: "", email: "a@b.fr", confirmationEmail: "c@d.fr", telephone: "" } }, {}, "", null);
    expect(p["demandeur.adresse.codePostal"]).toContain("5 chiffres");
    expect(p["representant.confirmationEmail"]).toContain("même adresse");
    expect(p["documents.rib"]).toBeDefined();
    expect(p["jetonAntiRobot"]).toBeDefined();
    expect(p["tiersDeclarant.qualite"]).toBeUndefined();
  });
});

describe("compte rendu", () => {
  it("a JSON Pointer in words, amounts in euros, rows sorted with their dossier", () => {
    expect(cheminEnMots("/demandes/1/beneficiaires/0/etablissementsClients/0/finessGeo")).toBe("Bénéficiaire 1 › établissement client 1 › FINESS géographique");
    expect(cheminEnMots("/demandes/0")).toBe("la ligne");
    expect(euros("22500.00")).toBe("22 500,00\u00a0€");
    expect(euros(null)).toBe("—");
    const lignes = lignesAffichees(
      {
        fichier: "avances.json",
        nombreLignes: 2,
        lignesImportables: 1,
        lignesRejetees: 1,
        erreursFichier: [],
        erreursPieces: [],
        lignes: [
          { numLigne: 2, statut: "REJETEE", erreurs: [{ code: "FINESS_INVALIDE", chemin: "/demandes/1/commande/montantSegur", message: "trop grand" }] },
          { numLigne: 1, statut: "IMPORTABLE", montants: { montantFinance: "100.00", avance: "30.00", solde: "70.00" } },
        ],
      },
      { "1": "FINMS1000001" },
    );
    expect(lignes.map((l) => [l.numLigne, l.statut, l.numeroAsp])).toEqual([
      [1, "Importée", "FINMS1000001"],
      [2, "Rejetée", null],
    ]);
    expect(lignes[1]?.erreurs).toEqual([{ champ: "Commande › montant Ségur", message: "trop grand" }]);
    expect(lignes[0]?.avance).toBe("30,00\u00a0€");
  });
});

describe("dossier: the answers a status asks for", () => {
  it("À modifier → a modification dépôt; pièces → the ZIP form", () => {
    const base = { numeroDossier: "D1", montants: {}, tauxTva: "20", piecesDemandees: [] };
    const r = reponsesAttendues("scoMS10089", [
      { ...base, typeDemande: "AVANCE", statut: "A_MODIFIER", libelleStatut: "À modifier" },
      { ...base, typeDemande: "SOLDE", statut: "EN_ATTENTE_PIECES", libelleStatut: "En attente de pièces complémentaires" },
      { ...base, typeDemande: "AVANCE", statut: "EN_COURS", libelleStatut: "En cours" },
    ]);
    expect(r.map((x) => x.type)).toEqual(["modification", "pieces"]);
    expect(r[0]?.type === "modification" && r[0].lien).toBe("/deposer?modification=1&numeroAns=scoMS10089&type=AVANCE");
  });
});
