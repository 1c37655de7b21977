import { Route, Routes } from "react-router";

import { Gabarit } from "./composants/Gabarit";
import { Accueil } from "./pages/Accueil";
import { EnConstruction } from "./pages/EnConstruction";
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
        <Route path="*" element={<PageIntrouvable />} />
      </Route>
    </Routes>
  );
}
