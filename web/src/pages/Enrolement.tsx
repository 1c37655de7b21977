import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { ErreurApi, messageErreur } from "../api/erreurs";
import type { ConfirmationEnrolement, Referencement } from "../api/modeles";
import { rechercherReferencement, soumettreEnrolement } from "../api/routes";
import { useApi } from "../contexte";
import { avertissementCommune, chargerCodesPostaux, communesDuCodePostal, type CodesPostaux } from "../lib/communes";
import {
  corpsDemande,
  documentsRequis,
  EXTENSIONS_NUMERO,
  formulaireVide,
  QUALITES,
  TAUX_TVA,
  TYPES_VOIE,
  verifierFormulaire,
  type FormulaireEnrolement,
  type Personne,
  type TypeDocument,
} from "../lib/enrolement";
import { libelleDsr, verifierNumeroAns } from "../lib/referencement";
import { useTitre } from "../lib/titre";
import { idChamp, phrase, ResumeProblemes } from "./editeur/commun";
import { DocumentEnrolement } from "./editeur/DocumentEnrolement";

/** Locally the anti-robot check accepts this answer (docs/enrolement.md); deployed, a
 * provider's widget would give the token. */
export const REPONSE_ANTI_ROBOT_LOCALE = "captcha-local";

type Champs = keyof FormulaireEnrolement;

