import { describe, expect, it } from "vitest";

import { ErreurApi, MESSAGE_RESEAU, erreurDepuisReponse, erreurReseau, messageErreur } from "../../src/api/erreurs";

const CODE_BRUT = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/;

describe("erreurDepuisReponse", () => {
  it("keeps the API's French message and its code apart", () => {
    const e = erreurDepuisReponse(409, {
      code: "DEPOT_DEJA_IMPORTE",
      message: "Ce dépôt a déjà été importé : ses dossiers existent.",
    });
    expect(e).toBeInstanceOf(ErreurApi);
    expect(e.statut).toBe(409);
    expect(e.code).toBe("DEPOT_DEJA_IMPORTE");
    expect(e.message).toBe("Ce dépôt a déjà été importé : ses dossiers existent.");
  });

  it("words the framework's codes for people", () => {
    const route = erreurDepuisReponse(404, {
      code: "ROUTE_INCONNUE",
      message: "Cette route n'existe pas: les routes sont décrites dans /openapi.json.",
    });
    expect(route.message).toBe("Ce service n'est pas encore disponible sur la plateforme.");
    expect(erreurDepuisReponse(401, { code: "NON_AUTHENTIFIE", message: "Jeton invalide ou expiré." }).message).toMatch(
      /connectez-vous/,
    );
    expect(erreurDepuisReponse(500, { code: "ERREUR_INTERNE", message: "x" }).message).toMatch(/Réessayez/);
  });

  it("lists the problems field by field (first message per field)", () => {
    const e = erreurDepuisReponse(422, {
      code: "REQUETE_INVALIDE",
      message: "Le corps de la requête contient 2 erreurs: …",
      erreurs: [
        { champ: "tauxTva", code: "TYPE_INVALIDE", message: "un nombre JSON est attendu (pas une chaîne)" },
        { champ: "tauxTva", code: "AUTRE", message: "second" },
        { champ: "x", code: "CHAMP_INCONNU", message: "champ inconnu: à retirer" },
        { pas: "un problème" },
      ],
    });
    expect(e.champs).toEqual({
      tauxTva: "un nombre JSON est attendu (pas une chaîne)",
      x: "champ inconnu: à retirer",
    });
  });

  it.each([
    [0, undefined],
    [400, undefined],
    [401, "<html>Unauthorized</html>"],
    [403, null],
    [404, {}],
    [413, { message: 42 }],
    [429, undefined],
    [500, undefined],
    [502, { message: "Bad Gateway" }],
    [503, { code: "SERVICE_UNAVAILABLE", message: "INTERNAL_FAILURE" }],
  ])("status %i with body %j: a French sentence, never a raw code", (statut, corps) => {
    const e = erreurDepuisReponse(statut, corps);
    expect(e.message.length).toBeGreaterThan(20);
    expect(e.message).not.toMatch(CODE_BRUT);
    expect(e.message).toMatch(/[éèàç]|[Rr]éessayez|Vérifiez|plateforme/);
  });
});

describe("messageErreur", () => {
  it("shows an ErreurApi's message, a generic sentence for anything else", () => {
    expect(messageErreur(erreurReseau())).toBe(MESSAGE_RESEAU);
    expect(messageErreur(new TypeError("Failed to fetch"))).not.toMatch(/fetch/i);
  });
});
