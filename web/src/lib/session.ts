// The signed-in user's IdToken (Cognito), kept for the tab only. Sign-in is a later screen;
// the API client already sends it as the Authorization header.
const CLE = "segurnum.jeton";

export function jetonSession(): string | null {
  try {
    return window.sessionStorage.getItem(CLE);
  } catch {
    return null;
  }
}

export function enregistrerJeton(jeton: string | null): void {
  if (jeton) window.sessionStorage.setItem(CLE, jeton);
  else window.sessionStorage.removeItem(CLE);
}
