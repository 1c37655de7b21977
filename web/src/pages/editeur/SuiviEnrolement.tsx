import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useEffect, useState } from "react";
import { useSearchParams } from "react-router";

import { messageErreur } from "../../api/erreurs";
import type { SuiviEnrolement as Suivi } from "../../api/modeles";
import { suivreEnrolement } from "../../api/routes";
import { useApi } from "../../contexte";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";

/** E3 — the demandeur follows its demande with the link of the confirmation (no account). */
export function SuiviEnrolement() {
  useTitre("Suivi de la demande d'enrôlement");
  const api = useApi();
  const [parametres] = useSearchParams();
  const numero = parametres.get("numero") ?? "";
  const jeton = parametres.get("jeton") ?? "";
  const [etat, setEtat] = useState<{ suivi?: Suivi; erreur?: string }>({});

  useEffect(() => {
    if (!numero || !jeton) {
      setEtat({ erreur: "Ce lien de suivi est incomplet : utilisez le lien reçu à l'envoi de la demande." });
      return;
    }
    const abandon = new AbortController();
    suivreEnrolement(api, numero, jeton, { signal: abandon.signal })
      .then((suivi) => setEtat({ suivi }))
      .catch((e: unknown) => {
        if (!abandon.signal.aborted) setEtat({ erreur: messageErreur(e) });
      });
    return () => abandon.abort();
  }, [api, numero, jeton]);

  return (
    <>
      <h1>Suivi de la demande d'enrôlement {numero}</h1>
      {etat.erreur && <Alert severity="error" title="Le suivi n'est pas disponible" description={etat.erreur} />}
      {!etat.erreur && !etat.suivi && <p aria-live="polite">Chargement…</p>}
      {etat.suivi && (
        <dl data-testid="suivi-enrolement">
          <dt className="fr-text--bold">Statut</dt>
          <dd className="fr-ml-0 fr-mb-2w">{etat.suivi.libelleStatut}</dd>
          {etat.suivi.numeroAns && (
            <>
              <dt className="fr-text--bold">Référencement</dt>
              <dd className="fr-ml-0 fr-mb-2w">{etat.suivi.numeroAns}</dd>
            </>
          )}
          <dt className="fr-text--bold">Soumise le</dt>
          <dd className="fr-ml-0 fr-mb-2w">{dateHeureParis(etat.suivi.soumiseLe)}</dd>
          {etat.suivi.decideeLe && (
            <>
              <dt className="fr-text--bold">Décidée le</dt>
              <dd className="fr-ml-0 fr-mb-2w">{dateHeureParis(etat.suivi.decideeLe)}</dd>
            </>
          )}
          {etat.suivi.motif && (
            <>
              <dt className="fr-text--bold">Motif</dt>
              <dd className="fr-ml-0 fr-mb-2w">{etat.suivi.motif}</dd>
            </>
          )}
        </dl>
      )}
    </>
  );
}
