import { Select } from "@codegouvfr/react-dsfr/Select";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";

import type { FiltresEnrolements } from "../../api/modeles";
import { useApi } from "../../contexte";
import { curseurCourant, libelleNature, numeroPage, pagePrecedente, pageSuivante, PREMIERE_PAGE, type PileCurseurs } from "../../lib/gestion";
import { listerEnrolements } from "../../lib/gestionRoutes";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";
import { EtatChargement, PaginationCurseurs, useChargement } from "./commun";

export const STATUTS_ENROLEMENT: readonly [NonNullable<FiltresEnrolements["statut"]>, string][] = [
  ["SOUMISE", "À instruire"],
  ["VALIDEE", "Validées"],
  ["REJETEE", "Rejetées"],
];

/** The demandes d'enrôlement, oldest first, « À instruire » by default. */
export function Enrolements() {
  useTitre("Demandes d'enrôlement");
  const api = useApi();
  const [parametres, setParametres] = useSearchParams();
  const brut = parametres.get("statut");
  const statut = brut === "" || STATUTS_ENROLEMENT.some(([v]) => v === brut) ? (brut ?? "SOUMISE") : "SOUMISE";
  const [pages, setPages] = useState<{ statut: string; pile: PileCurseurs }>({ statut, pile: PREMIERE_PAGE });
  const pile = pages.statut === statut ? pages.pile : PREMIERE_PAGE;
  const curseur = curseurCourant(pile);
  const page = useChargement((signal) => {
    const q: FiltresEnrolements = {};
    const connu = STATUTS_ENROLEMENT.find(([v]) => v === statut)?.[0];
    if (connu) q.statut = connu;
    if (curseur) q.curseur = curseur;
    return listerEnrolements(api, q, { signal });
  }, [api, statut, curseur]);

  return (
    <>
      <h1>Demandes d'enrôlement</h1>
      <Select
        label="Statut des demandes"
        className="fr-mb-4w"
        nativeSelectProps={{
          name: "statut",
          value: statut,
          onChange: (e) => setParametres(new URLSearchParams({ statut: e.target.value })),
        }}
      >
        {STATUTS_ENROLEMENT.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
        <option value="">Toutes</option>
      </Select>
      <div aria-live="polite">
        <EtatChargement etat={page} quoi="des demandes d'enrôlement" />
        {page.etat === "pret" && (
          <>
            {page.donnees.elements.length === 0 ? (
              <p>Aucune demande d'enrôlement avec ce statut.</p>
            ) : (
              <div className="fr-table fr-table--no-caption" data-testid="liste-enrolements">
                <table>
                  <caption>Demandes d'enrôlement</caption>
                  <thead>
                    <tr>
                      <th scope="col">Demande</th>
                      <th scope="col">Nature</th>
                      <th scope="col">Éditeur</th>
                      <th scope="col">SIRET</th>
                      <th scope="col">N° ANS</th>
                      <th scope="col">Couloir</th>
                      <th scope="col">Statut</th>
                      <th scope="col">Soumise le</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.donnees.elements.map((e) => (
                      <tr key={e.numero}>
                        <td>
                          <Link to={`/gestion/enrolements/${encodeURIComponent(e.numero)}`}>{e.numero}</Link>
                        </td>
                        <td>{libelleNature(e.nature)}</td>
                        <td>{e.raisonSociale}</td>
                        <td>{e.siret}</td>
                        <td>{e.numeroAns ?? "—"}</td>
                        <td>{e.couloir ?? "—"}</td>
                        <td>{e.libelleStatut}</td>
                        <td>{dateHeureParis(e.soumiseLe)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <PaginationCurseurs
              libelle="demandes d'enrôlement"
              page={numeroPage(pile)}
              precedente={pile.length > 1 ? () => setPages({ statut, pile: pagePrecedente(pile) }) : null}
              suivante={page.donnees.curseurSuivant ? () => setPages({ statut, pile: pageSuivante(pile, page.donnees.curseurSuivant as string) }) : null}
            />
          </>
        )}
      </div>
    </>
  );
}
