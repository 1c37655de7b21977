import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";

import { ErreurApi, messageErreur } from "../../api/erreurs";
import type { Depot, DepotDemarre, DepotTermine, TypeDemande } from "../../api/modeles";
import { autoriserZipPieces, demarrerDepot, importerDepot, lireDepot, lireFichierAnnote, terminerDepot } from "../../api/routes";
import { useApi } from "../../contexte";
import { attendre, DelaiDepasse } from "../../lib/attente";
import { nomFichierAnnote } from "../../lib/compteRendu";
import { verifierNumeroAns } from "../../lib/referencement";
import { ErreurTeleversement, televerser, verifierFichier, type Progression } from "../../lib/televersement";
import { useTitre } from "../../lib/titre";
import { BarreProgression, idChamp, phrase } from "../editeur/commun";
import { TableCompteRendu } from "./TableCompteRendu";

const ETAPES = ["La demande", "Le fichier JSON", "Le compte rendu et l'import", "Les pièces justificatives"] as const;
const TAUX = ["20", "10", "5.5", "2.1", "0"] as const;

function messageDe(e: unknown): string {
  if (e instanceof ErreurTeleversement || e instanceof DelaiDepasse) return e.message;
  return messageErreur(e);
}

/** « Déposer une demande », step by step (seed: type, numéro ANS, taux de TVA → JSON →
 * compte rendu → Importer → ZIP → Terminer). `?modification=1&numeroAns=…` answers an
 * « À modifier » after the deadline. */
