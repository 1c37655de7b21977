// The demande d'enrôlement (E2): the form's state, the documents its answers require (as
// services/enrolment/domain/documents.py decides), the body sent to POST /enrolements, and
// the problems checked before sending (the API checks everything again).

import type { DemandeEnrolement, Referencement, TypeDocument } from "../api/modeles";

export type { TypeDocument };
export type Qualite = NonNullable<DemandeEnrolement["tiersDeclarant"]>["qualite"];
export type TauxTvaEnrolement = DemandeEnrolement["tauxTva"];
type Adresse = DemandeEnrolement["demandeur"]["adresse"];

export const LIBELLES_DOCUMENT: Readonly<Record<TypeDocument, string>> = {
  certificatReferencement: "Certificat de référencement délivré par l'ANS",
  pieceIdentiteRepresentant: "Pièce d'identité du représentant légal (CNI, passeport ou titre de séjour)",
  pieceIdentiteDepositaire: "Pièce d'identité du dépositaire (CNI, passeport ou titre de séjour)",
  contratPrestation: "Contrat de prestation du tiers déclarant",
  mandat: "Mandat du représentant légal",
  rib: "RIB mentionnant l'IBAN et le BIC",
  kbis: "Kbis justifiant la dénomination sociale",
  attestationNonAssujettissement:
    "Attestation de non-assujettissement à la TVA délivrée par la Direction des Finances Publiques",
};

export const ORDRE_DOCUMENTS: readonly TypeDocument[] = [
  "certificatReferencement",
  "pieceIdentiteRepresentant",
  "pieceIdentiteDepositaire",
  "contratPrestation",
  "mandat",
  "rib",
  "kbis",
  "attestationNonAssujettissement",
];

export const EXTENSIONS_DOCUMENT = ["png", "jpg", "jpeg", "pdf"] as const;
export const TAILLE_MAX_DOCUMENT = 4 * 1024 * 1024;

export const QUALITES: Readonly<Record<Qualite, string>> = {
  CENTRE_DE_GESTION: "Centre de gestion",
  EXPERT_COMPTABLE: "Expert-comptable",
  EMPLOYE: "Employé du fournisseur",
};

export const TAUX_TVA: Readonly<Record<TauxTvaEnrolement, string>> = {
  "20": "20 %",
  "10": "10 %",
  "5.5": "5,5 %",
  "2.1": "2,1 %",
  HT: "Non assujetti à la TVA (HT)",
};

export const EXTENSIONS_NUMERO = ["BIS", "TER", "QUATER", "A", "B", "C", "D"] as const;

export const TYPES_VOIE: Readonly<Record<string, string>> = {
  ALLEE: "Allée",
  AVENUE: "Avenue",
  BOULEVARD: "Boulevard",
  CARREFOUR: "Carrefour",
  CHEMIN: "Chemin",
  CHAUSSEE: "Chaussée",
  CITE: "Cité",
  COURS: "Cours",
  DOMAINE: "Domaine",
  ESPLANADE: "Esplanade",
  FAUBOURG: "Faubourg",
  HAMEAU: "Hameau",
  IMPASSE: "Impasse",
  LIEU_DIT: "Lieu-dit",
  LOTISSEMENT: "Lotissement",
  MONTEE: "Montée",
  PARC: "Parc",
  PASSAGE: "Passage",
  PLACE: "Place",
  PROMENADE: "Promenade",
  QUAI: "Quai",
  QUARTIER: "Quartier",
  RESIDENCE: "Résidence",
  ROND_POINT: "Rond-point",
  ROUTE: "Route",
  RUE: "Rue",
  RUELLE: "Ruelle",
  SENTIER: "Sentier",
  SQUARE: "Square",
  VOIE: "Voie",
  ZONE: "Zone (ZA, ZI, ZAC)",
};

/** A person of the form: the request's own fields. */
export type Personne = DemandeEnrolement["representant"];

export interface FormulaireEnrolement {
  numeroAns: string;
  siret: string;
  denominationSociale: string;
  nomCommercial: string;
  destinataire: string;
  entreeBatiment: string;
  numero: string;
  extension: string;
  typeVoie: string;
  nomVoie: string;
  complement: string;
  codePostal: string;
  commune: string;
  /** "oui" | "non" | "" (not answered yet). */
  representantLegal: "oui" | "non" | "";
  representant: Personne;
  qualite: Qualite | "";
  depositaire: Personne;
  iban: string;
  bic: string;
  titulaire: string;
  domiciliation: string;
  tauxTva: TauxTvaEnrolement | "";
  cguAcceptees: boolean;
  sinceriteAttestee: boolean;
}

