import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryRouter } from "react-router";

import { ClientApi } from "../../src/api/client";
import type { Fenetre } from "../../src/api/modeles";
import { FenetreGuichet } from "../../src/composants/FenetreGuichet";
import { FournisseurApi } from "../../src/contexte";
import { Rechercher } from "../../src/pages/Rechercher";

afterEach(cleanup);

const AVANCE: Fenetre = {
  typeDemande: "AVANCE",
  ouverture: "2021-07-01T00:00:00+02:00",
  echeance: "2024-02-28T14:00:00+01:00",
  ouvert: true,
  statut: "OUVERT",
  tempsRestant: 705_600,
  tempsRestantTexte: "8 jours 4 heures",
  message: "Le guichet des demandes d'avance est ouvert jusqu'au 28/02/2024 à 14h00.",
};

describe("FenetreGuichet", () => {
  it("an open window: its message and the time left", () => {
    render(<FenetreGuichet fenetre={AVANCE} recuA={Date.now()} />);
    expect(screen.getByRole("heading", { name: "Demandes d'avance" })).toBeTruthy();
    expect(screen.getByText("Ouvert")).toBeTruthy();
    expect(screen.getByTestId("temps-restant").textContent).toBe("8 jours 4 heures");
  });

  it("a closed window: « Fermé » and its deadline in Paris time, no time left", () => {
    const ferme = { ...AVANCE, ouvert: false, statut: "FERME" as const, tempsRestant: 0, message: "Le guichet des demandes d'avance est fermé depuis le 28/02/2024 à 14h00." };
    render(<FenetreGuichet fenetre={ferme} recuA={Date.now()} />);
    expect(screen.getByText("Fermé")).toBeTruthy();
    expect(screen.getByText(/Échéance : 28\/02\/2024 à 14h00/)).toBeTruthy();
    expect(screen.queryByTestId("temps-restant")).toBeNull();
  });

  it("an open window whose time ran out since the answer shows « Fermé »", () => {
    render(<FenetreGuichet fenetre={{ ...AVANCE, tempsRestant: 10 }} recuA={Date.now() - 60_000} />);
    expect(screen.getByText("Fermé")).toBeTruthy();
  });
});

function avecApi(statut: number, corps: unknown, chemin: string) {
  const api = new ClientApi({
    baseUrl: "http://api.test",
    fetch: async () => new Response(JSON.stringify(corps), { status: statut }),
  });
  return render(
    <FournisseurApi api={api}>
      <MemoryRouter initialEntries={[chemin]}>
        <Rechercher />
      </MemoryRouter>
    </FournisseurApi>,
  );
}

describe("Rechercher", () => {
  it("shows the référencement found", async () => {
    avecApi(200, { numeroAns: "zbuMSS0001", couloir: "MS1", typeLogiciel: "DUI", vague: "1", solution: "MédiDossier ESMS", versionSolution: "4.2", siret: "41234567000019", raisonSociale: "MEDISOFT SOLUTIONS" }, "/rechercher?numero=zbuMSS0001");
    expect(await screen.findByText("MEDISOFT SOLUTIONS")).toBeTruthy();
    expect(screen.getByText("MédiDossier ESMS (version 4.2)")).toBeTruthy();
  });

  it("an unknown numéro: the message at the field", async () => {
    avecApi(404, { code: "REFERENCEMENT_INCONNU", message: "…" }, "/rechercher?numero=zzzMSS9999");
    expect(await screen.findByText(/Aucune solution référencée ne porte le numéro « zzzMSS9999 »/)).toBeTruthy();
    expect(screen.getByRole("textbox").getAttribute("aria-describedby")).toBeTruthy();
  });

  it("a malformed numéro is refused before any call", async () => {
    avecApi(500, {}, "/rechercher?numero=abc");
    expect(await screen.findByText(/« abc » n'est pas valide/)).toBeTruthy();
  });
});
