import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { messageErreur } from "../../api/erreurs";
import { useApi } from "../../contexte";
import {
  curseurCourant,
  dateCourte,
  montantEnEuros,
  numeroPage,
  pagePrecedente,
  pageSuivante,
  PREMIERE_PAGE,
  resumerRetour,
  type PileCurseurs,
} from "../../lib/gestion";
import { envoyerFichier } from "../../lib/gestionEnvoi";
import type { Lancement, LigneRetour, Retour } from "../../api/modeles";
import { demanderRetour, lancerLot, listerLots, lireRetour } from "../../lib/gestionRoutes";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";
import { EtatChargement, PaginationCurseurs, useChargement } from "./commun";

const STATUTS_LOT: Record<string, string> = { EN_PREPARATION: "En préparation", EMIS: "Émis" };

/** The payments: SEPA transfer files (run one now), bank returns (pain.002) uploaded. */
export function Paiements() {
  useTitre("Paiements");
  return (
    <>
      <h1>Paiements</h1>
      <Lots />
      <RetourBancaire />
    </>
  );
}

function Lots() {
  const api = useApi();
  const [pile, setPile] = useState<PileCurseurs>(PREMIERE_PAGE);
  const [version, setVersion] = useState(0);
  const [lancement, setLancement] = useState<{ enCours: boolean; resultat: Lancement | null; erreur: string | null }>({
    enCours: false,
    resultat: null,
    erreur: null,
  });
  const curseur = curseurCourant(pile);
  const page = useChargement((signal) => listerLots(api, curseur, { signal }), [api, curseur, version]);

  async function lancer() {
    setLancement({ enCours: true, resultat: null, erreur: null });
    try {
      const resultat = await lancerLot(api);
      setLancement({ enCours: false, resultat, erreur: null });
      setPile(PREMIERE_PAGE);
      setVersion((v) => v + 1);
    } catch (e) {
      setLancement({ enCours: false, resultat: null, erreur: messageErreur(e) });
    }
  }

  const r = lancement.resultat;
  return (
    <section aria-labelledby="titre-lots" className="fr-mb-6w">
      <h2 id="titre-lots">Fichiers de virements (SEPA)</h2>
      <p>Les versements à payer partent chaque jour ouvré dans un fichier de virements ; un lot peut aussi être lancé tout de suite.</p>
      <Button onClick={() => void lancer()} disabled={lancement.enCours} className="fr-mb-3w">
        {lancement.enCours ? "Lot en préparation…" : "Lancer un lot maintenant"}
      </Button>
      <div aria-live="polite" data-testid="resultat-lot">
        {lancement.erreur && <Alert severity="error" title="Le lot n'a pas été lancé" description={lancement.erreur} className="fr-mb-3w" />}
        {r && (
          <Alert
            severity={r.lot ? ((r.anomalies ?? []).length ? "warning" : "success") : "info"}
            title={r.lot ? `Lot ${r.lot.idLot} créé` : "Aucun fichier créé"}
            description={
              <>
                {r.message}
                {r.lot && ` Exécution le ${dateCourte(r.lot.dateExecution)}.`}
                {(r.anomalies ?? []).length > 0 && (
                  <ul>
                    {(r.anomalies ?? []).map((a, i) => (
                      <li key={i}>{a.reference ? `${a.message} (${a.reference})` : a.message}</li>
                    ))}
                  </ul>
                )}
              </>
            }
            className="fr-mb-3w"
          />
        )}
      </div>
      <EtatChargement etat={page} quoi="des fichiers de virements" />
      {page.etat === "pret" && (
        <>
          {page.donnees.elements.length === 0 ? (
            <p>Aucun fichier de virements pour l'instant.</p>
          ) : (
            <div className="fr-table fr-table--no-caption" data-testid="lots">
              <table>
                <caption>Fichiers de virements, du plus récent au plus ancien</caption>
                <thead>
                  <tr>
                    <th scope="col">Lot</th>
                    <th scope="col">Créé le</th>
                    <th scope="col">Date d'exécution</th>
                    <th scope="col">Statut</th>
                    <th scope="col">Virements</th>
                    <th scope="col">Total</th>
                    <th scope="col">Fichier SEPA</th>
                  </tr>
                </thead>
                <tbody>
                  {page.donnees.elements.map((l) => (
                    <tr key={l.idLot}>
                      <td>{l.idLot}</td>
                      <td>{dateHeureParis(l.creeLe)}</td>
                      <td>{dateCourte(l.dateExecution)}</td>
                      <td>{STATUTS_LOT[l.statut] ?? "—"}</td>
                      <td>{l.nombreTransactions}</td>
                      <td>{montantEnEuros(l.total)}</td>
                      <td>
                        {l.fichier ? (
                          <a href={l.fichier.url} download={l.fichier.nom} title={`Télécharger ${l.fichier.nom}`}>
                            Télécharger <span className="fr-sr-only">{l.fichier.nom}</span>
                          </a>
                        ) : (
                          "—"
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <PaginationCurseurs
            libelle="fichiers de virements"
            page={numeroPage(pile)}
            precedente={pile.length > 1 ? () => setPile(pagePrecedente(pile)) : null}
            suivante={page.donnees.curseurSuivant ? () => setPile(pageSuivante(pile, page.donnees.curseurSuivant as string)) : null}
          />
        </>
      )}
    </section>
  );
}

type EtapeRetour =
  | { etape: "choix" }
  | { etape: "envoi"; fraction: number }
  | { etape: "traitement"; idRetour: string }
  | { etape: "fini"; retour: Retour };

function RetourBancaire() {
  const api = useApi();
  const [fichier, setFichier] = useState<File | null>(null);
  const [erreurChamp, setErreurChamp] = useState<string | null>(null);
  const [alerte, setAlerte] = useState<string | null>(null);
  const [etape, setEtape] = useState<EtapeRetour>({ etape: "choix" });
  const champ = useRef<HTMLInputElement>(null);

  // The return is processed on arrival (S3 → queue): ask until it is no longer ATTENDU.
  const idAttendu = etape.etape === "traitement" ? etape.idRetour : null;
  useEffect(() => {
    if (!idAttendu) return;
    let fini = false;
    let minuteur: ReturnType<typeof setTimeout> | undefined;
    const debut = Date.now();
    const interroger = () => {
      lireRetour(api, idAttendu)
        .then((retour) => {
          if (fini) return;
          if (retour.statut !== "ATTENDU") setEtape({ etape: "fini", retour });
          else if (Date.now() - debut > 120_000) {
            setAlerte("Le retour bancaire est toujours en cours de traitement : revenez sur cette page dans quelques minutes.");
            setEtape({ etape: "choix" });
          } else minuteur = setTimeout(interroger, 1000);
        })
        .catch((e: unknown) => {
          if (!fini) {
            setAlerte(messageErreur(e));
            setEtape({ etape: "choix" });
          }
        });
    };
    interroger();
    return () => {
      fini = true;
      clearTimeout(minuteur);
    };
  }, [api, idAttendu]);

  async function envoyer(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    setAlerte(null);
    if (!fichier) {
      setErreurChamp("Choisissez le fichier de retour de la banque (pain.002, au format XML).");
      champ.current?.focus();
      return;
    }
    if (!/\.xml$/i.test(fichier.name)) {
      setErreurChamp(`Le fichier « ${fichier.name} » n'est pas un fichier XML : le retour de la banque (pain.002) est attendu.`);
      champ.current?.focus();
      return;
    }
    setErreurChamp(null);
    setEtape({ etape: "envoi", fraction: 0 });
    try {
      const demande = await demanderRetour(api);
      await envoyerFichier(demande.envoi, fichier, fichier.name, (fraction) => setEtape({ etape: "envoi", fraction }));
      setEtape({ etape: "traitement", idRetour: demande.idRetour });
    } catch (e) {
      setAlerte(e instanceof Error && e.name === "ErreurEnvoi" ? e.message : messageErreur(e));
      setEtape({ etape: "choix" });
    }
  }

  const occupe = etape.etape === "envoi" || etape.etape === "traitement";
  return (
    <section aria-labelledby="titre-retours">
      <h2 id="titre-retours">Retours bancaires</h2>
      <p>Déposez le rapport de statut de paiement (pain.002) reçu de la banque : les virements acceptés sont marqués payés, les rejetés avec leur motif.</p>
      {alerte && <Alert severity="error" title="Le retour bancaire n'a pas été traité" description={alerte} className="fr-mb-3w" />}
      <form onSubmit={envoyer} noValidate className="fr-mb-4w">
        <Upload
          label="Fichier de retour de la banque"
          hint="Format XML (pain.002), 10 Mo au plus."
          state={erreurChamp ? "error" : "default"}
          stateRelatedMessage={erreurChamp ?? undefined}
          nativeInputProps={{
            ref: champ,
            name: "retour",
            accept: ".xml,application/xml,text/xml",
            onChange: (e) => {
              setFichier(e.target.files?.[0] ?? null);
              setErreurChamp(null);
            },
          }}
        />
        <Button type="submit" disabled={occupe} className="fr-mt-2w">
          Envoyer le retour bancaire
        </Button>
      </form>
      <div aria-live="polite">
        {etape.etape === "envoi" && (
          <div data-testid="progression-envoi">
            <label htmlFor="progression-retour">Envoi du fichier : {Math.round(etape.fraction * 100)} %</label>
            <progress id="progression-retour" max={100} value={Math.round(etape.fraction * 100)} className="fr-col-12" />
          </div>
        )}
        {etape.etape === "traitement" && <p role="status">Fichier envoyé : traitement du retour bancaire en cours…</p>}
        {etape.etape === "fini" && <ResultatRetour retour={etape.retour} />}
      </div>
    </section>
  );
}

function TableLignes({ titre, lignes, rejet }: { titre: string; lignes: LigneRetour[]; rejet?: boolean }) {
  if (lignes.length === 0) return null;
  return (
    <div className="fr-table" data-testid={`retour-${titre}`}>
      <table>
        <caption>{titre}</caption>
        <thead>
          <tr>
            <th scope="col">Dossier</th>
            <th scope="col">Numéro de la demande</th>
            <th scope="col">Objet</th>
            <th scope="col">Montant</th>
            {rejet && <th scope="col">Motif du rejet</th>}
          </tr>
        </thead>
        <tbody>
          {lignes.map((l) => (
            <tr key={l.endToEnd}>
              <td>{l.numeroAsp}</td>
              <td>{l.numeroDemande}</td>
              <td>{l.objet}</td>
              <td>{montantEnEuros(l.montant)}</td>
              {rejet && <td>{l.motifRejet ?? "—"}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultatRetour({ retour }: { retour: Retour }) {
  const r = resumerRetour(retour);
  return (
    <div data-testid="resultat-retour">
      <Alert severity={r.severite} title={r.titre} description={r.description} className="fr-mb-3w" />
      <TableLignes titre="Paiements effectués" lignes={r.payes} />
      <TableLignes titre="Paiements rejetés" lignes={r.rejetes} rejet />
      <TableLignes titre="Soldes libérés" lignes={r.soldesLiberes} />
      {(r.anomalies ?? []).length > 0 && (
        <>
          <h3 className="fr-h6">Anomalies</h3>
          <ul data-testid="anomalies-retour">
            {(r.anomalies ?? []).map((a, i) => (
              <li key={i}>{a}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
