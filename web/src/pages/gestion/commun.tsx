// Pieces shared by the gestionnaire's screens: the guard of their routes (group
// « gestionnaires »), the pagination through opaque cursors, loading and error states.
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useEffect, useState, type DependencyList } from "react";
import { Link, Outlet } from "react-router";

import { messageErreur } from "../../api/erreurs";
import { accesGestion, jetonGestion } from "../../lib/gestionSession";
import { useTitre } from "../../lib/titre";

const REFUS: Record<Exclude<ReturnType<typeof accesGestion>, "autorise">, string> = {
  "non-connecte": "Connectez-vous avec votre compte de gestionnaire pour accéder à cet espace.",
  expire: "Votre session a expiré : connectez-vous de nouveau pour continuer.",
  interdit: "Votre compte ne donne pas accès à l'espace des gestionnaires.",
};

/** Every /gestion screen: only for a signed-in member of the « gestionnaires » group. */
export function GardeGestionnaire() {
  const acces = accesGestion(jetonGestion());
  if (acces === "autorise") return <Outlet />;
  return <AccesRefuse message={REFUS[acces]} />;
}

function AccesRefuse({ message }: { message: string }) {
  useTitre("Espace gestionnaire");
  return (
    <>
      <h1>Espace gestionnaire</h1>
      <Alert severity="warning" title="Accès réservé aux gestionnaires" description={message} className="fr-mb-4w" />
      <p>
        <Link to="/connexion">Se connecter</Link>
      </p>
    </>
  );
}

export type Chargement<T> = { etat: "chargement" } | { etat: "pret"; donnees: T } | { etat: "erreur"; message: string };

/** Loads with `charger` whenever `dependances` change (aborting the previous call). */
export function useChargement<T>(charger: (signal: AbortSignal) => Promise<T>, dependances: DependencyList): Chargement<T> {
  const [etat, setEtat] = useState<Chargement<T>>({ etat: "chargement" });
  useEffect(() => {
    const abandon = new AbortController();
    setEtat({ etat: "chargement" });
    charger(abandon.signal)
      .then((donnees) => {
        if (!abandon.signal.aborted) setEtat({ etat: "pret", donnees });
      })
      .catch((e: unknown) => {
        if (!abandon.signal.aborted) setEtat({ etat: "erreur", message: messageErreur(e) });
      });
    return () => abandon.abort();
  }, dependances);
  return etat;
}

export function EtatChargement({ etat, quoi }: { etat: Chargement<unknown>; quoi: string }) {
  if (etat.etat === "chargement") return <p role="status">Chargement {quoi}…</p>;
  if (etat.etat === "erreur") return <Alert severity="error" title={`Impossible d'afficher ${quoi}`} description={etat.message} className="fr-mb-4w" />;
  return null;
}

export function PaginationCurseurs(props: {
  page: number;
  precedente: (() => void) | null;
  suivante: (() => void) | null;
  libelle: string;
}) {
  return (
    <nav aria-label={`Pagination : ${props.libelle}`} className="fr-mt-2w" data-testid="pagination">
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <Button priority="secondary" disabled={props.precedente === null} onClick={() => props.precedente?.()}>
            Page précédente
          </Button>
        </li>
        <li>
          <p className="fr-mx-2w fr-mb-0 fr-mt-1v" aria-live="polite" data-testid="numero-page">
            Page {props.page}
          </p>
        </li>
        <li>
          <Button priority="secondary" disabled={props.suivante === null} onClick={() => props.suivante?.()}>
            Page suivante
          </Button>
        </li>
      </ul>
    </nav>
  );
}
