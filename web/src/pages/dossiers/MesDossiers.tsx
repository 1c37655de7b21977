import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useState } from "react";
import { Link } from "react-router";

import { messageErreur } from "../../api/erreurs";
import type { PageDossiers } from "../../api/modeles";
import { listerMesDossiers } from "../../api/routes";
import { useApi } from "../../contexte";
import { filtrerDossiers, statutDe, STATUTS_FILTRE } from "../../lib/dossiers";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";

const TAILLE_PAGE = 20;

/** « Mes dossiers »: GET /dossiers page by page (the API's cursor), filtered on the page. */
export function MesDossiers() {
  useTitre("Mes dossiers");
  const api = useApi();
  // curseurs[i]: the cursor of page i (null for the first).
  const [curseurs, setCurseurs] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<PageDossiers | null>(null);
  const [erreur, setErreur] = useState<string | null>(null);
  const [recherche, setRecherche] = useState("");
  const [statut, setStatut] = useState("");
  const index = curseurs.length - 1;

  useEffect(() => {
    const abandon = new AbortController();
    setPage(null);
    setErreur(null);
    listerMesDossiers(api, curseurs[index] ?? null, TAILLE_PAGE, { signal: abandon.signal })
      .then(setPage)
      .catch((e: unknown) => {
        if (!abandon.signal.aborted) setErreur(messageErreur(e));
      });
    return () => abandon.abort();
  }, [api, curseurs, index]);

  const visibles = page ? filtrerDossiers(page.elements, recherche, statut) : [];
  return (
    <>
      <h1>Mes dossiers</h1>
      <div className="fr-btns-group fr-btns-group--inline-md fr-mb-3w">
        <Button linkProps={{ to: "/deposer" }} iconId="fr-icon-file-add-line">
          Déposer une demande
        </Button>
      </div>
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <Input
            label="Rechercher (numéro de dossier, référencement, FINESS)"
            nativeInputProps={{ name: "recherche", value: recherche, onChange: (e) => setRecherche(e.target.value) }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-6">
          <Select label="Statut d'une demande" nativeSelectProps={{ name: "statut", value: statut, onChange: (e) => setStatut(e.target.value) }}>
            <option value="">Tous les statuts</option>
            {STATUTS_FILTRE.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </Select>
        </div>
      </div>
      {erreur && <Alert severity="error" title="Les dossiers ne peuvent pas être affichés" description={erreur} />}
      {!erreur && page === null && <p aria-live="polite">Chargement des dossiers…</p>}
      {page && (
        <div className="fr-table fr-table--bordered" data-testid="mes-dossiers">
          <div className="fr-table__wrapper">
            <div className="fr-table__container" tabIndex={0}>
              <div className="fr-table__content">
                <table>
                  <caption>
                    Page {index + 1} : {visibles.length} dossier(s) affiché(s)
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Dossier</th>
                      <th scope="col">Référencement</th>
                      <th scope="col">Déposé le</th>
                      <th scope="col">Établissements (FINESS)</th>
                      <th scope="col">Avance</th>
                      <th scope="col">Solde</th>
                    </tr>
                  </thead>
                  <tbody>
                    {visibles.map((d) => (
                      <tr key={d.numeroAsp}>
                        <th scope="row">
                          <Link to={`/dossiers/${encodeURIComponent(d.numeroAsp)}`}>{d.numeroAsp}</Link>
                        </th>
                        <td>{d.numeroAns} ({d.couloir})</td>
                        <td>{dateHeureParis(d.deposeLe)}</td>
                        <td>{d.finess.join(", ")}</td>
                        <td>{statutDe(d, "AVANCE")}</td>
                        <td>{statutDe(d, "SOLDE")}</td>
                      </tr>
                    ))}
                    {visibles.length === 0 && (
                      <tr>
                        <td colSpan={6}>Aucun dossier.</td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
      <nav className="fr-btns-group fr-btns-group--inline fr-mt-2w" aria-label="Pages de dossiers">
        <Button priority="secondary" disabled={index === 0} onClick={() => setCurseurs((c) => c.slice(0, -1))}>
          Page précédente
        </Button>
        <Button priority="secondary" disabled={!page?.curseurSuivant} onClick={() => {
            const suivant = page?.curseurSuivant;
            if (suivant) setCurseurs((c) => [...c, suivant]);
          }}>
          Page suivante
        </Button>
      </nav>
    </>
  );
}
