import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useState } from "react";

import type { Guichet, TypeDemande } from "../api/modeles";
import { lireGuichet } from "../api/routes";
import { FenetreGuichet } from "../composants/FenetreGuichet";
import { useApi } from "../contexte";
import { messageErreur } from "../api/erreurs";
import { useTitre } from "../lib/titre";

type Etat =
  | { etat: "chargement" }
  | { etat: "erreur"; message: string }
  | { etat: "pret"; guichet: Guichet; recuA: number };

const ORDRE: readonly TypeDemande[] = ["AVANCE", "SOLDE"];

export function Accueil() {
  useTitre("Accueil");
  const api = useApi();
  const [etat, setEtat] = useState<Etat>({ etat: "chargement" });

  useEffect(() => {
    const abandon = new AbortController();
    lireGuichet(api, { signal: abandon.signal })
      .then((guichet) => setEtat({ etat: "pret", guichet, recuA: Date.now() }))
      .catch((e: unknown) => {
        if (!abandon.signal.aborted) setEtat({ etat: "erreur", message: messageErreur(e) });
      });
    return () => abandon.abort();
  }, [api]);

  return (
    <>
      <h1>Portail Ségur numérique — médico-social</h1>
      <p className="fr-text--lead">
        Les éditeurs de logiciels référencés par l'Agence du numérique en santé s'enrôlent, déposent
        leurs demandes de financement et suivent leurs dossiers ; le service gestion les instruit.
      </p>
      <div className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-6w">
        <Button linkProps={{ to: "/connexion" }} iconId="fr-icon-lock-line">
          Se connecter
        </Button>
        <Button linkProps={{ to: "/enrolement" }} priority="secondary">
          Effectuer ma demande d'enrôlement
        </Button>
        <Button linkProps={{ to: "/rechercher" }} priority="tertiary" iconId="fr-icon-search-line">
          Rechercher un référencement
        </Button>
      </div>

      <section aria-labelledby="titre-guichets" className="fr-mb-6w">
        <h2 id="titre-guichets">Les guichets de financement</h2>
        {etat.etat === "chargement" && <p aria-live="polite">Chargement des guichets…</p>}
        {etat.etat === "erreur" && (
          <Alert
            severity="error"
            title="Les guichets ne peuvent pas être affichés"
            description={etat.message}
          />
        )}
        {etat.etat === "pret" &&
          etat.guichet.campagnes.map((campagne) => (
            <section key={campagne.id} aria-labelledby={`campagne-${campagne.id}`} className="fr-mb-4w">
              <h3 id={`campagne-${campagne.id}`} className="fr-h4">
                {campagne.libelle}
              </h3>
              <p className="fr-text--sm">Couloirs : {campagne.couloirs.join(", ")}</p>
              <div className="fr-grid-row fr-grid-row--gutters">
                {ORDRE.map((type) => {
                  const fenetre = campagne.guichets[type];
                  return fenetre ? <FenetreGuichet key={type} fenetre={fenetre} recuA={etat.recuA} /> : null;
                })}
              </div>
            </section>
          ))}
      </section>

      <section aria-labelledby="titre-segur" className="fr-mb-4w">
        <h2 id="titre-segur">Qu'est-ce que le Ségur du numérique en santé ?</h2>
        <p>
          De mai à juillet 2020, le Ségur de la santé a réuni l'ensemble des acteurs du système de
          soin. En plus des moyens dédiés à la revalorisation des métiers, un plan massif
          d'investissement de 6 milliards d'euros est lancé, dont deux milliards d'euros accordés
          pour soutenir le développement massif et cohérent du numérique en santé en France.
        </p>
        <p>
          Cet investissement historique vise à accélérer la modernisation, l'interopérabilité, la
          réversibilité, la convergence et la sécurité des systèmes d'information en santé.
          L'ambition est de généraliser le partage fluide et sécurisé des données de santé entre
          professionnels et usagers, pour mieux prévenir et mieux soigner.
        </p>
      </section>
      <section aria-labelledby="titre-financement">
        <h2 id="titre-financement">
          Qu'est-ce que le financement à l'équipement numérique des acteurs de l'offre de soins ?
        </h2>
        <p>
          Dans le cadre du Ségur du numérique en santé, l'État met en place un mécanisme d'achat
          pour compte au bénéfice des acteurs de l'offre de soins, sous la forme d'un système
          ouvert et non sélectif (SONS) de référencement et de financement d'éditeurs de solutions
          logicielles. Seules les solutions référencées par l'Agence du numérique en santé sont
          éligibles à ce financement.
        </p>
      </section>
    </>
  );
}
