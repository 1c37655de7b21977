import { useEffect } from "react";

export const NOM_SERVICE = "Ségur numérique — médico-social";

/** Each screen names itself in the browser's title (RGAA 8.6), service name after. */
export function useTitre(titre: string): void {
  useEffect(() => {
    document.title = `${titre} — ${NOM_SERVICE}`;
  }, [titre]);
}
