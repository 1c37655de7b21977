import { useEffect, useRef, useState } from "react";
import { State } from "altcha/types";
import type { AltchaWidgetElement } from "altcha/types/generic";
import type {} from "altcha/types/react";

import { idChamp, phrase } from "./commun";

/** The platform accepts a solved challenge for 10 minutes (services/enrolment/domain/
 * anti_robot.py): past 9 without sending, the check is done again rather than refused. */
export const VALIDITE_LOCALE_MS = 9 * 60_000;

export type EtatAntiRobot = "chargement" | "unverified" | "verifying" | "verified" | "expired" | "error" | "code";

/**
 * The anti-robot check of the demande (ALTCHA): the widget fetches a challenge from
 * `urlDefi`, finds its proof of work in the browser (a worker; no third party, nothing
 * tracked) and gives its payload to `onSolution`, sent as `jetonAntiRobot`. A payload
 * serves once: each time `renouveler` changes (after a sending) a new challenge is solved
 * at once, in the background.
 */
export function VerificationAntiRobot({
  urlDefi,
  renouveler,
  onSolution,
  erreur,
}: {
  urlDefi: string;
  renouveler: number;
  onSolution: (solution: string) => void;
  erreur?: string | undefined;
}) {
  const widget = useRef<AltchaWidgetElement | null>(null);
  const [pret, setPret] = useState(false);
  const [etat, setEtat] = useState<EtatAntiRobot>("chargement");

  // The widget's code (≈ 30 ko compressés) only for this form.
  useEffect(() => {
    let actif = true;
    import("../../lib/altcha")
      .then(() => actif && setPret(true))
      .catch(() => actif && setEtat("error"));
    return () => {
      actif = false;
    };
  }, []);

  useEffect(() => {
    const element = widget.current;
    if (!pret || element === null) return;
    const changer = (e: Event) => {
      const detail = (e as CustomEvent<{ state?: string; payload?: string }>).detail;
      const nouvel = (detail.state ?? "unverified") as EtatAntiRobot;
      setEtat(nouvel);
      onSolution(nouvel === "verified" && detail.payload ? detail.payload : "");
    };
    element.addEventListener("statechange", changer);
    setEtat("unverified");
    return () => element.removeEventListener("statechange", changer);
  }, [pret, onSolution]);

  useEffect(() => {
    const element = widget.current;
    if (renouveler === 0 || element === null || typeof element.verify !== "function") return;
    element.reset();
    void element.verify();
  }, [renouveler]);

  useEffect(() => {
    if (etat !== "verified") return;
    const minuteur = window.setTimeout(() => widget.current?.reset(State.EXPIRED), VALIDITE_LOCALE_MS);
    return () => window.clearTimeout(minuteur);
  }, [etat]);

  const id = idChamp("jetonAntiRobot");
  return (
    <div className={`fr-input-group${erreur ? " fr-input-group--error" : ""}`} data-testid="verification-anti-robot" data-etat={etat}>
      <p className="fr-hint-text fr-mb-2w" id={`${id}-aide`}>
        Cochez la case : votre navigateur effectue un court calcul qui prouve que la demande ne vient pas d'un robot (aucun
        suivi, aucune donnée transmise à un tiers).
      </p>
      {/* The résumé's link lands here; the widget's own checkbox follows. */}
      <div id={id} tabIndex={-1} aria-describedby={`${id}-aide${erreur ? ` ${id}-erreur` : ""}`}>
        {pret ? (
          <altcha-widget
            ref={widget}
            challenge={urlDefi}
            language="fr-fr"
            name="jetonAntiRobot"
            configuration={JSON.stringify({ hideLogo: true, hideFooter: true })}
          />
        ) : (
          <p className="fr-text--sm">Chargement de la vérification anti-robot…</p>
        )}
      </div>
      {etat === "error" && !erreur ? (
        <p className="fr-message fr-message--error" role="alert">
          La vérification anti-robot n'a pas pu être effectuée : rechargez la page, puis réessayez.
        </p>
      ) : null}
      {erreur ? (
        <p className="fr-error-text" id={`${id}-erreur`}>
          {phrase(erreur)}
        </p>
      ) : null}
    </div>
  );
}
