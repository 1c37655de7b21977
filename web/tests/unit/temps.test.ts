import { describe, expect, it } from "vitest";

import { dateHeureParis, dureeEnTexte, secondesRestantes } from "../../src/lib/temps";

describe("dureeEnTexte (as the API's tempsRestantTexte)", () => {
  it.each([
    [0, "moins d'une minute"],
    [59, "moins d'une minute"],
    [60, "1 minute"],
    [45 * 60 + 59, "45 minutes"],
    [3_600, "1 heure"],
    [2 * 3_600 + 5 * 60, "2 heures 5 minutes"],
    [86_400, "1 jour"],
    [86_400 + 3_600, "1 jour 1 heure"],
    [705_600, "8 jours 4 heures"],
    [6 * 86_400 + 3 * 3_600 + 59 * 60, "6 jours 3 heures"],
    [26_193_600, "303 jours 4 heures"],
  ])("%i s → %s", (secondes, texte) => {
    expect(dureeEnTexte(secondes)).toBe(texte);
  });

  it("never shows a negative or fractional time", () => {
    expect(dureeEnTexte(-30)).toBe("moins d'une minute");
    expect(dureeEnTexte(119.9)).toBe("1 minute");
  });
});

describe("secondesRestantes", () => {
  it("counts down from the platform's figure by the time elapsed since the answer", () => {
    expect(secondesRestantes(3_600, 1_000_000, 1_000_000)).toBe(3_600);
    expect(secondesRestantes(3_600, 1_000_000, 1_000_000 + 90_500)).toBe(3_510);
  });

  it("stops at zero and ignores a clock going backwards", () => {
    expect(secondesRestantes(60, 0, 120_000)).toBe(0);
    expect(secondesRestantes(60, 10_000, 0)).toBe(60);
  });
});

describe("dateHeureParis", () => {
  it("writes the deadline in Paris time, winter and summer", () => {
    expect(dateHeureParis("2024-02-28T14:00:00+01:00")).toBe("28/02/2024 à 14h00");
    expect(dateHeureParis("2024-02-28T13:00:00Z")).toBe("28/02/2024 à 14h00");
    expect(dateHeureParis("2024-07-01T00:00:00+02:00")).toBe("01/07/2024 à 00h00");
  });

  it("returns an unreadable value unchanged", () => {
    expect(dateHeureParis("demain")).toBe("demain");
  });
});