export function Deposer() {
  useTitre("Déposer une demande");
  const api = useApi();
  const [parametres] = useSearchParams();
  const [etape, setEtape] = useState(1);
  const [typeDemande, setTypeDemande] = useState<TypeDemande>((parametres.get("type") as TypeDemande | null) ?? "AVANCE");
  const [numeroAns, setNumeroAns] = useState(parametres.get("numeroAns") ?? "");
  const [tauxTva, setTauxTva] = useState<string>("");
  const [modification, setModification] = useState(parametres.get("modification") === "1");
  const [champs, setChamps] = useState<Record<string, string>>({});
  const [alerte, setAlerte] = useState<string | null>(null);
  const [occupe, setOccupe] = useState<string | null>(null);
  const [progression, setProgression] = useState<Progression | null>(null);
  const [demarre, setDemarre] = useState<DepotDemarre | null>(null);
  const [depot, setDepot] = useState<Depot | null>(null);
  const [erreurFichier, setErreurFichier] = useState<string | null>(null);
  const [termine, setTermine] = useState<DepotTermine | null>(null);

  async function executer(libelle: string, action: () => Promise<void>) {
    setAlerte(null);
    setOccupe(libelle);
    try {
      await action();
    } catch (e) {
      setAlerte(messageDe(e));
    } finally {
      setOccupe(null);
      setProgression(null);
    }
  }

  function demarrer(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const problemes: Record<string, string> = {};
    const numero = numeroAns.trim();
    const probleme = verifierNumeroAns(numero);
    if (probleme) problemes["numeroAns"] = probleme;
    if (!tauxTva) problemes["tauxTva"] = "Choisissez le taux de TVA applicable aux demandes du fichier.";
    setChamps(problemes);
    if (Object.keys(problemes).length > 0) return;
    void executer("Ouverture du dépôt…", async () => {
      try {
        const d = await demarrerDepot(api, { typeDemande, numeroAns: numero, tauxTva: Number(tauxTva), ...(modification ? { modification: true } : {}) });
        setDemarre(d);
        setEtape(2);
      } catch (err) {
        if (err instanceof ErreurApi && Object.keys(err.champs).length > 0) setChamps({ ...err.champs });
        else if (err instanceof ErreurApi && err.statut === 422 && /TVA/i.test(err.message)) setChamps({ tauxTva: err.message });
        else if (err instanceof ErreurApi && err.statut === 422 && /ANS|référencement|enrôl/i.test(err.message)) setChamps({ numeroAns: err.message });
        else throw err;
      }
    });
  }

  function envoyerJson(fichier: File | undefined) {
    setErreurFichier(null);
    if (!fichier || demarre === null) return;
    const probleme = verifierFichier(fichier, ["json"], demarre.envoi.tailleMax);
    if (probleme) return setErreurFichier(probleme);
    void executer("Envoi du fichier…", async () => {
      setProgression({ envoye: 0, total: fichier.size });
      await televerser(demarre.envoi, fichier, fichier.name, setProgression);
      setOccupe("Simulation en cours : chaque ligne du fichier est contrôlée…");
      const vue = await attendre(
        () => lireDepot(api, demarre.idDepot),
        (v) => !["CREE", "JSON_RECU"].includes(v.statut),
        setDepot,
      );
      setDepot(vue);
      setEtape(3);
    });
  }

  function telechargerAnnote() {
    if (depot === null) return;
    void executer("Préparation du fichier annoté…", async () => {
      const contenu = await lireFichierAnnote(api, depot.idDepot);
      const lien = document.createElement("a");
      lien.href = URL.createObjectURL(new Blob([JSON.stringify(contenu, null, 2)], { type: "application/json" }));
      lien.download = nomFichierAnnote(depot.fichier, depot.idDepot);
      lien.click();
      setTimeout(() => URL.revokeObjectURL(lien.href), 10_000);
    });
  }

  function importer() {
    if (depot === null) return;
    void executer("Import en cours : un dossier est créé par ligne importable…", async () => {
      await importerDepot(api, depot.idDepot);
      const vue = await attendre(
        () => lireDepot(api, depot.idDepot),
        (v) => v.statut === "IMPORTE" || v.statut === "TERMINE",
        setDepot,
      );
      setDepot(vue);
      setEtape(4);
    });
  }

  function envoyerZip(fichier: File | undefined) {
    setErreurFichier(null);
    if (!fichier || depot === null) return;
    const probleme = verifierFichier(fichier, ["zip"]);
    if (probleme) return setErreurFichier(probleme);
    void executer("Envoi du ZIP…", async () => {
      const autorisation = await autoriserZipPieces(api, depot.idDepot);
      const tropGros = verifierFichier(fichier, ["zip"], autorisation.envoi.tailleMax);
      if (tropGros) throw new ErreurTeleversement(tropGros);
      setProgression({ envoye: 0, total: fichier.size });
      await televerser(autorisation.envoi, fichier, fichier.name, setProgression);
      setOccupe("Vérification du ZIP : chaque pièce est contrôlée et rapprochée de son dossier…");
      const cle = autorisation.envoi.cle;
      const vue = await attendre(
        () => lireDepot(api, depot.idDepot),
        (v) => (v.zips ?? []).some((z) => (cle === undefined || z.cle === cle) && (z.statut === "OK" || z.statut === "REJETE")),
        setDepot,
      );
      setDepot(vue);
    });
  }

  function terminer() {
    if (depot === null) return;
    void executer("Clôture du dépôt…", async () => {
      setTermine(await terminerDepot(api, depot.idDepot));
    });
  }

  const etatChamp = (champ: string) => (champs[champ] ? { state: "error" as const, stateRelatedMessage: phrase(champs[champ]) } : {});

  if (termine !== null) {
    return (
      <>
        <h1>Déposer une demande</h1>
        <Alert severity="success" title="Dépôt terminé" description={`Le dépôt ${termine.idDepot} est clos.`} className="fr-mb-4w" />
        {termine.dossiersIncomplets.length > 0 ? (
          <>
            <h2>Dossiers encore incomplets</h2>
            <ul data-testid="dossiers-incomplets">
              {termine.dossiersIncomplets.map((d) => (
                <li key={d.numeroAsp}>
                  {d.numeroAsp} (ligne {d.numLigne}) : il manque {d.piecesManquantes.join(", ")}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p data-testid="depot-complet">Tous les dossiers du dépôt sont complets : leur instruction a commencé.</p>
        )}
        <Button linkProps={{ to: "/dossiers" }}>Voir mes dossiers</Button>
      </>
    );
  }

  return (
    <>
      <h1>Déposer une demande</h1>
      <Stepper
        currentStep={etape}
        stepCount={ETAPES.length}
        title={ETAPES[etape - 1]}
        {...(etape < ETAPES.length ? { nextTitle: ETAPES[etape] } : {})}
      />
      {alerte && <Alert severity="error" title="L'opération n'a pas abouti" description={alerte} className="fr-mb-4w" />}
      {occupe && (
        <p aria-live="polite" className="fr-text--bold" data-testid="operation-en-cours">
          {occupe}
        </p>
      )}
      <BarreProgression libelle="Envoi du fichier" progression={progression} />

      {etape === 1 && (
        <form onSubmit={demarrer} noValidate>
          <p className="fr-text--sm">Les champs marqués d'un * sont obligatoires.</p>
          <RadioButtons
            legend="Type de demande *"
            orientation="horizontal"
            options={(["AVANCE", "SOLDE"] as const).map((t) => ({
              label: t === "AVANCE" ? "Demande d'avance" : "Demande de solde",
              nativeInputProps: { name: "typeDemande", value: t, checked: typeDemande === t, onChange: () => setTypeDemande(t) },
            }))}
          />
          <Input
            label="N° unique de référencement (ANS) *"
            hintText="Le référencement de la solution pour laquelle vous êtes enrôlé, par exemple zbuMSS0001"
            {...etatChamp("numeroAns")}
            nativeInputProps={{ id: idChamp("numeroAns"), name: "numeroAns", value: numeroAns, onChange: (e) => setNumeroAns(e.target.value) }}
          />
          <Select
            label="Taux de TVA *"
            {...etatChamp("tauxTva")}
            nativeSelectProps={{ id: idChamp("tauxTva"), name: "tauxTva", value: tauxTva, onChange: (e) => setTauxTva(e.target.value) }}
          >
            <option value="" disabled>Sélectionnez un taux</option>
            {TAUX.map((t) => (
              <option key={t} value={t}>{t.replace(".", ",")} %</option>
            ))}
          </Select>
          {typeDemande === "AVANCE" && (
            <Checkbox
              options={[{ label: "Dépôt de modification (lignes de type M répondant à une demande « À modifier »)", nativeInputProps: { name: "modification", checked: modification, onChange: (e) => setModification(e.target.checked) } }]}
            />
          )}
          <Button type="submit" disabled={occupe !== null}>Continuer</Button>
        </form>
      )}

      {etape === 2 && demarre && (
        <section aria-labelledby="titre-json">
          <h2 id="titre-json">Le fichier JSON des demandes</h2>
          <p>
            Dépôt {demarre.idDepot} : {demarre.typeDemande === "AVANCE" ? "demandes d'avance" : "demandes de solde"}, référencement {demarre.numeroAns} ({demarre.couloir}), TVA {demarre.tauxTva.replace(".", ",")} %.
          </p>
          <div
            className="fr-p-3w fr-mb-3w"
            style={{ border: "1px dashed var(--border-default-grey)" }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              envoyerJson(e.dataTransfer.files[0]);
            }}
          >
            <Upload
              label="Déposez le fichier ici ou choisissez-le"
              hint="Un fichier .json au format MS v1, 20 Mo au plus. La simulation commence dès la réception."
              disabled={occupe !== null}
              {...(erreurFichier ? { state: "error" as const, stateRelatedMessage: erreurFichier } : {})}
              nativeInputProps={{ id: "fichier-json", name: "fichierJson", accept: ".json,application/json", onChange: (e) => envoyerJson(e.target.files?.[0]) }}
            />
          </div>
        </section>
      )}

      {etape === 3 && depot && (
        <section aria-labelledby="titre-compte-rendu">
          <h2 id="titre-compte-rendu">Le compte rendu de la simulation</h2>
          {depot.simulation && (
            <p data-testid="resume-simulation">
              {depot.simulation.nombreLignes} ligne(s) : <Badge severity="success" small noIcon>{depot.simulation.lignesImportables} importable(s)</Badge>{" "}
              <Badge severity="error" small noIcon>{depot.simulation.lignesRejetees} rejetée(s)</Badge>
            </p>
          )}
          {depot.compteRendu && depot.compteRendu.erreursFichier.length > 0 && (
            <Alert
              severity="error"
              title="Le fichier est rejeté en entier"
              description={
                <ul>
                  {depot.compteRendu.erreursFichier.map((e, i) => (
                    <li key={i}>{e.message}</li>
                  ))}
                </ul>
              }
              className="fr-mb-3w"
            />
          )}
          {depot.compteRendu && <TableCompteRendu compteRendu={depot.compteRendu} numerosAsp={depot.numerosAsp ?? {}} />}
          <div className="fr-btns-group fr-btns-group--inline-md fr-mt-3w">
            <Button priority="secondary" onClick={telechargerAnnote} disabled={occupe !== null}>
              Télécharger le fichier annoté
            </Button>
            {(depot.simulation?.lignesImportables ?? 0) > 0 ? (
              <Button onClick={importer} disabled={occupe !== null}>
                Importer les {depot.simulation?.lignesImportables} ligne(s) importable(s)
              </Button>
            ) : (
              <Button priority="tertiary" onClick={() => { setEtape(1); setDepot(null); setDemarre(null); }}>
                Déposer un fichier corrigé
              </Button>
            )}
          </div>
        </section>
      )}

      {etape === 4 && depot && (
        <section aria-labelledby="titre-pieces">
          <h2 id="titre-pieces">Les pièces justificatives</h2>
          <p>
            {Object.keys(depot.numerosAsp ?? {}).length} dossier(s) importé(s). Envoyez le ZIP de leurs pièces, nommées comme dans le fichier (200 Mo au plus) ; vous pouvez en envoyer plusieurs.
          </p>
          <Upload
            label="ZIP des pièces justificatives"
            hint="Un fichier .zip."
            disabled={occupe !== null}
            {...(erreurFichier ? { state: "error" as const, stateRelatedMessage: erreurFichier } : {})}
            nativeInputProps={{ id: "fichier-zip", name: "fichierZip", accept: ".zip,application/zip", onChange: (e) => envoyerZip(e.target.files?.[0]) }}
          />
          {(depot.zips ?? []).length > 0 && (
            <>
              <h3 className="fr-h5 fr-mt-3w">ZIP reçus</h3>
              <ul data-testid="zips">
                {(depot.zips ?? []).map((z) => (
                  <li key={z.cle}>
                    {z.nom ?? "ZIP"} : <strong>{LIBELLES_ZIP[z.statut] ?? z.statut}</strong>
                    {(z.erreursPieces ?? []).length > 0 && (
                      <ul>
                        {(z.erreursPieces ?? []).map((err, i) => (
                          <li key={i} className="fr-error-text fr-mt-0">{err.fichier ? `${err.fichier} : ` : ""}{err.message}</li>
                        ))}
                      </ul>
                    )}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h3 className="fr-h5 fr-mt-3w">Les dossiers et leurs pièces manquantes</h3>
          <ul data-testid="dossiers-depot">
            {(depot.dossiers ?? []).map((d) => (
              <li key={d.numeroAsp}>
                <Link to={`/dossiers/${encodeURIComponent(d.numeroAsp)}`}>{d.numeroAsp}</Link> (ligne {d.numLigne}) :{" "}
                {d.piecesManquantes.length === 0 ? "complet" : `il manque ${d.piecesManquantes.join(", ")}`}
              </li>
            ))}
          </ul>
          <Button onClick={terminer} disabled={occupe !== null} className="fr-mt-3w">
            Terminer le dépôt
          </Button>
        </section>
      )}
    </>
  );
}

const LIBELLES_ZIP: Readonly<Record<string, string>> = {
  EN_ATTENTE: "en attente de réception",
  EN_COURS_DE_VERIFICATION: "en cours de vérification",
  OK: "vérifié, pièces rapprochées",
  REJETE: "rejeté",
};
