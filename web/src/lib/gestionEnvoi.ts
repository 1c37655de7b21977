// A file sent to S3 by a presigned POST (the API's `envoi`: url and champs), with its
// progress: XMLHttpRequest, since fetch reports no upload progress.
import type { EnvoiPresigne } from "../api/modeles";

export class ErreurEnvoi extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ErreurEnvoi";
  }
}

/** The French message for a failed upload, by S3's status (0: no answer, CORS…). */
export function messageEnvoi(statut: number, reponse: string): string {
  if (statut === 0) return "Le fichier n'a pas pu être envoyé : la plateforme de stockage ne répond pas. Vérifiez votre connexion, puis réessayez.";
  if (/EntityTooLarge/.test(reponse)) return "Le fichier est trop volumineux pour cet envoi.";
  if (statut === 403 && /expired/i.test(reponse)) return "Le délai d'envoi est dépassé : recommencez l'envoi.";
  return "Le fichier n'a pas été accepté par la plateforme de stockage : recommencez l'envoi.";
}

export function envoyerFichier(
  envoi: EnvoiPresigne,
  fichier: Blob,
  nomFichier: string,
  progression: (fraction: number) => void,
): Promise<void> {
  if (fichier.size > envoi.tailleMax) {
    const mo = Math.floor(envoi.tailleMax / 1_000_000);
    return Promise.reject(new ErreurEnvoi(`Le fichier est trop volumineux : ${mo} Mo au plus.`));
  }
  const formulaire = new FormData();
  for (const [nom, valeur] of Object.entries(envoi.champs)) formulaire.append(nom, valeur);
  formulaire.append("file", fichier, nomFichier);
  return new Promise((resoudre, rejeter) => {
    const requete = new XMLHttpRequest();
    requete.open("POST", envoi.url);
    requete.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) progression(e.loaded / e.total);
    };
    requete.onload = () => {
      if (requete.status >= 200 && requete.status < 300) {
        progression(1);
        resoudre();
      } else rejeter(new ErreurEnvoi(messageEnvoi(requete.status, requete.responseText)));
    };
    requete.onerror = () => rejeter(new ErreurEnvoi(messageEnvoi(0, "")));
    requete.send(formulaire);
  });
}