/** E2 — the public demande d'enrôlement, every field of the seed's annexe. */
export function Enrolement() {
  useTitre("Demande d'enrôlement");
  const api = useApi();
  const [f, setF] = useState<FormulaireEnrolement>(formulaireVide);
  const [documents, setDocuments] = useState<Partial<Record<TypeDocument, string>>>({});
  const [antiRobot, setAntiRobot] = useState("");
  const [problemes, setProblemes] = useState<Record<string, string>>({});
  const [alerte, setAlerte] = useState<string | null>(null);
  const [envoi, setEnvoi] = useState(false);
  const [confirmation, setConfirmation] = useState<ConfirmationEnrolement | null>(null);
  const [referencement, setReferencement] = useState<Referencement | null>(null);
  const [codesPostaux, setCodesPostaux] = useState<CodesPostaux | null>(null);

  // The référencement looked up as soon as its numéro is well formed: its DSR is shown and
  // its éditeur decides whether a kbis is required.
  useEffect(() => {
    const numero = f.numeroAns.trim();
    setReferencement(null);
    if (verifierNumeroAns(numero) !== null) return;
    const abandon = new AbortController();
    rechercherReferencement(api, numero, { signal: abandon.signal })
      .then(setReferencement)
      .catch(() => undefined); // an unknown numéro is reported by the submission, at its field
    return () => abandon.abort();
  }, [api, f.numeroAns]);

  // La Poste's base, loaded once a code postal is typed: the commune field offers the
  // code's communes and warns when the commune typed is not one of them.
  const codeTape = /^\d{5}$/.test(f.codePostal.trim());
  useEffect(() => {
    if (codeTape && codesPostaux === null) chargerCodesPostaux().then(setCodesPostaux).catch(() => undefined);
  }, [codeTape, codesPostaux]);
  const communesProposees = codesPostaux && codeTape ? communesDuCodePostal(codesPostaux, f.codePostal.trim()) : [];
  const avertissement = codesPostaux ? avertissementCommune(codesPostaux, f.codePostal, f.commune) : null;

  const connu = referencement ? { siret: referencement.siret, ...(referencement.raisonSociale ? { raisonSociale: referencement.raisonSociale } : {}) } : null;
  const requis = documentsRequis(f, connu);

  function maj<K extends Champs>(cle: K, valeur: FormulaireEnrolement[K]) {
    setF((avant) => ({ ...avant, [cle]: valeur }));
  }

  function majPersonne(qui: "representant" | "depositaire", cle: keyof Personne, valeur: string) {
    setF((avant) => ({ ...avant, [qui]: { ...avant[qui], [cle]: valeur } }));
  }

  async function soumettre(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setAlerte(null);
    const avant = verifierFormulaire(f, documents, antiRobot, connu);
    setProblemes(avant);
    if (Object.keys(avant).length > 0) {
      focaliserResume();
      return;
    }
    setEnvoi(true);
    try {
      setConfirmation(await soumettreEnrolement(api, corpsDemande(f, documents, antiRobot, connu)));
      window.scrollTo(0, 0);
    } catch (erreur) {
      if (erreur instanceof ErreurApi && Object.keys(erreur.champs).length > 0) {
        setProblemes({ ...erreur.champs });
        focaliserResume();
      } else {
        setAlerte(messageErreur(erreur));
      }
    } finally {
      setEnvoi(false);
    }
  }

  if (confirmation !== null) return <Confirmation confirmation={confirmation} />;

  const etat = (champ: string) =>
    problemes[champ] ? { state: "error" as const, stateRelatedMessage: phrase(problemes[champ]) } : {};

  const texte = (champ: string, label: string, cle: Champs, extra: { hint?: string; requis?: boolean; autoComplete?: string; type?: string } = {}) => (
    <Input
      label={`${label}${extra.requis === false ? "" : " *"}`}
      {...(extra.hint ? { hintText: extra.hint } : {})}
      {...etat(champ)}
      nativeInputProps={{
        id: idChamp(champ),
        name: champ,
        value: f[cle] as string,
        onChange: (e) => maj(cle, e.target.value as never),
        ...(extra.autoComplete ? { autoComplete: extra.autoComplete } : {}),
        ...(extra.type ? { type: extra.type } : {}),
      }}
    />
  );

  const personne = (qui: "representant" | "depositaire", racine: string) => (
    <div className="fr-grid-row fr-grid-row--gutters">
      {(
        [
          ["nom", "Nom", "family-name", "text"],
          ["prenom", "Prénom", "given-name", "text"],
          ["email", "Email", "email", "email"],
          ["confirmationEmail", "Confirmation de l'email", "email", "email"],
          ["telephone", "Téléphone", "tel", "tel"],
        ] as const
      ).map(([cle, label, autoComplete, type]) => (
        <div key={cle} className="fr-col-12 fr-col-md-6">
          <Input
            label={`${label} *`}
            {...(cle === "telephone" ? { hintText: "Par exemple 06 12 34 56 78" } : {})}
            {...etat(`${racine}.${cle}`)}
            nativeInputProps={{
              id: idChamp(`${racine}.${cle}`),
              name: `${racine}.${cle}`,
              type,
              autoComplete,
              value: f[qui][cle],
              onChange: (e) => majPersonne(qui, cle, e.target.value),
            }}
          />
        </div>
      ))}
    </div>
  );

  return (
    <>
      <h1>Demande d'enrôlement</h1>
      <p className="fr-text--lead">
        L'enrôlement ouvre à un éditeur de logiciel référencé par l'Agence du numérique en santé le
        dépôt de ses demandes de financement. Il est instruit par le service gestion ; vous recevez
        ensuite vos identifiants par courriel.
      </p>
      {alerte && <Alert severity="error" title="La demande n'a pas pu être envoyée" description={alerte} className="fr-mb-4w" />}
      <ResumeProblemes problemes={problemes} titre="La demande n'a pas pu être envoyée" />
      <form onSubmit={(e) => void soumettre(e)} noValidate>
        <p className="fr-text--sm">Les champs marqués d'un * sont obligatoires.</p>

        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h3">Référencement</legend>
          <div className="fr-fieldset__content fr-col-12">
            {texte("numeroAns", "N° unique de référencement (ANS)", "numeroAns", { hint: "10 caractères alphanumériques, sur le certificat de référencement délivré par l'ANS" })}
            {referencement && (
              <p className="fr-text--sm" data-testid="dsr">
                {referencement.solution} — DSR {libelleDsr(referencement)} — {referencement.raisonSociale}
              </p>
            )}
          </div>
        </fieldset>

        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h3">Le demandeur (fournisseur)</legend>
          <div className="fr-fieldset__content fr-col-12">
            {texte("demandeur.siret", "SIRET", "siret", { hint: "14 chiffres" })}
            {texte("demandeur.denominationSociale", "Dénomination sociale", "denominationSociale", { autoComplete: "organization" })}
            {texte("demandeur.nomCommercial", "Nom commercial", "nomCommercial")}
            <h3 className="fr-h5">Adresse</h3>
            {texte("demandeur.adresse.destinataire", "Identité du destinataire / service", "destinataire", { requis: false })}
            {texte("demandeur.adresse.entreeBatiment", "Entrée, bâtiment, immeuble", "entreeBatiment", { requis: false })}
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-6 fr-col-md-3">{texte("demandeur.adresse.numero", "Numéro", "numero", { requis: false })}</div>
              <div className="fr-col-6 fr-col-md-3">
                <Select
                  label="Extension"
                  {...etat("demandeur.adresse.extension")}
                  nativeSelectProps={{ id: idChamp("demandeur.adresse.extension"), name: "extension", value: f.extension, onChange: (e) => maj("extension", e.target.value) }}
                >
                  <option value="">Aucune</option>
                  {EXTENSIONS_NUMERO.map((x) => (
                    <option key={x} value={x}>{x}</option>
                  ))}
                </Select>
              </div>
              <div className="fr-col-12 fr-col-md-6">
                <Select
                  label="Type de voie *"
                  {...etat("demandeur.adresse.typeVoie")}
                  nativeSelectProps={{ id: idChamp("demandeur.adresse.typeVoie"), name: "typeVoie", value: f.typeVoie, onChange: (e) => maj("typeVoie", e.target.value) }}
                >
                  <option value="" disabled>Sélectionnez un type de voie</option>
                  {Object.entries(TYPES_VOIE).map(([code, libelle]) => (
                    <option key={code} value={code}>{libelle}</option>
                  ))}
                </Select>
              </div>
            </div>
            {texte("demandeur.adresse.nomVoie", "Nom de voie", "nomVoie")}
            {texte("demandeur.adresse.complement", "Complément d'adresse", "complement", { requis: false })}
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-md-4">{texte("demandeur.adresse.codePostal", "Code postal", "codePostal", { autoComplete: "postal-code" })}</div>
              <div className="fr-col-12 fr-col-md-8">
                <Input
                  label="Commune *"
                  {...(problemes["demandeur.adresse.commune"] || !avertissement ? etat("demandeur.adresse.commune") : { state: "info" as const, stateRelatedMessage: avertissement })}
                  nativeInputProps={{ id: idChamp("demandeur.adresse.commune"), name: "demandeur.adresse.commune", value: f.commune, onChange: (e) => maj("commune", e.target.value), autoComplete: "address-level2", list: "communes-du-code-postal" }}
                />
                <datalist id="communes-du-code-postal" data-testid="communes-du-code-postal">
                  {communesProposees.map((c) => (
                    <option key={c} value={c} />
                  ))}
                </datalist>
              </div>
            </div>
          </div>
        </fieldset>

        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h3">Le représentant légal</legend>
          <div className="fr-fieldset__content fr-col-12">
            <RadioButtons
              id={idChamp("representantLegal")}
              legend="Je suis le représentant légal du fournisseur *"
              orientation="horizontal"
              {...(problemes["representantLegal"] ? { state: "error" as const, stateRelatedMessage: phrase(problemes["representantLegal"]) } : {})}
              options={[
                { label: "Oui", nativeInputProps: { name: "representantLegal", value: "oui", checked: f.representantLegal === "oui", onChange: () => maj("representantLegal", "oui") } },
                { label: "Non, je suis un tiers déclarant", nativeInputProps: { name: "representantLegal", value: "non", checked: f.representantLegal === "non", onChange: () => maj("representantLegal", "non") } },
              ]}
            />
            {personne("representant", "representant")}
          </div>
        </fieldset>

        {f.representantLegal === "non" && (
          <fieldset className="fr-fieldset" data-testid="tiers-declarant">
            <legend className="fr-fieldset__legend fr-h3">Le tiers déclarant</legend>
            <div className="fr-fieldset__content fr-col-12">
              <Select
                label="Qualité du tiers déclarant *"
                {...etat("tiersDeclarant.qualite")}
                nativeSelectProps={{ id: idChamp("tiersDeclarant.qualite"), name: "qualite", value: f.qualite, onChange: (e) => maj("qualite", e.target.value as FormulaireEnrolement["qualite"]) }}
              >
                <option value="" disabled>Sélectionnez une qualité</option>
                {Object.entries(QUALITES).map(([code, libelle]) => (
                  <option key={code} value={code}>{libelle}</option>
                ))}
              </Select>
              <h3 className="fr-h5">Le dépositaire (il reçoit tous les courriels)</h3>
              {personne("depositaire", "tiersDeclarant.depositaire")}
            </div>
          </fieldset>
        )}

        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h3">Coordonnées bancaires et TVA</legend>
          <div className="fr-fieldset__content fr-col-12">
            {texte("coordonneesBancaires.iban", "IBAN", "iban", { hint: "Par exemple FR76 3000 6000 0112 3456 7890 189" })}
            {texte("coordonneesBancaires.bic", "BIC", "bic", { hint: "8 ou 11 caractères" })}
            {texte("coordonneesBancaires.titulaire", "Titulaire du compte", "titulaire")}
            {texte("coordonneesBancaires.domiciliation", "Domiciliation", "domiciliation")}
            <Select
              label="Taux de TVA applicable *"
              {...etat("tauxTva")}
              nativeSelectProps={{ id: idChamp("tauxTva"), name: "tauxTva", value: f.tauxTva, onChange: (e) => maj("tauxTva", e.target.value as FormulaireEnrolement["tauxTva"]) }}
            >
              <option value="" disabled>Sélectionnez un taux</option>
              {Object.entries(TAUX_TVA).map(([code, libelle]) => (
                <option key={code} value={code}>{libelle}</option>
              ))}
            </Select>
          </div>
        </fieldset>

        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h3">Documents à joindre</legend>
          <div className="fr-fieldset__content fr-col-12">
            <p className="fr-text--sm">La liste suit vos réponses (tiers déclarant, TVA, dénomination sociale).</p>
            {requis.map((type) => (
              <DocumentEnrolement
                key={type}
                type={type}
                reference={documents[type]}
                erreurApi={problemes[`documents.${type}`]}
                surReference={(reference) => setDocuments((avant) => ({ ...avant, [type]: reference }))}
              />
            ))}
          </div>
        </fieldset>

        <fieldset className="fr-fieldset">
          <legend className="fr-fieldset__legend fr-h3">Engagements</legend>
          <div className="fr-fieldset__content fr-col-12">
            <Checkbox
              id={idChamp("cguAcceptees")}
              {...(problemes["cguAcceptees"] ? { state: "error" as const, stateRelatedMessage: phrase(problemes["cguAcceptees"]) } : {})}
              options={[{ label: "J'accepte les conditions générales d'utilisation *", nativeInputProps: { name: "cguAcceptees", checked: f.cguAcceptees, onChange: (e) => maj("cguAcceptees", e.target.checked) } }]}
            />
            <Checkbox
              id={idChamp("sinceriteAttestee")}
              {...(problemes["sinceriteAttestee"] ? { state: "error" as const, stateRelatedMessage: phrase(problemes["sinceriteAttestee"]) } : {})}
              options={[{ label: "J'atteste sur l'honneur la sincérité des informations fournies *", nativeInputProps: { name: "sinceriteAttestee", checked: f.sinceriteAttestee, onChange: (e) => maj("sinceriteAttestee", e.target.checked) } }]}
            />
          </div>
        </fieldset>

        <fieldset className="fr-fieldset" data-testid="anti-robot">
          <legend className="fr-fieldset__legend fr-h3">Vérification anti-robot</legend>
          <div className="fr-fieldset__content fr-col-12">
            <Alert
              severity="info"
              small
              description={`Plateforme locale : la vérification anti-robot est simulée. Saisissez le code « ${REPONSE_ANTI_ROBOT_LOCALE} ».`}
              className="fr-mb-2w"
            />
            <Input
              label="Code de vérification *"
              {...etat("jetonAntiRobot")}
              nativeInputProps={{ id: idChamp("jetonAntiRobot"), name: "jetonAntiRobot", autoComplete: "off", value: antiRobot, onChange: (e) => setAntiRobot(e.target.value.trim()) }}
            />
          </div>
        </fieldset>

        <Button type="submit" disabled={envoi} iconId="fr-icon-send-plane-line" iconPosition="right">
          {envoi ? "Envoi en cours…" : "Envoyer ma demande d'enrôlement"}
        </Button>
      </form>
    </>
  );
}

function focaliserResume() {
  window.setTimeout(() => document.getElementById("resume-problemes")?.focus(), 0);
}

function Confirmation({ confirmation }: { confirmation: ConfirmationEnrolement }) {
  const suivi = `/enrolement/suivi?numero=${encodeURIComponent(confirmation.numero)}&jeton=${encodeURIComponent(confirmation.jetonSuivi)}`;
  return (
    <>
      <h1>Demande d'enrôlement envoyée</h1>
      <Alert
        severity="success"
        title={`Votre demande porte le numéro ${confirmation.numero}`}
        description={`Statut : ${confirmation.libelleStatut}. Un accusé de réception vous a été envoyé par courriel ; vos identifiants vous seront envoyés après sa validation par le service gestion.`}
        className="fr-mb-4w"
      />
      <p data-testid="numero-enrolement">
        Numéro de la demande : <strong>{confirmation.numero}</strong>
      </p>
      <p>
        Conservez ce lien : il permet de suivre votre demande sans compte.{" "}
        <Link to={suivi} data-testid="lien-suivi">
          Suivre ma demande {confirmation.numero}
        </Link>
      </p>
    </>
  );
}
