import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useState, type FormEvent } from "react";

import { ErreurApi, messageErreur } from "../../api/erreurs";
import { useApi } from "../../contexte";
import { corpsDecision, DECISIONS, libelleTypeDemande, verifierDecision, type SaisieDecision } from "../../lib/gestion";
import type { Decision } from "../../api/modeles";
import { deciderDemande } from "../../lib/gestionRoutes";

/** The decision on one demande: motif required except DECIDEE, pièces for EN_ATTENTE_PIECES. */
export function FormulaireDecision(props: { numeroAsp: string; typeDemande: string; decidee: (message: string) => void }) {
  const api = useApi();
  const [saisie, setSaisie] = useState<SaisieDecision>({ decision: "", motif: "", pieces: "" });
  const [erreurs, setErreurs] = useState<ReturnType<typeof verifierDecision>>({});
  const [alerte, setAlerte] = useState<string | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const id = `decision-${props.typeDemande}`;

  async function soumettre(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const problemes = verifierDecision(saisie);
    setErreurs(problemes);
    setAlerte(null);
    if (Object.keys(problemes).length) return;
    setEnvoi(true);
    try {
      await deciderDemande(api, props.numeroAsp, props.typeDemande, corpsDecision(saisie));
      const libelle = DECISIONS.find(([v]) => v === saisie.decision)?.[1] ?? "";
      props.decidee(`Décision enregistrée pour la demande ${libelleTypeDemande(props.typeDemande).toLowerCase()} : ${libelle.toLowerCase()}.`);
      setSaisie({ decision: "", motif: "", pieces: "" });
    } catch (erreur) {
      // A 422 names the field; a 409 says the demande's state and who must act.
      if (erreur instanceof ErreurApi && (erreur.champs["motif"] || erreur.champs["piecesDemandees"])) {
        const champs: ReturnType<typeof verifierDecision> = {};
        if (erreur.champs["motif"]) champs.motif = erreur.champs["motif"];
        if (erreur.champs["piecesDemandees"]) champs.pieces = erreur.champs["piecesDemandees"];
        setErreurs(champs);
      } else setAlerte(messageErreur(erreur));
    } finally {
      setEnvoi(false);
    }
  }

  return (
    <form onSubmit={soumettre} noValidate aria-labelledby={`${id}-titre`} data-testid={`formulaire-${id}`} className="fr-mt-4w">
      <h3 id={`${id}-titre`} className="fr-h5">
        Décision sur la demande {libelleTypeDemande(props.typeDemande).toLowerCase()}
      </h3>
      {alerte && <Alert severity="error" title="La décision n'a pas été enregistrée" description={alerte} className="fr-mb-3w" />}
      <RadioButtons
        legend="Décision"
        name={`${id}-choix`}
        state={erreurs.decision ? "error" : "default"}
        stateRelatedMessage={erreurs.decision}
        options={DECISIONS.map(([valeur, libelle]) => ({
          label: libelle,
          nativeInputProps: {
            value: valeur,
            checked: saisie.decision === valeur,
            onChange: () => setSaisie({ ...saisie, decision: valeur as Decision }),
          },
        }))}
      />
      <Input
        label={saisie.decision === "DECIDEE" || saisie.decision === "" ? "Motif (facultatif pour une décision favorable)" : "Motif *"}
        hintText="Envoyé à l'éditeur par courriel et montré sur son dossier."
        textArea
        state={erreurs.motif ? "error" : "default"}
        stateRelatedMessage={erreurs.motif}
        nativeTextAreaProps={{ name: "motif", value: saisie.motif, rows: 3, onChange: (ev) => setSaisie({ ...saisie, motif: ev.target.value }) }}
      />
      {saisie.decision === "EN_ATTENTE_PIECES" && (
        <Input
          label="Pièces demandées *"
          hintText="Une pièce par ligne, par exemple « Devis signé »."
          textArea
          state={erreurs.pieces ? "error" : "default"}
          stateRelatedMessage={erreurs.pieces}
          nativeTextAreaProps={{ name: "piecesDemandees", value: saisie.pieces, rows: 3, onChange: (ev) => setSaisie({ ...saisie, pieces: ev.target.value }) }}
        />
      )}
      <Button type="submit" disabled={envoi}>
        {envoi ? "Enregistrement…" : "Enregistrer la décision"}
      </Button>
    </form>
  );
}
