// The shape of /config.json (read by config.ts), apart from config.ts so that the Node
// type-check of the tests (no Vite types there) can name it.

export interface ConfigCognito {
  /** The Cognito IdP endpoint: moto's server locally, https://cognito-idp.<region>.amazonaws.com/ deployed. */
  url: string;
  clientId: string;
}

/** The gestionnaires' sign-in with ProConnect through Cognito's hosted endpoints. */
export interface ConfigProConnect {
  /** Cognito's hosted domain, https://segurnum-<account>.auth.<region>.amazoncognito.com (no final /). */
  domaine: string;
  /** The gestionnaires' app client (GestionClient: public, authorization code with PKCE). */
  clientId: string;
}

export interface ConfigPortail {
  api: string;
  /** The sign-in's user pool client (absent: the sign-in says it is not available). */
  cognito?: ConfigCognito;
  /** Absent (the local runtime): no ProConnect button, the local accounts sign in. */
  proconnect?: ConfigProConnect;
}
