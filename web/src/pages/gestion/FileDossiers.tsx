import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useEffect, useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router";

import { useApi } from "../../contexte";
import {
  adresseDepuisFiltres,
  curseurCourant,
  filtresDepuisAdresse,
  limiteDepuisAdresse,
  libelleAttendu,
  libelleTypeDemande,
  montantEnEuros,
  numeroPage,
  pagePrecedente,
  pageSuivante,
  PREMIERE_PAGE,
  requeteDossiers,
  STATUTS_DEMANDE,
  TAILLES_PAGE,
  TYPES_DEMANDE,
  verifierFiltres,
  type FiltresDossiers,
  type PileCurseurs,
} from "../../lib/gestion";
import { listerDossiers } from "../../lib/gestionRoutes";
import { dateHeureParis } from "../../lib/temps";
import { useTitre } from "../../lib/titre";
import { EtatChargement, PaginationCurseurs, useChargement } from "./commun";

/** The desk: every demande in instruction, filtered (filters in the address), page by page. */
export function FileDossiers() {
  useTitre("Dossiers à instruire");
  const api = useApi();
  const [parametres, setParametres] = useSearchParams();
  const filtres = filtresDepuisAdresse(parametres);
  const limite = limiteDepuisAdresse(parametres);
  const cle = adresseDepuisFiltres(filtres, limite).toString();
  const [saisie, setSaisie] = useState<FiltresDossiers>(filtres);
  const [erreurs, setErreurs] = useState<ReturnType<typeof verifierFiltres>>({});
  // The cursors belong to the filters they were read with: new filters, first page.
  const [pages, setPages] = useState<{ cle: string; pile: PileCurseurs }>({ cle, pile: PREMIERE_PAGE });
  const pile = pages.cle === cle ? pages.pile : PREMIERE_PAGE;
  const setPile = (p: PileCurseurs) => setPages({ cle, pile: p });

  useEffect(() => {
    setSaisie(filtresDepuisAdresse(new URLSearchParams(cle)));
  }, [cle]);

  const curseur = curseurCourant(pile);
  const page = useChargement(
    (signal) => listerDossiers(api, requeteDossiers(filtres, limite, curseur), { signal }),
    [api, cle, curseur],
  );

  function filtrer(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const problemes = verifierFiltres(saisie);
    setErreurs(problemes);
    if (Object.keys(problemes).length) return;
    setParametres(adresseDepuisFiltres(saisie, limite));
  }

  // A filter chosen from a list, the first option meaning « no filter ».
  function choix(
    nom: "statut" | "typeDemande",
    label: string,
    tous: string,
    options: ReadonlyArray<readonly [string, string]>,
  ) {
    return (
      <Select
        label={label}
        nativeSelectProps={{ name: nom, value: saisie[nom], onChange: (e) => setSaisie({ ...saisie, [nom]: e.target.value }) }}
      >
        <option value="">{tous}</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </Select>
    );
  }

  function champ(nom: keyof FiltresDossiers) {
    return {
      state: erreurs[nom] ? ("error" as const) : ("default" as const),
      stateRelatedMessage: erreurs[nom],
      nativeInputProps: {
        name: nom,
        value: saisie[nom],
        onChange: (ev: React.ChangeEvent<HTMLInputElement>) => setSaisie({ ...saisie, [nom]: ev.target.value }),
      },
    };
  }

  return (
    <>
      <h1>Dossiers à instruire</h1>
      <form onSubmit={filtrer} noValidate className="fr-mb-4w" aria-label="Filtrer les demandes">
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            {choix("statut", "Statut", "Tous les statuts", STATUTS_DEMANDE)}
          </div>
          <div className="fr-col-12 fr-col-md-4">
            {choix("typeDemande", "Type de demande", "Avance et solde", TYPES_DEMANDE)}
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label="Couloir" hintText="Par exemple MS" {...champ("couloir")} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label="SIRET de l'éditeur" hintText="14 chiffres" {...champ("siret")} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label="N° unique de référencement (ANS)" {...champ("numeroAns")} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select
              label="Demandes par page"
              nativeSelectProps={{
                name: "limite",
                value: String(limite),
                onChange: (e) => setParametres(adresseDepuisFiltres(filtres, Number(e.target.value))),
              }}
            >
              {[...new Set([...TAILLES_PAGE, limite])].sort((a, b) => a - b).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--inline">
          <li>
            <Button type="submit">Filtrer</Button>
          </li>
          <li>
            <Button type="button" priority="tertiary" onClick={() => setParametres(new URLSearchParams())}>
              Effacer les filtres
            </Button>
          </li>
        </ul>
      </form>
      <div aria-live="polite">
        <EtatChargement etat={page} quoi="des demandes" />
        {page.etat === "pret" && (
          <>
            {page.donnees.elements.length === 0 ? (
              <p data-testid="file-vide">Aucune demande ne correspond à ces filtres.</p>
            ) : (
              <div className="fr-table fr-table--no-caption" data-testid="file-dossiers">
                <table>
                  <caption>Demandes en instruction</caption>
                  <thead>
                    <tr>
                      <th scope="col">Dossier</th>
                      <th scope="col">Type</th>
                      <th scope="col">SIRET</th>
                      <th scope="col">N° ANS</th>
                      <th scope="col">Couloir</th>
                      <th scope="col">Statut</th>
                      <th scope="col">À qui d'agir</th>
                      <th scope="col">Montant financé</th>
                      <th scope="col">Modifiée le</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.donnees.elements.map((l) => (
                      <tr key={`${l.numeroAsp}-${l.typeDemande}`}>
                        <td>
                          <Link to={`/gestion/dossiers/${encodeURIComponent(l.numeroAsp)}`}>{l.numeroAsp}</Link>
                        </td>
                        <td>{libelleTypeDemande(l.typeDemande)}</td>
                        <td>{l.siret}</td>
                        <td>{l.numeroAns}</td>
                        <td>{l.couloir}</td>
                        <td>{l.libelleStatut}</td>
                        <td>{libelleAttendu(l.attendu)}</td>
                        <td>{montantEnEuros(l.montantFinance)}</td>
                        <td>{dateHeureParis(l.modifieLe)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <PaginationCurseurs
              libelle="demandes en instruction"
              page={numeroPage(pile)}
              precedente={pile.length > 1 ? () => setPile(pagePrecedente(pile)) : null}
              suivante={page.donnees.curseurSuivant ? () => setPile(pageSuivante(pile, page.donnees.curseurSuivant as string)) : null}
            />
          </>
        )}
      </div>
    </>
  );
}
