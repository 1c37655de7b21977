import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryRouter, Route, Routes } from "react-router";

import { ClientApi } from "../../src/api/client";
import { FournisseurApi } from "../../src/contexte";
import { GardeGestionnaire } from "../../src/pages/gestion/commun";
import { DossierGestion } from "../../src/pages/gestion/DossierGestion";
import { FileDossiers } from "../../src/pages/gestion/FileDossiers";
import { enregistrerJeton } from "../../src/lib/session";

function jwt(charge: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${b64({ alg: "RS256" })}.${b64(charge)}.signature`;
}
const GESTIONNAIRE = jwt({ "cognito:groups": ["gestionnaires"], exp: Date.now() / 1000 + 3600, name: "DUPONT" });

type Reponse = { statut: number; corps: unknown };
let appels: { methode: string; url: string; corps: unknown }[] = [];

function monter(chemin: string, repondre: (methode: string, url: URL) => Reponse) {
  appels = [];
  const api = new ClientApi({
    baseUrl: "http://api.test",
    jeton: () => GESTIONNAIRE,
    fetch: async (requete) => {
      const url = new URL(requete.url);
      const texte = await requete.text();
      appels.push({ methode: requete.method, url: url.pathname + url.search, corps: texte ? JSON.parse(texte) : undefined });
      const r = repondre(requete.method, url);
      return new Response(JSON.stringify(r.corps), { status: r.statut });
    },
  });
  return render(
    <FournisseurApi api={api}>
      <MemoryRouter initialEntries={[chemin]}>
        <Routes>
          <Route path="gestion" element={<GardeGestionnaire />}>
            <Route path="dossiers" element={<FileDossiers />} />
            <Route path="dossiers/:numeroAsp" element={<DossierGestion />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </FournisseurApi>,
  );
}

function ligne(n: number) {
  return {
    numeroAsp: `FINMS100000${n}`,
    typeDemande: "AVANCE",
    siret: "73282932000074",
    numeroAns: "zbuMSS0001",
    couloir: "MS",
    campagne: "MS-2024-V1",
    statut: "EN_COURS",
    libelleStatut: "En cours",
    attendu: "GESTIONNAIRE",
    montantFinance: "22500.00",
    modifieLe: "2024-02-20T10:00:00+01:00",
  };
}

beforeEach(() => enregistrerJeton(GESTIONNAIRE));
afterEach(() => {
  cleanup();
  enregistrerJeton(null);
});

describe("the desk", () => {
  it("filters from the address, then forward and back through the cursors", async () => {
    monter("/gestion/dossiers?statut=EN_COURS&limite=2", (_m, url) => {
      const curseur = url.searchParams.get("curseur");
      if (!curseur) return { statut: 200, corps: { elements: [ligne(1), ligne(2)], curseurSuivant: "c/2+" } };
      return { statut: 200, corps: { elements: [ligne(3)], curseurSuivant: null } };
    });
    expect(await screen.findByText("FINMS1000001")).toBeTruthy();
    expect(appels[0]?.url).toBe("/gestion/dossiers?statut=EN_COURS&limite=2");
    expect(screen.getByText("Page précédente").closest("button")?.disabled).toBe(true);
    fireEvent.click(screen.getByText("Page suivante"));
    expect(await screen.findByText("FINMS1000003")).toBeTruthy();
    expect(appels.at(-1)?.url).toBe("/gestion/dossiers?statut=EN_COURS&limite=2&curseur=c%2F2%2B");
    expect(screen.getByTestId("numero-page").textContent).toBe("Page 2");
    expect(screen.getByText("Page suivante").closest("button")?.disabled).toBe(true);
    fireEvent.click(screen.getByText("Page précédente"));
    expect(await screen.findByText("FINMS1000001")).toBeTruthy();
    expect(appels.at(-1)?.url).toBe("/gestion/dossiers?statut=EN_COURS&limite=2");
    expect(screen.getByTestId("numero-page").textContent).toBe("Page 1");
  });

  it("a malformed SIRET is refused at its field, without a call; a good one filters", async () => {
    monter("/gestion/dossiers", () => ({ statut: 200, corps: { elements: [], curseurSuivant: null } }));
    await screen.findByTestId("file-vide");
    const avant = appels.length;
    fireEvent.change(screen.getByLabelText(/SIRET de l'éditeur/), { target: { value: "1234" } });
    fireEvent.click(screen.getByText("Filtrer"));
    expect(await screen.findByText(/14 chiffres sont attendus/)).toBeTruthy();
    expect(appels.length).toBe(avant);
    fireEvent.change(screen.getByLabelText(/SIRET de l'éditeur/), { target: { value: "732 829 320 00074" } });
    fireEvent.click(screen.getByText("Filtrer"));
    await waitFor(() => expect(appels.at(-1)?.url).toBe("/gestion/dossiers?siret=73282932000074&limite=20"));
  });

  it("without a gestionnaire's token: the screen is refused, nothing asked", async () => {
    enregistrerJeton(jwt({ "cognito:groups": ["editeurs"], exp: Date.now() / 1000 + 3600 }));
    monter("/gestion/dossiers", () => ({ statut: 500, corps: {} }));
    expect(await screen.findByText("Votre compte ne donne pas accès à l'espace des gestionnaires.")).toBeTruthy();
    expect(appels).toEqual([]);
  });
});

const DOSSIER = {
  numeroAsp: "FINMS1000001",
  siret: "73282932000074",
  numeroAns: "zbuMSS0001",
  couloir: "MS",
  campagne: "MS-2024-V1",
  finess: ["111111111"],
  deposeLe: "2024-02-20T10:00:00+01:00",
  demandes: [
    {
      typeDemande: "AVANCE",
      statut: "EN_COURS",
      libelleStatut: "En cours",
      attendu: "GESTIONNAIRE",
      numeroDossier: "00001",
      montants: { montantFinance: "22500.00", avance: "6750.00" },
      tauxTva: "20",
      piecesDemandees: [],
    },
  ],
  pieces: [{ nom: "devis.pdf", genre: "PIECE", deposeLe: "2024-02-20T10:00:00+01:00", url: "http://s3.test/devis.pdf" }],
  courriels: [],
  historique: [{ qui: "éditeur 73282932000074", action: "CREATION", motif: "", instant: "2024-02-20T10:00:00+01:00" }],
};

describe("the dossier's decision form", () => {
  it("A_MODIFIER without a motif is refused at the field; no call", async () => {
    monter("/gestion/dossiers/FINMS1000001", (_m, url) =>
      url.pathname.endsWith("/versements") ? { statut: 200, corps: { numeroAsp: "FINMS1000001", versements: [] } } : { statut: 200, corps: DOSSIER },
    );
    await screen.findByTestId("formulaire-decision-AVANCE");
    expect(screen.getByText("Dossier déposé")).toBeTruthy();
    expect(screen.getByText("6 750,00 €")).toBeTruthy();
    fireEvent.click(screen.getByLabelText("Demander une modification à l'éditeur"));
    fireEvent.click(screen.getByText("Enregistrer la décision"));
    expect(await screen.findByText(/Le motif est obligatoire/)).toBeTruthy();
    expect(appels.filter((a) => a.methode === "POST")).toEqual([]);
  });

  it("a 409 shows the API's French message; EN_ATTENTE_PIECES sends its pièces", async () => {
    const message = "La demande AVANCE du dossier FINMS1000001 est « À modifier » : c'est à l'éditeur d'agir.";
    monter("/gestion/dossiers/FINMS1000001", (methode, url) => {
      if (methode === "POST") return { statut: 409, corps: { code: "ETAT_INCOMPATIBLE", message } };
      return url.pathname.endsWith("/versements") ? { statut: 200, corps: { numeroAsp: "FINMS1000001", versements: [] } } : { statut: 200, corps: DOSSIER };
    });
    await screen.findByTestId("formulaire-decision-AVANCE");
    fireEvent.click(screen.getByLabelText("Demander des pièces complémentaires"));
    fireEvent.change(screen.getByLabelText(/Motif/), { target: { value: "Il manque le devis" } });
    fireEvent.change(screen.getByLabelText(/Pièces demandées/), { target: { value: "Devis signé\nRIB" } });
    fireEvent.click(screen.getByText("Enregistrer la décision"));
    expect(await screen.findByText(message)).toBeTruthy();
    const post = appels.find((a) => a.methode === "POST");
    expect(post).toEqual({
      methode: "POST",
      url: "/gestion/dossiers/FINMS1000001/AVANCE/decision",
      corps: { decision: "EN_ATTENTE_PIECES", motif: "Il manque le devis", piecesDemandees: ["Devis signé", "RIB"] },
    });
    expect(document.body.textContent).not.toContain("ETAT_INCOMPATIBLE");
  });
});
