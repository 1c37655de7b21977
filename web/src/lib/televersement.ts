// Upload of a file to a presigned POST (S3): the API gives `url` and `champs`; the file goes
// last in the form, as S3 requires. XMLHttpRequest rather than fetch: it reports the upload's
// progress.

import type { EnvoiPresigne } from "../api/modeles";

export interface Progression {
  envoye: number;
  total: number;
}

/** 0–100, rounded down (100 only when every byte is sent). */
export function pourcentage(p: Progression): number {
  if (p.total <= 0) return 0;
  return Math.min(100, Math.floor((p.envoye * 100) / p.total));
}

const UNITES = ["octets", "Ko", "Mo", "Go"] as const;

/** « 1,5 Mo », « 820 octets ». */
export function tailleEnTexte(octets: number): string {
  let valeur = octets;
  let i = 0;
  while (valeur >= 1024 && i < UNITES.length - 1) {
    valeur /= 1024;
    i += 1;
  }
  const texte = i === 0 ? String(valeur) : valeur.toLocaleString("fr-FR", { maximumFractionDigits: 1 });
  return `${texte} ${UNITES[i]}`;
}

/** The problem with this file before any upload, or null. */
export function verifierFichier(
  fichier: { name: string; size: number },
  extensions: readonly string[],
  tailleMax?: number,
): string | null {
  const extension = fichier.name.includes(".") ? (fichier.name.split(".").pop() ?? "").toLowerCase() : "";
  if (!extensions.includes(extension)) {
    return `Le fichier « ${fichier.name} » n'est pas au bon format : ${extensions.join(", ")} attendu.`;
  }
  if (fichier.size === 0) return `Le fichier « ${fichier.name} » est vide.`;
  if (tailleMax !== undefined && fichier.size > tailleMax) {
    return `Le fichier « ${fichier.name} » (${tailleEnTexte(fichier.size)}) dépasse la taille maximale de ${tailleEnTexte(tailleMax)}.`;
  }
  return null;
}

export class ErreurTeleversement extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ErreurTeleversement";
  }
}

/** S3's XML error → French text. */
export function messageRefusS3(statut: number, corps: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(corps)?.[1] ?? "";
  if (code === "EntityTooLarge") return "Le fichier dépasse la taille maximale acceptée.";
  if (code === "EntityTooSmall") return "Le fichier est vide.";
  if (code === "AccessDenied" && /expired/i.test(corps)) {
    return "L'autorisation d'envoi a expiré : recommencez l'envoi du fichier.";
  }
  if (statut === 0) return "L'envoi du fichier a été interrompu. Vérifiez votre connexion à internet, puis réessayez.";
  return "Le fichier n'a pas pu être envoyé. Recommencez l'envoi ; si le problème persiste, contactez l'assistance.";
}

export function televerser(
  envoi: Pick<EnvoiPresigne, "url" | "champs">,
  fichier: Blob,
  nomFichier: string,
  surProgression?: (p: Progression) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resoudre, rejeter) => {
    const formulaire = new FormData();
    for (const [nom, valeur] of Object.entries(envoi.champs)) formulaire.append(nom, valeur);
    formulaire.append("file", fichier, nomFichier);
    const requete = new XMLHttpRequest();
    requete.open("POST", envoi.url);
    requete.upload.onprogress = (e) => {
      if (e.lengthComputable) surProgression?.({ envoye: e.loaded, total: e.total });
    };
    requete.onload = () => {
      if (requete.status >= 200 && requete.status < 300) {
        surProgression?.({ envoye: fichier.size, total: fichier.size });
        resoudre();
      } else rejeter(new ErreurTeleversement(messageRefusS3(requete.status, requete.responseText)));
    };
    requete.onerror = () => rejeter(new ErreurTeleversement(messageRefusS3(0, "")));
    requete.onabort = () => rejeter(new DOMException("abandon", "AbortError"));
    signal?.addEventListener("abort", () => requete.abort(), { once: true });
    requete.send(formulaire);
  });
}
