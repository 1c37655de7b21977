import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useState } from "react";

import { messageErreur } from "../../api/erreurs";
import type { DemandeInstruite } from "../../api/modeles";
import { autoriserPiecesComplementaires } from "../../api/routes";
import { useApi } from "../../contexte";
import { ErreurTeleversement, televerser, verifierFichier, type Progression } from "../../lib/televersement";
import { BarreProgression } from "../editeur/commun";

/** EN_ATTENTE_PIECES: the pièces asked for, sent as one ZIP (presigned POST, with progress);
 * checked on reception, then the demande goes back to the gestionnaire. */
export function PiecesComplementaires({ numeroAsp, demande, surEnvoi }: { numeroAsp: string; demande: DemandeInstruite; surEnvoi: () => void }) {
  const api = useApi();
  const [progression, setProgression] = useState<Progression | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [envoye, setEnvoye] = useState(false);

  async function envoyer(fichier: File | undefined) {
    setErreur(null);
    setEnvoye(false);
    if (!fichier) return;
    const probleme = verifierFichier(fichier, ["zip"]);
    if (probleme) return setErreur(probleme);
    try {
      const autorisation = await autoriserPiecesComplementaires(api, numeroAsp);
      setProgression({ envoye: 0, total: fichier.size });
      await televerser(autorisation.envoi, fichier, fichier.name, setProgression);
      setEnvoye(true);
      surEnvoi();
    } catch (e) {
      setErreur(e instanceof ErreurTeleversement ? e.message : messageErreur(e));
    } finally {
      setProgression(null);
    }
  }

  return (
    <div className="fr-alert fr-alert--warning fr-mb-4w" data-testid="pieces-complementaires">
      <h2 className="fr-alert__title">Des pièces complémentaires sont demandées</h2>
      <p>Motif du gestionnaire : {demande.motif ?? "non précisé"}</p>
      <p>Pièces demandées : {(demande.piecesDemandees ?? []).join(", ") || "voir le motif"}</p>
      <Upload
        label="ZIP des pièces complémentaires"
        hint="Un fichier .zip contenant toutes les pièces demandées, et rien d'autre (200 Mo au plus)."
        {...(erreur ? { state: "error" as const, stateRelatedMessage: erreur } : {})}
        nativeInputProps={{ id: "zip-complementaire", name: "zipComplementaire", accept: ".zip,application/zip", onChange: (e) => void envoyer(e.target.files?.[0]) }}
      />
      <BarreProgression libelle="Envoi des pièces complémentaires" progression={progression} />
      {envoye && <Alert severity="success" small description="ZIP envoyé : il est vérifié à sa réception, le dossier est mis à jour ensuite." />}
    </div>
  );
}
