import { describe, expect, it } from "vitest";

import { avertissementCommune, chargerCodesPostaux, communesDuCodePostal, normaliserCommune } from "../../src/lib/communes";

// The cases of tests/unit/enrolment/test_communes.py: the portal warns where the API refuses.
describe("communes du code postal (E2)", () => {
  it.each([
    ["Saint-Étienne", "saint etienne"],
    ["ST ETIENNE CEDEX 2", "saint etienne"],
    ["  saint   étienne ", "saint etienne"],
    ["Villeneuve-d'Ascq", "villeneuve d ascq"],
    ["VILLENEUVE D’ASCQ", "villeneuve d ascq"],
    ["Ste-Foy-lès-Lyon", "sainte foy les lyon"],
    ["Œuilly", "oeuilly"],
    ["Cedex", "cedex"],
  ])("normalise %s", (saisie, attendu) => {
    expect(normaliserCommune(saisie)).toBe(attendu);
  });

  it.each([
    ["69002", "Lyon"],
    ["42000", "st etienne"],
    ["59650", "VILLENEUVE D ASCQ"],
    ["01400", "SANDRANS"],
    ["75001", "PARIS"],
    ["75116", "PARIS 16"],
    ["97400", "Saint-Denis"],
    ["97600", "Mamoudzou"],
    ["87040", "LIMOGES CEDEX 1"],
    ["98800", "Nouméa"],
    ["97133", "Gustavia"],
  ])("%s %s correspond", async (code, commune) => {
    expect(avertissementCommune(await chargerCodesPostaux(), code, commune)).toBeNull();
  });

  it("avertit d'une commune d'un autre code postal, d'une commune CEDEX d'un autre département, d'un code inconnu", async () => {
    const base = await chargerCodesPostaux();
    expect(avertissementCommune(base, "75001", "Lyon")).toBe("La commune « Lyon » ne correspond pas au code postal 75001 (commune attendue : Paris).");
    expect(avertissementCommune(base, "01400", "Bourg-en-Bresse")).toContain("(communes attendues : Chanoz-Châtenay, Châtillon-sur-Chalaronne,");
    expect(avertissementCommune(base, "97400", "Saint-Pierre")).toContain("(commune attendue : Saint-Denis)");
    expect(avertissementCommune(base, "87040", "LYON CEDEX 3")).toBe("La commune « LYON CEDEX 3 » n'est pas une commune du département 87 (code postal CEDEX 87040).");
    expect(avertissementCommune(base, "87040", "Limoges")).toContain("LIMOGES CEDEX 1");
    expect(avertissementCommune(base, "7500", "Lyon")).toBeNull(); // not a code postal yet
  });

  it("propose les communes du code postal par leur nom officiel", async () => {
    const base = await chargerCodesPostaux();
    expect(communesDuCodePostal(base, "75001")).toEqual(["Paris"]);
    expect(communesDuCodePostal(base, "01400")).toHaveLength(10);
    expect(communesDuCodePostal(base, "00000")).toEqual([]);
  });
});
