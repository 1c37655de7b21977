import { Badge } from "@codegouvfr/react-dsfr/Badge";

import type { CompteRendu } from "../../api/modeles";
import { lignesAffichees } from "../../lib/compteRendu";

/** The compte rendu: one row per line, amounts, each error at its field in words. */
export function TableCompteRendu({ compteRendu, numerosAsp }: { compteRendu: CompteRendu; numerosAsp?: Record<string, string> }) {
  const lignes = lignesAffichees(compteRendu, numerosAsp);
  return (
    <div className="fr-table fr-table--bordered" data-testid="compte-rendu">
      <div className="fr-table__wrapper">
        <div className="fr-table__container" tabIndex={0}>
          <div className="fr-table__content">
            <table>
              <caption>Compte rendu, ligne par ligne</caption>
              <thead>
                <tr>
                  <th scope="col">Ligne</th>
                  <th scope="col">Statut</th>
                  <th scope="col">Montant financé</th>
                  <th scope="col">Avance</th>
                  <th scope="col">Solde</th>
                  <th scope="col">Erreurs et avertissements</th>
                </tr>
              </thead>
              <tbody>
                {lignes.map((l) => (
                  <tr key={l.numLigne} data-testid={`ligne-${l.numLigne}`}>
                    <th scope="row">{l.numLigne}</th>
                    <td>
                      <Badge severity={l.importable ? "success" : "error"} small noIcon>
                        {l.statut}
                      </Badge>
                      {l.numeroAsp && <div className="fr-text--sm fr-mb-0">{l.numeroAsp}</div>}
                    </td>
                    <td>{l.montantFinance}</td>
                    <td>{l.avance}</td>
                    <td>{l.solde}</td>
                    <td style={{ whiteSpace: "normal", minWidth: "24rem" }}>
                      {l.erreurs.length === 0 && l.avertissements.length === 0 && "Aucune"}
                      <ul className="fr-mb-0">
                        {l.erreurs.map((e, i) => (
                          <li key={`e${i}`} className="fr-error-text fr-mt-0">
                            <strong>{e.champ}</strong> : {e.message}
                          </li>
                        ))}
                        {l.avertissements.map((e, i) => (
                          <li key={`a${i}`} className="fr-info-text fr-mt-0">
                            <strong>{e.champ}</strong> : {e.message}
                          </li>
                        ))}
                      </ul>
                    </td>
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
