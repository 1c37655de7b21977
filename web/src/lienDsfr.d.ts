// react-dsfr's links are react-router's (startReactDsfr in main.tsx): declared apart from
// main.tsx so that the tests' type-check (tsconfig.node.json), which never reads main.tsx,
// knows that a Button's linkProps take `to` (the screens' tests render such buttons).
// The empty import brings react-dsfr's declarations in before they are augmented.
import type {} from "@codegouvfr/react-dsfr/spa";
import type { Link } from "react-router";

declare module "@codegouvfr/react-dsfr/spa" {
  interface RegisterLink {
    Link: typeof Link;
  }
}
