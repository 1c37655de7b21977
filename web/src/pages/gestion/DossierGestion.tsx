import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useState } from "react";
import { Link, useParams } from "react-router";

import { messageErreur } from "../../api/erreurs";
import { useApi } from "../../contexte";
import {
  dateCourte,
  decisionAttendue,
  libelleAction,
  libelleAttendu,
  libelleMontant,
  libelleTypeDemande,
  montantEnEuros,
} from "../../lib/gestion";
import type { DemandeInstruite, Dossier, SuiviFinancier } from "../../api/modeles";
import { lireDossier, lireVersements, reemettreVersement, relancerDemande } from "../../lib/gestionRoutes";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";
import { EtatChargement, useChargement } from "./commun";
import { FormulaireDecision } from "./FormulaireDecision";

function severiteStatut(statut: string): "success" | "error" | "warning" | "info" | "new" {
  if (statut === "DECIDEE" || statut === "PAYEE") return "success";
  if (statut === "REJETEE" || statut === "EN_ERREUR_TECHNIQUE") return "error";
  if (statut === "A_MODIFIER" || statut === "EN_ATTENTE_PIECES") return "warning";
  return "info";
}

/** A dossier for its gestionnaire: demandes and their decision, pièces, courriels,
 * history, suivi financier. */
export function DossierGestion() {
  const { numeroAsp = "" } = useParams();
  useTitre(`Dossier ${numeroAsp}`);
  const api = useApi();
  const [version, setVersion] = useState(0);
  const [annonce, setAnnonce] = useState<string | null>(null);
  const dossier = useChargement((signal) => lireDossier(api, numeroAsp, { signal }), [api, numeroAsp, version]);
  const suivi = useChargement((signal) => lireVersements(api, numeroAsp, { signal }), [api, numeroAsp, version]);

  function apres(message: string) {
    setAnnonce(message);
    setVersion((v) => v + 1);
  }

  return (
    <>
      <p className="fr-mb-2w">
        <Link to="/gestion/dossiers">Retour aux dossiers à instruire</Link>
      </p>
      <h1>Dossier {numeroAsp}</h1>
      <div aria-live="polite">
        {annonce && <Alert severity="success" small description={annonce} className="fr-mb-3w" closable onClose={() => setAnnonce(null)} />}
      </div>
      <EtatChargement etat={dossier} quoi="du dossier" />
      {dossier.etat === "pret" && <ContenuDossier dossier={dossier.donnees} apres={apres} />}
      <section aria-labelledby="titre-suivi" className="fr-mt-6w">
        <h2 id="titre-suivi">Suivi financier</h2>
        <EtatChargement etat={suivi} quoi="du suivi financier" />
        {suivi.etat === "pret" && <Suivi suivi={suivi.donnees} apres={apres} />}
      </section>
    </>
  );
}

