/**
 * The sign-in pieces every visit needs, whatever the runtime: the session's expiry watch, sign-out, and the progress
 * of a return from Cognito's managed login. The Cognito flow itself (`auth.ts` + `oauth.ts`: PKCE, token exchange,
 * claims, the address list for office names) is a separate chunk, loaded only when `/config.json` says `cognito`,
 * so the local stack and the parents' tracking page never download it.
 */
import { ApiError, renewSession, type Session, session, setRenewer, setSession } from './api';
import { config } from './config';
import { navigate, replaceUrl } from './router';
import { signal } from './signal';

/** The redirect back from Cognito being handled: 'busy' while exchanging, else the error shown on the login page. */
export const signInProgress = signal<{ busy: boolean; error?: unknown }>({ busy: false });

const isCognito = () => config.get().auth.type === 'cognito';
const cognito = () => import('./auth');

/** Leaves for the managed login (AWS only). */
export const beginSignIn = async (next?: string) => (await cognito()).beginSignIn(next);

/** Signs out: locally the session goes; on AWS the refresh token is revoked and the managed login's cookie ends. */
export const signOut = () => {
  if (!isCognito()) {
    setSession(undefined);
    navigate('#/');
    return;
  }
  void cognito().then((m) => m.signOut());
};

let expiryTimer: ReturnType<typeof setTimeout> | undefined;
/** At `expiresAt` the session renews itself (Cognito) or ends (local, or when renewing fails). */
const watchExpiry = (s: Session | undefined) => {
  clearTimeout(expiryTimer);
  if (!s) return;
  // setTimeout's limit is ~24.8 days; sessions last hours.
  const wait = Math.max(0, Math.min(s.expiresAt - Date.now(), 2 ** 31 - 1));
  expiryTimer = setTimeout(() => {
    if (session.get() !== s) return;
    renewSession(s).then((fresh) => {
      if (!fresh && session.get() === s) setSession(undefined);
    });
  }, wait);
};

/**
 * Call once at start, after the config is loaded. On AWS: loads the Cognito chunk, wires renewal, and finishes a
 * return from the managed login (`/?code=&state=`) while the login page shows its progress.
 */
export const startAuth = async () => {
  if (isCognito()) {
    const m = await cognito();
    m.initCognito({ ApiError, session, setSession, setRenewer, config, navigate, replaceUrl, signInProgress });
    const callback = m.pendingCallback();
    if (callback) void m.completeSignIn(callback);
  }
  session.subscribe(watchExpiry);
  watchExpiry(session.get());
};
