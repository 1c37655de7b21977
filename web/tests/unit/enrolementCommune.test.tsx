import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryRouter } from "react-router";

import { ClientApi } from "../../src/api/client";
import { FournisseurApi } from "../../src/contexte";
import { Enrolement } from "../../src/pages/Enrolement";

afterEach(cleanup);

// The base (La Poste's ~35,000 communes) is parsed on its first use: give it time.
const ATTENTE = { timeout: 10_000 };

function page() {
  const api = new ClientApi({ baseUrl: "http://api.test", fetch: async () => new Response("{}", { status: 404 }) });
  render(
    <FournisseurApi api={api}>
      <MemoryRouter>
        <Enrolement />
      </MemoryRouter>
    </FournisseurApi>,
  );
  const saisir = (nom: string, valeur: string) => {
    const champ = document.querySelector<HTMLInputElement>(`input[name="${nom}"]`);
    expect(champ).toBeTruthy();
    fireEvent.change(champ!, { target: { value: valeur } });
  };
  return { saisir };
}

describe("Enrôlement : la commune du code postal (E2)", () => {
  it("propose les communes du code postal saisi", async () => {
    const { saisir } = page();
    saisir("demandeur.adresse.codePostal", "01400");
    const options = () => [...screen.getByTestId("communes-du-code-postal").querySelectorAll("option")].map((o) => o.value);
    await waitFor(() => expect(options()).toHaveLength(10), ATTENTE);
    expect(options()).toContain("Châtillon-sur-Chalaronne");
    expect(document.querySelector('input[name="demandeur.adresse.commune"]')?.getAttribute("list")).toBe("communes-du-code-postal");
  });

  it("avertit quand la commune ne correspond pas, plus quand elle correspond", async () => {
    const { saisir } = page();
    saisir("demandeur.adresse.codePostal", "75001");
    saisir("demandeur.adresse.commune", "Lyon");
    expect(await screen.findByText("La commune « Lyon » ne correspond pas au code postal 75001 (commune attendue : Paris).", {}, ATTENTE)).toBeTruthy();
    saisir("demandeur.adresse.commune", "PARIS");
    expect(screen.queryByText(/ne correspond pas au code postal/)).toBeNull();
  });
});
