import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useState } from "react";

import { messageErreur } from "../../api/erreurs";
import { autoriserDocumentEnrolement } from "../../api/routes";
import { useApi } from "../../contexte";
import { EXTENSIONS_DOCUMENT, LIBELLES_DOCUMENT, TAILLE_MAX_DOCUMENT, type TypeDocument } from "../../lib/enrolement";
import { ErreurTeleversement, televerser, verifierFichier, type Progression } from "../../lib/televersement";
import { BarreProgression, idChamp, phrase } from "./commun";

/** One document of the demande: chosen, uploaded at once through its presigned POST (with
 * progress), then named by its reference in the demande. */
export function DocumentEnrolement({
  type,
  reference,
  erreurApi,
  surReference,
}: {
  type: TypeDocument;
  reference: string | undefined;
  erreurApi: string | undefined;
  surReference: (reference: string | undefined) => void;
}) {
  const api = useApi();
  const [progression, setProgression] = useState<Progression | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [nom, setNom] = useState<string | null>(null);

  async function choisir(fichier: File | undefined) {
    surReference(undefined);
    setErreur(null);
    setNom(null);
    if (!fichier) return;
    const probleme = verifierFichier(fichier, EXTENSIONS_DOCUMENT, TAILLE_MAX_DOCUMENT);
    if (probleme) return setErreur(probleme);
    setProgression({ envoye: 0, total: fichier.size });
    try {
      const autorisation = await autoriserDocumentEnrolement(api, type, fichier.name);
      await televerser(autorisation.envoi, fichier, fichier.name, setProgression);
      setNom(fichier.name);
      surReference(autorisation.reference);
    } catch (e) {
      setErreur(e instanceof ErreurTeleversement ? e.message : messageErreur(e));
      setProgression(null);
    }
  }

  const message = erreur ?? (reference ? null : erreurApi ? phrase(erreurApi) : null);
  return (
    <div className="fr-mb-3w">
      <Upload
        id={idChamp(`documents.${type}`)}
        label={`${LIBELLES_DOCUMENT[type]} *`}
        hint="Formats acceptés : pdf, png, jpg, jpeg. Taille maximale : 4 Mo."
        state={message ? "error" : reference ? "success" : "default"}
        stateRelatedMessage={message ?? (reference && nom ? `« ${nom} » envoyé.` : undefined)}
        nativeInputProps={{
          name: type,
          accept: ".pdf,.png,.jpg,.jpeg",
          onChange: (e) => void choisir(e.target.files?.[0]),
        }}
      />
      {!reference && !erreur && <BarreProgression libelle={`Envoi : ${LIBELLES_DOCUMENT[type]}`} progression={progression} />}
    </div>
  );
}