const PERSONNE_VIDE: Personne = { nom: "", prenom: "", email: "", confirmationEmail: "", telephone: "" };

export function formulaireVide(): FormulaireEnrolement {
  return {
    numeroAns: "",
    siret: "",
    denominationSociale: "",
    nomCommercial: "",
    destinataire: "",
    entreeBatiment: "",
    numero: "",
    extension: "",
    typeVoie: "",
    nomVoie: "",
    complement: "",
    codePostal: "",
    commune: "",
    representantLegal: "",
    representant: { ...PERSONNE_VIDE },
    qualite: "",
    depositaire: { ...PERSONNE_VIDE },
    iban: "",
    bic: "",
    titulaire: "",
    domiciliation: "",
    tauxTva: "",
    cguAcceptees: false,
    sinceriteAttestee: false,
  };
}

/** Case, accents, punctuation and spacing aside (controles.py denomination_normalisee). */
export function denominationNormalisee(texte: string): string {
  return texte
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** What the référentiel knows of the chosen référencement (GET /referencements/{n}). */
export type ReferencementConnu = Pick<Referencement, "siret"> & Partial<Pick<Referencement, "raisonSociale">>;

export function kbisRequis(f: FormulaireEnrolement, connu: ReferencementConnu | null): boolean {
  const siret = f.siret.replace(/\s+/g, "");
  if (connu === null || !/^\d{14}$/.test(siret) || !f.denominationSociale.trim()) return false;
  const reference = connu.siret === siret ? connu.raisonSociale : undefined;
  return reference === undefined || denominationNormalisee(reference) !== denominationNormalisee(f.denominationSociale);
}

/** The documents the answers require, in the form's order. */
export function documentsRequis(f: FormulaireEnrolement, connu: ReferencementConnu | null): TypeDocument[] {
  const requis = new Set<TypeDocument>(["certificatReferencement", "pieceIdentiteRepresentant", "rib"]);
  if (f.representantLegal === "non") {
    requis.add("pieceIdentiteDepositaire");
    if (f.qualite === "EMPLOYE") requis.add("mandat");
    else if (f.qualite === "CENTRE_DE_GESTION" || f.qualite === "EXPERT_COMPTABLE") requis.add("contratPrestation");
  }
  if (kbisRequis(f, connu)) requis.add("kbis");
  if (f.tauxTva === "HT") requis.add("attestationNonAssujettissement");
  return ORDRE_DOCUMENTS.filter((t) => requis.has(t));
}

function sansVide(objet: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(objet).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, v.trim()]));
}

function personne(p: Personne): Personne {
  return {
    nom: p.nom.trim(),
    prenom: p.prenom.trim(),
    email: p.email.trim(),
    confirmationEmail: p.confirmationEmail.trim(),
    telephone: p.telephone.trim(),
  };
}

/** The body of POST /enrolements (docs/enrolement.md E2). An unanswered field is sent as
 * the form holds it (an empty address field left out, an unchosen taux as ""): the API names
 * it, as verifierFormulaire did before sending; hence the assertions below. */
export function corpsDemande(
  f: FormulaireEnrolement,
  documents: Partial<Record<TypeDocument, string>>,
  jetonAntiRobot: string,
  connu: ReferencementConnu | null,
): DemandeEnrolement {
  const requis = documentsRequis(f, connu);
  const joints: DemandeEnrolement["documents"] = {};
  for (const t of requis) {
    const reference = documents[t];
    if (reference) joints[t] = reference;
  }
  const corps: DemandeEnrolement = {
    numeroAns: f.numeroAns.trim(),
    demandeur: {
      siret: f.siret.trim(),
      denominationSociale: f.denominationSociale.trim(),
      nomCommercial: f.nomCommercial.trim(),
      adresse: sansVide({
        destinataire: f.destinataire,
        entreeBatiment: f.entreeBatiment,
        numero: f.numero,
        extension: f.extension,
        typeVoie: f.typeVoie,
        nomVoie: f.nomVoie,
        complement: f.complement,
        codePostal: f.codePostal,
        commune: f.commune,
      }) as Adresse,
    },
    representantLegal: f.representantLegal === "oui",
    representant: personne(f.representant),
    coordonneesBancaires: {
      iban: f.iban.trim(),
      bic: f.bic.trim(),
      titulaire: f.titulaire.trim(),
      domiciliation: f.domiciliation.trim(),
    },
    tauxTva: f.tauxTva as TauxTvaEnrolement,
    cguAcceptees: f.cguAcceptees,
    sinceriteAttestee: f.sinceriteAttestee,
    documents: joints,
    jetonAntiRobot,
  };
  if (f.representantLegal === "non") {
    corps.tiersDeclarant = { qualite: f.qualite as Qualite, depositaire: personne(f.depositaire) };
  }
  return corps;
}

