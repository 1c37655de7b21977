import { Navigate, Route, Routes } from "react-router";

import { Gabarit } from "./composants/Gabarit";
import { Accueil } from "./pages/Accueil";
import { GardeGestionnaire } from "./pages/gestion/commun";
import { DossierGestion } from "./pages/gestion/DossierGestion";
import { EnrolementGestion } from "./pages/gestion/EnrolementGestion";
import { Enrolements } from "./pages/gestion/Enrolements";
import { FileDossiers } from "./pages/gestion/FileDossiers";
import { Paiements } from "./pages/gestion/Paiements";
import { Connexion } from "./pages/Connexion";
import { ConnexionProConnect } from "./pages/ConnexionProConnect";
import { Deposer } from "./pages/depot/Deposer";
import { Dossier } from "./pages/dossiers/Dossier";
import { MesDossiers } from "./pages/dossiers/MesDossiers";
import { Protege } from "./pages/editeur/commun";
import { SuiviEnrolement } from "./pages/editeur/SuiviEnrolement";
import { Enrolement } from "./pages/Enrolement";
import { PageIntrouvable } from "./pages/PageIntrouvable";
import { Rechercher } from "./pages/Rechercher";

/** Every screen of the portal: add a route here and a link in composants/Gabarit.tsx. */
export function Application() {
  return (
    <Routes>
      <Route element={<Gabarit />}>
        <Route index element={<Accueil />} />
        <Route path="rechercher" element={<Rechercher />} />
        <Route path="connexion" element={<Connexion />} />
        <Route path="connexion/proconnect" element={<ConnexionProConnect />} />
        <Route path="enrolement" element={<Enrolement />} />
        <Route path="enrolement/suivi" element={<SuiviEnrolement />} />
        <Route path="deposer" element={<Protege groupe="editeurs"><Deposer /></Protege>} />
        <Route path="dossiers" element={<Protege groupe="editeurs"><MesDossiers /></Protege>} />
        <Route path="dossiers/:numeroAsp" element={<Protege groupe="editeurs"><Dossier /></Protege>} />
        <Route path="gestion" element={<GardeGestionnaire />}>
          <Route index element={<Navigate to="dossiers" replace />} />
          <Route path="dossiers" element={<FileDossiers />} />
          <Route path="dossiers/:numeroAsp" element={<DossierGestion />} />
          <Route path="enrolements" element={<Enrolements />} />
          <Route path="enrolements/:numero" element={<EnrolementGestion />} />
          <Route path="paiements" element={<Paiements />} />
        </Route>
        <Route path="*" element={<PageIntrouvable />} />
      </Route>
    </Routes>
  );
}
