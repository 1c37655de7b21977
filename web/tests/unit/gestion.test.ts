import { describe, expect, it } from "vitest";

import {
  adresseDepuisFiltres,
  corpsDecision,
  curseurCourant,
  decisionAttendue,
  FILTRES_VIDES,
  filtresDepuisAdresse,
  libelleAction,
  limiteDepuisAdresse,
  montantEnEuros,
  numeroPage,
  pagePrecedente,
  pageSuivante,
  PREMIERE_PAGE,
  requeteDossiers,
  resumerRetour,
  verifierDecision,
  verifierDecisionEnrolement,
  verifierFiltres,
} from "../../src/lib/gestion";
import type { Retour } from "../../src/api/modeles";
import { accesGestion, identiteDuJeton } from "../../src/lib/gestionSession";

describe("the desk's filters", () => {
  it("address → filters: unknown statut or type dropped, values trimmed", () => {
    const f = filtresDepuisAdresse(new URLSearchParams("statut=PERDU&typeDemande=AVANCE&siret=%2012345678901234%20&autre=1"));
    expect(f).toEqual({ ...FILTRES_VIDES, typeDemande: "AVANCE", siret: "12345678901234" });
  });

  it("filters → address: empty ones left out, SIRET without spaces, default page size implied", () => {
    const p = adresseDepuisFiltres({ ...FILTRES_VIDES, statut: "EN_COURS", siret: "123 456 789 01234" });
    expect(p.toString()).toBe("statut=EN_COURS&siret=12345678901234");
    expect(adresseDepuisFiltres(FILTRES_VIDES, 2).toString()).toBe("limite=2");
  });

  it("the API's query carries the filters, the limit and the opaque cursor (encoded by the client)", () => {
    const q = requeteDossiers({ ...FILTRES_VIDES, couloir: "MS", numeroAns: "zbuMSS0001" }, 20, "eyJh+/=");
    expect(q).toEqual({ couloir: "MS", numeroAns: "zbuMSS0001", limite: 20, curseur: "eyJh+/=" });
    expect(requeteDossiers(FILTRES_VIDES, 50, null)).toEqual({ limite: 50 });
    expect(requeteDossiers({ ...FILTRES_VIDES, statut: "PAYEE", typeDemande: "SOLDE", siret: "123 456 789 01234" }, 20, null)).toEqual({
      statut: "PAYEE",
      typeDemande: "SOLDE",
      siret: "12345678901234",
      limite: 20,
    });
    expect(requeteDossiers({ ...FILTRES_VIDES, statut: "INCONNU" }, 20, null)).toEqual({ limite: 20 });
  });

  it("page size from the address: 1 to 200, else the default", () => {
    expect(limiteDepuisAdresse(new URLSearchParams("limite=2"))).toBe(2);
    expect(limiteDepuisAdresse(new URLSearchParams("limite=0"))).toBe(20);
    expect(limiteDepuisAdresse(new URLSearchParams("limite=abc"))).toBe(20);
    expect(limiteDepuisAdresse(new URLSearchParams("limite=500"))).toBe(20);
  });

  it("malformed filters get a French message at their field", () => {
    const e = verifierFiltres({ ...FILTRES_VIDES, siret: "1234", numeroAns: "zbu MSS", couloir: "M S" });
    expect(e.siret).toContain("14 chiffres");
    expect(e.numeroAns).toContain("lettres et chiffres");
    expect(e.couloir).toContain("couloir");
    expect(verifierFiltres({ ...FILTRES_VIDES, siret: "123 456 789 01234" })).toEqual({});
  });
});

describe("the stack of cursors", () => {
  it("forward pushes the API's cursor, back pops it, the first page stays first", () => {
    let pile = PREMIERE_PAGE;
    expect(curseurCourant(pile)).toBeNull();
    expect(numeroPage(pile)).toBe(1);
    pile = pageSuivante(pile, "c2");
    pile = pageSuivante(pile, "c3");
    expect(curseurCourant(pile)).toBe("c3");
    expect(numeroPage(pile)).toBe(3);
    pile = pagePrecedente(pile);
    expect(curseurCourant(pile)).toBe("c2");
    pile = pagePrecedente(pagePrecedente(pile));
    expect(pile).toEqual([null]);
    expect(numeroPage(pile)).toBe(1);
  });
});

describe("the decision form", () => {
  it("a decision must be chosen", () => {
    expect(verifierDecision({ decision: "", motif: "", pieces: "" })).toEqual({ decision: "Choisissez une décision." });
  });

  it("DECIDEE needs no motif; every other decision does", () => {
    expect(verifierDecision({ decision: "DECIDEE", motif: "", pieces: "" })).toEqual({});
    for (const d of ["A_MODIFIER", "REJETEE", "EN_ATTENTE_PIECES"] as const) {
      expect(verifierDecision({ decision: d, motif: "  ", pieces: "Devis" }).motif).toContain("obligatoire");
    }
  });

  it("EN_ATTENTE_PIECES needs a pièce; pièces are sent for it only", () => {
    expect(verifierDecision({ decision: "EN_ATTENTE_PIECES", motif: "Manque", pieces: " \n " }).pieces).toContain("au moins une pièce");
    expect(corpsDecision({ decision: "EN_ATTENTE_PIECES", motif: " Manque ", pieces: "Devis signé\n\n RIB \n" })).toEqual({
      decision: "EN_ATTENTE_PIECES",
      motif: "Manque",
      piecesDemandees: ["Devis signé", "RIB"],
    });
    expect(corpsDecision({ decision: "A_MODIFIER", motif: "Montant", pieces: "Devis" })).toEqual({ decision: "A_MODIFIER", motif: "Montant" });
    expect(corpsDecision({ decision: "DECIDEE", motif: "", pieces: "" })).toEqual({ decision: "DECIDEE" });
  });

  it("a motif longer than the API accepts is refused at its field", () => {
    expect(verifierDecision({ decision: "REJETEE", motif: "x".repeat(2001), pieces: "" }).motif).toContain("2000");
  });

  it("only EN_COURS awaiting a gestionnaire is decided", () => {
    expect(decisionAttendue({ statut: "EN_COURS", attendu: "GESTIONNAIRE" })).toBe(true);
    expect(decisionAttendue({ statut: "EN_COURS", attendu: "PLATEFORME" })).toBe(false);
    expect(decisionAttendue({ statut: "A_MODIFIER", attendu: "EDITEUR" })).toBe(false);
  });

  it("an enrolment's rejection needs its motif", () => {
    expect(verifierDecisionEnrolement({ decision: "VALIDEE", motif: "" })).toEqual({});
    expect(verifierDecisionEnrolement({ decision: "REJETEE", motif: "" }).motif).toContain("obligatoire");
    expect(verifierDecisionEnrolement({ decision: "", motif: "" }).decision).toBeTruthy();
  });
});

