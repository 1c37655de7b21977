import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { VALIDITE_LOCALE_MS, VerificationAntiRobot } from "../../src/pages/editeur/VerificationAntiRobot";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const URL_DEFI = "http://127.0.0.1:8000/enrolements/defi";

async function widget(): Promise<HTMLElement & { reset: (etat?: string) => void; verify: () => Promise<unknown> }> {
  await waitFor(() => expect(document.querySelector("altcha-widget")).not.toBeNull());
  await act(async () => undefined); // its listeners attached (the effects flushed)
  return document.querySelector("altcha-widget") as never;
}

/** The widget's methods are getters: its instance gets its own, recording the calls. */
function remplacer(element: HTMLElement, nom: string, methode: (...args: never[]) => unknown) {
  Object.defineProperty(element, nom, { value: methode, configurable: true });
}

function changer(element: HTMLElement, state: string, payload?: string) {
  act(() => {
    element.dispatchEvent(new CustomEvent("statechange", { detail: { state, payload } }));
  });
}

describe("VerificationAntiRobot", () => {
  it("the ALTCHA widget on the API's challenge, in French, its PBKDF2 worker registered", async () => {
    render(<VerificationAntiRobot urlDefi={URL_DEFI} renouveler={0} onSolution={() => undefined} />);
    const element = await widget();
    // React 19 gives a custom element its properties.
    const proprietes = element as unknown as Record<string, string>;
    expect(proprietes["challenge"]).toBe(URL_DEFI);
    expect(proprietes["language"]).toBe("fr-fr");
    expect(JSON.parse(proprietes["configuration"] ?? "{}")).toMatchObject({ hideLogo: true, hideFooter: true });
    expect(globalThis.$altcha.algorithms.has("PBKDF2/SHA-256")).toBe(true);
    expect(globalThis.$altcha.i18n.get("fr-fr")?.["label"]).toBe("Je ne suis pas un robot");
    expect(screen.getByText(/court calcul qui prouve/)).toBeTruthy();
  });

  it("the payload once verified, nothing in any other state", async () => {
    const solutions: string[] = [];
    render(<VerificationAntiRobot urlDefi={URL_DEFI} renouveler={0} onSolution={(s) => solutions.push(s)} />);
    const element = await widget();
    changer(element, "verifying");
    changer(element, "verified", "charge-utile");
    expect(screen.getByTestId("verification-anti-robot").dataset["etat"]).toBe("verified");
    changer(element, "expired");
    expect(solutions).toEqual(["", "charge-utile", ""]);
  });

  it("a new challenge solved each time the form asks (a solution serves once)", async () => {
    const { rerender } = render(<VerificationAntiRobot urlDefi={URL_DEFI} renouveler={0} onSolution={() => undefined} />);
    const element = await widget();
    const appels: string[] = [];
    remplacer(element, "reset", () => appels.push("reset"));
    remplacer(element, "verify", async () => appels.push("verify"));
    expect(appels).toEqual([]);
    rerender(<VerificationAntiRobot urlDefi={URL_DEFI} renouveler={1} onSolution={() => undefined} />);
    expect(appels).toEqual(["reset", "verify"]);
  });

  it("a verified state is dropped before the platform's 10 minutes run out", async () => {
    render(<VerificationAntiRobot urlDefi={URL_DEFI} renouveler={0} onSolution={() => undefined} />);
    const element = await widget();
    const etats: (string | undefined)[] = [];
    remplacer(element, "reset", (etat?: string) => etats.push(etat));
    vi.useFakeTimers();
    changer(element, "verified", "charge-utile");
    act(() => vi.advanceTimersByTime(VALIDITE_LOCALE_MS - 1));
    expect(etats).toEqual([]);
    act(() => vi.advanceTimersByTime(1));
    expect(etats).toEqual(["expired"]);
    expect(VALIDITE_LOCALE_MS).toBeLessThan(10 * 60_000);
  });

  it("the problem the API or the form found, beside the widget", async () => {
    render(
      <VerificationAntiRobot urlDefi={URL_DEFI} renouveler={0} onSolution={() => undefined} erreur="la vérification anti-robot a expiré : refaites-la." />,
    );
    await widget();
    expect(screen.getByText("La vérification anti-robot a expiré : refaites-la.")).toBeTruthy();
    expect(document.getElementById("champ-jetonAntiRobot")?.getAttribute("aria-describedby")).toContain("champ-jetonAntiRobot-erreur");
  });
});
