/**
 * `/config.json`'s shape and its reader: pure, no DOM, and small, because every visit reads the config before its
 * first render (config.ts), while the Cognito sign-in code (oauth.ts, auth.ts) is loaded only when it says `cognito`.
 */

/** `/config.json`, read once at start: which sign-in the runtime offers. */
export type AuthConfig =
  | { type: 'local' }
  | {
      type: 'cognito';
      /** `https://<prefix>.auth.<region>.amazoncognito.com`, no trailing slash. */
      domain: string;
      clientId: string;
      /** Where the managed login sends the browser back with `?code=&state=` (the app's own origin + `/`). */
      redirectUri: string;
      /** Where `/logout` sends the browser after signing out. */
      logoutUri: string;
    };
export type CognitoConfig = Extract<AuthConfig, { type: 'cognito' }>;

export interface RuntimeConfig {
  auth: AuthConfig;
}

/** Reads `/config.json`'s body; anything unusable is the local sign-in (the local stack's default). */
export const parseConfig = (raw: unknown): RuntimeConfig => {
  const auth = (raw as { auth?: Record<string, unknown> } | null)?.auth;
  if (auth?.type === 'cognito') {
    const { domain, clientId, redirectUri, logoutUri } = auth;
    if ([domain, clientId, redirectUri, logoutUri].every((v) => typeof v === 'string' && v !== '')) {
      return {
        auth: {
          type: 'cognito',
          domain: (domain as string).replace(/\/+$/, ''),
          clientId: clientId as string,
          redirectUri: redirectUri as string,
          logoutUri: logoutUri as string,
        },
      };
    }
    throw new Error('config.json: cognito sign-in needs domain, clientId, redirectUri and logoutUri');
  }
  return { auth: { type: 'local' } };
};
