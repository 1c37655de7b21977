import { Footer } from "@codegouvfr/react-dsfr/Footer";
import { Header } from "@codegouvfr/react-dsfr/Header";
import { SkipLinks } from "@codegouvfr/react-dsfr/SkipLinks";
import { Outlet, useLocation } from "react-router";

import { useConfig } from "../contexte";
import { accesGestion, jetonGestion } from "../lib/gestionSession";
import { seDeconnecter } from "../lib/proconnect";
import { appartientA, useUtilisateur } from "../lib/session";
import { NOM_SERVICE } from "../lib/titre";

const MARIANNE = (
  <>
    République
    <br />
    Française
  </>
);

/** The DSFR frame of every screen: skip links, header with the navigation, footer. */
export function Gabarit() {
  const { pathname } = useLocation();
  const utilisateur = useUtilisateur();
  const config = useConfig();
  return (
    <>
      <SkipLinks
        links={[
          { label: "Contenu", anchor: "#contenu" },
          { label: "Menu", anchor: "#en-tete-main-navigation" },
          { label: "Pied de page", anchor: "#pied-de-page" },
        ]}
      />
      <Header
        brandTop={MARIANNE}
        serviceTitle={NOM_SERVICE}
        serviceTagline="Le financement des éditeurs de logiciels référencés"
        homeLinkProps={{ to: "/", title: `Accueil — ${NOM_SERVICE}` }}
        quickAccessItems={
          utilisateur
            ? [
                { iconId: "fr-icon-account-circle-line", linkProps: { to: "/connexion" }, text: `Connecté : ${utilisateur.email}` },
                { iconId: "fr-icon-logout-box-r-line", buttonProps: { onClick: () => seDeconnecter(config) }, text: "Se déconnecter" },
              ]
            : [
                { iconId: "fr-icon-lock-line", linkProps: { to: "/connexion" }, text: "Se connecter" },
                {
                  iconId: "fr-icon-file-add-line",
                  linkProps: { to: "/enrolement" },
                  text: "Demande d'enrôlement",
                },
              ]
        }
        navigation={[
          { text: "Accueil", linkProps: { to: "/" }, isActive: pathname === "/" },
          {
            text: "Rechercher un référencement",
            linkProps: { to: "/rechercher" },
            isActive: pathname.startsWith("/rechercher"),
          },
          // The éditeur's screens, for members of « editeurs » only.
          ...(appartientA(utilisateur, "editeurs")
            ? [
                { text: "Déposer une demande", linkProps: { to: "/deposer" }, isActive: pathname.startsWith("/deposer") },
                { text: "Mes dossiers", linkProps: { to: "/dossiers" }, isActive: pathname.startsWith("/dossiers") },
              ]
            : []),
          // The gestionnaire's screens, for members of « gestionnaires » only.
          ...(accesGestion(jetonGestion()) === "autorise"
            ? [
                { text: "Dossiers à instruire", linkProps: { to: "/gestion/dossiers" }, isActive: pathname.startsWith("/gestion/dossiers") },
                { text: "Enrôlements", linkProps: { to: "/gestion/enrolements" }, isActive: pathname.startsWith("/gestion/enrolements") },
                { text: "Paiements", linkProps: { to: "/gestion/paiements" }, isActive: pathname.startsWith("/gestion/paiements") },
              ]
            : []),
        ]}
        id="en-tete"
      />
      <main id="contenu" tabIndex={-1} className="fr-container fr-py-6w">
        <Outlet />
      </main>
      <Footer
        id="pied-de-page"
        brandTop={MARIANNE}
        homeLinkProps={{ to: "/", title: `Accueil — ${NOM_SERVICE}` }}
        accessibility="non compliant"
        contentDescription="Le portail du financement Ségur numérique, couloir médico-social : les guichets de financement, l'enrôlement des éditeurs de logiciels référencés par l'Agence du numérique en santé, le dépôt et le suivi de leurs demandes d'avance et de solde."
      />
    </>
  );
}
