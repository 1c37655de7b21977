import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useCallback, useEffect, useState } from "react";
import { Link, useParams } from "react-router";

import { messageErreur } from "../../api/erreurs";
import type { Dossier as VueDossier, SuiviFinancier } from "../../api/modeles";
import { lireMesVersements, lireMonDossier } from "../../api/routes";
import { useApi } from "../../contexte";
import { euros } from "../../lib/compteRendu";
import { actionEnMots, reponsesAttendues } from "../../lib/dossiers";
import { dateCourte } from "../../lib/gestion";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";
import { PiecesComplementaires } from "./PiecesComplementaires";

const LIBELLES_MONTANT: Readonly<Record<string, string>> = {
  montantFinance: "Montant financé",
  avance: "Avance",
  solde: "Solde",
  montantSegur: "Montant Ségur",
};

function Tableau({ legende, entetes, lignes, testId }: { legende: string; entetes: string[]; lignes: React.ReactNode[][]; testId: string }) {
  return (
    <div className="fr-table fr-table--bordered fr-mb-0" data-testid={testId}>
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0}>
          <div className="fr-table__content">
            <table>
              <caption>{legende}</caption>
              <thead>
                <tr>
                  {entetes.map((e) => (
                    <th key={e} scope="col">{e}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {lignes.length === 0 && (
                  <tr>
                    <td colSpan={entetes.length}>Aucun élément.</td>
                  </tr>
                )}
                {lignes.map((cellules, i) => (
                  <tr key={i}>
                    {cellules.map((c, j) => (
                      <td key={j}>{c}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The seed's dossier page: récapitulatif, pièces justificatives, courriels, suivi
 * financier, historique; and the answer an « À modifier » or an « En attente de pièces
 * complémentaires » asks for. */
export function Dossier() {
  const { numeroAsp = "" } = useParams();
  useTitre(`Dossier ${numeroAsp}`);
  const api = useApi();
  const [dossier, setDossier] = useState<VueDossier | null>(null);
  const [suivi, setSuivi] = useState<SuiviFinancier | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [erreurSuivi, setErreurSuivi] = useState<string | null>(null);

  const charger = useCallback(
    (signal?: AbortSignal) => {
      lireMonDossier(api, numeroAsp, signal ? { signal } : undefined)
        .then(setDossier)
        .catch((e: unknown) => {
          if (!signal?.aborted) setErreur(messageErreur(e));
        });
      lireMesVersements(api, numeroAsp, signal ? { signal } : undefined)
        .then(setSuivi)
        .catch((e: unknown) => {
          if (!signal?.aborted) setErreurSuivi(messageErreur(e));
        });
    },
    [api, numeroAsp],
  );

  useEffect(() => {
    const abandon = new AbortController();
    charger(abandon.signal);
    return () => abandon.abort();
  }, [charger]);

  if (erreur) {
    return (
      <>
        <h1>Dossier {numeroAsp}</h1>
        <Alert severity="error" title="Le dossier ne peut pas être affiché" description={erreur} className="fr-mb-4w" />
        <Link to="/dossiers">Retour à mes dossiers</Link>
      </>
    );
  }
  if (dossier === null) {
    return (
      <>
        <h1>Dossier {numeroAsp}</h1>
        <p aria-live="polite">Chargement du dossier…</p>
      </>
    );
  }

  const reponses = reponsesAttendues(dossier.numeroAns, dossier.demandes);
  return (
    <>
      <p>
        <Link to="/dossiers">Mes dossiers</Link>
      </p>
      <h1>Dossier {dossier.numeroAsp}</h1>
      {reponses.map((r) =>
        r.type === "modification" ? (
          <Alert
            key={`m-${r.demande.typeDemande}`}
            severity="warning"
            title="Votre demande est à modifier"
            description={
              <>
                <p>Motif du gestionnaire : {r.demande.motif ?? "non précisé"}</p>
                <p>
                  Déposez un fichier avec une ligne de type M pour ce dossier.{" "}
                  <Link to={r.lien} data-testid="lien-modification">
                    Déposer une modification
                  </Link>
                </p>
              </>
            }
            className="fr-mb-4w"
          />
        ) : (
          <PiecesComplementaires key={`p-${r.demande.typeDemande}`} numeroAsp={dossier.numeroAsp} demande={r.demande} surEnvoi={() => charger()} />
        ),
      )}
      <div className="fr-accordions-group" data-testid="accordeons">
        <Accordion label="Récapitulatif" defaultExpanded>
          <dl className="fr-mb-2w">
            <dt className="fr-text--bold">Référencement</dt>
            <dd className="fr-ml-0">{dossier.numeroAns} ({dossier.couloir}, {dossier.campagne})</dd>
            <dt className="fr-text--bold">Déposé le</dt>
            <dd className="fr-ml-0">{dateHeureParis(dossier.deposeLe)}</dd>
            <dt className="fr-text--bold">Établissements (FINESS)</dt>
            <dd className="fr-ml-0">{dossier.finess.join(", ")}</dd>
          </dl>
          <Tableau
            testId="recapitulatif"
            legende="Les demandes du dossier"
            entetes={["Demande", "Statut", "Montants", "Motif"]}
            lignes={dossier.demandes.map((d) => [
              `${d.typeDemande === "AVANCE" ? "Avance" : "Solde"} (${d.numeroDossier})`,
              d.libelleStatut,
              Object.entries(d.montants)
                .map(([cle, valeur]) => `${LIBELLES_MONTANT[cle] ?? cle} : ${euros(valeur)}`)
                .join(" ; "),
              d.motif ?? "",
            ])}
          />
        </Accordion>
        <Accordion label="Pièces justificatives">
          {dossier.decisionAttribution && (
            <p>
              <a href={dossier.decisionAttribution.url} target="_blank" rel="noreferrer" className="fr-link fr-icon-download-line fr-link--icon-left" data-testid="decision-attribution">
                Décision d'attribution : {dossier.decisionAttribution.nom} (nouvelle fenêtre)
              </a>
            </p>
          )}
          <ul>
            {dossier.pieces.map((p) => (
              <li key={p.nom}>
                <a href={p.url} target="_blank" rel="noreferrer">
                  {p.nom} (nouvelle fenêtre)
                </a>{" "}
                — déposée le {dateHeureParis(p.deposeLe)}
              </li>
            ))}
            {dossier.pieces.length === 0 && <li>Aucune pièce reçue.</li>}
          </ul>
        </Accordion>
        <Accordion label="Courriels automatiquement envoyés">
          <Tableau
            testId="courriels"
            legende="Courriels envoyés pour ce dossier"
            entetes={["Objet", "Destinataire", "Envoyé le"]}
            lignes={dossier.courriels.map((c) => [c.objet, c.destinataire, dateHeureParis(c.envoyeLe)])}
          />
        </Accordion>
        <Accordion label="Suivi financier">
          {erreurSuivi && <Alert severity="error" small description={erreurSuivi} />}
          {suivi && (
            <Tableau
              testId="suivi-financier"
              legende="Les versements du dossier"
              entetes={["Demande", "Objet", "État", "Montant calculé", "Montant payé", "Mise en paiement", "Paiement", "Avis de paiement"]}
              lignes={suivi.versements.map((v) => [
                v.numeroDemande,
                v.objet,
                v.motifRejet ? `${v.libelleEtat} (${v.motifRejet})` : v.libelleEtat,
                euros(v.montantCalcule),
                euros(v.montantPaye),
                // Dates without a time (the API's `date`): never « à 01h00 ».
                dateCourte(v.dateMiseEnPaiement),
                dateCourte(v.datePaiement),
                v.avisPaiement ? (
                  <a href={v.avisPaiement.url} target="_blank" rel="noreferrer">
                    {v.avisPaiement.nom} (nouvelle fenêtre)
                  </a>
                ) : (
                  "—"
                ),
              ])}
            />
          )}
        </Accordion>
        <Accordion label="Historique">
          <Tableau
            testId="historique"
            legende="Ce qui s'est passé sur le dossier"
            entetes={["Date", "Demande", "Action", "Par", "Motif"]}
            lignes={dossier.historique.map((h) => [
              dateHeureParis(h.instant),
              h.typeDemande === "AVANCE" ? "Avance" : h.typeDemande === "SOLDE" ? "Solde" : "",
              actionEnMots(h.action),
              h.qui,
              h.motif,
            ])}
          />
        </Accordion>
      </div>
      <Button linkProps={{ to: "/dossiers" }} priority="secondary" className="fr-mt-4w">
        Retour à mes dossiers
      </Button>
    </>
  );
}
