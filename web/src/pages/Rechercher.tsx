import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useSearchParams } from "react-router";

import { ErreurApi, messageErreur } from "../api/erreurs";
import type { Referencement } from "../api/modeles";
import { rechercherReferencement } from "../api/routes";
import { useApi } from "../contexte";
import { erreurRecherche, libelleDsr, verifierNumeroAns } from "../lib/referencement";
import { useTitre } from "../lib/titre";

type Resultat =
  | { etat: "vide" }
  | { etat: "recherche"; numero: string }
  | { etat: "trouve"; referencement: Referencement }
  | { etat: "erreur"; champ: string | null; alerte: string | null };

/** E1 « Rechercher »: the numéro in the address (?numero=…), so a result can be shared. */
export function Rechercher() {
  useTitre("Rechercher un référencement");
  const api = useApi();
  const [parametres, setParametres] = useSearchParams();
  const numeroUrl = (parametres.get("numero") ?? "").trim();
  const [saisie, setSaisie] = useState(numeroUrl);
  const [resultat, setResultat] = useState<Resultat>({ etat: "vide" });
  const champ = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (!numeroUrl) {
      setResultat({ etat: "vide" });
      return;
    }
    const probleme = verifierNumeroAns(numeroUrl);
    if (probleme) {
      setResultat({ etat: "erreur", champ: probleme, alerte: null });
      return;
    }
    const abandon = new AbortController();
    setResultat({ etat: "recherche", numero: numeroUrl });
    rechercherReferencement(api, numeroUrl, { signal: abandon.signal })
      .then((referencement) => setResultat({ etat: "trouve", referencement }))
      .catch((e: unknown) => {
        if (abandon.signal.aborted) return;
        const erreur = e instanceof ErreurApi ? erreurRecherche(numeroUrl, e) : { champ: null, alerte: messageErreur(e) };
        setResultat({ etat: "erreur", ...erreur });
      });
    return () => abandon.abort();
  }, [api, numeroUrl]);

  useEffect(() => {
    if (resultat.etat === "erreur" && resultat.champ) champ.current?.focus();
  }, [resultat]);

  function soumettre(evenement: FormEvent<HTMLFormElement>) {
    evenement.preventDefault();
    const numero = saisie.trim();
    const probleme = verifierNumeroAns(numero);
    if (probleme) {
      setResultat({ etat: "erreur", champ: probleme, alerte: null });
      champ.current?.focus();
      return;
    }
    setParametres({ numero });
  }

  const erreurChamp = resultat.etat === "erreur" ? resultat.champ : null;
  return (
    <>
      <h1>Rechercher un référencement</h1>
      <p>
        Saisissez le numéro unique de référencement délivré par l'Agence du numérique en santé (ANS)
        pour retrouver la solution référencée et son DSR (couloir, type de logiciel, vague).
      </p>
      {resultat.etat === "erreur" && resultat.alerte && (
        <Alert severity="error" title="La recherche n'a pas abouti" description={resultat.alerte} className="fr-mb-4w" />
      )}
      <form onSubmit={soumettre} noValidate className="fr-mb-6w">
        <p className="fr-text--sm">* Champ obligatoire</p>
        <Input
          label="N° unique de référencement (ANS) *"
          hintText="10 caractères alphanumériques, par exemple zbuMSS0001"
          state={erreurChamp ? "error" : "default"}
          stateRelatedMessage={erreurChamp ?? undefined}
          nativeInputProps={{
            ref: champ,
            name: "numeroAns",
            value: saisie,
            autoComplete: "off",
            spellCheck: false,
            required: true,
            onChange: (e) => setSaisie(e.target.value),
          }}
        />
        <Button type="submit" iconId="fr-icon-search-line" disabled={resultat.etat === "recherche"}>
          Rechercher
        </Button>
      </form>
      <div aria-live="polite">
        {resultat.etat === "recherche" && <p>Recherche du référencement {resultat.numero}…</p>}
        {resultat.etat === "trouve" && <FicheReferencement referencement={resultat.referencement} />}
      </div>
    </>
  );
}

function FicheReferencement({ referencement: r }: { referencement: Referencement }) {
  const lignes: [string, string][] = [
    ["N° unique de référencement (ANS)", r.numeroAns],
    ["DSR concerné (couloir / type logiciel / vague)", libelleDsr(r)],
    ["Solution", r.versionSolution ? `${r.solution} (version ${r.versionSolution})` : r.solution],
    ["Dénomination sociale de l'éditeur", r.raisonSociale ?? ""],
    ["SIRET de l'éditeur", r.siret],
  ];
  return (
    <section aria-labelledby="titre-fiche" className="fr-card fr-p-4w" data-testid="fiche-referencement">
      <h2 id="titre-fiche" className="fr-h4">
        Référencement {r.numeroAns}
      </h2>
      <dl>
        {lignes
          .filter(([, valeur]) => valeur)
          .map(([libelle, valeur]) => (
            <div key={libelle} className="fr-mb-2w">
              <dt className="fr-text--bold">{libelle}</dt>
              <dd className="fr-ml-0">{valeur}</dd>
            </div>
          ))}
      </dl>
    </section>
  );
}