function ContenuDossier({ dossier: d, apres }: { dossier: Dossier; apres: (m: string) => void }) {
  const recapitulatif: [string, string][] = [
    ["Numéro de dossier", d.numeroAsp],
    ["SIRET", d.siret],
    ["N° unique de référencement (ANS)", d.numeroAns],
    ["Couloir", d.couloir],
    ["Campagne", d.campagne],
    ["FINESS", d.finess.join(", ") || "—"],
    ["Déposé le", dateHeureParis(d.deposeLe)],
  ];
  // The décision d'attribution may also be among the pièces: listed once.
  const decision = d.decisionAttribution;
  const documents = [...d.pieces, ...(decision && !d.pieces.some((p) => p.nom === decision.nom) ? [decision] : [])];
  return (
    <>
      <section aria-labelledby="titre-recapitulatif" className="fr-mb-4w">
        <h2 id="titre-recapitulatif">Récapitulatif</h2>
        <dl className="fr-grid-row fr-grid-row--gutters">
          {recapitulatif.map(([libelle, valeur]) => (
            <div key={libelle} className="fr-col-12 fr-col-md-4">
              <dt className="fr-text--bold fr-mb-0">{libelle}</dt>
              <dd className="fr-ml-0">{valeur}</dd>
            </div>
          ))}
        </dl>
      </section>
      {d.demandes.map((demande) => (
        <CarteDemande key={demande.typeDemande} numeroAsp={d.numeroAsp} demande={demande} apres={apres} />
      ))}
      <section aria-labelledby="titre-pieces" className="fr-mt-6w">
        <h2 id="titre-pieces">Pièces justificatives</h2>
        {documents.length === 0 ? (
          <p>Aucune pièce.</p>
        ) : (
          <div className="fr-table fr-table--no-caption" data-testid="pieces">
            <table>
              <caption>Pièces justificatives du dossier</caption>
              <thead>
                <tr>
                  <th scope="col">Nom du fichier</th>
                  <th scope="col">Type</th>
                  <th scope="col">Date de dépôt</th>
                  <th scope="col">Consulter</th>
                </tr>
              </thead>
              <tbody>
                {documents.map((p) => (
                  <tr key={`${p.genre}-${p.nom}`}>
                    <td>{p.nom}</td>
                    <td>{p.genre === "DECISION_ATTRIBUTION" ? "Décision d'attribution" : "Pièce justificative"}</td>
                    <td>{dateHeureParis(p.deposeLe)}</td>
                    <td>
                      <a href={p.url} target="_blank" rel="noopener noreferrer" title={`Ouvrir ${p.nom} (nouvelle fenêtre)`}>
                        Ouvrir <span className="fr-sr-only">{p.nom}</span>
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="titre-courriels" className="fr-mt-6w">
        <h2 id="titre-courriels">Courriels automatiquement envoyés</h2>
        {d.courriels.length === 0 ? (
          <p>Aucun courriel envoyé.</p>
        ) : (
          <div className="fr-accordions-group" data-testid="courriels">
            {d.courriels.map((c, i) => (
              <Accordion key={`${c.envoyeLe}-${i}`} label={`${c.dateEnvoi} — ${c.objet}`}>
                <p className="fr-mb-1w">
                  <strong>Objet :</strong> {c.objet}
                </p>
                <p className="fr-mb-1w">
                  <strong>Date d'envoi :</strong> {c.dateEnvoi}
                </p>
                <p className="fr-mb-1w">
                  <strong>Destinataire :</strong> {c.destinataire}
                </p>
                <p style={{ whiteSpace: "pre-line" }}>{c.corps}</p>
              </Accordion>
            ))}
          </div>
        )}
      </section>
      <section aria-labelledby="titre-historique" className="fr-mt-6w">
        <h2 id="titre-historique">Historique</h2>
        <div className="fr-table fr-table--no-caption" data-testid="historique">
          <table>
            <caption>Historique du dossier</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Demande</th>
                <th scope="col">Action</th>
                <th scope="col">Par</th>
                <th scope="col">Motif</th>
              </tr>
            </thead>
            <tbody>
              {d.historique.map((h, i) => (
                <tr key={`${h.instant}-${i}`}>
                  <td>{dateHeureParis(h.instant)}</td>
                  <td>{h.typeDemande ? libelleTypeDemande(h.typeDemande) : "—"}</td>
                  <td>{libelleAction(h.action)}</td>
                  <td>{h.qui}</td>
                  <td>{h.motif || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function CarteDemande(props: { numeroAsp: string; demande: DemandeInstruite; apres: (m: string) => void }) {
  const { demande: d } = props;
  const api = useApi();
  const [relance, setRelance] = useState<{ enCours: boolean; erreur: string | null }>({ enCours: false, erreur: null });
  const type = libelleTypeDemande(d.typeDemande);
  const id = `demande-${d.typeDemande}`;

  async function relancer() {
    setRelance({ enCours: true, erreur: null });
    try {
      await relancerDemande(api, props.numeroAsp, d.typeDemande);
      setRelance({ enCours: false, erreur: null });
      props.apres(`La demande ${type.toLowerCase()} est relancée à l'étape qui avait échoué.`);
    } catch (e) {
      setRelance({ enCours: false, erreur: messageErreur(e) });
    }
  }

  return (
    <section aria-labelledby={`${id}-titre`} className="fr-card fr-p-4w fr-mb-4w" data-testid={id}>
      <h2 id={`${id}-titre`} className="fr-h4">
        Demande {type.toLowerCase()} n° {d.numeroDossier}{" "}
        <Badge severity={severiteStatut(d.statut)} noIcon data-testid={`${id}-statut`}>
          {d.libelleStatut}
        </Badge>
      </h2>
      <dl className="fr-grid-row fr-grid-row--gutters">
        {Object.entries(d.montants).map(([cle, montant]) => (
          <div key={cle} className="fr-col-6 fr-col-md-3">
            <dt className="fr-text--bold fr-mb-0">{libelleMontant(cle)}</dt>
            <dd className="fr-ml-0">{montantEnEuros(montant)}</dd>
          </div>
        ))}
        <div className="fr-col-6 fr-col-md-3">
          <dt className="fr-text--bold fr-mb-0">Taux de TVA</dt>
          <dd className="fr-ml-0">{d.tauxTva} %</dd>
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <dt className="fr-text--bold fr-mb-0">Déposée le</dt>
          <dd className="fr-ml-0">{d.deposeLe ? dateHeureParis(d.deposeLe) : "—"}</dd>
        </div>
        <div className="fr-col-6 fr-col-md-3">
          <dt className="fr-text--bold fr-mb-0">À qui d'agir</dt>
          <dd className="fr-ml-0">{libelleAttendu(d.attendu)}</dd>
        </div>
      </dl>
      {d.decision && (
        <div className="fr-mt-2w" data-testid={`${id}-decision`}>
          <p className="fr-mb-1w">
            <strong>Dernière décision :</strong> {libelleAction(d.decision.decision)}, par {d.decision.auteur} le {dateHeureParis(d.decision.le)}
          </p>
          {d.decision.motif && (
            <p className="fr-mb-1w">
              <strong>Motif :</strong> {d.decision.motif}
            </p>
          )}
          {d.decision.piecesDemandees.length > 0 && (
            <p className="fr-mb-1w">
              <strong>Pièces demandées :</strong> {d.decision.piecesDemandees.join(", ")}
            </p>
          )}
        </div>
      )}
      {d.versement && (
        <p className="fr-mb-1w">
          <strong>Versement :</strong> {montantEnEuros(d.versement.montant)}
          {d.versement.payeLe ? `, payé le ${dateHeureParis(d.versement.payeLe)}` : ""}
        </p>
      )}
      {d.statut === "EN_ERREUR_TECHNIQUE" && (
        <div className="fr-mt-2w">
          <Alert
            severity="error"
            small
            description={d.erreur ? `Erreur technique à l'étape « ${d.erreur.etape} » le ${dateHeureParis(d.erreur.le)} : ${d.erreur.cause}` : "Erreur technique."}
            className="fr-mb-2w"
          />
          {relance.erreur && <Alert severity="error" small description={relance.erreur} className="fr-mb-2w" />}
          <Button onClick={() => void relancer()} disabled={relance.enCours}>
            Relancer la demande
          </Button>
        </div>
      )}
      {decisionAttendue(d) ? (
        <FormulaireDecision numeroAsp={props.numeroAsp} typeDemande={d.typeDemande} decidee={props.apres} />
      ) : (
        d.statut !== "EN_ERREUR_TECHNIQUE" && (
          <p className="fr-text--sm fr-mt-2w fr-mb-0">Aucune décision n'est attendue d'un gestionnaire sur cette demande pour l'instant.</p>
        )
      )}
    </section>
  );
}

function Suivi({ suivi, apres }: { suivi: SuiviFinancier; apres: (m: string) => void }) {
  const api = useApi();
  const [erreur, setErreur] = useState<string | null>(null);
  if (suivi.versements.length === 0) return <p>Aucun versement pour ce dossier.</p>;

  async function reemettre(typeVersement: string) {
    setErreur(null);
    try {
      await reemettreVersement(api, suivi.numeroAsp, typeVersement);
      apres(`Le versement ${libelleTypeDemande(typeVersement).toLowerCase()} est réémis : il partira dans le prochain lot.`);
    } catch (e) {
      setErreur(messageErreur(e));
    }
  }

  return (
    <>
      {erreur && <Alert severity="error" title="Le versement n'a pas été réémis" description={erreur} className="fr-mb-3w" />}
      <div className="fr-table fr-table--no-caption" data-testid="suivi-financier">
        <table>
          <caption>Suivi financier du dossier</caption>
          <thead>
            <tr>
              <th scope="col">Numéro de la demande</th>
              <th scope="col">Objet du versement</th>
              <th scope="col">Type du versement</th>
              <th scope="col">État du paiement</th>
              <th scope="col">Motif de rejet du paiement</th>
              <th scope="col">Montant calculé</th>
              <th scope="col">Date de validation</th>
              <th scope="col">Date de mise en paiement</th>
              <th scope="col">Montant payé</th>
              <th scope="col">Date de paiement effective</th>
              <th scope="col">Avis de paiement</th>
            </tr>
          </thead>
          <tbody>
            {suivi.versements.map((v) => (
              <tr key={`${v.numeroDemande}-${v.objet}`}>
                <td>{v.numeroDemande}</td>
                <td>{v.objet}</td>
                <td>{libelleTypeDemande(v.typeVersement)}</td>
                <td>
                  {v.libelleEtat}
                  {v.etat === "REJETE" && (
                    <Button size="small" priority="secondary" className="fr-mt-1w" onClick={() => void reemettre(v.typeVersement)}>
                      Réémettre
                    </Button>
                  )}
                </td>
                <td>{v.motifRejet ?? "—"}</td>
                <td>{montantEnEuros(v.montantCalcule)}</td>
                <td>{dateCourte(v.dateValidation)}</td>
                <td>{dateCourte(v.dateMiseEnPaiement)}</td>
                <td>{montantEnEuros(v.montantPaye)}</td>
                <td>{dateCourte(v.datePaiement)}</td>
                <td>
                  {v.avisPaiement ? (
                    <a href={v.avisPaiement.url} target="_blank" rel="noopener noreferrer" title={`Télécharger ${v.avisPaiement.nom} (nouvelle fenêtre)`}>
                      Télécharger <span className="fr-sr-only">{v.avisPaiement.nom}</span>
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
    </>
  );
}