/** Problems found before sending, keyed like the API's `champ` (so shown the same way). */
export function verifierFormulaire(
  f: FormulaireEnrolement,
  documents: Partial<Record<TypeDocument, string>>,
  jetonAntiRobot: string,
  connu: ReferencementConnu | null,
): Record<string, string> {
  const problemes: Record<string, string> = {};
  const requis = (champ: string, valeur: string, libelle: string) => {
    if (!valeur.trim()) problemes[champ] = `Le champ « ${libelle} » est obligatoire.`;
  };
  requis("numeroAns", f.numeroAns, "N° unique de référencement (ANS)");
  requis("demandeur.siret", f.siret, "SIRET");
  requis("demandeur.denominationSociale", f.denominationSociale, "Dénomination sociale");
  requis("demandeur.nomCommercial", f.nomCommercial, "Nom commercial");
  requis("demandeur.adresse.typeVoie", f.typeVoie, "Type de voie");
  requis("demandeur.adresse.nomVoie", f.nomVoie, "Nom de voie");
  requis("demandeur.adresse.codePostal", f.codePostal, "Code postal");
  requis("demandeur.adresse.commune", f.commune, "Commune");
  if (f.numero.trim() && !/^\d+$/.test(f.numero.trim())) {
    problemes["demandeur.adresse.numero"] = "Le numéro de voie ne contient que des chiffres (l'extension se choisit à côté).";
  }
  if (f.codePostal.trim() && !/^\d{5}$/.test(f.codePostal.trim())) {
    problemes["demandeur.adresse.codePostal"] = "Le code postal compte 5 chiffres, par exemple 69002.";
  }
  if (!f.representantLegal) {
    problemes["representantLegal"] = "Indiquez si vous êtes le représentant légal du fournisseur.";
  }
  const verifierPersonne = (racine: string, p: Personne) => {
    requis(`${racine}.nom`, p.nom, "Nom");
    requis(`${racine}.prenom`, p.prenom, "Prénom");
    requis(`${racine}.email`, p.email, "Email");
    requis(`${racine}.telephone`, p.telephone, "Téléphone");
    if (p.email.trim() && p.email.trim().toLowerCase() !== p.confirmationEmail.trim().toLowerCase()) {
      problemes[`${racine}.confirmationEmail`] = "La confirmation de l'email doit reprendre la même adresse.";
    }
  };
  verifierPersonne("representant", f.representant);
  if (f.representantLegal === "non") {
    if (!f.qualite) problemes["tiersDeclarant.qualite"] = "Choisissez la qualité du tiers déclarant.";
    verifierPersonne("tiersDeclarant.depositaire", f.depositaire);
  }
  requis("coordonneesBancaires.iban", f.iban, "IBAN");
  requis("coordonneesBancaires.bic", f.bic, "BIC");
  requis("coordonneesBancaires.titulaire", f.titulaire, "Titulaire du compte");
  requis("coordonneesBancaires.domiciliation", f.domiciliation, "Domiciliation");
  if (!f.tauxTva) problemes["tauxTva"] = "Choisissez le taux de TVA applicable.";
  if (!f.cguAcceptees) problemes["cguAcceptees"] = "Vous devez accepter les conditions générales d'utilisation.";
  if (!f.sinceriteAttestee) problemes["sinceriteAttestee"] = "Vous devez attester la sincérité des informations.";
  for (const type of documentsRequis(f, connu)) {
    if (!documents[type]) problemes[`documents.${type}`] = `Joignez le document : ${LIBELLES_DOCUMENT[type].toLowerCase()}.`;
  }
  if (!jetonAntiRobot) {
    problemes["jetonAntiRobot"] = "Cochez « Je ne suis pas un robot » et attendez la fin de la vérification anti-robot.";
  }
  return problemes;
}

/** The order of the form's fields: the first problem gets the focus. */
export function premierChampEnErreur(problemes: Record<string, string>, ordre: readonly string[]): string | null {
  for (const champ of ordre) if (champ in problemes) return champ;
  const restants = Object.keys(problemes);
  return restants[0] ?? null;
}
