import { Navigate, Route, Routes } from "react-router";

import { Gabarit } from "./composants/Gabarit";
import { Accueil } from "./pages/Accueil";
import { EnConstruction } from "./pages/EnConstruction";
import { GardeGestionnaire } from "./pages/gestion/commun";
import { DossierGestion } from "./pages/gestion/DossierGestion";
import { EnrolementGestion } from "./pages/gestion/EnrolementGestion";
import { Enrolements } from "./pages/gestion/Enrolements";
import { FileDossiers } from "./pages/gestion/FileDossiers";
import { Paiements } from "./pages/gestion/Paiements";
import { PageIntrouvable } from "./pages/PageIntrouvable";
import { Rechercher } from "./pages/Rechercher";

/** Every screen of the portal: add a route here and a link in composants/Gabarit.tsx. */
export function Application() {
  return (
    <Routes>
      <Route element={<Gabarit />}>
        <Route index element={<Accueil />} />
        <Route path="rechercher" element={<Rechercher />} />
        <Route path="connexion" element={<EnConstruction titre="Se connecter" />} />
        <Route path="enrolement" element={<EnConstruction titre="Demande d'enrôlement" />} />
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