const RETOUR: Retour = {
  idRetour: "RET1",
  statut: "TRAITE",
  demandeLe: "2024-02-20T10:00:00+01:00",
  payes: [{ numeroAsp: "FINMS1000001", numeroDemande: "FINMS1000001M0", objet: "VERSE001", typeVersement: "AVANCE", endToEnd: "e1", montant: "6750.00" }],
  rejetes: [],
  soldesLiberes: [],
  dejaTraites: 0,
  enCours: 0,
  anomalies: [],
  recuLe: "2024-02-20T10:05:00+01:00",
  traiteLe: "2024-02-20T10:06:00+01:00",
  messageId: "MSG1",
  erreur: null,
};

describe("a bank return in words", () => {
  it("waited for: poll again", () => {
    const r = resumerRetour({ ...RETOUR, statut: "ATTENDU", payes: [] });
    expect(r.enAttente).toBe(true);
    expect(r.severite).toBe("info");
  });

  it("processed: what was paid, success", () => {
    const r = resumerRetour(RETOUR);
    expect(r).toMatchObject({ enAttente: false, severite: "success", titre: "Retour bancaire traité" });
    expect(r.description).toBe("1 paiement effectué, 0 paiement rejeté.");
  });

  it("rejections, already processed lines and anomalies: a warning that names them", () => {
    const r = resumerRetour({
      ...RETOUR,
      rejetes: [{ ...RETOUR.payes[0]!, endToEnd: "e2", codeRejet: "AC04", motifRejet: "Compte clôturé" }],
      dejaTraites: 2,
      anomalies: [{ code: "TRANSACTION_INCONNUE", message: "Transaction inconnue de la plateforme", reference: "X-1" }],
    });
    expect(r.severite).toBe("warning");
    expect(r.description).toBe("1 paiement effectué, 1 paiement rejeté, 2 transactions déjà traitées, 1 anomalie.");
    expect(r.anomalies).toEqual(["Transaction inconnue de la plateforme (X-1)"]);
    expect(r.description + r.anomalies.join(" ")).not.toMatch(/TRANSACTION_INCONNUE|AC04/);
  });

  it("unreadable: an error saying nothing was changed", () => {
    const r = resumerRetour({ ...RETOUR, statut: "ILLISIBLE", payes: [], erreur: "Le fichier n'est pas du XML." });
    expect(r.severite).toBe("error");
    expect(r.description).toBe("Le fichier n'est pas du XML. Aucun paiement n'a été modifié.");
  });
});

describe("words", () => {
  it("amounts in euros, French style", () => {
    expect(montantEnEuros("6750.00")).toBe("6\u202f750,00\u00a0€");
    expect(montantEnEuros("22500")).toBe("22\u202f500,00\u00a0€");
    expect(montantEnEuros(null)).toBe("—");
  });

  it("history actions never shown as raw codes", () => {
    expect(libelleAction("A_MODIFIER")).toBe("Modification demandée");
    expect(libelleAction("DECISION_A_MODIFIER")).toBe("Modification demandée");
    expect(libelleAction("QUELQUE_CHOSE_DE_NOUVEAU")).toBe("Quelque chose de nouveau");
  });
});

function jwt(charge: Record<string, unknown>): string {
  const b64 = (o: unknown) => btoa(JSON.stringify(o)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  return `${b64({ alg: "RS256" })}.${b64(charge)}.signature`;
}

describe("the guard of /gestion", () => {
  const maintenant = 1_700_000_000_000;
  it("a gestionnaire's token opens it; an éditeur's, none or an expired one do not", () => {
    const exp = maintenant / 1000 + 3600;
    expect(accesGestion(jwt({ "cognito:groups": ["gestionnaires"], exp, name: "Ana Bérénice" }), maintenant)).toBe("autorise");
    expect(accesGestion(jwt({ "cognito:groups": ["editeurs"], exp }), maintenant)).toBe("interdit");
    expect(accesGestion(jwt({ "cognito:groups": ["gestionnaires"], exp: maintenant / 1000 - 1 }), maintenant)).toBe("expire");
    expect(accesGestion(null, maintenant)).toBe("non-connecte");
    expect(accesGestion("pas-un-jwt", maintenant)).toBe("non-connecte");
  });

  it("reads UTF-8 names", () => {
    const nom = "Anaïs Bérénice";
    const charge = new TextEncoder().encode(JSON.stringify({ name: nom }));
    const b64 = btoa(String.fromCharCode(...charge)).replace(/=+$/, "");
    expect(identiteDuJeton(`x.${b64}.y`)?.nom).toBe(nom);
  });
});
