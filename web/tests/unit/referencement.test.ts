import { describe, expect, it } from "vitest";

import { ErreurApi } from "../../src/api/erreurs";
import { erreurRecherche, libelleDsr, verifierNumeroAns } from "../../src/lib/referencement";

describe("verifierNumeroAns", () => {
  it("accepts 10 alphanumeric characters, spaces around ignored", () => {
    expect(verifierNumeroAns("zbuMSS0001")).toBeNull();
    expect(verifierNumeroAns("  aafty63256".slice(0, 12))).toBeNull();
  });

  it.each(["", "   ", "zbu", "zbuMSS00011", "zbu-MSS001", "zbuMSS 001"])("refuses « %s » with a message naming the field", (saisie) => {
    const message = verifierNumeroAns(saisie);
    expect(message).toMatch(/numéro unique de référencement \(ANS\)/);
    expect(message).toMatch(/zbuMSS0001/);
  });
});

describe("libelleDsr", () => {
  it("writes the DSR as the enrolment form shows it", () => {
    const r = { numeroAns: "zbuMSS0001", couloir: "MS1", typeLogiciel: "DUI", vague: "1", solution: "S", siret: "1" };
    expect(libelleDsr(r)).toBe("MS1 — Médico-social (DUI) / dossier usager informatisé / vague 1");
    expect(libelleDsr({ ...r, couloir: "MS9", typeLogiciel: "X" })).toBe("MS9 / X / vague 1");
  });
});

describe("erreurRecherche", () => {
  it("an unknown numéro: at the field, naming the numéro", () => {
    const e = new ErreurApi(404, "REFERENCEMENT_INCONNU", "…");
    const { champ, alerte } = erreurRecherche("zzzMSS9999", e);
    expect(champ).toMatch(/Aucune solution référencée ne porte le numéro « zzzMSS9999 »/);
    expect(alerte).toBeNull();
  });

  it("a route not yet deployed: an alert, not a false « unknown numéro »", () => {
    const e = new ErreurApi(404, "ROUTE_INCONNUE", "Ce service n'est pas encore disponible sur la plateforme.");
    expect(erreurRecherche("zbuMSS0001", e)).toEqual({ champ: null, alerte: e.message });
  });

  it("the API's problem at numeroAns goes to the field", () => {
    const e = new ErreurApi(422, "REQUETE_INVALIDE", "…", { numeroAns: "10 caractères alphanumériques sont attendus" });
    expect(erreurRecherche("x", e).champ).toBe("10 caractères alphanumériques sont attendus");
  });

  it("the platform down: an alert", () => {
    const e = new ErreurApi(0, "RESEAU", "La plateforme ne répond pas.");
    expect(erreurRecherche("zbuMSS0001", e)).toEqual({ champ: null, alerte: "La plateforme ne répond pas." });
  });
});
