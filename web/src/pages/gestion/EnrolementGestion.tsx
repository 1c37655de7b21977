import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";

import { ErreurApi, messageErreur } from "../../api/erreurs";
import { useApi } from "../../contexte";
import { libelleDocument, libelleNature, verifierDecisionEnrolement, type SaisieEnrolement } from "../../lib/gestion";
import type { Enrolement } from "../../api/modeles";
import { deciderEnrolement, lireEnrolement } from "../../lib/gestionRoutes";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";
import { EtatChargement, useChargement } from "./commun";

/** A demande d'enrôlement to instruct: the form as sent, its documents, the decision. */
export function EnrolementGestion() {
  const { numero = "" } = useParams();
  useTitre(`Demande d'enrôlement ${numero}`);
  const api = useApi();
  const [version, setVersion] = useState(0);
  const [annonce, setAnnonce] = useState<string | null>(null);
  const demande = useChargement((signal) => lireEnrolement(api, numero, { signal }), [api, numero, version]);

  return (
    <>
      <p className="fr-mb-2w">
        <Link to="/gestion/enrolements">Retour aux demandes d'enrôlement</Link>
      </p>
      <h1>Demande d'enrôlement {numero}</h1>
      <div aria-live="polite">{annonce && <Alert severity="success" small description={annonce} className="fr-mb-3w" />}</div>
      <EtatChargement etat={demande} quoi="de la demande" />
      {demande.etat === "pret" && (
        <>
          <FicheEnrolement e={demande.donnees} />
          {demande.donnees.statut === "SOUMISE" && (
            <DecisionEnrolement
              numero={numero}
              decidee={(m) => {
                setAnnonce(m);
                setVersion((v) => v + 1);
              }}
            />
          )}
        </>
      )}
    </>
  );
}

function FicheEnrolement({ e }: { e: Enrolement }) {
  const lignes: [string, string][] = [
    ["Nature", libelleNature(e.nature)],
    ["Statut", e.libelleStatut],
    ["Soumise le", dateHeureParis(e.soumiseLe)],
    ["N° unique de référencement (ANS)", e.numeroAns ?? "—"],
    ["Couloir", e.couloir ?? "—"],
    ["SIRET", e.siret],
    ["Dénomination sociale", e.raisonSociale],
    ["Nom commercial", e.nomCommercial],
    ["Contact", `${e.contact.prenom} ${e.contact.nom} <${e.contact.email}>`],
    ["Taux de TVA", e.tauxTva ? `${e.tauxTva} %` : "—"],
  ];
  if (e.coordonneesBancaires) {
    const c = e.coordonneesBancaires;
    lignes.push(["IBAN", c.iban ?? "—"], ["BIC", c.bic], ["Titulaire du compte", c.titulaire], ["Domiciliation", c.domiciliation]);
  }
  if (e.decision) {
    lignes.push(["Décision", `${e.decision.statut === "VALIDEE" ? "Validée" : "Rejetée"} par ${e.decision.par} le ${dateHeureParis(e.decision.le)}`]);
    if (e.decision.motif) lignes.push(["Motif", e.decision.motif]);
  }
  return (
    <>
      <section aria-labelledby="titre-demande" className="fr-mb-4w">
        <h2 id="titre-demande">La demande</h2>
        <dl className="fr-grid-row fr-grid-row--gutters" data-testid="fiche-enrolement">
          {lignes.map(([libelle, valeur]) => (
            <div key={libelle} className="fr-col-12 fr-col-md-6">
              <dt className="fr-text--bold fr-mb-0">{libelle}</dt>
              <dd className="fr-ml-0">{valeur}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="titre-documents" className="fr-mb-4w">
        <h2 id="titre-documents">Documents</h2>
        {e.documents.length === 0 ? (
          <p>Aucun document.</p>
        ) : (
          <ul data-testid="documents-enrolement">
            {e.documents.map((d) => (
              <li key={d.typeDocument}>
                {d.url ? (
                  <a href={d.url} target="_blank" rel="noopener noreferrer" title={`Ouvrir : ${libelleDocument(d.typeDocument)} (nouvelle fenêtre)`}>
                    {libelleDocument(d.typeDocument)}
                  </a>
                ) : (
                  libelleDocument(d.typeDocument)
                )}{" "}
                <span className="fr-text--sm">({Math.max(1, Math.round(d.taille / 1024))} Ko)</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function DecisionEnrolement({ numero, decidee }: { numero: string; decidee: (m: string) => void }) {
  const api = useApi();
  const [saisie, setSaisie] = useState<SaisieEnrolement>({ decision: "", motif: "" });
  const [erreurs, setErreurs] = useState<ReturnType<typeof verifierDecisionEnrolement>>({});
  const [alerte, setAlerte] = useState<string | null>(null);
  const [envoi, setEnvoi] = useState(false);

  async function soumettre(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const problemes = verifierDecisionEnrolement(saisie);
    setErreurs(problemes);
    setAlerte(null);
    if (Object.keys(problemes).length || !saisie.decision) return;
    setEnvoi(true);
    try {
      const motif = saisie.motif.trim();
      await deciderEnrolement(api, numero, { decision: saisie.decision, ...(motif ? { motif } : {}) });
      decidee(
        saisie.decision === "VALIDEE"
          ? "Demande validée : l'éditeur reçoit ses identifiants de connexion par courriel."
          : "Demande rejetée : le motif est envoyé au demandeur par courriel.",
      );
    } catch (e) {
      if (e instanceof ErreurApi && e.champs["motif"]) setErreurs({ motif: e.champs["motif"] });
      else setAlerte(messageErreur(e));
    } finally {
      setEnvoi(false);
    }
  }

  return (
    <form onSubmit={soumettre} noValidate aria-labelledby="titre-decision-enrolement" data-testid="formulaire-enrolement">
      <h2 id="titre-decision-enrolement">Décision</h2>
      {alerte && <Alert severity="error" title="La décision n'a pas été enregistrée" description={alerte} className="fr-mb-3w" />}
      <RadioButtons
        legend="Décision sur la demande"
        name="decision-enrolement"
        state={erreurs.decision ? "error" : "default"}
        stateRelatedMessage={erreurs.decision}
        options={[
          { label: "Valider l'enrôlement", nativeInputProps: { value: "VALIDEE", checked: saisie.decision === "VALIDEE", onChange: () => setSaisie({ ...saisie, decision: "VALIDEE" }) } },
          { label: "Rejeter la demande", nativeInputProps: { value: "REJETEE", checked: saisie.decision === "REJETEE", onChange: () => setSaisie({ ...saisie, decision: "REJETEE" }) } },
        ]}
      />
      <Input
        label={saisie.decision === "REJETEE" ? "Motif *" : "Motif (obligatoire pour un rejet)"}
        hintText="Envoyé au demandeur par courriel."
        textArea
        state={erreurs.motif ? "error" : "default"}
        stateRelatedMessage={erreurs.motif}
        nativeTextAreaProps={{ name: "motif", value: saisie.motif, rows: 3, onChange: (e) => setSaisie({ ...saisie, motif: e.target.value }) }}
      />
      <Button type="submit" disabled={envoi}>
        {envoi ? "Enregistrement…" : "Enregistrer la décision"}
      </Button>
    </form>
  );
}
