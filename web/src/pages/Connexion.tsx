import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { ProConnectButton } from "@codegouvfr/react-dsfr/ProConnectButton";
import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";

import { useConfig } from "../contexte";
import {
  connecter,
  definirMotDePasse,
  ErreurConnexion,
  REGLE_MOT_DE_PASSE,
  verifierNouveauMotDePasse,
  type ResultatConnexion,
} from "../lib/cognito";
import { demarrerConnexion, seDeconnecter } from "../lib/proconnect";
import { accueilDe, enregistrerJeton, lireJeton, useUtilisateur } from "../lib/session";
import { useTitre } from "../lib/titre";

type Champ = "email" | "motDePasse" | "nouveauMotDePasse";

/** Only paths of the portal: never a redirection to another site after sign-in. */
function retourSur(valeur: string | null): string | null {
  return valeur && valeur.startsWith("/") && !valeur.startsWith("//") ? valeur : null;
}

export function Connexion() {
  useTitre("Se connecter");
  const config = useConfig();
  const { cognito, proconnect } = config;
  const utilisateur = useUtilisateur();
  const navigate = useNavigate();
  const [parametres] = useSearchParams();
  const retour = retourSur(parametres.get("retour"));
  const [email, setEmail] = useState("");
  const [motDePasse, setMotDePasse] = useState("");
  const [nouveau, setNouveau] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [defi, setDefi] = useState<string | null>(null);
  const [erreur, setErreur] = useState<{ champ: Champ | null; message: string } | null>(null);
  const [envoi, setEnvoi] = useState(false);

  function aboutir(resultat: ResultatConnexion) {
    if (resultat.etat === "nouveauMotDePasse") {
      setDefi(resultat.session);
      return;
    }
    enregistrerJeton(resultat.jeton);
    const lu = lireJeton(resultat.jeton);
    navigate(retour ?? (lu ? accueilDe(lu) : "/"), { replace: true });
  }

  async function executer(action: () => Promise<ResultatConnexion>) {
    setEnvoi(true);
    setErreur(null);
    try {
      aboutir(await action());
    } catch (e) {
      const c = e instanceof ErreurConnexion ? e : new ErreurConnexion("La connexion n'a pas abouti. Réessayez dans quelques instants.");
      setErreur({ champ: c.champ, message: c.message });
      if (c.message.includes("expiré")) setDefi(null);
    } finally {
      setEnvoi(false);
    }
  }

  function soumettre(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!cognito) return;
    if (!email.trim()) return setErreur({ champ: "email", message: "Saisissez votre adresse électronique." });
    if (!motDePasse) return setErreur({ champ: "motDePasse", message: "Saisissez votre mot de passe." });
    void executer(() => connecter(cognito, email.trim(), motDePasse));
  }

  function soumettreNouveau(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!cognito || defi === null) return;
    const probleme = verifierNouveauMotDePasse(nouveau, confirmation);
    if (probleme) return setErreur({ champ: "nouveauMotDePasse", message: probleme });
    void executer(() => definirMotDePasse(cognito, email.trim(), defi, nouveau));
  }

  function partirVersProConnect() {
    if (!proconnect) return;
    setErreur(null);
    demarrerConnexion(proconnect).catch(() =>
      // crypto.subtle (the PKCE challenge) exists only on https pages and in recent browsers.
      setErreur({ champ: null, message: "Votre navigateur ne permet pas la connexion avec ProConnect : mettez-le à jour, puis réessayez." }),
    );
  }

  const etat = (champ: Champ) =>
    erreur?.champ === champ ? { state: "error" as const, stateRelatedMessage: erreur.message } : {};

  if (utilisateur !== null && defi === null) {
    return (
      <>
        <h1>Se connecter</h1>
        <Alert
          severity="success"
          title="Vous êtes connecté"
          description={`Connecté en tant que ${utilisateur.email}${utilisateur.siret ? ` (SIRET ${utilisateur.siret})` : ""}.`}
          className="fr-mb-4w"
        />
        <div className="fr-btns-group fr-btns-group--inline-md">
          <Button linkProps={{ to: accueilDe(utilisateur) }}>Accéder à mon espace</Button>
          <Button priority="secondary" onClick={() => seDeconnecter(config)}>
            Se déconnecter
          </Button>
        </div>
      </>
    );
  }

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>Se connecter</h1>
        {!cognito && (
          <Alert
            severity="error"
            title="La connexion n'est pas disponible"
            description="Le service de connexion n'est pas configuré pour ce portail : contactez l'assistance."
            className="fr-mb-4w"
          />
        )}
        {erreur !== null && erreur.champ === null && (
          <Alert severity="error" title="La connexion n'a pas abouti" description={erreur.message} className="fr-mb-4w" />
        )}
        {defi === null ? (
          <form onSubmit={soumettre} noValidate>
            <p>
              Votre identifiant est l'adresse électronique de votre demande d'enrôlement ; le mot de
              passe provisoire vous a été envoyé par courriel après sa validation.
            </p>
            <p className="fr-text--sm">* Champ obligatoire</p>
            <Input
              label="Adresse électronique *"
              {...etat("email")}
              nativeInputProps={{
                type: "email",
                name: "email",
                autoComplete: "username",
                value: email,
                required: true,
                onChange: (e) => setEmail(e.target.value),
              }}
            />
            <Input
              label="Mot de passe *"
              {...etat("motDePasse")}
              nativeInputProps={{
                type: "password",
                name: "motDePasse",
                autoComplete: "current-password",
                value: motDePasse,
                required: true,
                onChange: (e) => setMotDePasse(e.target.value),
              }}
            />
            <Button type="submit" iconId="fr-icon-lock-line" disabled={envoi || !cognito}>
              Se connecter
            </Button>
          </form>
        ) : (
          <form onSubmit={soumettreNouveau} noValidate>
            <Alert
              severity="info"
              title="Première connexion : choisissez votre mot de passe"
              description={`Le mot de passe provisoire reçu par courriel doit être remplacé. Votre nouveau mot de passe : ${REGLE_MOT_DE_PASSE}`}
              className="fr-mb-4w"
            />
            <Input
              label="Nouveau mot de passe *"
              hintText={REGLE_MOT_DE_PASSE}
              {...etat("nouveauMotDePasse")}
              nativeInputProps={{
                type: "password",
                name: "nouveauMotDePasse",
                autoComplete: "new-password",
                value: nouveau,
                required: true,
                onChange: (e) => setNouveau(e.target.value),
              }}
            />
            <Input
              label="Confirmation du nouveau mot de passe *"
              nativeInputProps={{
                type: "password",
                name: "confirmationMotDePasse",
                autoComplete: "new-password",
                value: confirmation,
                required: true,
                onChange: (e) => setConfirmation(e.target.value),
              }}
            />
            <Button type="submit" disabled={envoi}>
              Enregistrer et se connecter
            </Button>
          </form>
        )}
        {defi === null && proconnect && (
          <section className="fr-mt-6w" aria-labelledby="titre-proconnect">
            <h2 id="titre-proconnect" className="fr-h4">
              Gestionnaires de l'administration
            </h2>
            <p>Les agents qui instruisent les demandes s'identifient avec leur compte professionnel ProConnect.</p>
            <ProConnectButton onClick={partirVersProConnect} />
          </section>
        )}
      </div>
    </div>
  );
}
