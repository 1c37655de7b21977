import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Link } from "react-router";

import { ClientApi } from "./api/client";
import { Application } from "./Application";
import { chargerConfig } from "./config";
import { FournisseurApi } from "./contexte";
import { jetonSession } from "./lib/session";

// Link's type is registered with react-dsfr in lienDsfr.d.ts.
startReactDsfr({ defaultColorScheme: "light", Link });

const racine = document.getElementById("racine");
if (racine === null) throw new Error("#racine absent de index.html");

void chargerConfig().then((config) => {
  const api = new ClientApi({ baseUrl: config.api, jeton: jetonSession });
  createRoot(racine).render(
    <StrictMode>
      <FournisseurApi api={api} config={config}>
        <BrowserRouter>
          <Application />
        </BrowserRouter>
      </FournisseurApi>
    </StrictMode>,
  );
});
